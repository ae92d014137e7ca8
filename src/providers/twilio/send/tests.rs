//! Request shapes follow Twilio's "Create a Message resource" reference
//! (twilio.com/docs/messaging/api/message-resource) and error codes its error
//! dictionary (twilio.com/docs/api/errors).

use chrono::DateTime;

use super::*;
use crate::model::{MessageId, TenantId};
use crate::providers::answer_fixture::{RETRY_AFTER_SECONDS, answer as response};

fn api() -> MessagesApi {
    MessagesApi::new(
        TwilioCredentials::new("AC123", "secret"),
        Sender::Number("+14155238886".parse().unwrap()),
    )
}

fn item(channel: Channel, content: Content) -> OutboxItem {
    OutboxItem::pending(
        MessageId::from_uuid(uuid::Uuid::nil()),
        TenantId::from_uuid(uuid::Uuid::nil()),
        channel,
        "+14155550100".parse().unwrap(),
        None,
        content,
        DateTime::UNIX_EPOCH,
    )
}

fn form(request: &HttpRequest) -> Vec<(String, String)> {
    form_urlencoded::parse(&request.body).into_owned().collect()
}

fn raw(json: serde_json::Value) -> Content {
    serde_json::from_value::<crate::core::message::RawContent>(json)
        .unwrap()
        .validate()
        .unwrap()
}

#[test]
fn an_sms_is_a_form_post_with_basic_auth_to_the_accounts_messages() {
    let api = api()
        .with_status_callback("https://example.com/twilio/demo/status")
        .with_base_url("http://127.0.0.1:9/");
    let request = api
        .request(&item(Channel::Sms, Content::text("Hi & bye").unwrap()))
        .unwrap();
    assert_eq!(request.method, Method::Post);
    assert_eq!(
        request.url,
        "http://127.0.0.1:9/2010-04-01/Accounts/AC123/Messages.json"
    );
    assert_eq!(
        request.header("authorization"),
        Some("Basic QUMxMjM6c2VjcmV0")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let fields = form(&request);
    let expected = [
        ("To", "+14155550100"),
        ("From", "+14155238886"),
        ("Body", "Hi & bye"),
        ("StatusCallback", "https://example.com/twilio/demo/status"),
    ];
    assert_eq!(fields, expected.map(|(k, v)| (k.to_owned(), v.to_owned())));
}

#[test]
fn a_messaging_service_replaces_from_and_whatsapp_addresses_are_prefixed() {
    let api = MessagesApi::new(
        TwilioCredentials::new("AC1", "t"),
        Sender::MessagingService("MG9".into()),
    );
    let fields = form(
        &api.request(&item(Channel::WhatsApp, Content::text("hola").unwrap()))
            .unwrap(),
    );
    assert_eq!(fields[0], ("To".into(), "whatsapp:+14155550100".into()));
    assert_eq!(fields[1], ("MessagingServiceSid".into(), "MG9".into()));
}

#[test]
fn media_goes_by_url_with_its_caption_and_a_media_id_is_refused() {
    let image = raw(
        serde_json::json!({"type": "image", "media_url": "https://example.com/a.jpg", "caption": "Your receipt"}),
    );
    let fields = form(&api().request(&item(Channel::Sms, image)).unwrap());
    assert!(fields.contains(&("MediaUrl".into(), "https://example.com/a.jpg".into())));
    assert!(fields.contains(&("Body".into(), "Your receipt".into())));
    let by_id = raw(serde_json::json!({"type": "image", "media_id": "1234"}));
    let error = api().request(&item(Channel::WhatsApp, by_id)).unwrap_err();
    assert!(!error.is_transient());
}

#[test]
fn a_whatsapp_template_goes_by_content_sid_with_its_body_variables() {
    let template = raw(serde_json::json!({
        "type": "template", "template_name": "hxb5b62575e6e4ff6129ad7c8efe1f983e", "language": "en_US",
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Maria"}, {"type": "text", "text": "#1042"}]}]
    }));
    let fields = form(&api().request(&item(Channel::WhatsApp, template)).unwrap());
    assert!(fields.contains(&(
        "ContentSid".into(),
        "HXb5b62575e6e4ff6129ad7c8efe1f983e".into()
    )));
    assert!(fields.contains(&(
        "ContentVariables".into(),
        r##"{"1":"Maria","2":"#1042"}"##.into()
    )));
}

#[test]
fn an_accepted_message_answers_with_its_sid() {
    let body = r#"{"sid": "SM5f1c", "status": "queued", "to": "+14155550100"}"#;
    assert_eq!(api().read(&response(201, body)), Ok("SM5f1c".to_owned()));
}

#[test]
fn documented_refusals_are_classified() {
    let refusal = |status: u16, code: i64| {
        let body = format!(r#"{{"code": {code}, "message": "m", "status": {status}}}"#);
        api().read(&response(status, &body)).unwrap_err()
    };
    for code in [20003, 21211, 21212, 21606, 63016] {
        let error = refusal(400, code);
        assert!(!error.is_transient() && !error.is_opted_out(), "{code}");
        assert_eq!(error.code, Some(code.to_string()));
    }
    let opted_out = refusal(400, 21610);
    assert!(opted_out.is_opted_out() && !opted_out.is_transient());
    let limited = refusal(429, 20429);
    assert!(limited.is_transient());
    assert_eq!(
        limited.retry_after(),
        Some(chrono::TimeDelta::seconds(RETRY_AFTER_SECONDS))
    );
    let outage = api().read(&response(503, "upstream down")).unwrap_err();
    assert!(outage.is_transient());
    assert_eq!(outage.code.as_deref(), Some("http_503"));
}
