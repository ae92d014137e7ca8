//! Checks of outgoing webhook endpoints: [`Store::create_webhook`],
//! [`Store::webhooks`], [`Store::webhook`], [`Store::delete_webhook`],
//! [`Store::enable_webhook`], [`Store::claim_webhooks`] and
//! [`Store::settle_webhook`].

use chrono::{DateTime, TimeDelta, Utc};

use super::{contact, put, t0, tenant};
use crate::core::webhook_endpoint::{EndpointUrl, EventFilter, UrlPolicy};
use crate::core::webhook_retry::{Attempt, DeliveryState, RetrySchedule};
use crate::core::webhook_signing::SigningSecret;
use crate::model::{IdSource, InboxEvent, RandomIds, TenantId, WebhookEndpoint, WebhookId};
use crate::store::{Changeset, ContactWrite, Store, StoreError};

const LEASE: TimeDelta = TimeDelta::seconds(30);

/// A new endpoint of `tenant`, registered at `at`.
fn endpoint(tenant: TenantId, at: DateTime<Utc>) -> WebhookEndpoint {
    WebhookEndpoint {
        id: WebhookId::from_uuid(RandomIds.next_id()),
        tenant,
        url: EndpointUrl::parse("https://hooks.example.com/inbox", UrlPolicy::PUBLIC)
            .expect("a public https url"),
        description: Some("CRM".to_owned()),
        events: EventFilter::all(),
        secret: SigningSecret::new([9; 32]),
        created_at: at,
        // The store sets the cursor; this one must be overridden.
        delivery: DeliveryState::new(u64::MAX / 2, at),
    }
}

/// Commits a new contact of `tenant` with one event: its sequence number.
async fn one_event<S: Store + ?Sized>(store: &S, tenant: TenantId, phone: &str) -> u64 {
    let c = contact(tenant, phone);
    let mut changes = Changeset::for_contact(tenant, ContactWrite::Insert(c.clone()));
    changes.push_event(
        t0(),
        InboxEvent::TagAdded {
            contact: c.id,
            tag: "new".into(),
        },
    );
    store.commit(changes).await.expect("commit");
    let events = store.events(tenant, 0, 10_000).await.expect("events");
    events
        .last()
        .map(|(seq, _)| *seq)
        .expect("the event just written")
}

/// `tenant`'s endpoints among those claimed at `at`.
async fn claim_of<S: Store + ?Sized>(
    store: &S,
    tenant: TenantId,
    at: DateTime<Utc>,
) -> Vec<WebhookEndpoint> {
    let claimed = store
        .claim_webhooks(at, LEASE, 1_000)
        .await
        .expect("claim_webhooks");
    claimed.into_iter().filter(|e| e.tenant == tenant).collect()
}

/// An endpoint starts after the tenant's latest event and reads back as
/// stored; a tenant lists its own endpoints only, oldest first, and cannot
/// read or delete another's; a taken id is refused.
pub async fn webhook_endpoints_start_at_the_latest_event_and_belong_to_their_tenant<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let (a, b) = (tenant(), tenant());
    put(store, &a).await;
    put(store, &b).await;
    let latest = one_event(store, a.id, "+14155550161").await;
    let first = store
        .create_webhook(&endpoint(a.id, t0()))
        .await
        .expect("create_webhook");
    assert_eq!(first.delivery.cursor, latest, "starts at the latest event");
    let second = store
        .create_webhook(&endpoint(a.id, t0() + TimeDelta::seconds(1)))
        .await
        .expect("create_webhook");
    let theirs = store
        .create_webhook(&endpoint(b.id, t0()))
        .await
        .expect("create_webhook");
    assert_eq!(
        theirs.delivery.cursor, 0,
        "a tenant without events starts at 0"
    );
    let listed = store.webhooks(a.id).await.expect("webhooks");
    assert_eq!(listed, vec![first.clone(), second.clone()], "oldest first");
    let found = store.webhook(a.id, first.id).await.expect("webhook");
    assert_eq!(found, Some(first.clone()), "reads back as stored");
    assert_eq!(store.webhook(b.id, first.id).await.expect("webhook"), None);
    assert!(!store.delete_webhook(b.id, first.id).await.expect("delete"));
    assert!(
        store
            .webhook(a.id, first.id)
            .await
            .expect("webhook")
            .is_some()
    );
    let mut again = endpoint(a.id, t0());
    again.id = first.id;
    let refused = store.create_webhook(&again).await;
    assert!(
        matches!(refused, Err(StoreError::Taken { .. })),
        "a taken id is refused, got {refused:?}"
    );
    assert!(store.delete_webhook(a.id, second.id).await.expect("delete"));
    assert!(!store.delete_webhook(a.id, second.id).await.expect("delete"));
    assert_eq!(store.webhooks(a.id).await.expect("webhooks"), vec![first]);
}

