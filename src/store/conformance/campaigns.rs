//! Checks of campaigns and their recipients: [`Store::create_campaign`] and
//! the methods after it.
//!
//! As everywhere in the suite, the `expect`s are assertions on the store under
//! test (its answers, and the suite's own fixtures), never on outside input.

use chrono::{DateTime, TimeDelta, Utc};

use super::{conversation, creation, outbound, outbox_for, put, t0, tenant};
use crate::core::campaign::{
    CampaignDefinition, CampaignStatus, RecipientState, SkipReason, client_id,
};
use crate::core::delivery::{DeliveryStatus, StatusUpdate};
use crate::model::{
    CampaignRecipient, CampaignRecord, Contact, ContactId, IdSource, RandomIds, RecipientOutcome,
    RecipientUpdate, TenantId,
};
use crate::store::{Changeset, CommitError, ContactWrite, Store, StoreError};

const LEASE: TimeDelta = TimeDelta::minutes(5);

/// A campaign `id` of `tenant`, `per_minute` a minute from `t0`, with `n`
/// recipients (the contacts, created in the store); those at `skipped` are
/// frozen as skipped `opted_out`.
pub(super) async fn campaign_of<S: Store + ?Sized>(
    store: &S,
    tenant: TenantId,
    id: &str,
    per_minute: Option<u32>,
    n: u32,
    skipped: &[u64],
) -> (CampaignRecord, Vec<CampaignRecipient>, Vec<Contact>) {
    let definition: CampaignDefinition = serde_json::from_value(serde_json::json!({
        "id": id, "channel": "sms", "text": "Hi {name}", "per_minute": per_minute,
    }))
    .expect("a campaign definition");
    let campaign = definition.clone().validate(t0()).expect("a valid campaign");
    let mut contacts = Vec::new();
    let mut recipients = Vec::new();
    for position in 0..u64::from(n) {
        let phone = format!("+1415555{:04}", 600 + position)
            .parse()
            .expect("a valid number");
        let contact = Contact::new(
            ContactId::from_uuid(RandomIds.next_id()),
            tenant,
            phone,
            t0(),
        );
        let changes = Changeset::for_contact(tenant, ContactWrite::Insert(contact.clone()));
        store.commit(changes).await.expect("a new contact");
        let state = if skipped.contains(&position) {
            RecipientState::Skipped(SkipReason::OptedOut)
        } else {
            RecipientState::Pending
        };
        recipients.push(CampaignRecipient {
            tenant,
            campaign: campaign.id.clone(),
            position,
            contact: contact.id,
            phone,
            state,
            message: None,
            not_before: t0(),
            lease_until: None,
        });
        contacts.push(contact);
    }
    let record = CampaignRecord::new(tenant, definition, &campaign, u64::from(n), t0());
    (record, recipients, contacts)
}

async fn claim<S: Store + ?Sized>(
    store: &S,
    record: &CampaignRecord,
    at: DateTime<Utc>,
    limit: usize,
) -> Vec<u64> {
    store
        .claim_recipients(record.tenant, &record.id, at, LEASE, limit)
        .await
        .expect("claim_recipients")
        .iter()
        .map(|r| r.position)
        .collect()
}

async fn states<S: Store + ?Sized>(store: &S, record: &CampaignRecord) -> Vec<RecipientState> {
    store
        .campaign_recipients(record.tenant, &record.id, None, 1_000)
        .await
        .expect("campaign_recipients")
        .iter()
        .map(|r| r.state)
        .collect()
}

fn update(
    record: &CampaignRecord,
    contact: &Contact,
    outcome: RecipientOutcome,
) -> RecipientUpdate {
    RecipientUpdate {
        campaign: record.id.clone(),
        contact: contact.id,
        outcome,
    }
}

/// A changeset that queues the campaign's message to `contact` and marks it
/// queued.
fn queuing(record: &CampaignRecord, contact: &Contact) -> Changeset {
    let conversation = conversation(contact, t0());
    let mut message = outbound(&conversation, "Hi");
    message.client_id = Some(client_id(&record.id, &contact.phone));
    let mut changes = creation(contact, &conversation, vec![message.clone()]);
    changes.contact = ContactWrite::update(contact.version, contact.clone());
    changes.outbox = vec![outbox_for(&message, contact.phone, t0())];
    changes.events.clear();
    changes.recipients = vec![update(
        record,
        contact,
        RecipientOutcome::Queued(message.id),
    )];
    changes
}

