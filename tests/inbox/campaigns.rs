//! Campaigns end to end (SPEC §12, §18): the frozen audience, the throttle,
//! the gates at queue time, pause / resume / cancel, and counts.

use chrono::TimeDelta;
use msgcore::core::campaign::{CampaignChange, CampaignCounts, CampaignDefinition};
use msgcore::core::channel::Channel;
use msgcore::core::plan::PlanLimits;
use msgcore::engine::EditedBy;
use msgcore::error::ErrorKind;
use msgcore::model::{ContactEdit, MessageOrigin};
use msgcore::store::Store;
use serde_json::{Value, json};

use crate::harness::{Harness, e164};

/// A contact `+1415555{n:04}` (San Francisco) through the API.
async fn contact(h: &Harness, n: u32, name: Option<&str>, company: Option<&str>, sms: bool) {
    let edit = ContactEdit {
        name: name.map(str::to_owned),
        company: company.map(str::to_owned),
        add_tags: vec!["vip".into()],
        sms_opted_in: Some(sms),
        ..ContactEdit::default()
    };
    h.inbox
        .edit_contact(h.tenant.id, phone(n), &edit, &EditedBy::Api)
        .await
        .unwrap();
}

fn phone(n: u32) -> msgcore::E164 {
    e164(&format!("+1415555{n:04}"))
}

fn definition(value: Value) -> CampaignDefinition {
    let mut base = json!({
        "id": "spring", "channel": "sms", "audience": {"tags": ["vip"]},
        "text": "Hi {first_name}, 20% off at {company}. Reply STOP to opt out.",
        "kind": "transactional"
    });
    for (key, v) in value.as_object().unwrap() {
        base[key] = v.clone();
    }
    serde_json::from_value(base).unwrap()
}

async fn create(h: &Harness, value: Value) -> CampaignCounts {
    h.inbox
        .create_campaign(h.tenant.id, definition(value))
        .await
        .unwrap()
}

async fn counts(h: &Harness) -> Value {
    let counts = h
        .inbox
        .campaign_counts(h.tenant.id, "spring")
        .await
        .unwrap();
    serde_json::to_value(counts).unwrap()
}

/// The text queued for `n` under the campaign's client id, if any.
async fn queued_text(h: &Harness, n: u32) -> Option<String> {
    let client_id = format!("spring:{}", phone(n));
    let message = h
        .store
        .message_by_client_id(h.tenant.id, &client_id)
        .await
        .unwrap()?;
    assert_eq!(message.origin, MessageOrigin::Automation);
    message.text().map(str::to_owned)
}

async fn run(h: &Harness) -> usize {
    let pass = h.inbox.run_campaign(h.tenant.id, "spring").await.unwrap();
    pass.queued
}

#[tokio::test]
async fn a_campaign_freezes_its_audience_and_sends_each_recipient_their_own_text() {
    let h = Harness::new().await;
    contact(&h, 101, Some("Ada Lovelace"), Some("Acme"), true).await;
    contact(&h, 102, Some("Grace Hopper"), Some("Navy"), true).await;
    contact(&h, 103, Some("Alan Turing"), Some("NPL"), false).await;
    contact(&h, 104, Some("Edsger Dijkstra"), None, true).await;
    let created = create(&h, json!({})).await;
    assert_eq!(
        serde_json::to_value(created).unwrap(),
        json!({"recipients": 4, "pending": 2, "queued": 0, "sent": 0, "delivered": 0,
               "failed": 0, "skipped": {"opted_out": 1, "missing_variable": 1}})
    );
    // A contact added after the freeze is not a recipient.
    contact(&h, 105, Some("Barbara Liskov"), Some("MIT"), true).await;
    assert_eq!(run(&h).await, 2);
    assert_eq!(
        queued_text(&h, 101).await.as_deref(),
        Some("Hi Ada, 20% off at Acme. Reply STOP to opt out.")
    );
    assert_eq!(
        queued_text(&h, 102).await.as_deref(),
        Some("Hi Grace, 20% off at Navy. Reply STOP to opt out.")
    );
    assert_eq!(queued_text(&h, 103).await, None, "no consent, no message");
    assert_eq!(
        queued_text(&h, 105).await,
        None,
        "not in the frozen audience"
    );
    assert_eq!(counts(&h).await["queued"], 2);
    assert_eq!(counts(&h).await["pending"], 0);
}