/// Only an endpoint with events after its cursor is claimed, once per lease;
/// a settlement counts only while its claim stands; a disabled or deleted
/// endpoint is never claimed, and an enabled one resumes where it stopped.
pub async fn endpoints_with_new_events_are_claimed_once_and_settled_by_their_claim<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant();
    put(store, &t).await;
    let created = store
        .create_webhook(&endpoint(t.id, t0()))
        .await
        .expect("create_webhook");
    assert!(claim_of(store, t.id, t0()).await.is_empty(), "nothing new");
    let seq = one_event(store, t.id, "+14155550162").await;
    let claimed = claim_of(store, t.id, t0()).await;
    let [held] = claimed.as_slice() else {
        panic!("the endpoint with a new event is claimed, got {claimed:?}");
    };
    assert_eq!(held.id, created.id);
    assert!(claim_of(store, t.id, t0()).await.is_empty(), "leased");
    let lapsed = t0() + LEASE;
    let retaken = claim_of(store, t.id, lapsed).await;
    let [again] = retaken.as_slice() else {
        panic!("a lapsed lease is claimed again, got {retaken:?}");
    };
    let schedule = RetrySchedule::default();
    let mut done = held.delivery.clone();
    done.settle(
        Attempt {
            through: seq,
            failure: None,
        },
        lapsed,
        &schedule,
    );
    let stale = store
        .settle_webhook(t.id, held.id, held.delivery.claims, &done)
        .await
        .expect("settle_webhook");
    assert!(!stale, "the first claim no longer stands");
    let mut failed = again.delivery.clone();
    failed.settle(
        Attempt {
            through: seq - 1,
            failure: Some("HTTP 503".into()),
        },
        lapsed,
        &RetrySchedule::new(vec![]),
    );
    assert!(
        store
            .settle_webhook(t.id, again.id, again.delivery.claims, &failed)
            .await
            .expect("settle_webhook")
    );
    let stored = store.webhook(t.id, again.id).await.expect("webhook");
    let stored = stored.expect("the endpoint");
    assert_eq!(stored.delivery, failed, "the settlement is recorded");
    assert!(stored.delivery.disabled_at.is_some());
    let much_later = lapsed + TimeDelta::days(30);
    assert!(
        claim_of(store, t.id, much_later).await.is_empty(),
        "disabled"
    );

    let enabled = store
        .enable_webhook(t.id, again.id, much_later)
        .await
        .expect("enable_webhook")
        .expect("the endpoint");
    assert_eq!(enabled.delivery.cursor, seq - 1, "resumes where it stopped");
    assert_eq!(claim_of(store, t.id, much_later).await.len(), 1);
    assert!(store.delete_webhook(t.id, again.id).await.expect("delete"));
    let gone = store
        .settle_webhook(t.id, again.id, enabled.delivery.claims + 1, &done)
        .await
        .expect("settle_webhook");
    assert!(!gone, "a deleted endpoint's settlement is not recorded");
    let other = tenant();
    put(store, &other).await;
    assert_eq!(
        store
            .enable_webhook(other.id, again.id, much_later)
            .await
            .expect("enable"),
        None
    );
}
