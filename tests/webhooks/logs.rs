//! What the router writes to the log: a line per webhook naming its tenant and
//! provider message id, refusals with their reason; never a secret, never a body.

use axum::http::StatusCode;
use msgcore::core::channel::Channel;

use crate::harness::*;
use crate::log_capture::capture;

const PRIVATE_TEXT: &str = "my card number is 4111 1111 1111 1111";

#[tokio::test]
async fn a_stored_webhook_is_logged_with_its_tenant_and_message_id_and_without_its_body() {
    let hooks = Hooks::new().await;
    let (log, _guard) = capture();
    let params = twilio_message("SM0123456789abcdef", Channel::Sms, PRIVATE_TEXT);
    let answer = hooks.call(twilio_post("/twilio/demo/sms", &params)).await;
    assert_eq!(answer.status, StatusCode::OK);

    let text = log.text();
    let stored = text
        .lines()
        .find(|line| line.contains("message stored"))
        .unwrap_or_else(|| panic!("no line for the stored message in:\n{text}"));
    assert!(stored.contains("tenant=slug demo"), "{stored}");
    assert!(stored.contains("message_id=SM0123456789abcdef"), "{stored}");
    assert!(stored.contains("provider=twilio"), "{stored}");
    assert!(
        !text.contains(PRIVATE_TEXT),
        "the body is never logged:\n{text}"
    );
    assert!(!text.contains("4111"), "{text}");
    assert!(!text.contains(CONTACT), "nor the contact's number:\n{text}");
}

#[tokio::test]
async fn a_refused_webhook_is_logged_with_its_status_and_reason_and_without_the_secret() {
    let hooks = Hooks::new().await;
    let (log, _guard) = capture();
    let params = twilio_message("SM1", Channel::Sms, PRIVATE_TEXT);
    let forged = twilio_request("/api/twilio/demo/sms", &params, Some("d3Jvbmc="));
    assert_eq!(hooks.call(forged).await.status, StatusCode::FORBIDDEN);

    let text = log.text();
    let refused = text
        .lines()
        .find(|line| line.contains("webhook refused"))
        .unwrap_or_else(|| panic!("no line for the refusal in:\n{text}"));
    assert!(refused.contains("status=403"), "{refused}");
    assert!(refused.contains("WARN"), "{refused}");
    assert!(!text.contains(TWILIO_TOKEN), "{text}");
    assert!(!text.contains(PRIVATE_TEXT), "{text}");
}