#[tokio::test]
async fn running_a_campaign_again_queues_nobody_twice() {
    let h = Harness::new().await;
    contact(&h, 101, Some("Ada"), Some("Acme"), true).await;
    create(&h, json!({})).await;
    assert_eq!(run(&h).await, 1);
    assert_eq!(run(&h).await, 0);
    h.advance(TimeDelta::hours(1));
    assert_eq!(run(&h).await, 0);
    let record = h.inbox.campaign(h.tenant.id, "spring").await.unwrap();
    assert_eq!(record.status.as_str(), "completed");
    assert_eq!(counts(&h).await["queued"], 1);
}

#[tokio::test]
async fn the_throttle_queues_a_minutes_share_at_a_time_from_the_start() {
    let h = Harness::new().await;
    for n in 0..5 {
        contact(&h, 200 + n, Some("Ada"), Some("Acme"), true).await;
    }
    let start = h.clock_now() + TimeDelta::minutes(30);
    create(&h, json!({"per_minute": 2, "start_at": start})).await;
    assert_eq!(run(&h).await, 0, "not before its start");
    h.advance(TimeDelta::minutes(30));
    assert_eq!(run(&h).await, 2, "the first minute's share at once");
    assert_eq!(run(&h).await, 0);
    h.advance(TimeDelta::seconds(59));
    assert_eq!(run(&h).await, 0, "still the first minute");
    h.advance(TimeDelta::seconds(1));
    assert_eq!(run(&h).await, 2);
    h.advance(TimeDelta::minutes(1));
    assert_eq!(run(&h).await, 1);
    assert!(queued_text(&h, 204).await.is_some(), "in audience order");
}

#[tokio::test]
async fn a_stop_mid_campaign_stops_every_later_message_to_that_contact() {
    let h = Harness::new().await;
    for n in 0..3 {
        contact(&h, 300 + n, Some("Ada"), Some("Acme"), true).await;
    }
    create(&h, json!({"per_minute": 1})).await;
    assert_eq!(run(&h).await, 1);
    let stop = Harness::message_for(phone(302).as_str(), "SMstop302", "STOP");
    h.inbox.handle_inbound(&stop).await.unwrap();
    h.advance(TimeDelta::minutes(5));
    assert_eq!(
        run(&h).await,
        1,
        "the next recipient, not the one who stopped"
    );
    assert_eq!(queued_text(&h, 302).await, None);
    assert_eq!(
        counts(&h).await,
        json!({"recipients": 3, "pending": 0, "queued": 2, "sent": 0, "delivered": 0,
               "failed": 0, "skipped": {"opted_out": 1}})
    );
}

#[tokio::test]
async fn a_quiet_hour_recipient_is_held_and_sent_when_their_window_opens() {
    let h = Harness::new().await;
    contact(&h, 401, Some("Ada"), Some("Acme"), true).await;
    // 22:00 in San Francisco: marketing waits for 08:00.
    h.advance(TimeDelta::hours(12));
    create(&h, json!({"kind": "marketing"})).await;
    let pass = h.inbox.run_campaign(h.tenant.id, "spring").await.unwrap();
    assert_eq!((pass.queued, pass.held), (0, 1));
    assert_eq!(counts(&h).await["pending"], 1, "held, not dropped");
    h.advance(TimeDelta::hours(9) + TimeDelta::minutes(59));
    assert_eq!(run(&h).await, 0, "07:59");
    h.advance(TimeDelta::minutes(1));
    assert_eq!(run(&h).await, 1, "08:00");
    assert!(queued_text(&h, 401).await.is_some());
}

#[tokio::test]
async fn a_starter_campaign_to_1001_contacts_is_refused_and_creates_nothing() {
    let h = Harness::new().await;
    let mut csv = String::from("phone,name,company,tags,smsOptedIn\n");
    for n in 0..1_001 {
        csv.push_str(&format!("+1212555{n:04},Ada,Acme,vip,true\n"));
    }
    let options = msgcore::core::import::ImportOptions::default();
    let report = h
        .inbox
        .import_contacts(h.tenant.id, csv.as_bytes(), &options, |_| {
            std::ops::ControlFlow::Continue(())
        })
        .await
        .unwrap();
    assert_eq!(report.created, 1_001);
    let refused = h
        .inbox
        .create_campaign(h.tenant.id, definition(json!({})))
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::PlanLimit);
    let missing = h.inbox.campaign_counts(h.tenant.id, "spring").await;
    assert_eq!(missing.unwrap_err().kind(), ErrorKind::UnknownCampaign);
    let mut pro = h.tenant.clone();
    pro.settings.plan = PlanLimits::pro();
    h.inbox.put_tenant(&pro).await.unwrap();
    assert_eq!(create(&h, json!({})).await.pending, 1_001);
}

