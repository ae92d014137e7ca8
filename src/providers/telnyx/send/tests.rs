//! Request and answer shapes follow Telnyx's "Send a message" API reference
//! (developers.telnyx.com/api/messaging/send-message) and its error objects
//! (`errors[]` with `code`, `title`, `detail`).

use chrono::DateTime;

use super::*;
use crate::model::{MessageId, TenantId};

fn item(channel: Channel, content: Content) -> OutboxItem {
    OutboxItem::pending(
        MessageId::from_uuid(uuid::Uuid::nil()),
        TenantId::from_uuid(uuid::Uuid::nil()),
        channel,
        "+13125550100".parse().unwrap(),
        None,
        content,
        DateTime::UNIX_EPOCH,
    )
}

fn json(request: &HttpRequest) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap()
}

fn response(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("retry-after".into(), "3".into())],
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn an_sms_is_json_with_a_bearer_key_and_the_webhook_url() {
    let api = MessagesApi::new("KEY", Sender::Number("+13125550199".parse().unwrap()))
        .with_webhook_url("https://example.com/telnyx/demo")
        .with_base_url("http://127.0.0.1:9");
    let request = api
        .request(&item(Channel::Sms, Content::text("Hi").unwrap()))
        .unwrap();
    assert_eq!(
        (request.method, request.url.as_str()),
        (Method::Post, "http://127.0.0.1:9/v2/messages")
    );
    assert_eq!(request.header("authorization"), Some("Bearer KEY"));
    assert_eq!(
        json(&request),
        serde_json::json!({"from": "+13125550199", "to": "+13125550100", "text": "Hi", "webhook_url": "https://example.com/telnyx/demo"})
    );
}

#[test]
fn a_messaging_profile_sends_mms_media_by_url() {
    let api = MessagesApi::new("KEY", Sender::MessagingProfile("740572b6".into()));
    let image: crate::core::message::RawContent =
        serde_json::from_value(serde_json::json!({"type": "image", "media_url": "https://example.com/a.jpg", "caption": "Receipt"})).unwrap();
    let request = api
        .request(&item(Channel::Sms, image.validate().unwrap()))
        .unwrap();
    assert_eq!(
        json(&request),
        serde_json::json!({"messaging_profile_id": "740572b6", "to": "+13125550100", "text": "Receipt", "media_urls": ["https://example.com/a.jpg"]})
    );
}

#[test]
fn whatsapp_is_refused_permanently() {
    let api = MessagesApi::new("KEY", Sender::Number("+13125550199".parse().unwrap()));
    let error = api
        .request(&item(Channel::WhatsApp, Content::text("Hi").unwrap()))
        .unwrap_err();
    assert!(!error.is_transient());
}

#[test]
fn answers_give_the_message_id_or_a_classified_refusal() {
    let api = MessagesApi::new("KEY", Sender::Number("+13125550199".parse().unwrap()));
    let ok =
        r#"{"data": {"id": "40385f64-5717-4562-b3fc-2c963f66afa6", "record_type": "message"}}"#;
    assert_eq!(
        api.read(&response(200, ok)),
        Ok("40385f64-5717-4562-b3fc-2c963f66afa6".to_owned())
    );
    let stop = r#"{"errors": [{"code": "40300", "title": "Blocked due to STOP message", "detail": "The recipient replied STOP."}]}"#;
    let opted_out = api.read(&response(400, stop)).unwrap_err();
    assert!(opted_out.is_opted_out() && !opted_out.is_transient());
    assert_eq!(opted_out.code.as_deref(), Some("40300"));
    let auth = r#"{"errors": [{"code": "10009", "title": "Authentication failed"}]}"#;
    let unauthorized = api.read(&response(401, auth)).unwrap_err();
    assert!(!unauthorized.is_transient() && !unauthorized.is_opted_out());
    let limited = api
        .read(&response(
            429,
            r#"{"errors": [{"code": 10011, "title": "Too many requests"}]}"#,
        ))
        .unwrap_err();
    assert!(limited.is_transient());
    assert_eq!(limited.retry_after(), Some(chrono::TimeDelta::seconds(3)));
    assert_eq!(limited.code.as_deref(), Some("10011"));
    assert!(
        api.read(&response(502, "bad gateway"))
            .unwrap_err()
            .is_transient()
    );
}
