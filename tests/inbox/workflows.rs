//! Workflows end to end (SPEC §13, §18): runs started by the API and by
//! campaigns, their sends through the gates, replies saved, timers woken,
//! and STOP ending them.

use chrono::TimeDelta;
use msgcore::core::channel::Channel;
use msgcore::core::workflow::RunStatus;
use msgcore::error::ErrorKind;
use msgcore::model::RunRecord;
use serde_json::{Value, json};

use crate::harness::Harness;

/// Appointment confirmation: ask, save the answer, thank or follow up.
fn confirmation() -> Value {
    json!({"id": "confirm", "channel": "sms", "steps": [
        {"send": {"text": "Hi {first_name}, reply YES to confirm your appointment."}},
        {"wait_reply": {"save_as": "confirmation", "timeout": "24h"}},
        {"if": {"field": "confirmation", "op": "equals", "value": "yes"},
         "then": [{"send": {"text": "Confirmed, see you then!"}}],
         "else": [{"send": {"text": "No answer yet: we will call you."}}]}
    ]})
}

/// A contact who wrote in (so exists, opted in on SMS), and the workflow.
async fn ready(definition: Value) -> Harness {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "hello, this is Ada").await;
    let named = msgcore::model::ContactEdit {
        name: Some("Ada Lovelace".into()),
        ..Default::default()
    };
    let (phone, by) = (h.contact().await.phone, msgcore::engine::EditedBy::Api);
    let edit = h.inbox.edit_contact(h.tenant.id, phone, &named, &by).await;
    edit.unwrap();
    h.inbox
        .define_workflow(h.tenant.id, &definition)
        .await
        .unwrap();
    h
}

async fn start(h: &Harness, workflow: &str) -> RunRecord {
    let contact = h.contact().await;
    h.inbox
        .start_workflow(h.tenant.id, workflow, contact.id)
        .await
        .unwrap()
}

async fn run(h: &Harness, workflow: &str) -> RunRecord {
    let contact = h.contact().await;
    let run = h.inbox.latest_run(h.tenant.id, workflow, contact.id).await;
    run.unwrap().expect("a run")
}

#[tokio::test]
async fn a_started_run_sends_its_first_message_and_waits_for_the_reply() {
    let h = ready(confirmation()).await;
    let started = start(&h, "confirm").await;
    assert_eq!(started.run.status, RunStatus::Waiting);
    assert_eq!(h.contact().await.live_runs, 1);
    assert_eq!(
        started.run.wake_at,
        Some(h.clock_now() + TimeDelta::hours(24))
    );
    assert_eq!(
        h.automated().await,
        ["Hi Ada, reply YES to confirm your appointment."]
    );
}

#[tokio::test]
async fn a_reply_is_saved_on_the_run_and_the_contact_and_the_branch_follows_it() {
    let h = ready(confirmation()).await;
    start(&h, "confirm").await;
    h.advance(TimeDelta::minutes(5));
    h.text_in(Channel::Sms, " Yes ").await;
    let done = run(&h, "confirm").await;
    assert_eq!(done.run.status, RunStatus::Completed);
    assert_eq!(
        done.run.saved.get("confirmation").map(String::as_str),
        Some("Yes")
    );
    let contact = h.contact().await;
    assert_eq!(contact.attributes.get("confirmation"), Some(&json!("Yes")));
    assert_eq!(
        contact.live_runs, 0,
        "the contact counts no live run once it ended"
    );
    let texts = h.automated().await;
    assert_eq!(
        texts.last().map(String::as_str),
        Some("Confirmed, see you then!")
    );
}

