//! Conversations and sends through the API: a send starts a conversation
//! that `/chats` lists and shows with its messages, a reply goes into it,
//! a repeated `clientId` queues once, and every gate of SPEC §12 answers.

use axum::http::Method;
use msgcore::core::api_key::Scope;
use serde_json::{Value, json};

use crate::harness::{Answer, World, refused};

/// A key of tenant A that may do everything this file does.
async fn key(w: &World) -> String {
    w.key(
        &w.a,
        &[
            Scope::ContactsWrite,
            Scope::MessagesRead,
            Scope::MessagesSend,
        ],
    )
    .await
}

/// Creates tenant A's contact `phone` with `consent` (a body's fields).
async fn contact(w: &World, key: &str, phone: &str, consent: Value) {
    let mut body = json!({"phone": phone});
    body.as_object_mut()
        .unwrap()
        .extend(consent.as_object().unwrap().clone());
    let created = w
        .call(Method::POST, "/contacts", Some(key), Some(body))
        .await;
    assert_eq!(created.status.as_u16(), 201, "{created:?}");
}

async fn send(w: &World, key: &str, body: Value) -> Answer {
    w.call(Method::POST, "/send", Some(key), Some(body)).await
}

fn text_by_sms(to: &str, text: &str) -> Value {
    json!({"to": to, "type": "text", "text": text, "channel": "sms", "kind": "transactional"})
}

#[tokio::test]
async fn a_send_starts_a_conversation_that_chats_lists_and_shows_with_the_message() {
    let w = World::new().await;
    let key = key(&w).await;
    contact(
        &w,
        &key,
        "+14155550123",
        json!({"name": "Ada", "smsOptedIn": true}),
    )
    .await;

    let sent = send(&w, &key, text_by_sms("+14155550123", "Your order shipped")).await;

    assert_eq!(sent.status.as_u16(), 201, "{sent:?}");
    assert_eq!(sent.body["duplicate"], false);
    assert_eq!(sent.body["conversationStatus"], "OPEN");
    let message = &sent.body["message"];
    assert_eq!(message["direction"], "outbound");
    assert_eq!(message["channel"], "sms");
    assert_eq!(message["status"], "queued");
    assert_eq!(
        message["content"],
        json!({"type": "text", "text": "Your order shipped"})
    );
    let chats = w.get("/chats", &key).await;
    assert_eq!(chats.status.as_u16(), 200, "{chats:?}");
    let listed = chats.body["chats"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["contactName"], "Ada");
    assert_eq!(listed[0]["contactPhone"], "+14155550123");
    assert_eq!(listed[0]["id"], message["conversationId"]);
    let id = message["conversationId"].as_str().unwrap();
    let thread = w.get(&format!("/chats/{id}"), &key).await;
    assert_eq!(thread.body["status"], "OPEN");
    assert_eq!(thread.body["messages"], json!([message]));
}