/// A campaign reads back as created, with its recipients in audience order; a
/// second campaign with its id is refused and changes nothing; another tenant
/// sees neither.
pub async fn a_campaign_is_created_once_with_its_recipients_in_order<S: Store + ?Sized>(store: &S) {
    let (t, other) = (tenant(), tenant());
    put(store, &t).await;
    put(store, &other).await;
    let (record, recipients, _) = campaign_of(store, t.id, "spring", None, 3, &[1]).await;
    store
        .create_campaign(&record, &recipients)
        .await
        .expect("create_campaign");
    let stored = store.campaign(t.id, "spring").await.expect("campaign");
    assert_eq!(stored.as_ref(), Some(&record), "the campaign reads back");
    let page = store
        .campaign_recipients(t.id, "spring", Some(0), 10)
        .await
        .expect("campaign_recipients");
    assert_eq!(
        page,
        recipients[1..],
        "recipients after position 0, in order"
    );
    let again = store.create_campaign(&record, &recipients[..1]).await;
    assert!(
        matches!(again, Err(StoreError::Taken { .. })),
        "a second campaign with the id is taken: {again:?}"
    );
    assert_eq!(states(store, &record).await.len(), 3, "nothing was added");
    assert_eq!(
        store.campaign(other.id, "spring").await.expect("campaign"),
        None
    );
    let hidden = store
        .campaign_recipients(other.id, "spring", None, 10)
        .await
        .expect("campaign_recipients");
    assert!(hidden.is_empty(), "another tenant sees no recipient");
}

/// Claims take pending recipients in order, no more than the throttle allows,
/// each once while its lease holds; a lapsed lease frees it, a hold keeps it
/// pending until its time, and a skip ends it.
pub async fn recipients_are_claimed_in_order_within_the_throttle_once_per_lease<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant();
    put(store, &t).await;
    let (record, recipients, contacts) = campaign_of(store, t.id, "paced", Some(3), 6, &[2]).await;
    store
        .create_campaign(&record, &recipients)
        .await
        .expect("create_campaign");
    assert_eq!(
        claim(store, &record, t0() - TimeDelta::seconds(1), 10).await,
        Vec::<u64>::new()
    );
    assert_eq!(
        claim(store, &record, t0(), 10).await,
        [0, 1, 3],
        "the first minute's share"
    );
    assert!(
        claim(store, &record, t0(), 10).await.is_empty(),
        "the share is used"
    );
    let minute = t0() + TimeDelta::minutes(1);
    assert_eq!(
        claim(store, &record, minute, 1).await,
        [4],
        "at most the limit"
    );
    assert_eq!(claim(store, &record, minute, 10).await, [5]);
    let held_until = t0() + TimeDelta::minutes(30);
    let settled = [
        update(
            &record,
            &contacts[0],
            RecipientOutcome::Held { until: held_until },
        ),
        update(
            &record,
            &contacts[1],
            RecipientOutcome::Skipped(SkipReason::OptedOut),
        ),
    ];
    store
        .settle_recipients(t.id, &settled)
        .await
        .expect("settle_recipients");
    let lapsed = t0() + TimeDelta::minutes(10);
    assert_eq!(
        claim(store, &record, lapsed, 10).await,
        [3, 4, 5],
        "lapsed leases free their recipients; the held one waits, the skipped one is done"
    );
    assert_eq!(
        claim(store, &record, held_until, 10).await,
        [0, 3, 4, 5],
        "the hold is over, and the leases taken at ten minutes have lapsed"
    );
    let stored = store.campaign(t.id, "paced").await.expect("campaign");
    assert_eq!(
        stored.map(|c| c.released),
        Some(12),
        "every take-up is counted"
    );
}

/// A recipient's message commits with its recipient row; queuing them again
/// (after a crash, or by a second scheduler) is a conflict or a duplicate and
/// writes nothing. Counts follow the rows and the messages' statuses.
pub async fn a_recipient_is_queued_once_and_counted_from_its_message<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let (record, recipients, contacts) = campaign_of(store, t.id, "once", None, 3, &[2]).await;
    store
        .create_campaign(&record, &recipients)
        .await
        .expect("create_campaign");
    let first = queuing(&record, &contacts[0]);
    let message = first.messages[0].id;
    store.commit(first).await.expect("the first queuing");
    let mut loaded = contacts[0].clone();
    loaded.version += 1;
    let again = store.commit(queuing(&record, &loaded)).await;
    assert!(
        matches!(
            again,
            Err(CommitError::Conflict | CommitError::Duplicate { .. })
        ),
        "queuing a queued recipient again is refused: {again:?}"
    );
    let queued = store
        .campaign_recipients(t.id, "once", None, 1)
        .await
        .expect("campaign_recipients");
    assert_eq!(queued[0].state, RecipientState::Queued);
    assert_eq!(queued[0].message, Some(message));
    store
        .record_status(
            t.id,
            message,
            &StatusUpdate::new(DeliveryStatus::Read, t0()),
            None,
        )
        .await
        .expect("record_status");
    let counts = store
        .campaign_counts(t.id, "once")
        .await
        .expect("campaign_counts")
        .expect("a known campaign");
    let json = serde_json::to_value(&counts).expect("counts as JSON");
    assert_eq!(
        json,
        serde_json::json!({"recipients": 3, "pending": 1, "queued": 0, "sent": 0,
                           "delivered": 1, "failed": 0, "skipped": {"opted_out": 1}}),
        "read counts as delivered"
    );
    assert_eq!(
        store
            .campaign_counts(t.id, "unknown")
            .await
            .expect("counts"),
        None
    );
}

