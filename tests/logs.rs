//! What the crate writes to the log: a line per webhook naming its tenant and
//! provider message id, refusals with their reason, a line per send with its
//! message id and attempt; never a secret, a body or a contact's number.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::http::StatusCode;
use chrono::TimeDelta;
use msgcore::carrier::{Carrier, RecordingCarrier};
use msgcore::core::channel::Channel;
use msgcore::core::message::Content;
use msgcore::engine::{DispatchPolicy, Dispatcher, SendRequest};
use msgcore::model::{CarrierError, OutboxItem, ProviderName};

#[path = "support/captured_log.rs"]
mod captured_log;
#[path = "support/demo_tenant.rs"]
mod demo_tenant;
#[allow(dead_code)]
#[path = "webhooks/harness.rs"]
mod harness;

use harness::*;

/// The binary's log, at `info`.
fn log() -> &'static captured_log::Captured {
    captured_log::log(tracing::Level::INFO)
}

/// The log lines that mention `needle`.
fn lines_with(needle: &str) -> Vec<String> {
    let text = everything();
    text.lines()
        .filter(|line| line.contains(needle))
        .map(str::to_owned)
        .collect()
}

fn everything() -> String {
    captured_log::everything(tracing::Level::INFO)
}

const PRIVATE_TEXT: &str = "my card number is 4111 1111 1111 1111";

#[tokio::test]
async fn a_stored_webhook_is_logged_with_its_tenant_and_message_id_and_without_its_body() {
    log();
    let hooks = Hooks::new().await;
    let params = twilio_message("SM0123456789abcdef", Channel::Sms, PRIVATE_TEXT);
    let answer = hooks.call(twilio_post("/twilio/demo/sms", &params)).await;
    assert_eq!(answer.status, StatusCode::OK);

    let stored = lines_with("message_id=SM0123456789abcdef");
    let stored = stored
        .iter()
        .find(|line| line.contains("message stored"))
        .unwrap_or_else(|| panic!("no line for the stored message in:\n{}", everything()));
    assert!(stored.contains("tenant=slug demo"), "{stored}");
    assert!(stored.contains("provider=twilio"), "{stored}");
    let text = everything();
    assert!(
        !text.contains(PRIVATE_TEXT),
        "the body is never logged:\n{text}"
    );
    assert!(!text.contains("4111"), "{text}");
    assert!(!text.contains(CONTACT), "nor the contact's number:\n{text}");
}

#[tokio::test]
async fn a_refused_webhook_is_logged_with_its_status_and_reason_and_without_the_secret() {
    log();
    let hooks = Hooks::new().await;
    let params = twilio_message("SM1", Channel::Sms, PRIVATE_TEXT);
    let forged = twilio_request("/api/twilio/demo/sms", &params, Some("d3Jvbmc="));
    assert_eq!(hooks.call(forged).await.status, StatusCode::FORBIDDEN);

    let refused = lines_with("webhook refused");
    let refused = refused
        .iter()
        .find(|line| line.contains("status=403"))
        .unwrap_or_else(|| panic!("no line for the refusal in:\n{}", everything()));
    assert!(refused.contains("WARN"), "{refused}");
    assert!(refused.contains("X-Twilio-Signature"), "{refused}");
    let text = everything();
    assert!(!text.contains(TWILIO_TOKEN), "{text}");
    assert!(!text.contains(PRIVATE_TEXT), "{text}");
}

/// Refuses the first send as rate-limited, then accepts.
struct BusyOnce(Mutex<bool>, RecordingCarrier);

#[async_trait]
impl Carrier for BusyOnce {
    fn provider(&self) -> ProviderName {
        ProviderName::TWILIO
    }

    async fn send(&self, item: &OutboxItem) -> Result<String, CarrierError> {
        if std::mem::replace(&mut *self.0.lock().unwrap(), false) {
            let busy = CarrierError::transient(ProviderName::TWILIO, "Too Many Requests", None);
            return Err(busy.with_code("20429"));
        }
        self.1.send(item).await
    }
}

#[tokio::test]
async fn every_send_is_logged_with_its_message_id_and_attempt_and_never_its_content_or_number() {
    log();
    let hooks = Hooks::new().await;
    let hi = twilio_message("SM77", Channel::Sms, "hi");
    hooks.call(twilio_post("/twilio/demo/sms", &hi)).await;
    let content = Content::text("Your parcel is at the door").unwrap();
    let request = SendRequest::reply(hooks.tenant.id, e164(CONTACT), Channel::Sms, content);
    let queued = hooks.inbox.send(&request).await.unwrap().message.id;
    let carrier = Arc::new(BusyOnce(
        Mutex::new(true),
        RecordingCarrier::new(ProviderName::TWILIO),
    ));
    let policy = DispatchPolicy {
        jitter_percent: 0,
        ..DispatchPolicy::default()
    };
    let dispatcher =
        Dispatcher::new(hooks.store.clone(), carrier, hooks.clock.clone(), policy).unwrap();

    dispatcher.dispatch_once().await.unwrap();
    hooks.clock.advance(TimeDelta::minutes(1));
    dispatcher.dispatch_once().await.unwrap();

    let sends = lines_with(&format!("message_id={queued}"));
    let retried = sends
        .iter()
        .find(|l| l.contains("will retry"))
        .unwrap_or_else(|| panic!("{sends:#?}"));
    assert!(
        retried.contains("attempt=1") && retried.contains("WARN"),
        "{retried}"
    );
    assert!(retried.contains("20429"), "{retried}");
    let sent = sends
        .iter()
        .find(|l| l.contains("sent provider="))
        .unwrap_or_else(|| panic!("{sends:#?}"));
    assert!(
        sent.contains("attempt=2") && sent.contains("INFO"),
        "{sent}"
    );
    let text = everything();
    assert!(
        !text.contains("Your parcel is at the door"),
        "no content: {text}"
    );
    assert!(!text.contains(CONTACT), "no number: {text}");
}
