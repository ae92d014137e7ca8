//! Meta: the subscription handshake and signed POSTs routed by phone number.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use msgcore::core::channel::Channel;
use msgcore::core::delivery::DeliveryStatus;
use msgcore::model::ProviderName;
use msgcore::model::TenantRef;

use crate::harness::*;

fn handshake(token: &str) -> Request<Body> {
    let uri =
        format!("/api/meta?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444");
    Request::get(uri).body(Body::empty()).unwrap()
}

/// One text message from [`CONTACT`] to the display number `display`.
fn text_message(id: &str, display: &str, text: &str) -> String {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398",
        "changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp",
        "metadata":{{"display_phone_number":"{display}","phone_number_id":"106540352242922"}},
        "contacts":[{{"profile":{{"name":"Maria"}},"wa_id":"14155550100"}}],
        "messages":[{{"from":"14155550100","id":"{id}","timestamp":"1772474400",
        "type":"text","text":{{"body":"{text}"}}}}]}}}}]}}]}}"#
    )
}

#[tokio::test]
async fn the_handshake_answers_the_challenge_as_plain_text() {
    let hooks = Hooks::new().await;
    let answer = hooks.call(handshake(META_VERIFY_TOKEN)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.content_type.as_deref(),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(answer.body, "1158201444");
}

#[tokio::test]
async fn the_handshake_with_a_wrong_token_is_forbidden() {
    let hooks = Hooks::new().await;
    let answer = hooks.call(handshake("guess")).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(!answer.body.contains("1158201444"));
}

#[tokio::test]
async fn a_signed_post_is_stored_for_the_tenant_owning_the_display_number() {
    let hooks = Hooks::new().await;
    let body = text_message("wamid.1", "14155550198", "Does it come in blue?");
    let answer = hooks.call(meta_post(&body, META_SECRET)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let stored = hooks.message(ProviderName::META, "wamid.1").await.unwrap();
    assert_eq!(stored.channel, Channel::WhatsApp);
    assert_eq!(stored.text(), Some("Does it come in blue?"));
}

#[tokio::test]
async fn a_configured_phone_number_id_picks_the_tenant_over_the_display_number() {
    let config = full_config().meta_number("106540352242922", TenantRef::Slug("demo".into()));
    let hooks = Hooks::with(config).await;
    let body = text_message("wamid.2", "14155550197", "hi");
    let answer = hooks.call(meta_post(&body, META_SECRET)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(hooks.message(ProviderName::META, "wamid.2").await.is_some());
}

#[tokio::test]
async fn a_display_number_no_tenant_owns_is_not_found() {
    let hooks = Hooks::new().await;
    let body = text_message("wamid.3", "14155550197", "hi");
    let answer = hooks.call(meta_post(&body, META_SECRET)).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.body);
}

#[tokio::test]
async fn a_post_signed_with_another_secret_is_forbidden_and_nothing_is_stored() {
    let hooks = Hooks::new().await;
    let body = text_message("wamid.4", "14155550198", "hi");
    let answer = hooks.call(meta_post(&body, "another-secret")).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(hooks.contact().await.is_none());
}

#[tokio::test]
async fn a_post_that_is_not_the_whatsapp_envelope_is_a_bad_request_naming_the_field() {
    let hooks = Hooks::new().await;
    let body = r#"{"object":"page","entry":[]}"#;
    let answer = hooks.call(meta_post(body, META_SECRET)).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.body.contains("`object`"), "{}", answer.body);
}

/// A batch of `delivered` statuses for `ids`, in order, to the demo tenant's number.
fn delivered(ids: &[&str]) -> String {
    let statuses: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                r#"{{"id":"{id}","status":"delivered","timestamp":"1772474500","recipient_id":"14155550100"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398",
        "changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp",
        "metadata":{{"display_phone_number":"14155550198","phone_number_id":"106540352242922"}},
        "statuses":[{}]}}}}]}}]}}"#,
        statuses.join(",")
    )
}

#[tokio::test]
async fn a_status_for_a_message_the_inbox_never_sent_is_skipped_and_the_rest_of_the_batch_applied()
{
    let hooks = Hooks::new().await;
    let hello = twilio_message("SM10", Channel::Sms, "hello");
    hooks.call(twilio_post("/twilio/demo/sms", &hello)).await;
    let known = hooks.reply_sent_through(ProviderName::META).await;
    let body = delivered(&["wamid.SENT_FROM_ELSEWHERE", &known]);

    let answer = hooks.call(meta_post(&body, META_SECRET)).await;

    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let record = hooks.message(ProviderName::META, &known).await.unwrap();
    assert_eq!(record.delivery.status(), Some(DeliveryStatus::Delivered));
}
