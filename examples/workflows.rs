//! The seeds' typical automations on a SQLite file, offline: an appointment
//! confirmation that saves the reply, a reminder 24 hours before
//! `attributes.appointment_at`, a text back after a missed call, and a review
//! request an hour after a conversation is resolved.
//!
//! ```sh
//! cargo run --example workflows --features sqlite,tokio
//! cargo run --example workflows --features sqlite,tokio -- --db /tmp/flows.db
//! ```
//!
//! The clock is moved by hand and the scheduler's visit is called directly,
//! so three simulated days take a moment. Between the second and the third
//! day the inbox is closed and the file opened again: the runs waiting in it
//! wake after the restart, once. Every message leaves through the gates of a
//! send (consent, quiet hours, limits), as any other would.

use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use msgcore::core::channel::Channel;
use msgcore::core::conversation::Event;
use msgcore::engine::{Clock, EditedBy, Inbox, ManualClock};
use msgcore::model::{
    CallLog, ContactEdit, InboundMessage, InboxEvent, MessageOrigin, ProviderName, Tenant,
    TenantId, TenantNumber, TenantRef, TenantSettings,
};
use msgcore::store::SqliteStore;
use serde_json::json;

const CLINIC_SMS: &str = "+14155550199";
const ADA: &str = "+14155550100";
const GRACE: &str = "+14155550101";
const STRANGER: &str = "+14155550102";

type Failure = Box<dyn std::error::Error>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("workflows: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Failure> {
    let file = database_file()?;
    // A Monday, 10:00 in San Francisco.
    let start = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).single();
    let clock = Arc::new(ManualClock::new(start.ok_or("a valid start")?));
    let clinic = tenant()?;
    let inbox = open(&file, &clock).await?;
    inbox.put_tenant(&clinic).await?;
    define(&inbox, clinic.id).await?;

    say("Day 1, 10:00. Ada books an appointment for Wednesday 15:00 and is asked to confirm.");
    let appointment = clock.now() + TimeDelta::hours(53);
    text(
        &inbox,
        ADA,
        "SM1",
        "Hi, I'd like to book for Wednesday at 3pm",
    )
    .await?;
    let ada = book(&inbox, clinic.id, ADA, appointment).await?;
    inbox.start_workflow(clinic.id, "confirm", ada).await?;
    inbox.start_workflow(clinic.id, "remind", ada).await?;
    show(&inbox, clinic.id, ADA, clock.now()).await?;

    say("Day 1, 10:20. Ada answers YES: the reply is saved on the run and on her contact.");
    clock.advance(TimeDelta::minutes(20));
    text(&inbox, ADA, "SM2", "YES").await?;
    let confirmed = inbox.latest_run(clinic.id, "confirm", ada).await?;
    let saved = confirmed
        .as_ref()
        .and_then(|r| r.run.saved.get("confirmation"));
    let status = confirmed.as_ref().map(|r| r.run.status);
    println!("   confirm run: {status:?}, saved {saved:?}");
    show(&inbox, clinic.id, ADA, clock.now()).await?;

    say("Day 1, 10:30. Grace texts a question; later she calls and nobody picks up.");
    clock.advance(TimeDelta::minutes(10));
    text(&inbox, GRACE, "SM0", "Are you open on Saturdays?").await?;
    clock.advance(TimeDelta::minutes(30));
    call(&inbox, GRACE, "CA1", "no-answer").await?;
    say("Day 1, 11:00. The missed-call rule texts her back.");
    show(&inbox, clinic.id, GRACE, clock.now()).await?;

    say("Day 1, 11:05. A number that never wrote in calls: no consent, so no text.");
    clock.advance(TimeDelta::minutes(5));
    call(&inbox, STRANGER, "CA2", "busy").await?;
    for failed in failures(&inbox, clinic.id).await? {
        println!("   recorded: {failed}");
    }

    say("Day 1, 11:30. Grace's question is answered and the conversation resolved.");
    clock.advance(TimeDelta::minutes(25));
    let grace = text(&inbox, GRACE, "SM3", "Do you take walk-ins?").await?;
    let resolved = Event::Resolve;
    inbox.act(clinic.id, grace, &resolved).await?;

    say("Day 1, 12:30. An hour later the scheduler wakes the review request.");
    clock.advance(TimeDelta::hours(1));
    visit(&inbox).await?;
    show(&inbox, clinic.id, GRACE, clock.now()).await?;

    say("The inbox is closed; the file keeps Ada's reminder waiting for Tuesday 15:00.");
    drop(inbox);
    let inbox = open(&file, &clock).await?;

    say("Day 2, 15:00. Opened again: the reminder wakes once, a day before the appointment.");
    clock.advance(appointment - TimeDelta::hours(24) - clock.now());
    visit(&inbox).await?;
    visit(&inbox).await?;
    show(&inbox, clinic.id, ADA, clock.now()).await?;
    let reminder = inbox.latest_run(clinic.id, "remind", ada).await?;
    println!("   remind run: {:?}", reminder.map(|r| r.run.status));
    println!("\nThe runs and messages are in {}", file.display());
    Ok(())
}