#[tokio::test]
async fn pause_holds_everyone_resume_goes_on_and_cancel_skips_the_rest() {
    let h = Harness::new().await;
    for n in 0..4 {
        contact(&h, 500 + n, Some("Ada"), Some("Acme"), true).await;
    }
    create(&h, json!({"per_minute": 1})).await;
    assert_eq!(run(&h).await, 1);
    let change = |c| h.inbox.change_campaign(h.tenant.id, "spring", c);
    change(CampaignChange::Pause).await.unwrap();
    h.advance(TimeDelta::minutes(10));
    assert_eq!(run(&h).await, 0, "paused");
    change(CampaignChange::Resume).await.unwrap();
    assert_eq!(run(&h).await, 1, "one minute's share, not the ten paused");
    let cancelled = change(CampaignChange::Cancel).await.unwrap();
    assert_eq!(
        serde_json::to_value(cancelled).unwrap()["skipped"],
        json!({"cancelled": 2})
    );
    h.advance(TimeDelta::minutes(10));
    assert_eq!(run(&h).await, 0);
    let refused = change(CampaignChange::Resume).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::CampaignFinished);
}

#[tokio::test]
async fn whatsapp_text_outside_the_window_is_skipped_and_a_template_is_sent() {
    let h = Harness::new().await;
    h.text_in(Channel::WhatsApp, "hello").await;
    let edit = ContactEdit {
        add_tags: vec!["vip".into()],
        ..ContactEdit::default()
    };
    let contact = crate::harness::CONTACT;
    h.inbox
        .edit_contact(h.tenant.id, e164(contact), &edit, &EditedBy::Api)
        .await
        .unwrap();
    h.advance(TimeDelta::hours(25));
    create(
        &h,
        json!({"channel": "whatsapp", "text": "Hello from Demo!", "id": "spring"}),
    )
    .await;
    run(&h).await;
    assert_eq!(counts(&h).await["skipped"], json!({"outside_window": 1}));
    let template = json!({
        "id": "reminder", "channel": "whatsapp", "audience": {"tags": ["vip"]},
        "template": {"name": "appointment_reminder", "language": "en_US"}
    });
    let definition: CampaignDefinition = serde_json::from_value(template).unwrap();
    h.inbox
        .create_campaign(h.tenant.id, definition)
        .await
        .unwrap();
    let pass = h.inbox.run_campaign(h.tenant.id, "reminder").await.unwrap();
    assert_eq!(pass.queued, 1, "a template needs no window");
}

#[tokio::test]
async fn counts_follow_the_messages_statuses() {
    let h = Harness::new().await;
    contact(&h, 601, Some("Ada"), Some("Acme"), true).await;
    contact(&h, 602, Some("Bob"), Some("Acme"), true).await;
    create(&h, json!({})).await;
    run(&h).await;
    use msgcore::core::delivery::{DeliveryStatus, StatusUpdate};
    let statuses = [
        (601, DeliveryStatus::Read),
        (602, DeliveryStatus::Undelivered),
    ];
    for (n, status) in statuses {
        let client_id = format!("spring:{}", phone(n));
        let message = h
            .store
            .message_by_client_id(h.tenant.id, &client_id)
            .await
            .unwrap()
            .unwrap();
        let update = StatusUpdate::new(status, h.clock_now());
        h.store
            .record_status(h.tenant.id, message.id, &update, None)
            .await
            .unwrap();
    }
    let counts = counts(&h).await;
    assert_eq!(
        (counts["delivered"].clone(), counts["failed"].clone()),
        (json!(1), json!(1))
    );
}

#[tokio::test]
async fn a_campaign_id_used_already_is_a_conflict() {
    let h = Harness::new().await;
    create(&h, json!({})).await;
    let again = h
        .inbox
        .create_campaign(h.tenant.id, definition(json!({})))
        .await
        .unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Conflict);
}