#[tokio::test]
async fn without_a_reply_the_timeout_wakes_the_run_once_and_it_goes_on() {
    let h = ready(confirmation()).await;
    start(&h, "confirm").await;
    h.advance(TimeDelta::hours(23));
    assert_eq!(h.inbox.wake_due_runs().await.unwrap(), 0, "not yet due");
    h.advance(TimeDelta::hours(1));
    assert_eq!(h.inbox.wake_due_runs().await.unwrap(), 1);
    assert_eq!(h.inbox.wake_due_runs().await.unwrap(), 0, "fired once");
    assert_eq!(run(&h, "confirm").await.run.status, RunStatus::Completed);
    let texts = h.automated().await;
    assert_eq!(texts.len(), 2);
    assert_eq!(
        texts.last().map(String::as_str),
        Some("No answer yet: we will call you.")
    );
}

#[tokio::test]
async fn stop_ends_the_run_and_nothing_is_sent_after() {
    let h = ready(confirmation()).await;
    start(&h, "confirm").await;
    h.text_in(Channel::Sms, "STOP").await;
    let stopped = run(&h, "confirm").await;
    assert_eq!(stopped.run.status, RunStatus::OptedOut);
    assert_eq!(
        stopped.run.saved.get("confirmation"),
        None,
        "STOP is not a reply"
    );
    h.advance(TimeDelta::days(2));
    h.inbox.wake_due_runs().await.unwrap();
    assert_eq!(h.automated().await.len(), 1, "only the first message");
}

#[tokio::test]
async fn help_never_reaches_a_waiting_run_and_a_start_that_changes_nothing_does() {
    let h = ready(confirmation()).await;
    start(&h, "confirm").await;
    h.text_in(Channel::Sms, "HELP").await;
    assert_eq!(run(&h, "confirm").await.run.status, RunStatus::Waiting);
    h.text_in(Channel::Sms, "START").await;
    let answered = run(&h, "confirm").await;
    assert_eq!(
        answered.run.saved.get("confirmation").map(String::as_str),
        Some("START")
    );
}

#[tokio::test]
async fn a_second_start_while_a_run_is_live_is_already_running() {
    let h = ready(confirmation()).await;
    start(&h, "confirm").await;
    let contact = h.contact().await;
    let again = h
        .inbox
        .start_workflow(h.tenant.id, "confirm", contact.id)
        .await;
    assert_eq!(again.unwrap_err().kind(), ErrorKind::AlreadyRunning);
    let unknown = h
        .inbox
        .start_workflow(h.tenant.id, "nope", contact.id)
        .await;
    assert_eq!(unknown.unwrap_err().kind(), ErrorKind::UnknownWorkflow);
}

#[tokio::test]
async fn a_reminder_waits_until_a_day_before_the_appointment() {
    let appointment = crate::harness::t0() + TimeDelta::days(3);
    let h = ready(json!({"id": "remind", "channel": "sms", "steps": [
        {"wait_until": {"field": "attributes.appointment_at", "offset": "-24h"}},
        {"send": {"text": "Reminder: your appointment is tomorrow."}}
    ]}))
    .await;
    let contact = h.contact().await;
    let mut edit = msgcore::model::ContactEdit::default();
    edit.attributes
        .insert("appointment_at".into(), json!(appointment.to_rfc3339()));
    let by = msgcore::engine::EditedBy::Api;
    h.inbox
        .edit_contact(h.tenant.id, contact.phone, &edit, &by)
        .await
        .unwrap();
    let waiting = start(&h, "remind").await;
    assert_eq!(
        waiting.run.wake_at,
        Some(appointment - TimeDelta::hours(24))
    );
    h.advance(TimeDelta::days(2));
    assert_eq!(h.inbox.wake_due_runs().await.unwrap(), 1);
    assert_eq!(
        h.automated().await,
        ["Reminder: your appointment is tomorrow."]
    );
}

#[tokio::test]
async fn a_run_without_the_field_it_waits_on_fails_missing_field() {
    let h = ready(json!({"id": "remind", "channel": "sms", "steps": [
        {"wait_until": {"field": "attributes.appointment_at", "offset": "-24h"}},
        {"send": {"text": "Reminder"}}
    ]}))
    .await;
    let failed = start(&h, "remind").await;
    assert_eq!(failed.run.status, RunStatus::Failed);
    assert_eq!(failed.run.error.as_deref(), Some("missing_field"));
}

