//! Every route of the OpenAPI document fails closed: no key, a wrong, expired
//! or revoked key, another tenant's key and a key without the route's scope
//! are refused and shown nothing of tenant A.

use axum::body::Body;
use axum::http::{Method, Request, header};
use chrono::TimeDelta;
use msgcore::api::ApiConfig;
use msgcore::core::api_key::Scope;
use msgcore::core::ratelimit::Quota;
use serde_json::{Value, json};

use crate::harness::{Payload, World, refused, sample};

const A_PHONE: &str = "+14155550123";
const A_NAME: &str = "Ada Secret";
const A_TEXT: &str = "Ada's secret order";
const A_CAMPAIGN: &str = "ada-secret-sale";
/// A number the table's requests create a contact for and send to.
const OTHER_PHONE: &str = "+14155550199";
/// A number the table's import creates a contact for.
const IMPORTED_PHONE: &str = "+14155550198";
/// Tenant A's webhook endpoint's address.
const A_WEBHOOK: &str = "https://ada-secret.example.com/hooks";
/// The name tenant A's file was uploaded with.
const A_FILE: &str = "ada-secret-scan.pdf";

/// The table's body: a file as a form.
fn file(name: &str) -> Option<Payload> {
    Some(Payload::File(sample(name), Some(name.to_owned())))
}

/// Every operation the API serves: its method, its path, the scope it needs
/// (`None`: any valid key) and a valid body for it.
fn operations() -> Vec<(Method, &'static str, Option<Scope>, Option<Payload>)> {
    vec![
        (Method::GET, "/status", None, None),
        (Method::GET, "/contacts", Some(Scope::ContactsRead), None),
        (
            Method::POST,
            "/contacts",
            Some(Scope::ContactsWrite),
            Some(json!({"phone": OTHER_PHONE, "name": "New", "smsOptedIn": true}).into()),
        ),
        (
            Method::GET,
            "/contacts/{id}",
            Some(Scope::ContactsRead),
            None,
        ),
        (
            Method::PATCH,
            "/contacts/{id}",
            Some(Scope::ContactsWrite),
            Some(json!({"name": "Changed", "addTags": ["x"]}).into()),
        ),
        (
            Method::POST,
            "/contacts/import",
            Some(Scope::ContactsWrite),
            Some(json!(format!("phone,name\n{IMPORTED_PHONE},Imported\n")).into()),
        ),
        (Method::GET, "/chats", Some(Scope::MessagesRead), None),
        (Method::GET, "/messages", Some(Scope::MessagesRead), None),
        (
            Method::GET,
            "/conversations/{id}/guide",
            Some(Scope::MessagesRead),
            None,
        ),
        (
            Method::PUT,
            "/conversations/{id}/guide",
            Some(Scope::MessagesSend),
            Some(json!({"guide": "Be brief."}).into()),
        ),
        (Method::GET, "/chats/{id}", Some(Scope::MessagesRead), None),
        (
            Method::POST,
            "/conversations/{id}/messages",
            Some(Scope::MessagesSend),
            Some(json!({"content": "A reply"}).into()),
        ),
        (
            Method::POST,
            "/send",
            Some(Scope::MessagesSend),
            Some(
                json!({"to": OTHER_PHONE, "type": "text", "text": "Hi", "channel": "sms",
                         "kind": "transactional"})
                .into(),
            ),
        ),
        (
            Method::POST,
            "/campaigns",
            Some(Scope::CampaignsWrite),
            Some(json!({"id": "from-the-table", "channel": "sms", "text": "Hi {name}"}).into()),
        ),
        (Method::GET, "/campaigns", Some(Scope::MessagesRead), None),
        (Method::GET, "/templates", Some(Scope::MessagesRead), None),
        (
            Method::GET,
            "/quick-replies",
            Some(Scope::MessagesRead),
            None,
        ),
        (
            Method::GET,
            "/campaigns/{id}",
            Some(Scope::MessagesRead),
            None,
        ),
        (
            Method::POST,
            "/campaigns/{id}/pause",
            Some(Scope::CampaignsWrite),
            None,
        ),
        (
            Method::POST,
            "/campaigns/{id}/resume",
            Some(Scope::CampaignsWrite),
            None,
        ),
        (
            Method::POST,
            "/campaigns/{id}/cancel",
            Some(Scope::CampaignsWrite),
            None,
        ),
        (
            Method::POST,
            "/webhooks",
            Some(Scope::Admin),
            Some(
                json!({"url": "https://hooks.example.com/in", "events": ["message.received"]})
                    .into(),
            ),
        ),
        (Method::GET, "/webhooks", Some(Scope::Admin), None),
        (Method::GET, "/events", Some(Scope::MessagesRead), None),
        (Method::DELETE, "/webhooks/{id}", Some(Scope::Admin), None),
        (
            Method::POST,
            "/webhooks/{id}/enable",
            Some(Scope::Admin),
            None,
        ),
        (
            Method::POST,
            "/media",
            Some(Scope::MessagesSend),
            file("image.jpg"),
        ),
        (Method::GET, "/media/{id}", Some(Scope::MessagesRead), None),
    ]
}

