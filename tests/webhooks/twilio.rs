//! Twilio: messages and status callbacks, signature first.

use axum::http::StatusCode;
use msgcore::core::channel::Channel;
use msgcore::core::delivery::DeliveryStatus;
use msgcore::model::ProviderName;
use msgcore::providers::twilio::RequestValidator;

use crate::harness::*;

/// What the TwiML builder writes for a response without verbs.
const EMPTY_TWIML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

#[tokio::test]
async fn an_sms_is_stored_and_answered_with_empty_twiml() {
    let hooks = Hooks::new().await;
    let params = twilio_message("SM1", Channel::Sms, "Where is my order?");
    let answer = hooks.call(twilio_post("/twilio/demo/sms", &params)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.content_type.as_deref(),
        Some("text/xml; charset=utf-8")
    );
    assert_eq!(answer.body, EMPTY_TWIML);
    let stored = hooks.message(ProviderName::TWILIO, "SM1").await.unwrap();
    assert_eq!(stored.channel, Channel::Sms);
    assert_eq!(stored.text(), Some("Where is my order?"));
    assert!(
        hooks
            .contact()
            .await
            .unwrap()
            .consent
            .state()
            .allows(Channel::Sms)
    );
}

#[tokio::test]
async fn a_whatsapp_message_is_stored_on_the_whatsapp_channel() {
    let hooks = Hooks::new().await;
    let params = twilio_message("SM2", Channel::WhatsApp, "Hola");
    let answer = hooks
        .call(twilio_post("/twilio/demo/whatsapp", &params))
        .await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, EMPTY_TWIML)
    );
    let stored = hooks.message(ProviderName::TWILIO, "SM2").await.unwrap();
    assert_eq!(stored.channel, Channel::WhatsApp);
    assert_eq!(stored.text(), Some("Hola"));
}

#[tokio::test]
async fn a_retried_webhook_is_acknowledged_again_and_stored_once() {
    let hooks = Hooks::new().await;
    let params = twilio_message("SM3", Channel::Sms, "hi");
    for _ in 0..2 {
        let answer = hooks.call(twilio_post("/twilio/demo/sms", &params)).await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    let timeline = hooks
        .store
        .timeline(hooks.tenant.id, hooks.contact().await.unwrap().id, 10)
        .await
        .unwrap();
    assert_eq!(timeline.len(), 1);
}

#[tokio::test]
async fn stop_over_the_webhook_opts_the_contact_out() {
    let hooks = Hooks::new().await;
    let hello = twilio_message("SM4", Channel::Sms, "hello");
    hooks.call(twilio_post("/twilio/demo/sms", &hello)).await;
    let stop = twilio_message("SM5", Channel::Sms, "STOP");
    let answer = hooks.call(twilio_post("/twilio/demo/sms", &stop)).await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, EMPTY_TWIML)
    );
    let consent = hooks.contact().await.unwrap().consent;
    assert!(!consent.state().allows(Channel::Sms));
}

#[tokio::test]
async fn a_wrong_signature_is_forbidden_and_nothing_is_stored() {
    let hooks = Hooks::new().await;
    let params = twilio_message("SM6", Channel::Sms, "hi");
    let forged = RequestValidator::new("not-the-token")
        .unwrap()
        .compute_signature(&format!("{BASE}/twilio/demo/sms"), params.iter().copied());
    let request = twilio_request("/api/twilio/demo/sms", &params, Some(&forged));
    let answer = hooks.call(request).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(
        answer.body,
        "the X-Twilio-Signature header does not match the request"
    );
    assert!(hooks.contact().await.is_none());
    assert!(hooks.message(ProviderName::TWILIO, "SM6").await.is_none());
}

#[tokio::test]
async fn a_missing_signature_is_unauthorized_and_nothing_is_stored() {
    let hooks = Hooks::new().await;
    let params = twilio_message("SM7", Channel::Sms, "hi");
    let answer = hooks
        .call(twilio_request("/api/twilio/demo/sms", &params, None))
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(hooks.contact().await.is_none());
}

#[tokio::test]
async fn a_signature_over_the_public_url_verifies_when_the_proxy_changed_the_host() {
    let hooks = Hooks::new().await;
    let params = twilio_message("SM8", Channel::Sms, "via the proxy");
    let path = "/twilio/demo/sms?source=console";
    let signature = RequestValidator::new(TWILIO_TOKEN)
        .unwrap()
        .compute_signature(&format!("{BASE}{path}"), params.iter().copied());
    let mut request = twilio_request(
        &format!("http://10.0.0.5:8080/api{path}"),
        &params,
        Some(&signature),
    );
    request
        .headers_mut()
        .insert("host", "10.0.0.5:8080".parse().unwrap());
    let answer = hooks.call(request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(hooks.message(ProviderName::TWILIO, "SM8").await.is_some());
}

#[tokio::test]
async fn a_signature_over_the_internal_url_is_refused() {
    let hooks = Hooks::new().await;
    let params = twilio_message("SM9", Channel::Sms, "hi");
    let internal = RequestValidator::new(TWILIO_TOKEN)
        .unwrap()
        .compute_signature(
            "http://10.0.0.5:8080/api/twilio/demo/sms",
            params.iter().copied(),
        );
    let request = twilio_request(
        "http://10.0.0.5:8080/api/twilio/demo/sms",
        &params,
        Some(&internal),
    );
    assert_eq!(hooks.call(request).await.status, StatusCode::FORBIDDEN);
}

/// A reply to the contact, sent through Twilio.
async fn sent_message_sid(hooks: &Hooks) -> String {
    let hello = twilio_message("SM10", Channel::Sms, "hello");
    hooks.call(twilio_post("/twilio/demo/sms", &hello)).await;
    hooks.reply_sent_through(ProviderName::TWILIO).await
}

#[tokio::test]
async fn a_status_callback_moves_the_messages_delivery_status() {
    let hooks = Hooks::new().await;
    let sid = sent_message_sid(&hooks).await;
    let params = [("MessageSid", sid.as_str()), ("MessageStatus", "delivered")];
    let answer = hooks
        .call(twilio_post("/twilio/demo/status", &params))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let record = hooks.message(ProviderName::TWILIO, &sid).await.unwrap();
    assert_eq!(record.delivery.status(), Some(DeliveryStatus::Delivered));
}

#[tokio::test]
async fn a_carrier_opt_out_in_a_status_callback_withdraws_consent() {
    let hooks = Hooks::new().await;
    let sid = sent_message_sid(&hooks).await;
    let params = [
        ("MessageSid", sid.as_str()),
        ("MessageStatus", "failed"),
        ("ErrorCode", "21610"),
    ];
    let answer = hooks
        .call(twilio_post("/twilio/demo/status", &params))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let consent = hooks.contact().await.unwrap().consent;
    assert!(!consent.state().allows(Channel::Sms));
}

#[tokio::test]
async fn a_status_callback_without_a_status_is_a_bad_request_naming_the_field() {
    let hooks = Hooks::new().await;
    let answer = hooks
        .call(twilio_post("/twilio/demo/status", &[("MessageSid", "SM1")]))
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.body.contains("MessageStatus"), "{}", answer.body);
}

#[tokio::test]
async fn an_unknown_tenant_is_not_found() {
    let hooks = Hooks::new().await;
    let params = twilio_message("SM11", Channel::Sms, "hi");
    let answer = hooks.call(twilio_post("/twilio/nobody/sms", &params)).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(hooks.message(ProviderName::TWILIO, "SM11").await.is_none());
}
