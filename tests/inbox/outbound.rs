use chrono::{DateTime, TimeDelta, Utc};
use msgcore::ErrorKind;
use msgcore::core::channel::Channel;
use msgcore::core::message::{Content, RawContent};
use msgcore::core::quiet_hours::SendKind;
use msgcore::engine::SendRequest;
use msgcore::model::OutboxState;
use msgcore::store::Store;

use crate::harness::*;

fn template() -> Content {
    let raw: RawContent = serde_json::from_str(
        r#"{"type": "template", "template_name": "order_update", "language": "en_US"}"#,
    )
    .unwrap();
    raw.validate().unwrap()
}

#[tokio::test]
async fn an_agent_reply_is_queued_in_the_outbox_with_the_tenants_number() {
    let h = Harness::new().await;
    let inbound = h.text_in(Channel::Sms, "hi").await;
    let sent = h
        .send(Channel::Sms, "Hello! How can we help?")
        .await
        .unwrap();
    assert_eq!(sent.message.conversation, inbound.conversation);
    let item = h
        .store
        .outbox_item(h.tenant.id, sent.message.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.state, OutboxState::Pending);
    assert_eq!(item.from, Some(e164(SMS_NUMBER)));
    assert_eq!(item.to, e164(CONTACT));
    assert_eq!(item.idempotency_key, sent.message.id.to_string());
}

#[tokio::test]
async fn a_send_to_a_number_never_seen_is_unknown_contact() {
    let h = Harness::new().await;
    let error = h.send(Channel::Sms, "hi").await.unwrap_err();
    assert_eq!(
        (error.kind(), error.http_status()),
        (ErrorKind::UnknownContact, 404)
    );
}

#[tokio::test]
async fn whatsapp_free_text_is_refused_after_24_hours_and_a_template_still_goes() {
    let h = Harness::new().await;
    h.text_in(Channel::WhatsApp, "hi").await;
    h.advance(TimeDelta::hours(23));
    assert!(h.send(Channel::WhatsApp, "inside the window").await.is_ok());
    h.advance(TimeDelta::hours(1));
    let refused = h.send(Channel::WhatsApp, "too late").await.unwrap_err();
    assert_eq!(
        (refused.kind(), refused.http_status()),
        (ErrorKind::OutsideWindow, 403)
    );
    let request = SendRequest::reply(h.tenant.id, e164(CONTACT), Channel::WhatsApp, template());
    assert!(h.inbox.send(&request).await.is_ok());
}

#[tokio::test]
async fn a_template_cannot_go_by_sms() {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "hi").await;
    let request = SendRequest::reply(h.tenant.id, e164(CONTACT), Channel::Sms, template());
    assert_eq!(
        h.inbox.send(&request).await.unwrap_err().kind(),
        ErrorKind::InvalidContent
    );
}

#[tokio::test]
async fn the_21st_send_to_one_recipient_within_an_hour_is_rate_limited_with_retry_after() {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "hi").await;
    for i in 0..20 {
        assert!(
            h.send(Channel::Sms, &format!("message {i}")).await.is_ok(),
            "send {i}"
        );
    }
    let limited = h.send(Channel::Sms, "one too many").await.unwrap_err();
    assert_eq!(limited.kind(), ErrorKind::RateLimited);
    assert_eq!(limited.retry_after(), Some(TimeDelta::minutes(3)));
    h.advance(TimeDelta::minutes(3));
    assert!(h.send(Channel::Sms, "after waiting").await.is_ok());
}

#[tokio::test]
async fn a_marketing_send_outside_the_recipients_hours_is_held_and_a_reply_is_not() {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "hi").await;
    // 22:00 in San Francisco.
    h.clock
        .set("2026-03-03T06:00:00Z".parse::<DateTime<Utc>>().unwrap());
    let mut request = SendRequest::reply(
        h.tenant.id,
        e164(CONTACT),
        Channel::Sms,
        Content::text("Sale!").unwrap(),
    );
    request.kind = SendKind::Marketing;
    let held = h.inbox.send(&request).await.unwrap_err();
    assert_eq!(held.kind(), ErrorKind::QuietHours);
    assert_eq!(
        held.retry_at(),
        Some("2026-03-03T16:00:00Z".parse().unwrap())
    );
    assert!(
        h.send(Channel::Sms, "Replying to your question")
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn an_sms_over_1600_characters_is_refused_by_the_segment_cap() {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "hi").await;
    let long = "a".repeat(1_601);
    assert_eq!(
        h.send(Channel::Sms, &long).await.unwrap_err().kind(),
        ErrorKind::MessageTooLong
    );
}

#[tokio::test]
async fn a_refused_send_uses_up_nothing_and_writes_nothing() {
    let h = Harness::new().await;
    h.text_in(Channel::WhatsApp, "hi").await;
    h.advance(TimeDelta::days(2));
    let before = h.contact().await;
    assert!(h.send(Channel::WhatsApp, "late").await.is_err());
    assert_eq!(
        h.contact().await,
        before,
        "the window gate comes before the rate limit"
    );
}

#[tokio::test]
async fn the_same_client_id_queues_one_message() {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "hi").await;
    let mut request = SendRequest::reply(
        h.tenant.id,
        e164(CONTACT),
        Channel::Sms,
        Content::text("once").unwrap(),
    );
    request.client_id = Some("req-42".into());
    let first = h.inbox.send(&request).await.unwrap();
    let again = h.inbox.send(&request).await.unwrap();
    assert!(!first.duplicate && again.duplicate);
    assert_eq!(again.message.id, first.message.id);
}

#[tokio::test]
async fn a_reply_to_one_of_the_contacts_messages_is_threaded_to_it_and_to_anothers_is_not_found() {
    let h = Harness::new().await;
    let question = h.text_in(Channel::WhatsApp, "Is 9 am free?").await;
    let mut request = msgcore::engine::SendRequest::reply(
        h.tenant.id,
        e164(CONTACT),
        Channel::WhatsApp,
        Content::text("Yes, 9 am is yours").unwrap(),
    );
    request.reply_to = Some(question.message);
    let sent = h.inbox.send(&request).await.unwrap();
    let item = h
        .store
        .outbox_item(h.tenant.id, sent.message.id)
        .await
        .unwrap()
        .unwrap();
    let asked = h
        .store
        .message(h.tenant.id, question.message)
        .await
        .unwrap()
        .unwrap();
    let answered = item.reply_to.unwrap();
    assert_eq!(Some(answered.message_id), asked.provider_message_id);

    let stranger = h
        .inbox
        .handle_inbound(&h.message(Channel::Sms, "+14155550177", "hi"))
        .await
        .unwrap();
    request.reply_to = Some(stranger.message);
    request.client_id = Some("another".into());
    let refused = h.inbox.send(&request).await.unwrap_err();
    assert_eq!(
        refused.kind(),
        ErrorKind::UnknownMessage,
        "another contact's message is not this thread's"
    );
}