/// A path of the table with its `{id}`: tenant A's contact's, campaign's,
/// webhook endpoint's, file's or conversation's.
fn with_id(path: &str, a: &TenantA) -> String {
    let id = if path.starts_with("/contacts/") {
        &a.contact
    } else if path.starts_with("/campaigns/") {
        A_CAMPAIGN
    } else if path.starts_with("/webhooks/") {
        &a.webhook
    } else if path.starts_with("/media/") {
        &a.media
    } else {
        &a.conversation
    };
    path.replace("{id}", id)
}

/// The document's operations, as `(METHOD, path)`.
fn documented() -> Vec<(String, String)> {
    let document = serde_json::to_value(msgcore::api::openapi()).unwrap();
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            found.push((method.to_uppercase(), path.clone()));
        }
    }
    found.sort();
    found
}

#[test]
fn the_table_below_covers_every_route_of_the_openapi_document() {
    let mut listed: Vec<(String, String)> = operations()
        .into_iter()
        .map(|(method, path, _, _)| (method.to_string(), path.to_owned()))
        .collect();
    listed.sort();
    assert_eq!(listed, documented(), "add the new route to operations()");
}

/// A world whose rate limit leaves room for walking every route with
/// every kind of key from one address (tests/api/limits.rs tests the limit).
async fn walker() -> World {
    let roomy = Quota::new(10_000, TimeDelta::minutes(1)).unwrap();
    World::with(ApiConfig::default().rate_limit(roomy)).await
}

/// Tenant A's contact, the conversation a message to it started, its
/// webhook endpoint and its file.
struct TenantA {
    contact: String,
    conversation: String,
    webhook: String,
    secret: String,
    media: String,
}

/// Tenant A with one contact, opted in to SMS, one message sent to it, a
/// campaign, a webhook endpoint and a file.
async fn tenant_a(w: &World) -> TenantA {
    let key = w
        .key(
            &w.a,
            &[
                Scope::ContactsWrite,
                Scope::MessagesSend,
                Scope::CampaignsWrite,
            ],
        )
        .await;
    let body = json!({"phone": A_PHONE, "name": A_NAME, "tags": ["vip"], "smsOptedIn": true});
    let created = w
        .call(Method::POST, "/contacts", Some(&key), Some(body))
        .await;
    assert_eq!(created.status.as_u16(), 201, "{created:?}");
    let message = json!({"to": A_PHONE, "type": "text", "text": A_TEXT, "channel": "sms",
                         "kind": "transactional"});
    let sent = w
        .call(Method::POST, "/send", Some(&key), Some(message))
        .await;
    assert_eq!(sent.status.as_u16(), 201, "{sent:?}");
    let campaign = json!({"id": A_CAMPAIGN, "channel": "sms", "text": A_TEXT,
                          "start_at": "2030-01-01T00:00:00Z"});
    let started = w
        .call(Method::POST, "/campaigns", Some(&key), Some(campaign))
        .await;
    assert_eq!(started.status.as_u16(), 201, "{started:?}");
    let admin = w.key(&w.a, &[Scope::Admin]).await;
    let endpoint = json!({"url": A_WEBHOOK, "description": A_NAME});
    let registered = w
        .call(Method::POST, "/webhooks", Some(&admin), Some(endpoint))
        .await;
    assert_eq!(registered.status.as_u16(), 201, "{registered:?}");
    let scan = Payload::File(sample("document.pdf"), Some(A_FILE.to_owned()));
    let uploaded = w
        .call_with(Method::POST, "/media", Some(&key), Some(scan))
        .await;
    assert_eq!(uploaded.status.as_u16(), 201, "{uploaded:?}");
    TenantA {
        webhook: registered.body["id"].as_str().unwrap().to_owned(),
        secret: registered.body["secret"].as_str().unwrap().to_owned(),
        media: uploaded.body["id"].as_str().unwrap().to_owned(),
        contact: created.body["id"].as_str().unwrap().to_owned(),
        conversation: sent.body["message"]["conversationId"]
            .as_str()
            .unwrap()
            .to_owned(),
    }
}

/// Tenant A's records, read with an admin key: its contact's name, its
/// conversation's messages' texts, its campaign's status and its webhook
/// endpoints.
async fn a_as_stored(w: &World, a: &TenantA) -> (Value, Vec<Value>, Value, Value) {
    let key = w.key(&w.a, &[Scope::Admin]).await;
    let contact = w.get(&format!("/contacts/{}", a.contact), &key).await;
    let chat = w.get(&format!("/chats/{}", a.conversation), &key).await;
    let texts = chat.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].clone())
        .collect();
    let campaign = w.get(&format!("/campaigns/{A_CAMPAIGN}"), &key).await;
    assert_eq!(campaign.status.as_u16(), 200, "{campaign:?}");
    let webhooks = w.get("/webhooks", &key).await;
    (
        contact.body["name"].clone(),
        texts,
        campaign.body["status"].clone(),
        webhooks.body,
    )
}

