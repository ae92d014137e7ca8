//! Telnyx: received and finalized messages, and the replay window.

use axum::http::StatusCode;
use msgcore::core::delivery::DeliveryStatus;
use msgcore::model::ProviderName;

use crate::harness::*;

fn received(id: &str, text: &str) -> String {
    format!(
        r#"{{"data": {{"event_type": "message.received", "id": "e-{id}",
        "occurred_at": "2026-03-02T18:00:00.000+00:00",
        "payload": {{"id": "{id}", "type": "SMS", "text": "{text}",
            "from": {{"phone_number": "{CONTACT}"}},
            "to": [{{"phone_number": "{SMS_NUMBER}", "status": "webhook_delivered"}}]}}}}}}"#
    )
}

fn finalized(id: &str, status: &str) -> String {
    format!(
        r#"{{"data": {{"event_type": "message.finalized", "id": "e-f-{id}",
        "occurred_at": "2026-03-02T18:00:05.000+00:00",
        "payload": {{"id": "{id}", "type": "SMS",
            "from": {{"phone_number": "{SMS_NUMBER}"}},
            "to": [{{"phone_number": "{CONTACT}", "status": "{status}"}}]}}}}}}"#
    )
}

#[tokio::test]
async fn a_received_message_is_stored_and_acknowledged() {
    let hooks = Hooks::new().await;
    let request = telnyx_post(
        "demo",
        &received("tx-1", "Hello from Telnyx"),
        t0().timestamp(),
    );
    let answer = hooks.call(request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let stored = hooks.message(ProviderName::TELNYX, "tx-1").await.unwrap();
    assert_eq!(stored.text(), Some("Hello from Telnyx"));
}

#[tokio::test]
async fn a_finalized_event_moves_the_sent_messages_status() {
    let hooks = Hooks::new().await;
    hooks
        .call(telnyx_post(
            "demo",
            &received("tx-2", "hi"),
            t0().timestamp(),
        ))
        .await;
    let id = hooks.reply_sent_through(ProviderName::TELNYX).await;
    let answer = hooks
        .call(telnyx_post(
            "demo",
            &finalized(&id, "delivered"),
            t0().timestamp(),
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let record = hooks.message(ProviderName::TELNYX, &id).await.unwrap();
    assert_eq!(record.delivery.status(), Some(DeliveryStatus::Delivered));
}

#[tokio::test]
async fn other_event_types_are_acknowledged_and_ignored() {
    let hooks = Hooks::new().await;
    let body = r#"{"data": {"event_type": "number_order.complete", "payload": {}}}"#;
    let answer = hooks
        .call(telnyx_post("demo", body, t0().timestamp()))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(hooks.contact().await.is_none());
}

#[tokio::test]
async fn a_stale_timestamp_is_forbidden_and_nothing_is_stored() {
    let hooks = Hooks::new().await;
    let ten_minutes_ago = t0().timestamp() - 600;
    let request = telnyx_post("demo", &received("tx-3", "replayed"), ten_minutes_ago);
    let answer = hooks.call(request).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.body.contains("tolerance"), "{}", answer.body);
    assert!(hooks.message(ProviderName::TELNYX, "tx-3").await.is_none());
}

#[tokio::test]
async fn a_body_changed_after_signing_is_forbidden() {
    let hooks = Hooks::new().await;
    let mut request = telnyx_post("demo", &received("tx-4", "original"), t0().timestamp());
    *request.body_mut() = received("tx-4", "tampered").into();
    assert_eq!(hooks.call(request).await.status, StatusCode::FORBIDDEN);
    assert!(hooks.contact().await.is_none());
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_bad_request_naming_the_body() {
    let hooks = Hooks::new().await;
    let answer = hooks
        .call(telnyx_post("demo", "not json", t0().timestamp()))
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.body.contains("`body`"), "{}", answer.body);
}