#[tokio::test]
async fn a_send_refused_by_a_gate_fails_the_run_with_its_kind() {
    let h = ready(json!({"id": "wa", "channel": "whatsapp", "steps": [
        {"send": {"text": "Hello on WhatsApp"}}
    ]}))
    .await;
    let failed = start(&h, "wa").await;
    assert_eq!(failed.run.status, RunStatus::Failed);
    assert_eq!(failed.run.error.as_deref(), Some("opted_out"));
}

#[tokio::test]
async fn a_send_at_night_is_held_by_quiet_hours_and_sent_in_the_morning() {
    let h = ready(json!({"id": "later", "channel": "sms", "steps": [
        {"delay": "12h"},
        {"send": {"text": "Good morning!"}}
    ]}))
    .await;
    start(&h, "later").await;
    // 22:00 in San Francisco: past the 21:00 end of the allowed hours.
    h.advance(TimeDelta::hours(12));
    h.inbox.wake_due_runs().await.unwrap();
    let held = run(&h, "later").await;
    assert_eq!(held.run.status, RunStatus::Waiting);
    assert!(h.automated().await.is_empty());
    let morning = held.run.wake_at.expect("held until the morning");
    assert_eq!(
        morning,
        crate::harness::t0() + TimeDelta::hours(22),
        "08:00 PST"
    );
    h.advance(morning - h.clock_now());
    h.inbox.wake_due_runs().await.unwrap();
    assert_eq!(h.automated().await, ["Good morning!"]);
    assert_eq!(run(&h, "later").await.run.status, RunStatus::Completed);
}

#[tokio::test]
async fn a_redefined_workflow_leaves_runs_under_way_on_their_version() {
    let h = ready(json!({"id": "two", "channel": "sms", "steps": [
        {"delay": "1h"}, {"send": {"text": "version one"}}
    ]}))
    .await;
    start(&h, "two").await;
    let second = json!({"id": "two", "channel": "sms", "steps": [
        {"delay": "1h"}, {"send": {"text": "version two"}}
    ]});
    let stored = h.inbox.define_workflow(h.tenant.id, &second).await.unwrap();
    assert_eq!(stored.version, 2);
    h.advance(TimeDelta::hours(1));
    h.inbox.wake_due_runs().await.unwrap();
    assert_eq!(h.automated().await, ["version one"]);
}

#[tokio::test]
async fn a_bad_definition_is_refused_naming_the_step() {
    let h = Harness::new().await;
    let bad = json!({"id": "x", "channel": "sms", "steps": [
        {"send": {"text": "hi"}},
        {"if": {"field": "tags", "op": "contains", "value": "vip"}, "then": [{"delay": "soon"}]}
    ]});
    let error = h
        .inbox
        .define_workflow(h.tenant.id, &bad)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidWorkflow);
    assert!(
        error.to_string().contains("steps[1].then[0].delay"),
        "{error}"
    );
}

#[tokio::test]
async fn campaign_recipients_start_the_campaigns_workflow_once_queued() {
    let h = ready(json!({"id": "follow", "channel": "sms", "steps": [
        {"delay": "2h"}, {"send": {"text": "Did you see our offer?"}}
    ]}))
    .await;
    let definition = serde_json::from_value(json!({
        "id": "spring", "channel": "sms", "text": "Spring sale!",
        "kind": "transactional", "workflow": "follow"
    }))
    .unwrap();
    h.inbox
        .create_campaign(h.tenant.id, definition)
        .await
        .unwrap();
    h.inbox.run_campaigns().await.unwrap();
    let waiting = run(&h, "follow").await;
    assert_eq!(waiting.run.status, RunStatus::Waiting);
    h.advance(TimeDelta::hours(2));
    h.inbox.wake_due_runs().await.unwrap();
    assert_eq!(
        h.automated().await,
        ["Spring sale!", "Did you see our offer?"]
    );
}