/// Asserts the answer shows nothing of tenant A's contact.
fn shows_nothing_of_a(answer: &crate::harness::Answer, a: &TenantA) {
    let text = answer.body.to_string();
    // An unknown id is echoed to the caller who sent it: nothing they did
    // not know.
    let text = text.replace(&format!("no campaign {A_CAMPAIGN}"), "no campaign");
    assert!(
        !text.contains(A_PHONE)
            && !text.contains(A_NAME)
            && !text.contains(A_WEBHOOK)
            && !text.contains(&a.secret)
            && !text.contains(A_TEXT)
            && !text.contains(A_CAMPAIGN)
            && !text.contains(A_FILE),
        "{text}"
    );
}

#[tokio::test]
async fn every_route_refuses_no_key_a_wrong_key_and_a_revoked_or_expired_key_with_401() {
    let w = walker().await;
    let a = tenant_a(&w).await;
    let before = a_as_stored(&w, &a).await;
    let good = w.key(&w.a, &[Scope::Admin]).await;
    let wrong = format!("{}x", &good[..good.len() - 1]);
    let revoked = w.key(&w.a, &[Scope::Admin]).await;
    let revoked_id = w.keys.list(w.a.id).await.unwrap().last().unwrap().id;
    w.keys.revoke(w.a.id, revoked_id).await.unwrap();
    let mut expiring = msgcore::service::NewApiKey::new("soon", [Scope::Admin].into());
    expiring.expires_at = Some(crate::harness::t0() + TimeDelta::minutes(1));
    let expired = w.keys.create(w.a.id, expiring).await.unwrap();
    w.clock.advance(TimeDelta::minutes(1));

    let keys: [(&str, Option<&str>); 5] = [
        ("no key", None),
        ("not a key", Some("nonsense")),
        ("a wrong secret", Some(&wrong)),
        ("a revoked key", Some(&revoked)),
        ("an expired key", Some(expired.token())),
    ];
    for (method, path, _, body) in operations() {
        let path = with_id(path, &a);
        for (what, key) in keys {
            let answer = w.call_with(method.clone(), &path, key, body.clone()).await;
            refused(&answer, 401);
            shows_nothing_of_a(&answer, &a);
            assert!(
                !answer.body.to_string().contains("msgcore_"),
                "{what}: {answer:?}"
            );
        }
    }
    assert_eq!(
        a_as_stored(&w, &a).await,
        before,
        "a refused request changed tenant A's records"
    );
}

#[tokio::test]
async fn a_key_without_the_routes_scope_is_refused_with_403_on_every_route() {
    let w = walker().await;
    let a = tenant_a(&w).await;
    let before = a_as_stored(&w, &a).await;
    for (method, path, needed, body) in operations() {
        let Some(needed) = needed else { continue };
        let others: Vec<Scope> = Scope::ALL
            .into_iter()
            .filter(|s| *s != needed && *s != Scope::Admin)
            .collect();
        let key = w.key(&w.a, &others).await;
        let path = with_id(path, &a);
        let answer = w
            .call_with(method.clone(), &path, Some(&key), body.clone())
            .await;
        refused(&answer, 403);
        assert_eq!(
            answer.body["error"],
            format!("this API key lacks the scope {needed}")
        );
        shows_nothing_of_a(&answer, &a);
    }
    assert_eq!(a_as_stored(&w, &a).await, before);
}

#[tokio::test]
async fn another_tenants_key_never_reads_or_changes_a_record_of_a() {
    let w = walker().await;
    let a = tenant_a(&w).await;
    let before = a_as_stored(&w, &a).await;
    let b = w.key(&w.b, &[Scope::Admin]).await;
    for (method, path, _, body) in operations() {
        let by_id = path.contains("{id}");
        let answer = w
            .call_with(method.clone(), &with_id(path, &a), Some(&b), body)
            .await;
        shows_nothing_of_a(&answer, &a);
        if by_id {
            refused(&answer, 404);
        } else {
            assert!(answer.status.is_success(), "{method} {path}: {answer:?}");
        }
    }
    assert_eq!(a_as_stored(&w, &a).await, before);
    let listed = w.get("/contacts", &b).await;
    let phones: Vec<&str> = listed.body["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["phone"].as_str().unwrap())
        .collect();
    assert_eq!(
        phones,
        [OTHER_PHONE, IMPORTED_PHONE],
        "B lists only the contacts B made"
    );
    let chats = w.get("/chats", &b).await;
    let chats = chats.body["chats"].as_array().unwrap();
    assert_eq!(chats.len(), 1, "B lists only the conversation B started");
    assert_eq!(chats[0]["contactPhone"], OTHER_PHONE);
}

#[tokio::test]
async fn a_caller_without_a_key_is_refused_before_its_body_or_id_is_read() {
    let w = walker().await;
    for (method, path, _, body) in operations() {
        let mut request = Request::builder()
            .method(method.clone())
            .uri(path.replace("{id}", "not-an-id"));
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let answer = w
            .send(request.body(Body::from("{\"to\": nonsense")).unwrap())
            .await;
        refused(&answer, 401);
    }
}