/// A stale campaign write is a conflict; a cancellation skips every pending
/// recipient, leaves the queued alone, and no recipient is claimed or queued
/// after it.
pub async fn cancelling_skips_the_pending_and_nothing_is_queued_after<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant();
    put(store, &t).await;
    let (record, recipients, contacts) = campaign_of(store, t.id, "cancel", None, 3, &[]).await;
    store
        .create_campaign(&record, &recipients)
        .await
        .expect("create_campaign");
    store
        .commit(queuing(&record, &contacts[0]))
        .await
        .expect("the first queuing");
    assert_eq!(
        claim(store, &record, t0(), 1).await,
        [1],
        "a claim bumps the version"
    );
    let stale = record.with_status(CampaignStatus::Paused, t0());
    let refused = store.update_campaign(&stale, record.version).await;
    assert!(matches!(refused, Err(CommitError::Conflict)), "{refused:?}");
    let loaded = store
        .campaign(t.id, "cancel")
        .await
        .expect("campaign")
        .expect("a known campaign");
    let cancelled = loaded.with_status(CampaignStatus::Cancelled, t0());
    store
        .update_campaign(&cancelled, loaded.version)
        .await
        .expect("update_campaign");
    let skipped = RecipientState::Skipped(SkipReason::Cancelled);
    assert_eq!(
        states(store, &record).await,
        [RecipientState::Queued, skipped, skipped],
        "the claimed recipient is cancelled too"
    );
    let late = store.commit(queuing(&record, &contacts[1])).await;
    assert!(matches!(late, Err(CommitError::Conflict)), "{late:?}");
    assert!(
        claim(store, &record, t0() + TimeDelta::hours(1), 10)
            .await
            .is_empty()
    );
}

/// A scheduler visits the active campaigns that have started, of every tenant,
/// oldest first; one whose recipients are all done completes and drops out.
pub async fn running_campaigns_are_the_started_active_ones_until_complete<S: Store + ?Sized>(
    store: &S,
) {
    let (a, b) = (tenant(), tenant());
    put(store, &a).await;
    put(store, &b).await;
    let (first, recipients, _) = campaign_of(store, a.id, "first", None, 1, &[]).await;
    store
        .create_campaign(&first, &recipients)
        .await
        .expect("create_campaign");
    let (mut later, recipients, _) = campaign_of(store, b.id, "later", None, 0, &[]).await;
    later.created_at = t0() + TimeDelta::seconds(1);
    later.throttle.start = t0() + TimeDelta::hours(1);
    store
        .create_campaign(&later, &recipients)
        .await
        .expect("create_campaign");
    let ours = |running: Vec<(TenantId, String)>| -> Vec<String> {
        running
            .into_iter()
            .filter(|(tenant, _)| *tenant == a.id || *tenant == b.id)
            .map(|(_, id)| id)
            .collect()
    };
    let at = |offset: TimeDelta| t0() + offset;
    let running = store.running_campaigns(at(TimeDelta::zero()), 10_000).await;
    assert_eq!(
        ours(running.expect("running")),
        ["first"],
        "`later` has not started"
    );
    let running = store
        .running_campaigns(at(TimeDelta::hours(2)), 10_000)
        .await;
    assert_eq!(
        ours(running.expect("running")),
        ["first", "later"],
        "oldest first"
    );
    assert!(
        claim(store, &later, at(TimeDelta::hours(2)), 10)
            .await
            .is_empty()
    );
    let done = store.campaign(b.id, "later").await.expect("campaign");
    assert_eq!(
        done.map(|c| c.status),
        Some(CampaignStatus::Completed),
        "nobody pending"
    );
    let running = store
        .running_campaigns(at(TimeDelta::hours(2)), 10_000)
        .await;
    assert_eq!(ours(running.expect("running")), ["first"]);
}

/// A tenant's campaigns are listed newest first, up to the limit, and never
/// another tenant's.
pub async fn campaigns_are_listed_per_tenant_newest_first<S: Store + ?Sized>(store: &S) {
    let (a, b) = (tenant(), tenant());
    put(store, &a).await;
    put(store, &b).await;
    for (tenant, id, minutes) in [
        (&a, "first", 0),
        (&b, "other", 1),
        (&a, "second", 2),
        (&a, "third", 3),
    ] {
        let (mut record, recipients, _) = campaign_of(store, tenant.id, id, None, 0, &[]).await;
        record.created_at = t0() + TimeDelta::minutes(minutes);
        store
            .create_campaign(&record, &recipients)
            .await
            .expect("create_campaign");
    }
    let ids = |records: Vec<CampaignRecord>| -> Vec<String> {
        records.into_iter().map(|r| r.id).collect()
    };

    let newest = store.campaigns(a.id, 2).await.expect("campaigns");
    let all_of_b = store.campaigns(b.id, 10).await.expect("campaigns");

    assert_eq!(ids(newest), ["third", "second"]);
    assert_eq!(ids(all_of_b), ["other"]);
}
