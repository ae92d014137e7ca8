//! Twilio voice: calls answered, speech answered by the voice agent, call logs.

use std::sync::Arc;

use axum::http::StatusCode;
use msgcore::engine::KeywordMenuBot;
use msgcore::model::InboxEvent;
use msgcore::webhooks::VoiceFlow;

use crate::harness::*;

const CALL_SID: &str = "CA5f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn voice_config() -> msgcore::webhooks::WebhookConfig {
    let agent = KeywordMenuBot::new("Say HOURS, or AGENT for a person.")
        .option("hours", "We are open 9 to 5, Monday to Friday.");
    full_config().voice(VoiceFlow::new(Arc::new(agent)))
}

/// A call from [`CONTACT`] to the tenant's number, in `status`, with `extra`.
fn call(
    status: &'static str,
    extra: &[(&'static str, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    let mut params = vec![
        ("CallSid", CALL_SID),
        ("AccountSid", "AC123"),
        ("From", CONTACT),
        ("To", SMS_NUMBER),
        ("CallStatus", status),
        ("Direction", "inbound"),
    ];
    params.extend_from_slice(extra);
    params
}

#[tokio::test]
async fn an_answered_call_gets_the_greeting_listening_on_the_public_gather_url() {
    let hooks = Hooks::with(voice_config()).await;
    let answer = hooks
        .call(twilio_post("/twilio/demo/answer", &call("ringing", &[])))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        answer.content_type.as_deref(),
        Some("text/xml; charset=utf-8")
    );
    assert!(
        answer
            .body
            .contains(r#"action="https://example.com/api/twilio/demo/gather""#),
        "{}",
        answer.body
    );
    assert!(
        answer.body.contains("Thank you for calling Demo Co."),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn the_callers_speech_is_answered_by_the_voice_agent() {
    let hooks = Hooks::with(voice_config()).await;
    let speech = call(
        "in-progress",
        &[("SpeechResult", "Hours?"), ("Confidence", "0.92")],
    );
    let answer = hooks
        .call(twilio_post("/twilio/demo/gather", &speech))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(
        answer
            .body
            .contains("<Say>We are open 9 to 5, Monday to Friday.</Say>"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("<Gather"), "the conversation goes on");
}

#[tokio::test]
async fn a_call_status_callback_on_the_status_route_logs_the_call() {
    let hooks = Hooks::with(voice_config()).await;
    let completed = call("completed", &[("CallDuration", "42")]);
    let answer = hooks
        .call(twilio_post("/twilio/demo/status", &completed))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let events = hooks.store.events(hooks.tenant.id, 0, 100).await.unwrap();
    let logged: Vec<_> = events
        .iter()
        .filter_map(|(_, record)| match &record.event {
            InboxEvent::CallLogged { call, status, .. } => Some((call.as_str(), status.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(logged, [(CALL_SID, "completed")]);
}

#[tokio::test]
async fn voice_routes_without_a_voice_flow_are_forbidden_and_say_what_to_configure() {
    let hooks = Hooks::new().await;
    for path in ["/twilio/demo/answer", "/twilio/demo/status"] {
        let answer = hooks.call(twilio_post(path, &call("completed", &[]))).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
        assert!(answer.body.contains("voice(flow)"), "{}", answer.body);
    }
}

#[tokio::test]
async fn a_call_with_a_wrong_signature_is_forbidden() {
    let hooks = Hooks::with(voice_config()).await;
    let request = twilio_request(
        "/api/twilio/demo/answer",
        &call("ringing", &[]),
        Some("bm90IGl0"),
    );
    assert_eq!(hooks.call(request).await.status, StatusCode::FORBIDDEN);
}

#[test]
fn the_console_urls_include_the_voice_webhooks_once_a_flow_is_configured() {
    let urls = voice_config().webhook_urls();
    let labels: Vec<&str> = urls.iter().map(|u| u.label).collect();
    assert!(labels.contains(&"Twilio: A call comes in"), "{labels:?}");
    let answer = urls
        .iter()
        .find(|u| u.label == "Twilio: A call comes in")
        .unwrap();
    assert_eq!(answer.url, "https://example.com/api/twilio/{tenant}/answer");
}