#[tokio::test]
async fn a_client_id_sent_twice_queues_one_message_and_the_second_answer_is_200() {
    let w = World::new().await;
    let key = key(&w).await;
    contact(&w, &key, "+14155550123", json!({"smsOptedIn": true})).await;
    let mut body = text_by_sms("+14155550123", "Code 1234");
    body["clientId"] = json!("order-77");

    let first = send(&w, &key, body.clone()).await;
    let second = send(&w, &key, body).await;

    assert_eq!(first.status.as_u16(), 201);
    assert_eq!(second.status.as_u16(), 200);
    assert_eq!(second.body["duplicate"], true);
    assert_eq!(second.body["message"], first.body["message"]);
    let id = first.body["message"]["conversationId"].as_str().unwrap();
    let thread = w.get(&format!("/chats/{id}"), &key).await;
    assert_eq!(thread.body["messages"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn every_gate_answers_with_its_status_and_queues_nothing() {
    let w = World::new().await;
    let key = key(&w).await;
    contact(&w, &key, "+14155550123", json!({"smsOptedIn": true})).await;
    contact(&w, &key, "+14155550124", json!({})).await;

    let refusals = [
        (text_by_sms("+14155550124", "Hi"), 403, "not opted in"),
        (text_by_sms("+14155550999", "Hi"), 404, "no such contact"),
        (text_by_sms("12", "Hi"), 400, "not a number"),
        (text_by_sms("+14155550123", " "), 400, "blank text"),
        (
            json!({"to": "+14155550123", "type": "location", "latitude": 1.0,
                   "longitude": 2.0, "name": "Shop", "channel": "sms"}),
            400,
            "no locations on SMS",
        ),
        (
            json!({"to": "+14155550123", "type": "text", "text": "Sale!", "channel": "sms"}),
            429,
            "marketing, the default kind, in quiet hours (01:00 in California)",
        ),
        (
            json!({"to": "+14155550123", "type": "postcard", "channel": "sms"}),
            400,
            "an unknown type",
        ),
    ];
    for (body, status, why) in refusals {
        let answer = send(&w, &key, body).await;
        assert_eq!(answer.status.as_u16(), status, "{why}: {answer:?}");
        refused(&answer, status);
    }
    let held = send(
        &w,
        &key,
        json!({"to": "+14155550123", "type": "text", "text": "Sale!", "channel": "sms"}),
    )
    .await;
    assert_eq!(
        held.retry_after.as_deref(),
        Some("Mon, 07 Dec 2026 16:00:00 GMT"),
        "a quiet-hours hold says when it lifts"
    );
    let chats = w.get("/chats", &key).await;
    assert_eq!(
        chats.body["chats"],
        json!([]),
        "a refused send queued something"
    );
}

#[tokio::test]
async fn whatsapp_outside_the_window_takes_a_template_and_refuses_free_text() {
    let w = World::new().await;
    let key = key(&w).await;
    contact(&w, &key, "+14155550123", json!({"whatsappOptedIn": true})).await;

    let text = json!({"to": "+14155550123", "type": "text", "text": "Hi", "kind": "transactional"});
    let free = send(&w, &key, text).await;
    let template = json!({"to": "+14155550123", "type": "template", "templateName": "order_update",
                          "language": "en_US", "kind": "transactional"});
    let approved = send(&w, &key, template).await;

    refused(&free, 403);
    assert_eq!(approved.status.as_u16(), 201, "{approved:?}");
    assert_eq!(
        approved.body["message"]["channel"], "whatsapp",
        "the tenant's WhatsApp number is the default"
    );
    assert_eq!(
        approved.body["message"]["content"]["template_name"],
        "order_update"
    );
}

#[tokio::test]
async fn a_reply_goes_into_the_conversation_on_its_channel_and_is_never_held() {
    let w = World::new().await;
    let key = key(&w).await;
    contact(&w, &key, "+14155550123", json!({"smsOptedIn": true})).await;
    let first = send(&w, &key, text_by_sms("+14155550123", "Hello")).await;
    let id = first.body["message"]["conversationId"].as_str().unwrap();
    let path = format!("/conversations/{id}/messages");

    let reply = w
        .call(
            Method::POST,
            &path,
            Some(&key),
            Some(json!({"content": "At 1 a.m., still answered"})),
        )
        .await;

    assert_eq!(reply.status.as_u16(), 201, "{reply:?}");
    assert_eq!(reply.body["message"]["conversationId"], id);
    assert_eq!(reply.body["message"]["channel"], "sms");
    let thread = w.get(&format!("/chats/{id}"), &key).await;
    let texts: Vec<&str> = thread.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["Hello", "At 1 a.m., still answered"]);
    refused(
        &w.call(
            Method::POST,
            "/conversations/nope/messages",
            Some(&key),
            Some(json!({"content": "x"})),
        )
        .await,
        404,
    );
    let blank = w
        .call(
            Method::POST,
            &path,
            Some(&key),
            Some(json!({"content": "  "})),
        )
        .await;
    refused(&blank, 400);
    assert!(
        blank.body["error"].as_str().unwrap().contains("`content`"),
        "the error names the body's field: {blank:?}"
    );
}

#[tokio::test]
async fn chats_are_paged_and_filtered_by_status() {
    let w = World::new().await;
    let key = key(&w).await;
    for n in 0..3 {
        let phone = format!("+1415555012{n}");
        contact(&w, &key, &phone, json!({"smsOptedIn": true})).await;
        let sent = send(&w, &key, text_by_sms(&phone, "Hi")).await;
        assert_eq!(sent.status.as_u16(), 201);
    }

    let first = w.get("/chats?limit=2", &key).await;
    let second = w.get("/chats?limit=2&page=2", &key).await;
    let open = w.get("/chats?status=OPEN", &key).await;
    let resolved = w.get("/chats?status=RESOLVED", &key).await;

    assert_eq!(first.body["chats"].as_array().unwrap().len(), 2);
    assert_eq!(first.body["hasMore"], true);
    assert_eq!(second.body["chats"].as_array().unwrap().len(), 1);
    assert_eq!(second.body["hasMore"], false);
    assert_eq!(open.body["chats"].as_array().unwrap().len(), 3);
    assert_eq!(resolved.body["chats"], json!([]));
    for bad in ["status=CLOSED", "page=0", "limit=101"] {
        refused(&w.get(&format!("/chats?{bad}"), &key).await, 400);
    }
}

#[tokio::test]
async fn messages_lists_every_conversations_messages_newest_first_a_page_at_a_time() {
    let w = World::new().await;
    let key = key(&w).await;
    for phone in ["+14155550131", "+14155550132"] {
        contact(&w, &key, phone, json!({"smsOptedIn": true})).await;
    }
    for (to, text) in [
        ("+14155550131", "one"),
        ("+14155550132", "two"),
        ("+14155550131", "three"),
    ] {
        let sent = send(&w, &key, text_by_sms(to, text)).await;
        assert_eq!(sent.status.as_u16(), 201, "{sent:?}");
    }
    let b = w.key(&w.b, &[Scope::MessagesRead]).await;

    let first = w.get("/messages?limit=2", &key).await;
    let second = w.get("/messages?limit=2&page=2", &key).await;
    let of_b = w.get("/messages", &b).await;

    let texts = |answer: &Answer| -> Vec<String> {
        answer.body["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["text"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(texts(&first), ["three", "two"]);
    assert_eq!(first.body["hasMore"], true);
    assert_eq!(texts(&second), ["one"]);
    assert_eq!(second.body["hasMore"], false);
    assert_ne!(
        first.body["messages"][0]["conversationId"], first.body["messages"][1]["conversationId"],
        "across conversations"
    );
    assert_eq!(of_b.body["messages"], json!([]), "never another tenant's");
}

#[tokio::test]
async fn a_conversations_ai_guide_is_set_read_and_cleared_and_never_anothers() {
    let w = World::new().await;
    let key = key(&w).await;
    contact(&w, &key, "+14155550141", json!({"smsOptedIn": true})).await;
    let sent = send(&w, &key, text_by_sms("+14155550141", "Hello")).await;
    let conversation = sent.body["message"]["conversationId"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/conversations/{conversation}/guide");
    let b = w
        .key(&w.b, &[Scope::MessagesRead, Scope::MessagesSend])
        .await;

    let set = w
        .call(
            Method::PUT,
            &path,
            Some(&key),
            Some(json!({"guide": "  Speaks Spanish. "})),
        )
        .await;
    let read = w.get(&path, &key).await;
    let by_b = w.get(&path, &b).await;
    let too_long = json!({"guide": "x".repeat(4_001)});
    let refused_long = w.call(Method::PUT, &path, Some(&key), Some(too_long)).await;
    let cleared = w
        .call(Method::PUT, &path, Some(&key), Some(json!({"guide": null})))
        .await;

    assert_eq!(set.status.as_u16(), 200, "{set:?}");
    assert_eq!(set.body["guide"], "Speaks Spanish.");
    assert_eq!(
        read.body,
        json!({"conversationId": conversation, "guide": "Speaks Spanish."})
    );
    refused(&by_b, 404);
    refused(&refused_long, 400);
    assert_eq!(
        refused_long.body["error"],
        "guide: 4001 characters, over the 4000 a guide may have"
    );
    assert_eq!(cleared.body["guide"], Value::Null);
    assert_eq!(w.get(&path, &key).await.body["guide"], Value::Null);
}