/// The clinic's two workflows and two rules (SPEC §18 forms).
async fn define(inbox: &Inbox, clinic: TenantId) -> Result<(), Failure> {
    let confirm = json!({"id": "confirm", "channel": "sms", "steps": [
        {"send": {"text": "Hi {first_name}, reply YES to confirm your appointment on {appointment_day}."}},
        {"wait_reply": {"save_as": "confirmation", "timeout": "24h"}},
        {"if": {"field": "confirmation", "op": "equals", "value": "yes"},
         "then": [{"send": {"text": "Thank you, see you then!"}}],
         "else": [{"send": {"text": "We could not confirm your appointment: we will call you."}}]}
    ]});
    let remind = json!({"id": "remind", "channel": "sms", "steps": [
        {"wait_until": {"field": "attributes.appointment_at", "offset": "-24h"}},
        {"send": {"text": "Reminder: your appointment is tomorrow, {appointment_day}."}}
    ]});
    let review = json!({"id": "review", "channel": "sms", "steps": [
        {"delay": "1h"},
        {"send": {"text": "Thanks for contacting Bright Smile. Would you review us? example.com/review"}}
    ]});
    for workflow in [confirm, remind, review] {
        inbox.define_workflow(clinic, &workflow).await?;
    }
    let missed = json!({"id": "missed-call", "trigger": "call_completed",
        "conditions": {"field": "text", "op": "in", "value": ["no-answer", "busy"]},
        "actions": [{"send": {"text": "Sorry we missed your call! Reply here and we will help."}},
                    {"add_tag": "missed-call"}]});
    let after = json!({"id": "review-after-resolution", "trigger": "conversation_resolved",
        "actions": [{"start_workflow": "review"}]});
    for rule in [missed, after] {
        inbox.put_rule(clinic, &rule).await?;
    }
    Ok(())
}

async fn open(file: &std::path::Path, clock: &Arc<ManualClock>) -> Result<Inbox, Failure> {
    let store = SqliteStore::open(file).await?;
    Ok(Inbox::builder(Arc::new(store)).clock(clock.clone()).build())
}

/// What a `Scheduler` visit does for runs: wake the due ones.
async fn visit(inbox: &Inbox) -> Result<(), Failure> {
    let woken = inbox.wake_due_runs().await?;
    println!("   scheduler: {woken} run(s) woken");
    Ok(())
}

/// The contact's name and appointment, set through the API path.
async fn book(
    inbox: &Inbox,
    clinic: TenantId,
    phone: &str,
    at: DateTime<Utc>,
) -> Result<msgcore::model::ContactId, Failure> {
    let mut edit = ContactEdit {
        name: Some("Ada Lovelace".into()),
        ..ContactEdit::default()
    };
    edit.attributes
        .insert("appointment_at".into(), json!(at.to_rfc3339()));
    edit.attributes
        .insert("appointment_day".into(), json!("Wednesday at 15:00"));
    let edited = inbox
        .edit_contact(clinic, phone.parse()?, &edit, &EditedBy::Api)
        .await?;
    Ok(edited.contact.id)
}

async fn text(
    inbox: &Inbox,
    from: &str,
    id: &str,
    body: &str,
) -> Result<msgcore::model::ConversationId, Failure> {
    let message = InboundMessage::text(
        TenantRef::Number(CLINIC_SMS.parse()?),
        ProviderName::TWILIO,
        id,
        Channel::Sms,
        from.parse()?,
        body,
    );
    Ok(inbox.handle_inbound(&message).await?.conversation)
}

async fn call(inbox: &Inbox, from: &str, id: &str, status: &str) -> Result<(), Failure> {
    let log = CallLog {
        provider: ProviderName::TWILIO,
        call: id.to_owned(),
        from: from.parse()?,
        to: Some(CLINIC_SMS.parse()?),
        status: status.to_owned(),
        duration_seconds: None,
    };
    inbox
        .log_call(&TenantRef::Number(CLINIC_SMS.parse()?), &log)
        .await?;
    Ok(())
}

/// What the automations queued for `phone` just now.
async fn show(
    inbox: &Inbox,
    clinic: TenantId,
    phone: &str,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let store = inbox.store();
    let Some(contact) = store.contact_by_phone(clinic, &phone.parse()?).await? else {
        return Ok(());
    };
    let timeline = store.timeline(clinic, contact.id, 50).await?;
    let queued = timeline
        .iter()
        .filter(|m| m.origin == MessageOrigin::Automation && m.created_at == now);
    for message in queued {
        println!("   → {phone}: {}", message.text().unwrap_or("(template)"));
    }
    Ok(())
}

/// The automations that could not act, as their events recorded them.
async fn failures(inbox: &Inbox, clinic: TenantId) -> Result<Vec<String>, Failure> {
    let events = inbox.store().events(clinic, 0, 1_000).await?;
    Ok(events
        .into_iter()
        .filter_map(|(_, record)| match record.event {
            InboxEvent::AutomationFailed {
                source,
                action,
                error,
                ..
            } => Some(format!("{source}: {action} failed with {error}")),
            _ => None,
        })
        .collect())
}

fn say(text: &str) {
    println!("\n{text}");
}

fn tenant() -> Result<Tenant, Failure> {
    Ok(Tenant {
        id: TenantId::from_uuid(uuid::Uuid::from_u128(0xc11)),
        slug: "bright-smile".into(),
        org_name: "Bright Smile".into(),
        numbers: vec![TenantNumber {
            channel: Channel::Sms,
            number: CLINIC_SMS.parse()?,
        }],
        settings: TenantSettings::default(),
    })
}

/// `--db PATH`, or a fresh file in the temporary directory.
fn database_file() -> Result<std::path::PathBuf, Failure> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (Some("--db"), Some(path)) => Ok(path.into()),
        (None, _) => {
            let file =
                std::env::temp_dir().join(format!("msgcore-workflows-{}.db", std::process::id()));
            let _ = std::fs::remove_file(&file);
            Ok(file)
        }
        _ => Err("usage: workflows [--db PATH]".into()),
    }
}
