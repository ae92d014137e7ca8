//! Automation rules end to end (SPEC §14, §18): triggers, conditions and
//! actions in order, committed with the event; failures recorded; nothing a
//! rule causes sets rules off.

use chrono::{DateTime, TimeDelta, Utc};
use msgcore::core::channel::Channel;
use msgcore::core::conversation::{AgentId, Event, Status};
use msgcore::core::delivery::{DeliveryStatus, StatusUpdate};
use msgcore::error::ErrorKind;
use msgcore::model::{CallLog, InboxEvent, MessageRef, ProviderName, StatusCallback};
use msgcore::store::Store;
use serde_json::{Value, json};

use crate::harness::{CONTACT, Harness, e164};

async fn with_rules(rules: &[Value]) -> Harness {
    let h = Harness::new().await;
    for rule in rules {
        h.inbox.put_rule(h.tenant.id, rule).await.unwrap();
    }
    h
}

/// The `automation.failed` events: (source, action, error).
async fn failures(h: &Harness) -> Vec<(String, String, String)> {
    let events = h.store.events(h.tenant.id, 0, 1_000).await.unwrap();
    events
        .into_iter()
        .filter_map(|(_, record)| match record.event {
            InboxEvent::AutomationFailed {
                source,
                action,
                error,
                ..
            } => Some((source, action, error)),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_matching_inbound_rule_tags_and_answers_in_the_same_commit() {
    let h = with_rules(&[json!({
        "id": "pricing", "trigger": "inbound_sms",
        "conditions": {"field": "text", "op": "contains", "value": "price"},
        "actions": [{"add_tag": "lead"}, {"send": {"text": "Our prices: example.com/prices"}}]
    })])
    .await;
    h.text_in(Channel::Sms, "hello").await;
    assert!(!h.contact().await.tags.contains(&"lead".to_owned()));
    h.text_in(Channel::Sms, "What is the PRICE?").await;
    assert!(h.contact().await.tags.contains(&"lead".to_owned()));
    assert_eq!(h.automated().await, ["Our prices: example.com/prices"]);
}

#[tokio::test]
async fn keywords_and_whatsapp_messages_do_not_fire_inbound_sms_rules() {
    let h = with_rules(&[json!({
        "id": "any", "trigger": "inbound_sms", "actions": [{"add_tag": "wrote"}]
    })])
    .await;
    h.text_in(Channel::Sms, "HELP").await;
    assert!(
        h.contact().await.tags.is_empty(),
        "HELP is no ordinary message"
    );
    h.text_in(Channel::WhatsApp, "hi on whatsapp").await;
    assert!(h.contact().await.tags.is_empty());
    h.text_in(Channel::Sms, "hi").await;
    assert_eq!(h.contact().await.tags, ["wrote"]);
}

#[tokio::test]
async fn rules_on_one_event_run_in_the_order_they_were_added() {
    let h = with_rules(&[
        json!({"id": "first", "trigger": "inbound_sms", "actions": [{"send": {"text": "one"}}]}),
        json!({"id": "second", "trigger": "inbound_sms", "actions": [{"send": {"text": "two"}}]}),
    ])
    .await;
    // Redefining the first keeps its place.
    let again =
        json!({"id": "first", "trigger": "inbound_sms", "actions": [{"send": {"text": "uno"}}]});
    h.inbox.put_rule(h.tenant.id, &again).await.unwrap();
    h.text_in(Channel::Sms, "hi").await;
    assert_eq!(h.automated().await, ["uno", "two"]);
}

#[tokio::test]
async fn a_failed_send_is_recorded_and_the_next_action_still_runs() {
    let h = with_rules(&[json!({
        "id": "welcome", "trigger": "inbound_sms",
        "actions": [{"send": {"text": "Hi {company}!"}}, {"add_tag": "welcomed"}]
    })])
    .await;
    h.text_in(Channel::Sms, "hi").await;
    assert!(h.automated().await.is_empty());
    assert_eq!(h.contact().await.tags, ["welcomed"]);
    let expected = (
        "rule welcome".to_owned(),
        "send".to_owned(),
        "missing_variable".to_owned(),
    );
    assert_eq!(failures(&h).await, [expected]);
}

#[tokio::test]
async fn what_a_rule_causes_never_sets_rules_off() {
    let h = with_rules(&[
        json!({"id": "close", "trigger": "inbound_sms",
               "conditions": {"field": "text", "op": "equals", "value": "done"},
               "actions": [{"resolve": true}]}),
        json!({"id": "resolved", "trigger": "conversation_resolved",
               "actions": [{"add_tag": "resolved-by-a-person"}]}),
    ])
    .await;
    h.text_in(Channel::Sms, "done").await;
    let conversation = h
        .store
        .latest_conversation(h.tenant.id, h.contact().await.id)
        .await;
    assert_eq!(conversation.unwrap().unwrap().status(), Status::Resolved);
    assert!(
        h.contact().await.tags.is_empty(),
        "the rule's resolution fired nothing"
    );
}

#[tokio::test]
async fn a_rule_whose_action_would_set_it_off_again_runs_once() {
    let h = with_rules(&[json!({
        "id": "again", "trigger": "conversation_resolved",
        "actions": [{"send": {"text": "Thanks for talking to us"}}, {"resolve": true}]
    })])
    .await;
    let outcome = h.text_in(Channel::Sms, "hi").await;
    let resolve = Event::Resolve;
    h.inbox
        .act(h.tenant.id, outcome.conversation, &resolve)
        .await
        .unwrap();
    assert_eq!(h.automated().await, ["Thanks for talking to us"]);
    let failed = failures(&h).await;
    assert_eq!(
        failed.len(),
        1,
        "its resolve could not resolve again: {failed:?}"
    );
    assert_eq!(failed[0].2, "invalid_transition");
}

#[tokio::test]
async fn a_missed_call_gets_a_text_back_and_an_answered_one_does_not() {
    let h = with_rules(&[json!({
        "id": "missed", "trigger": "call_completed",
        "conditions": {"field": "text", "op": "in", "value": ["no-answer", "busy"]},
        "actions": [{"send": {"text": "Sorry we missed your call. How can we help?"}}]
    })])
    .await;
    h.text_in(Channel::Sms, "hi").await;
    for (call, status) in [("CA1", "completed"), ("CA2", "no-answer")] {
        let log = CallLog {
            provider: ProviderName::TWILIO,
            call: call.to_owned(),
            from: e164(CONTACT),
            to: Some(e164(crate::harness::SMS_NUMBER)),
            status: status.to_owned(),
            duration_seconds: None,
        };
        let to = msgcore::model::TenantRef::Number(e164(crate::harness::SMS_NUMBER));
        h.inbox.log_call(&to, &log).await.unwrap();
    }
    assert_eq!(
        h.automated().await,
        ["Sorry we missed your call. How can we help?"]
    );
}

#[tokio::test]
async fn a_review_request_follows_a_resolution_through_a_workflow() {
    let h = with_rules(&[json!({
        "id": "review", "trigger": "conversation_resolved",
        "actions": [{"start_workflow": "review"}]
    })])
    .await;
    let workflow = json!({"id": "review", "channel": "sms", "steps": [
        {"delay": "1h"}, {"send": {"text": "Would you leave us a review? example.com/review"}}
    ]});
    h.inbox
        .define_workflow(h.tenant.id, &workflow)
        .await
        .unwrap();
    let outcome = h.text_in(Channel::Sms, "hi").await;
    let agent = Event::Assign {
        agent: AgentId::new("ann"),
    };
    h.inbox
        .act(h.tenant.id, outcome.conversation, &agent)
        .await
        .unwrap();
    h.inbox
        .act(h.tenant.id, outcome.conversation, &Event::Resolve)
        .await
        .unwrap();
    h.advance(TimeDelta::hours(1));
    assert_eq!(h.inbox.wake_due_runs().await.unwrap(), 1);
    let texts = h.automated().await;
    assert_eq!(texts, ["Would you leave us a review? example.com/review"]);
}

#[tokio::test]
async fn a_bad_rule_is_refused_naming_the_action() {
    let h = Harness::new().await;
    let bad = json!({"id": "x", "trigger": "inbound_sms", "actions": [{"add_tag": "ok"}, {"assign": ""}]});
    let error = h.inbox.put_rule(h.tenant.id, &bad).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRule);
    assert!(error.to_string().contains("actions[1]"), "{error}");
    assert!(h.inbox.rules(h.tenant.id).await.unwrap().is_empty());
}

/// A status callback reporting `status` for message `id`.
fn callback(
    id: msgcore::model::MessageId,
    status: DeliveryStatus,
    at: DateTime<Utc>,
) -> StatusCallback {
    StatusCallback {
        tenant: msgcore::model::TenantRef::Number(e164(crate::harness::SMS_NUMBER)),
        message: MessageRef::Id(id),
        update: StatusUpdate::new(status, at),
        opted_out: false,
        pricing: None,
    }
}

#[tokio::test]
async fn a_failed_message_sets_off_message_failed_rules_once_and_a_rules_own_failure_does_not() {
    let h = with_rules(&[json!({
        "id": "failed", "trigger": "message_failed",
        "actions": [{"add_tag": "unreachable"}, {"send": {"text": "We could not reach you"}}]
    })])
    .await;
    h.text_in(Channel::Sms, "hi").await;
    let sent = h.send(Channel::Sms, "Your order shipped").await.unwrap();
    let now = h.clock_now();
    for status in [DeliveryStatus::Failed, DeliveryStatus::Undelivered] {
        h.inbox
            .on_status(&callback(sent.message.id, status, now))
            .await
            .unwrap();
    }
    assert_eq!(h.contact().await.tags, ["unreachable"]);
    assert_eq!(h.automated().await, ["We could not reach you"], "once");
    let contact = h.contact().await;
    let timeline = h.store.timeline(h.tenant.id, contact.id, 10).await.unwrap();
    let rules_message = timeline.last().unwrap().id;
    h.inbox
        .on_status(&callback(rules_message, DeliveryStatus::Failed, now))
        .await
        .unwrap();
    assert_eq!(
        h.automated().await.len(),
        1,
        "a rule's failed send sets nothing off"
    );
}
