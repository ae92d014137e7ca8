//! The conformance suite: the [`Store`] contract as executable checks, for any
//! implementation (object_store style).
//!
//! Run [`run_all`] against a store that starts empty; it panics with a message
//! naming the broken rule. msgcore runs it against [`MemoryStore`](super::MemoryStore),
//! the SQLite store and the PostgreSQL store; run it against your own, from a
//! test with the `conformance` feature on (a dev-dependency
//! `msgcore = { features = ["conformance"] }` keeps it out of your build):
//!
//! ```
//! # async fn check() {
//! let store = msgcore::store::MemoryStore::new();
//! msgcore::store::conformance::run_all(&store).await;
//! # }
//! ```
//!
//! Each check makes its own tenants with fresh ids, slugs and numbers, so the checks
//! do not see each other's data.
//!
//! This module is a test suite, compiled only with the `conformance` feature so
//! that other crates can run it and nobody else carries it: its `expect`s and
//! `panic!`s are its assertions. They fire only when the store under test breaks
//! the contract (or fails), never on outside input; the records they build are
//! the suite's own fixtures.

mod analytics;
mod api_keys;
mod audience;
mod batches;
mod campaigns;
mod inbound_reads;
mod outbox;
mod timeline;
mod usage;
mod webhooks;
mod workflows;

pub use analytics::analytics_count_the_tenants_records_within_the_range;
pub use api_keys::{
    a_revocation_sticks_and_uses_are_recorded_forwards,
    api_keys_are_found_by_id_and_listed_per_tenant,
};
pub use audience::{
    an_audience_pages_through_tagged_contacts_in_creation_order,
    updated_contacts_are_in_the_audiences_of_their_new_tags,
};
pub use batches::{
    a_batch_naming_one_contact_or_phone_twice_is_refused, a_batch_writes_every_changeset_or_none,
    a_duplicate_in_a_later_changeset_fails_the_whole_batch,
    contacts_are_found_by_many_phones_within_the_tenant,
};
pub use campaigns::{
    a_campaign_is_created_once_with_its_recipients_in_order,
    a_recipient_is_queued_once_and_counted_from_its_message,
    campaigns_are_listed_per_tenant_newest_first,
    cancelling_skips_the_pending_and_nothing_is_queued_after,
    recipients_are_claimed_in_order_within_the_throttle_once_per_lease,
    running_campaigns_are_the_started_active_ones_until_complete,
};
pub use inbound_reads::inbound_reads_are_the_retry_the_contact_and_its_latest_conversation;
pub use outbox::many_recipients_items_are_claimed_and_finished_together;
pub use timeline::a_contacts_timeline_holds_its_audit_events_in_order;
pub use usage::a_sent_message_is_counted_once_by_channel_country_and_category;
pub use webhooks::{
    endpoints_with_new_events_are_claimed_once_and_settled_by_their_claim,
    webhook_endpoints_start_at_the_latest_event_and_belong_to_their_tenant,
};
pub use workflows::{
    due_runs_are_claimed_once_per_lease_and_again_when_written,
    rules_keep_the_order_they_were_first_added,
    runs_are_written_with_their_contact_and_found_live_or_latest,
    workflow_versions_are_kept_and_the_latest_is_found,
};

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use super::{
    BulkAction, Changeset, CommitError, ContactWrite, ConversationQuery, DispatchOutcome,
    OutboxFinish, StatusWrite, Store, StoreError,
};
use crate::core::channel::Channel;
use crate::core::conversation::{AgentId, Conversation, Event, Status};
use crate::core::delivery::{Delivery, DeliveryStatus, StatusUpdate};
use crate::core::message::Content;
use crate::core::phone::E164;
use crate::core::ratelimit::{Decision, Quota};
use crate::model::{
    CallLog, Contact, ContactId, ConversationFlags, ConversationId, ConversationRecord, Direction,
    EventRecord, IdSource, InboundContent, InboxEvent, MessageBody, MessageId, MessageOrigin,
    MessageRecord, OutboxItem, OutboxState, ProviderName, RandomIds, Tenant, TenantId,
    TenantNumber, TenantSettings,
};

/// Runs every check, in order.
pub async fn run_all<S: Store + ?Sized>(store: &S) {
    tenants_are_found_by_id_slug_and_number(store).await;
    a_taken_slug_or_number_is_refused(store).await;
    a_commit_writes_every_record_of_the_changeset(store).await;
    a_stale_version_is_a_conflict_that_writes_nothing(store).await;
    a_second_insert_of_the_same_phone_is_a_conflict(store).await;
    a_duplicate_provider_message_id_is_a_duplicate_that_writes_nothing(store).await;
    a_duplicate_client_id_is_a_duplicate(store).await;
    a_changeset_mixing_tenants_is_refused(store).await;
    one_tenant_never_reads_or_changes_anothers_data(store).await;
    statuses_merge_in_any_order(store).await;
    statuses_recorded_together_merge_as_one_by_one(store).await;
    the_outbox_is_claimed_once_per_lease_and_finished(store).await;
    send_outcomes_recorded_together_are_recorded_as_one_by_one(store).await;
    many_recipients_items_are_claimed_and_finished_together(store).await;
    one_recipients_messages_are_claimed_in_the_order_they_were_queued(store).await;
    inbox_queries_filter_sort_and_search(store).await;
    bulk_actions_change_flags(store).await;
    the_timeline_is_in_order_and_limited(store).await;
    recent_messages_are_the_tenants_newest_across_contacts(store).await;
    the_shared_rate_limiter_allows_the_burst_then_refuses(store).await;
    several_limits_are_charged_in_order_up_to_the_first_refusal(store).await;
    a_contact_update_to_a_taken_phone_is_refused(store).await;
    a_second_outbox_item_for_a_message_is_a_duplicate(store).await;
    a_provider_message_id_of_another_message_is_refused_when_finishing(store).await;
    events_are_paged_after_a_sequence_number(store).await;
    a_call_log_event_is_kept_exactly(store).await;
    a_call_logged_twice_is_a_duplicate_that_writes_nothing(store).await;
    conversations_are_replaced_by_id_and_the_latest_is_the_newest(store).await;
    inbound_reads_are_the_retry_the_contact_and_its_latest_conversation(store).await;
    instants_keep_their_nanoseconds(store).await;
    text_with_nul_is_kept_and_found_by_it(store).await;
    a_batch_writes_every_changeset_or_none(store).await;
    a_duplicate_in_a_later_changeset_fails_the_whole_batch(store).await;
    a_batch_naming_one_contact_or_phone_twice_is_refused(store).await;
    contacts_are_found_by_many_phones_within_the_tenant(store).await;
    a_contacts_timeline_holds_its_audit_events_in_order(store).await;
    an_audience_pages_through_tagged_contacts_in_creation_order(store).await;
    updated_contacts_are_in_the_audiences_of_their_new_tags(store).await;
    a_campaign_is_created_once_with_its_recipients_in_order(store).await;
    recipients_are_claimed_in_order_within_the_throttle_once_per_lease(store).await;
    a_recipient_is_queued_once_and_counted_from_its_message(store).await;
    cancelling_skips_the_pending_and_nothing_is_queued_after(store).await;
    running_campaigns_are_the_started_active_ones_until_complete(store).await;
    campaigns_are_listed_per_tenant_newest_first(store).await;
    a_sent_message_is_counted_once_by_channel_country_and_category(store).await;
    analytics_count_the_tenants_records_within_the_range(store).await;
    api_keys_are_found_by_id_and_listed_per_tenant(store).await;
    a_revocation_sticks_and_uses_are_recorded_forwards(store).await;
    webhook_endpoints_start_at_the_latest_event_and_belong_to_their_tenant(store).await;
    endpoints_with_new_events_are_claimed_once_and_settled_by_their_claim(store).await;
    workflow_versions_are_kept_and_the_latest_is_found(store).await;
    rules_keep_the_order_they_were_first_added(store).await;
    runs_are_written_with_their_contact_and_found_live_or_latest(store).await;
    due_runs_are_claimed_once_per_lease_and_again_when_written(store).await;
}

/// A fixed instant the checks count from.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn number(seed: u128, offset: u128) -> E164 {
    // 212-2xx-xxxx: valid New York numbers, distinct per seed.
    let subscriber = (seed + offset) % 1_000_000;
    let text = format!("+12122{subscriber:06}");
    text.parse().expect("a valid New York number")
}

/// A seed for a tenant's two numbers: consecutive within a process, so tenants of
/// one run never share a number (random seeds did, now and then, by the birthday
/// paradox), from a random start, so runs against a kept store rarely meet.
fn number_seed() -> u128 {
    static START: OnceLock<u128> = OnceLock::new();
    static TAKEN: AtomicU64 = AtomicU64::new(0);
    let start = *START.get_or_init(|| RandomIds.next_id().as_u128());
    start + u128::from(TAKEN.fetch_add(2, Ordering::Relaxed))
}

/// A tenant with fresh id, slug and numbers.
pub fn tenant() -> Tenant {
    let id = RandomIds.next_id();
    let seed = number_seed();
    Tenant {
        id: TenantId::from_uuid(id),
        slug: format!("t-{}", id.simple()),
        org_name: "Conformance Co".to_owned(),
        numbers: vec![
            TenantNumber {
                channel: Channel::Sms,
                number: number(seed, 0),
            },
            TenantNumber {
                channel: Channel::WhatsApp,
                number: number(seed, 1),
            },
        ],
        settings: TenantSettings::default(),
    }
}

fn contact(tenant: TenantId, phone: &str) -> Contact {
    let phone: E164 = phone.parse().expect("a valid number");
    Contact::new(
        ContactId::from_uuid(RandomIds.next_id()),
        tenant,
        phone,
        t0(),
    )
}

fn conversation(contact: &Contact, at: DateTime<Utc>) -> ConversationRecord {
    ConversationRecord {
        id: ConversationId::from_uuid(RandomIds.next_id()),
        tenant: contact.tenant,
        contact: contact.id,
        state: Conversation::start(at),
        channel: Channel::Sms,
        survey: None,
        responder_context: None,
        flags: ConversationFlags::default(),
        created_at: at,
    }
}

fn inbound(conversation: &ConversationRecord, provider_id: &str, text: &str) -> MessageRecord {
    MessageRecord {
        id: MessageId::from_uuid(RandomIds.next_id()),
        tenant: conversation.tenant,
        conversation: conversation.id,
        contact: conversation.contact,
        direction: Direction::Inbound,
        channel: Channel::Sms,
        origin: MessageOrigin::Contact,
        provider: Some(ProviderName::TWILIO),
        provider_message_id: Some(provider_id.to_owned()),
        client_id: None,
        body: MessageBody::Inbound(InboundContent {
            text: Some(text.to_owned()),
            ..InboundContent::default()
        }),
        created_at: conversation.created_at,
        delivery: Delivery::default(),
        tags: Vec::new(),
        billing: None,
    }
}

fn outbound(conversation: &ConversationRecord, text: &str) -> MessageRecord {
    MessageRecord {
        direction: Direction::Outbound,
        origin: MessageOrigin::Agent,
        provider: None,
        provider_message_id: None,
        body: MessageBody::Outbound(Content::text(text).expect("valid text")),
        ..inbound(conversation, "", text)
    }
}

fn outbox_for(message: &MessageRecord, to: E164, at: DateTime<Utc>) -> OutboxItem {
    let content = match &message.body {
        MessageBody::Outbound(content) => content.clone(),
        MessageBody::Inbound(_) => Content::text("?").expect("valid text"),
    };
    OutboxItem::pending(
        message.id,
        message.tenant,
        message.channel,
        to,
        None,
        content,
        at,
    )
}

/// A changeset that creates `contact` with one conversation and `messages`.
fn creation(
    contact: &Contact,
    conversation: &ConversationRecord,
    messages: Vec<MessageRecord>,
) -> Changeset {
    Changeset {
        tenant: contact.tenant,
        contact: ContactWrite::Insert(contact.clone()),
        conversations: vec![conversation.clone()],
        messages,
        outbox: Vec::new(),
        events: vec![EventRecord {
            tenant: contact.tenant,
            at: t0(),
            event: InboxEvent::ConversationOpened {
                conversation: conversation.id,
                contact: contact.id,
            },
        }],
        call_logs: Vec::new(),
        recipients: Vec::new(),
        runs: Vec::new(),
    }
}

async fn put(store: &(impl Store + ?Sized), tenant: &Tenant) {
    store.put_tenant(tenant).await.expect("put_tenant");
}

/// Asserts that the contact, the conversation and the message read back as
/// they were committed.
async fn reads_back(
    store: &(impl Store + ?Sized),
    contact: &Contact,
    conversation: &ConversationRecord,
    message: &MessageRecord,
) {
    let tenant = contact.tenant;
    let stored = store.contact(tenant, contact.id).await.expect("contact");
    assert_eq!(stored.as_ref(), Some(contact), "the contact reads back");
    let stored = store
        .conversation(tenant, conversation.id)
        .await
        .expect("conversation");
    assert_eq!(
        stored.as_ref(),
        Some(conversation),
        "the conversation reads back"
    );
    let stored = store.message(tenant, message.id).await.expect("message");
    assert_eq!(stored.as_ref(), Some(message), "the message reads back");
}

/// Tenants are found by id, by slug and by any of their numbers.
pub async fn tenants_are_found_by_id_slug_and_number<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    assert_eq!(store.tenant(t.id).await.expect("tenant").as_ref(), Some(&t));
    assert_eq!(
        store
            .tenant_by_slug(&t.slug)
            .await
            .expect("by slug")
            .map(|x| x.id),
        Some(t.id)
    );
    for n in &t.numbers {
        let found = store.tenant_by_number(&n.number).await.expect("by number");
        assert_eq!(
            found.map(|x| x.id),
            Some(t.id),
            "tenant by number {}",
            n.number
        );
    }
    let mut renamed = t.clone();
    renamed.org_name = "Renamed".to_owned();
    put(store, &renamed).await;
    let stored = store
        .tenant(t.id)
        .await
        .expect("tenant")
        .expect("still there");
    assert_eq!(stored.org_name, "Renamed", "put_tenant replaces");
}

/// Another tenant's slug or number is [`StoreError::Taken`].
pub async fn a_taken_slug_or_number_is_refused<S: Store + ?Sized>(store: &S) {
    let first = tenant();
    put(store, &first).await;
    let mut same_slug = tenant();
    same_slug.slug = first.slug.clone();
    assert!(
        matches!(
            store.put_tenant(&same_slug).await,
            Err(StoreError::Taken { .. })
        ),
        "a second tenant with the same slug must be refused"
    );
    let mut same_number = tenant();
    same_number.numbers = first.numbers.clone();
    assert!(
        matches!(
            store.put_tenant(&same_number).await,
            Err(StoreError::Taken { .. })
        ),
        "a second tenant with the same number must be refused"
    );
}

/// Everything in a changeset is readable after the commit.
pub async fn a_commit_writes_every_record_of_the_changeset<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550101");
    let conv = conversation(&c, t0());
    let reply = outbound(&conv, "Hello!");
    let mut changes = creation(&c, &conv, vec![inbound(&conv, "SM1", "hi"), reply.clone()]);
    changes.outbox.push(outbox_for(&reply, c.phone, t0()));
    store.commit(changes).await.expect("commit");

    reads_back(store, &c, &conv, &reply).await;
    assert_eq!(
        store
            .contact_by_phone(t.id, &c.phone)
            .await
            .expect("by phone")
            .map(|x| x.id),
        Some(c.id)
    );
    assert_eq!(
        store
            .latest_conversation(t.id, c.id)
            .await
            .expect("latest")
            .map(|x| x.id),
        Some(conv.id)
    );
    let by_provider = store
        .message_by_provider_id(t.id, &ProviderName::TWILIO, "SM1")
        .await
        .expect("by provider id");
    assert_eq!(
        by_provider
            .and_then(|m| m.text().map(str::to_owned))
            .as_deref(),
        Some("hi")
    );
    let item = store
        .outbox_item(t.id, reply.id)
        .await
        .expect("outbox item");
    assert_eq!(item.map(|i| i.state), Some(OutboxState::Pending));
    let events = store.events(t.id, 0, 10).await.expect("events");
    assert_eq!(events.len(), 1, "one event committed");
}

/// A commit whose contact version is stale is a conflict, and nothing is written.
pub async fn a_stale_version_is_a_conflict_that_writes_nothing<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550102");
    let conv = conversation(&c, t0());
    store
        .commit(creation(&c, &conv, vec![]))
        .await
        .expect("create");

    let mut first = c.clone();
    first.name = Some("First".to_owned());
    let winner = Changeset::for_contact(t.id, ContactWrite::update(1, first));
    store.commit(winner).await.expect("first update wins");

    let mut second = c.clone();
    second.name = Some("Second".to_owned());
    let mut loser = Changeset::for_contact(t.id, ContactWrite::update(1, second));
    loser.messages.push(inbound(&conv, "SM-lost", "lost"));
    assert!(
        matches!(store.commit(loser).await, Err(CommitError::Conflict)),
        "stale version must conflict"
    );

    let stored = store
        .contact(t.id, c.id)
        .await
        .expect("contact")
        .expect("exists");
    assert_eq!((stored.name.as_deref(), stored.version), (Some("First"), 2));
    let lost = store
        .message_by_provider_id(t.id, &ProviderName::TWILIO, "SM-lost")
        .await
        .expect("lookup");
    assert!(lost.is_none(), "a conflicting commit must write nothing");
}

/// Two writers creating the same (tenant, phone): the second is a conflict.
pub async fn a_second_insert_of_the_same_phone_is_a_conflict<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let a = contact(t.id, "+14155550103");
    let b = contact(t.id, "+14155550103");
    store
        .commit(creation(&a, &conversation(&a, t0()), vec![]))
        .await
        .expect("first insert");
    let second = store
        .commit(creation(&b, &conversation(&b, t0()), vec![]))
        .await;
    assert!(
        matches!(second, Err(CommitError::Conflict)),
        "same phone twice must conflict"
    );
    assert!(store.contact(t.id, b.id).await.expect("lookup").is_none());
}

/// A message whose provider id is stored already makes the whole commit a duplicate.
pub async fn a_duplicate_provider_message_id_is_a_duplicate_that_writes_nothing<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550104");
    let conv = conversation(&c, t0());
    let first = inbound(&conv, "SMdup", "hi");
    store
        .commit(creation(&c, &conv, vec![first.clone()]))
        .await
        .expect("first");

    let mut again = c.clone();
    again.name = Some("Changed".to_owned());
    let mut replay = Changeset::for_contact(t.id, ContactWrite::update(1, again));
    replay.messages.push(inbound(&conv, "SMdup", "hi"));
    match store.commit(replay).await {
        Err(CommitError::Duplicate { existing }) => assert_eq!(existing, first.id),
        other => panic!("a replayed provider message id must be a duplicate, got {other:?}"),
    }
    let stored = store
        .contact(t.id, c.id)
        .await
        .expect("contact")
        .expect("exists");
    assert_eq!(
        (stored.name, stored.version),
        (None, 1),
        "a duplicate commit writes nothing"
    );

    // The same provider id from another provider, or in another tenant, is not a duplicate.
    let mut other_provider = inbound(&conv, "SMdup", "hi");
    other_provider.provider = Some(ProviderName::TELNYX);
    let mut ok = Changeset::for_contact(t.id, ContactWrite::update(1, c.clone()));
    ok.messages.push(other_provider);
    store.commit(ok).await.expect("another provider's id space");
    let u = tenant();
    put(store, &u).await;
    let cu = contact(u.id, "+14155550104");
    let convu = conversation(&cu, t0());
    store
        .commit(creation(&cu, &convu, vec![inbound(&convu, "SMdup", "hi")]))
        .await
        .expect("another tenant's id space");
}

/// An outbound message whose client id is stored already is a duplicate.
pub async fn a_duplicate_client_id_is_a_duplicate<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550105");
    let conv = conversation(&c, t0());
    let mut send = outbound(&conv, "one");
    send.client_id = Some("req-1".to_owned());
    store
        .commit(creation(&c, &conv, vec![send.clone()]))
        .await
        .expect("first send");
    let mut retry = outbound(&conv, "one");
    retry.client_id = Some("req-1".to_owned());
    let mut changes = Changeset::for_contact(t.id, ContactWrite::update(1, c.clone()));
    changes.messages.push(retry);
    match store.commit(changes).await {
        Err(CommitError::Duplicate { existing }) => assert_eq!(existing, send.id),
        other => panic!("a repeated client id must be a duplicate, got {other:?}"),
    }
    let found = store
        .message_by_client_id(t.id, "req-1")
        .await
        .expect("by client id");
    assert_eq!(found.map(|m| m.id), Some(send.id));
}

/// A changeset whose records name another tenant is refused whole.
pub async fn a_changeset_mixing_tenants_is_refused<S: Store + ?Sized>(store: &S) {
    let (a, b) = (tenant(), tenant());
    put(store, &a).await;
    put(store, &b).await;
    let c = contact(a.id, "+14155550106");
    let conv = conversation(&c, t0());
    let mut foreign = inbound(&conv, "SMx", "x");
    foreign.tenant = b.id;
    let result = store.commit(creation(&c, &conv, vec![foreign])).await;
    assert!(
        matches!(
            result,
            Err(CommitError::Store(StoreError::InconsistentChangeset))
        ),
        "a changeset across tenants must be refused"
    );
    assert!(store.contact(a.id, c.id).await.expect("lookup").is_none());
}

/// Tenant B sees none of tenant A's records and cannot change them.
pub async fn one_tenant_never_reads_or_changes_anothers_data<S: Store + ?Sized>(store: &S) {
    let (a, b) = (tenant(), tenant());
    put(store, &a).await;
    put(store, &b).await;
    let c = contact(a.id, "+14155550107");
    let conv = conversation(&c, t0());
    let message = inbound(&conv, "SMiso", "private");
    let reply = outbound(&conv, "reply");
    let mut changes = creation(&c, &conv, vec![message.clone(), reply.clone()]);
    changes.outbox.push(outbox_for(&reply, c.phone, t0()));
    store.commit(changes).await.expect("commit");

    assert!(store.contact(b.id, c.id).await.expect("contact").is_none());
    assert!(
        store
            .contact_by_phone(b.id, &c.phone)
            .await
            .expect("by phone")
            .is_none()
    );
    assert!(
        store
            .search_contacts(b.id, "4155550107", 10)
            .await
            .expect("search")
            .is_empty()
    );
    assert!(
        store
            .conversation(b.id, conv.id)
            .await
            .expect("conversation")
            .is_none()
    );
    assert!(
        store
            .latest_conversation(b.id, c.id)
            .await
            .expect("latest")
            .is_none()
    );
    assert!(
        store
            .conversations(b.id, &ConversationQuery::default())
            .await
            .expect("list")
            .is_empty()
    );
    assert!(
        store
            .message(b.id, message.id)
            .await
            .expect("message")
            .is_none()
    );
    let by_provider = store
        .message_by_provider_id(b.id, &ProviderName::TWILIO, "SMiso")
        .await;
    assert!(by_provider.expect("by provider").is_none());
    assert!(
        store
            .timeline(b.id, c.id, 10)
            .await
            .expect("timeline")
            .is_empty()
    );
    assert!(store.events(b.id, 0, 10).await.expect("events").is_empty());
    assert!(
        store
            .outbox_item(b.id, reply.id)
            .await
            .expect("outbox")
            .is_none()
    );

    let update = StatusUpdate::new(DeliveryStatus::Delivered, t0());
    assert!(
        store
            .record_status(b.id, reply.id, &update, None)
            .await
            .expect("status")
            .is_none()
    );
    assert_eq!(
        store
            .bulk_update(b.id, &[conv.id], BulkAction::Delete)
            .await
            .expect("bulk"),
        0
    );
    let sent = DispatchOutcome::Sent {
        provider: ProviderName::TWILIO,
        provider_message_id: "SMhijack".into(),
    };
    let hijacked = store
        .finish_outbox(b.id, reply.id, 1, &sent, t0())
        .await
        .expect("finish");
    assert!(!hijacked, "B cannot finish A's outbox item");

    let still = store
        .conversation(a.id, conv.id)
        .await
        .expect("conversation")
        .expect("exists");
    assert!(
        !still.flags.deleted,
        "B's bulk delete must not touch A's conversation"
    );
    let stored_reply = store
        .message(a.id, reply.id)
        .await
        .expect("message")
        .expect("exists");
    assert_eq!(
        stored_reply.delivery.status(),
        None,
        "B's status must not touch A's message"
    );
    assert_eq!(
        stored_reply.provider_message_id, None,
        "B's outcome must not touch A's message"
    );
}

/// Status updates merge the same whatever their order.
pub async fn statuses_merge_in_any_order<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550108");
    let conv = conversation(&c, t0());
    let (one, two) = (outbound(&conv, "one"), outbound(&conv, "two"));
    let one_id = one.id;
    store
        .commit(creation(&c, &conv, vec![one, two.clone()]))
        .await
        .expect("commit");
    let at = |s| t0() + TimeDelta::seconds(s);
    let updates = [
        StatusUpdate::new(DeliveryStatus::Sent, at(1)),
        StatusUpdate::failed(DeliveryStatus::Undelivered, at(4), "30003"),
        StatusUpdate::new(DeliveryStatus::Delivered, at(3)),
    ];
    let mut last_one = None;
    for update in &updates {
        last_one = store
            .record_status(t.id, one_id, update, None)
            .await
            .expect("status");
    }
    let mut last_two = None;
    for update in updates.iter().rev() {
        last_two = store
            .record_status(t.id, two.id, update, None)
            .await
            .expect("status");
    }
    let (one, two) = (
        last_one.expect("known message"),
        last_two.expect("known message"),
    );
    assert_eq!(one, two, "the order of status callbacks must not matter");
    assert_eq!(one.status(), Some(DeliveryStatus::Delivered));
    let stored = store
        .message(t.id, one_id)
        .await
        .expect("message")
        .expect("exists");
    assert_eq!(
        stored.delivery, one,
        "the merged delivery is what is stored"
    );
}

/// Status updates recorded together merge exactly as one by one, in order:
/// each answer is the delivery after its own update, an unknown message is
/// `None`, and the stored deliveries are the merges.
pub async fn statuses_recorded_together_merge_as_one_by_one<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550142");
    let conv = conversation(&c, t0());
    let (one, two) = (outbound(&conv, "one"), outbound(&conv, "two"));
    store
        .commit(creation(&c, &conv, vec![one.clone(), two.clone()]))
        .await
        .expect("commit");
    let at = |s| t0() + TimeDelta::seconds(s);
    let write = |message: MessageId, update| StatusWrite {
        tenant: t.id,
        message,
        update,
        pricing: None,
    };
    let unknown = MessageId::from_uuid(RandomIds.next_id());
    let writes = [
        write(one.id, StatusUpdate::new(DeliveryStatus::Sent, at(1))),
        write(two.id, StatusUpdate::new(DeliveryStatus::Delivered, at(3))),
        write(unknown, StatusUpdate::new(DeliveryStatus::Sent, at(1))),
        write(one.id, StatusUpdate::new(DeliveryStatus::Delivered, at(2))),
        write(two.id, StatusUpdate::new(DeliveryStatus::Sent, at(1))),
    ];

    let merged = store.record_statuses(&writes).await.expect("statuses");

    let statuses: Vec<_> = merged
        .iter()
        .map(|d| d.as_ref().and_then(Delivery::status))
        .collect();
    use DeliveryStatus::{Delivered, Sent};
    assert_eq!(
        statuses,
        [
            Some(Sent),
            Some(Delivered),
            None,
            Some(Delivered),
            Some(Delivered)
        ]
    );
    for (message, expected) in [(one.id, &merged[3]), (two.id, &merged[4])] {
        let stored = store
            .message(t.id, message)
            .await
            .expect("message")
            .expect("exists");
        assert_eq!(
            Some(&stored.delivery),
            expected.as_ref(),
            "the merge is stored"
        );
    }
    assert_eq!(store.record_statuses(&[]).await.expect("nothing"), []);
}

/// Outcomes recorded together are recorded as one by one, in order: a claim
/// that stands is recorded (`true`), an unknown item or a finished one is not
/// (`false`), and the items and messages say what each outcome did.
pub async fn send_outcomes_recorded_together_are_recorded_as_one_by_one<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550143");
    let conv = conversation(&c, t0());
    let (a, b) = (outbound(&conv, "a"), outbound(&conv, "b"));
    let other = contact(t.id, "+14155550144");
    let other_conv = conversation(&other, t0());
    let d = outbound(&other_conv, "d");
    let mut changes = creation(&c, &conv, vec![a.clone(), b.clone()]);
    changes.outbox = vec![outbox_for(&a, c.phone, t0()), outbox_for(&b, c.phone, t0())];
    store.commit(changes).await.expect("commit");
    let mut changes = creation(&other, &other_conv, vec![d.clone()]);
    changes.outbox = vec![outbox_for(&d, other.phone, t0())];
    store.commit(changes).await.expect("commit");
    let lease = TimeDelta::seconds(30);
    let claimed = store.claim_outbox(t0(), lease, 100).await.expect("claim");
    let claimed: Vec<_> = claimed.into_iter().filter(|i| i.tenant == t.id).collect();
    assert_eq!(claimed.len(), 2, "a, and d of the other recipient");
    let at = t0() + TimeDelta::seconds(1);
    let finish = |message: MessageId, outcome: DispatchOutcome| OutboxFinish {
        tenant: t.id,
        message,
        attempt: 1,
        outcome,
        now: at,
    };
    let sent = DispatchOutcome::Sent {
        provider: ProviderName::TWILIO,
        provider_message_id: format!("SM{}", a.id.as_uuid().simple()),
    };
    let retry = DispatchOutcome::Retry {
        at: at + TimeDelta::minutes(1),
        error: "429".into(),
    };
    let unknown = MessageId::from_uuid(RandomIds.next_id());
    let finishes = [
        finish(a.id, sent.clone()),
        finish(d.id, retry),
        finish(unknown, sent.clone()),
        finish(a.id, sent),
    ];

    let recorded = store.finish_outboxes(&finishes).await.expect("finishes");

    assert_eq!(
        recorded,
        [true, true, false, false],
        "the repeat finds a finished item"
    );
    let state = |m| async move {
        store
            .outbox_item(t.id, m)
            .await
            .expect("item")
            .map(|i| i.state)
    };
    assert!(matches!(state(a.id).await, Some(OutboxState::Sent { .. })));
    assert!(matches!(state(d.id).await, Some(OutboxState::Pending)));
    let stored = store
        .message(t.id, a.id)
        .await
        .expect("message")
        .expect("exists");
    assert_eq!(stored.delivery.status(), Some(DeliveryStatus::Sent));
    assert_eq!(
        store.finish_outboxes(&[]).await.expect("nothing"),
        Vec::<bool>::new()
    );
}

/// The outbox hands an item to one claimer per lease, again after a lapsed lease,
/// and records the outcome on the message.
pub async fn the_outbox_is_claimed_once_per_lease_and_finished<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550109");
    let conv = conversation(&c, t0());
    let (a, b) = (outbound(&conv, "a"), outbound(&conv, "b"));
    let mut changes = creation(&c, &conv, vec![a.clone(), b.clone()]);
    changes.outbox = vec![
        outbox_for(&a, c.phone, t0()),
        outbox_for(&b, c.phone, t0() + TimeDelta::hours(1)),
    ];
    store.commit(changes).await.expect("commit");
    let lease = TimeDelta::seconds(30);
    let mine = |items: Vec<OutboxItem>| -> Vec<MessageId> {
        items
            .into_iter()
            .filter(|i| i.tenant == t.id)
            .map(|i| i.message)
            .collect()
    };

    let first = mine(store.claim_outbox(t0(), lease, 100).await.expect("claim"));
    assert_eq!(first, vec![a.id], "only the item available now is claimed");
    let during_lease = mine(
        store
            .claim_outbox(t0() + TimeDelta::seconds(10), lease, 100)
            .await
            .expect("claim"),
    );
    assert!(
        during_lease.is_empty(),
        "a leased item must not be claimed twice"
    );
    let after_lease = store
        .claim_outbox(t0() + lease, lease, 100)
        .await
        .expect("claim");
    let reclaimed: Vec<&OutboxItem> = after_lease.iter().filter(|i| i.tenant == t.id).collect();
    assert_eq!(
        reclaimed.iter().map(|i| i.message).collect::<Vec<_>>(),
        vec![a.id],
        "a lapsed lease is claimable"
    );
    assert_eq!(
        reclaimed
            .first()
            .map(|i| (i.attempts, i.idempotency_key.clone())),
        Some((2, a.id.to_string()))
    );

    let sent = DispatchOutcome::Sent {
        provider: ProviderName::TWILIO,
        provider_message_id: format!("SM{}", a.id.as_uuid().simple()),
    };
    let stale = store
        .finish_outbox(t.id, a.id, 1, &sent, t0() + lease)
        .await
        .expect("finish");
    assert!(
        !stale,
        "the first claim lapsed and was replaced: its answer must not be recorded"
    );
    let unchanged = store
        .outbox_item(t.id, a.id)
        .await
        .expect("item")
        .expect("exists");
    assert!(matches!(unchanged.state, OutboxState::InFlight { .. }));
    let current = store
        .finish_outbox(t.id, a.id, 2, &sent, t0() + lease)
        .await
        .expect("finish");
    assert!(current, "the standing claim's answer is recorded");
    let again = store
        .finish_outbox(
            t.id,
            a.id,
            2,
            &DispatchOutcome::Failed {
                code: None,
                error: "late".into(),
            },
            t0() + lease,
        )
        .await
        .expect("finish");
    assert!(!again, "a finished item cannot be finished again");
    let item = store
        .outbox_item(t.id, a.id)
        .await
        .expect("item")
        .expect("exists");
    assert!(matches!(item.state, OutboxState::Sent { .. }));
    let message = store
        .message(t.id, a.id)
        .await
        .expect("message")
        .expect("exists");
    assert_eq!(message.delivery.status(), Some(DeliveryStatus::Sent));
    let DispatchOutcome::Sent {
        provider_message_id,
        ..
    } = &sent
    else {
        unreachable!()
    };
    let by_provider = store
        .message_by_provider_id(t.id, &ProviderName::TWILIO, provider_message_id)
        .await
        .expect("lookup");
    assert_eq!(
        by_provider.map(|m| m.id),
        Some(a.id),
        "a sent message is found by its provider id"
    );
    assert!(
        mine(
            store
                .claim_outbox(t0() + TimeDelta::minutes(5), lease, 100)
                .await
                .expect("claim")
        )
        .is_empty()
    );

    let later = t0() + TimeDelta::hours(1);
    assert_eq!(
        mine(store.claim_outbox(later, lease, 100).await.expect("claim")),
        vec![b.id]
    );
    let retry = DispatchOutcome::Retry {
        at: later + TimeDelta::minutes(1),
        error: "429".into(),
    };
    let retried = store
        .finish_outbox(t.id, b.id, 1, &retry, later)
        .await
        .expect("retry");
    assert!(retried);
    assert!(
        mine(
            store
                .claim_outbox(later + TimeDelta::seconds(59), lease, 100)
                .await
                .expect("claim")
        )
        .is_empty()
    );
    assert_eq!(
        mine(
            store
                .claim_outbox(later + TimeDelta::minutes(1), lease, 100)
                .await
                .expect("claim")
        ),
        vec![b.id]
    );
    let failed = DispatchOutcome::Failed {
        code: Some("21211".into()),
        error: "invalid To".into(),
    };
    let failed_now = store
        .finish_outbox(t.id, b.id, 2, &failed, later)
        .await
        .expect("fail");
    assert!(failed_now, "the second claim counts attempt 2");
    let message = store
        .message(t.id, b.id)
        .await
        .expect("message")
        .expect("exists");
    assert_eq!(message.delivery.status(), Some(DeliveryStatus::Failed));
    let report = message
        .delivery
        .report(DeliveryStatus::Failed)
        .expect("failure report");
    assert!(
        report.error_codes.contains("21211"),
        "the error code is kept"
    );
}

/// One recipient's messages on one channel are claimed one at a time, in the
/// order they were queued (SPEC §18 "Order"): a later one waits while an earlier
/// one is in flight or waiting for its retry, and goes once that one is sent or
/// failed; the same recipient's other channel and other recipients never wait.
pub async fn one_recipients_messages_are_claimed_in_the_order_they_were_queued<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant();
    put(store, &t).await;
    // Longer than the retry's backoff, so only the retry comes back at first.
    let lease = TimeDelta::hours(1);
    let ann = contact(t.id, "+14155550131");
    let ann_sms = conversation(&ann, t0());
    let (a1, a2, a3) = (
        outbound(&ann_sms, "a1"),
        outbound(&ann_sms, "a2"),
        outbound(&ann_sms, "a3"),
    );
    let whatsapp = MessageRecord {
        channel: Channel::WhatsApp,
        ..outbound(&ann_sms, "on whatsapp")
    };
    let queued = vec![a1.clone(), a2.clone(), a3.clone(), whatsapp.clone()];
    let mut changes = creation(&ann, &ann_sms, queued.clone());
    changes.outbox = queued
        .iter()
        .map(|m| outbox_for(m, ann.phone, t0()))
        .collect();
    store.commit(changes).await.expect("commit ann");
    let bob = contact(t.id, "+14155550132");
    let bob_sms = conversation(&bob, t0());
    let (b1, b2) = (outbound(&bob_sms, "b1"), outbound(&bob_sms, "b2"));
    let mut changes = creation(&bob, &bob_sms, vec![b1.clone(), b2.clone()]);
    changes.outbox = vec![
        outbox_for(&b1, bob.phone, t0()),
        outbox_for(&b2, bob.phone, t0()),
    ];
    store.commit(changes).await.expect("commit bob");
    let claim = |at: DateTime<Utc>| async move {
        let claimed = store.claim_outbox(at, lease, 100).await.expect("claim");
        claimed
            .into_iter()
            .filter(|i| i.tenant == t.id)
            .map(|i| i.message)
            .collect::<Vec<_>>()
    };
    let finish = |message: MessageId, attempt: u32, outcome: DispatchOutcome| async move {
        let recorded = store
            .finish_outbox(t.id, message, attempt, &outcome, t0())
            .await
            .expect("finish");
        assert!(recorded, "the standing claim of {message} is recorded");
    };
    let sent = |id: &MessageRecord| DispatchOutcome::Sent {
        provider: ProviderName::TWILIO,
        provider_message_id: format!("SM{}", id.id.as_uuid().simple()),
    };

    assert_eq!(
        claim(t0()).await,
        vec![a1.id, whatsapp.id, b1.id],
        "the first message of each recipient and channel, oldest first"
    );
    assert_eq!(
        claim(t0()).await,
        Vec::<MessageId>::new(),
        "the later messages wait for those in flight"
    );
    let retry_at = t0() + TimeDelta::minutes(1);
    let retry = DispatchOutcome::Retry {
        at: retry_at,
        error: "429".into(),
    };
    finish(a1.id, 1, retry).await;
    finish(b1.id, 1, sent(&b1)).await;
    assert_eq!(
        claim(t0()).await,
        vec![b2.id],
        "a sent message lets the next of its recipient go; a retry holds its own back"
    );
    assert_eq!(
        claim(retry_at).await,
        vec![a1.id],
        "the retry goes first once it is due"
    );
    let failed = DispatchOutcome::Failed {
        code: Some("30003".into()),
        error: "unreachable".into(),
    };
    finish(a1.id, 2, failed).await;
    assert_eq!(
        claim(retry_at).await,
        vec![a2.id],
        "a failed message lets the next go"
    );
    assert_eq!(
        claim(retry_at + lease).await,
        vec![a2.id, whatsapp.id, b2.id],
        "lapsed leases are claimed again, before anything queued after them"
    );
    finish(a2.id, 2, sent(&a2)).await;
    assert_eq!(claim(retry_at + lease).await, vec![a3.id]);
}

/// The inbox list filters by status, agent, channel and search, newest activity first.
pub async fn inbox_queries_filter_sort_and_search<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let mut ann = contact(t.id, "+14155550110");
    ann.name = Some("Ann Archer".to_owned());
    let bob = contact(t.id, "+14155550111");
    let ann_conv = conversation(&ann, t0());
    let mut bob_conv = conversation(&bob, t0() + TimeDelta::minutes(5));
    bob_conv.channel = Channel::WhatsApp;
    bob_conv.state = bob_conv
        .state
        .apply(
            &Event::Assign {
                agent: AgentId::new("zoe"),
            },
            t0() + TimeDelta::minutes(6),
        )
        .expect("assign an open conversation");
    store
        .commit(creation(&ann, &ann_conv, vec![]))
        .await
        .expect("ann");
    store
        .commit(creation(&bob, &bob_conv, vec![]))
        .await
        .expect("bob");

    let ids = |rows: Vec<super::ConversationSummary>| {
        rows.into_iter()
            .map(|r| r.conversation.id)
            .collect::<Vec<_>>()
    };
    let all = store
        .conversations(t.id, &ConversationQuery::default())
        .await
        .expect("list");
    assert_eq!(
        ids(all),
        vec![bob_conv.id, ann_conv.id],
        "newest activity first"
    );
    let q = |f: fn(&mut ConversationQuery)| {
        let mut query = ConversationQuery::default();
        f(&mut query);
        query
    };
    let assigned = store
        .conversations(t.id, &q(|q| q.status = Some(Status::Assigned)))
        .await
        .expect("list");
    assert_eq!(ids(assigned), vec![bob_conv.id]);
    let zoe = store
        .conversations(t.id, &q(|q| q.assignee = Some(AgentId::new("zoe"))))
        .await
        .expect("list");
    assert_eq!(ids(zoe), vec![bob_conv.id]);
    let sms = store
        .conversations(t.id, &q(|q| q.channel = Some(Channel::Sms)))
        .await
        .expect("list");
    assert_eq!(ids(sms), vec![ann_conv.id]);
    let by_name = store
        .conversations(t.id, &q(|q| q.search = Some("archer".into())))
        .await
        .expect("list");
    assert_eq!(ids(by_name), vec![ann_conv.id]);
    let by_phone = store
        .conversations(t.id, &q(|q| q.search = Some("555-0111".into())))
        .await
        .expect("list");
    assert_eq!(ids(by_phone), vec![bob_conv.id]);
    let limited = store
        .conversations(t.id, &q(|q| q.limit = 1))
        .await
        .expect("list");
    assert_eq!(ids(limited), vec![bob_conv.id]);
    let found = store
        .search_contacts(t.id, "ANN", 10)
        .await
        .expect("search");
    assert_eq!(
        found.into_iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![ann.id]
    );
}

/// Bulk actions set flags; archived and deleted conversations leave the default list.
pub async fn bulk_actions_change_flags<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let (a, b) = (contact(t.id, "+14155550112"), contact(t.id, "+14155550113"));
    let (mut ca, cb) = (conversation(&a, t0()), conversation(&b, t0()));
    ca.flags.unread = 3;
    store.commit(creation(&a, &ca, vec![])).await.expect("a");
    store.commit(creation(&b, &cb, vec![])).await.expect("b");
    let both = [ca.id, cb.id];
    assert_eq!(
        store
            .bulk_update(t.id, &both, BulkAction::MarkRead)
            .await
            .expect("read"),
        1,
        "only a had unread"
    );
    assert_eq!(
        store
            .bulk_update(t.id, &both, BulkAction::Star)
            .await
            .expect("star"),
        2
    );
    assert_eq!(
        store
            .bulk_update(t.id, &both, BulkAction::Star)
            .await
            .expect("star"),
        0,
        "starring twice changes nothing"
    );
    let starred = store
        .conversation(t.id, ca.id)
        .await
        .expect("get")
        .expect("exists")
        .flags;
    assert_eq!((starred.unread, starred.starred), (0, true));
    store
        .bulk_update(t.id, &[ca.id], BulkAction::Archive)
        .await
        .expect("archive");
    store
        .bulk_update(t.id, &[cb.id], BulkAction::Delete)
        .await
        .expect("delete");
    let default = store
        .conversations(t.id, &ConversationQuery::default())
        .await
        .expect("list");
    assert!(
        default.is_empty(),
        "archived and deleted conversations are not listed by default"
    );
    let with_archived = ConversationQuery {
        include_archived: true,
        ..ConversationQuery::default()
    };
    let rows = store
        .conversations(t.id, &with_archived)
        .await
        .expect("list");
    assert_eq!(
        rows.into_iter()
            .map(|r| r.conversation.id)
            .collect::<Vec<_>>(),
        vec![ca.id],
        "deleted is never listed"
    );
}

/// The timeline lists a contact's messages oldest first, the newest `limit` of them.
pub async fn the_timeline_is_in_order_and_limited<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550114");
    let conv = conversation(&c, t0());
    let messages: Vec<MessageRecord> = (0..5)
        .map(|i| {
            let mut m = inbound(&conv, &format!("SMtl{i}"), &format!("m{i}"));
            m.created_at = t0() + TimeDelta::seconds(i);
            m
        })
        .collect();
    store
        .commit(creation(&c, &conv, messages))
        .await
        .expect("commit");
    assert_eq!(
        texts(store.timeline(t.id, c.id, 10).await.expect("timeline")),
        ["m0", "m1", "m2", "m3", "m4"]
    );
    assert_eq!(
        texts(store.timeline(t.id, c.id, 2).await.expect("timeline")),
        ["m3", "m4"]
    );
}

/// The messages' texts, in order.
fn texts(rows: Vec<MessageRecord>) -> Vec<String> {
    rows.iter()
        .filter_map(|m| m.text().map(str::to_owned))
        .collect()
}

/// A tenant's recent messages are every contact's, the last stored first,
/// at most `limit`, and never another tenant's.
pub async fn recent_messages_are_the_tenants_newest_across_contacts<S: Store + ?Sized>(store: &S) {
    let (t, other) = (tenant(), tenant());
    put(store, &t).await;
    put(store, &other).await;
    let (a, b) = (contact(t.id, "+14155550171"), contact(t.id, "+14155550172"));
    let stranger = contact(other.id, "+14155550173");
    for (who, texts) in [
        (&a, ["a0", "a1"]),
        (&b, ["b0", "b1"]),
        (&stranger, ["s0", "s1"]),
    ] {
        let conv = conversation(who, t0());
        let messages = texts
            .iter()
            .map(|text| inbound(&conv, &format!("SMrm{}{text}", who.tenant), text))
            .collect();
        store
            .commit(creation(who, &conv, messages))
            .await
            .expect("commit");
    }
    let recent = store
        .recent_messages(t.id, 10)
        .await
        .expect("recent_messages");
    assert_eq!(
        texts(recent),
        ["b1", "b0", "a1", "a0"],
        "newest first, A's and B's"
    );
    let three = store
        .recent_messages(t.id, 3)
        .await
        .expect("recent_messages");
    assert_eq!(texts(three), ["b1", "b0", "a1"], "the limit is kept");
}

/// The shared limiter allows a key's burst, refuses the next with `retry_after`,
/// and keeps keys apart.
pub async fn the_shared_rate_limiter_allows_the_burst_then_refuses<S: Store + ?Sized>(store: &S) {
    let quota = Quota::api_requests();
    let key = format!("ip:{}", RandomIds.next_id().simple());
    for i in 0..quota.burst() {
        let decision = store.check_rate(&key, &quota, t0()).await.expect("check");
        assert!(
            matches!(decision, Decision::Allow(_)),
            "request {i} of the burst must be allowed"
        );
    }
    let refused = store.check_rate(&key, &quota, t0()).await.expect("check");
    assert_eq!(
        refused,
        Decision::Deny {
            retry_after: TimeDelta::milliseconds(500)
        }
    );
    let later = store
        .check_rate(&key, &quota, t0() + TimeDelta::milliseconds(500))
        .await
        .expect("check");
    assert!(
        matches!(later, Decision::Allow(_)),
        "allowed again after retry_after"
    );
    let other = store
        .check_rate(&format!("{key}-other"), &quota, t0())
        .await
        .expect("check");
    assert!(
        matches!(other, Decision::Allow(_)),
        "another key is not affected"
    );
}

/// [`Store::check_rates`] charges its keys in order and stops at the first
/// that refuses: the keys after it are not charged.
pub async fn several_limits_are_charged_in_order_up_to_the_first_refusal<S: Store + ?Sized>(
    store: &S,
) {
    let quota = Quota::new(2, TimeDelta::minutes(1)).expect("a valid quota");
    let run = RandomIds.next_id().simple();
    let (first, second) = (format!("ip:{run}"), format!("key:{run}"));
    let both = [first.as_str(), second.as_str()];
    assert_eq!(
        store.check_rates(&both, &quota, t0()).await.expect("check"),
        None
    );
    assert_eq!(
        store
            .check_rates(&[&first], &quota, t0())
            .await
            .expect("check"),
        None,
        "the first key's second request of two"
    );
    let refused = store.check_rates(&both, &quota, t0()).await.expect("check");
    assert_eq!(
        refused,
        Some(TimeDelta::seconds(30)),
        "the first key is spent"
    );
    assert_eq!(
        store
            .check_rates(&[&second], &quota, t0())
            .await
            .expect("check"),
        None,
        "the refusal did not charge the second key, which has one request left"
    );
    assert_eq!(
        store.check_rates(&[], &quota, t0()).await.expect("check"),
        None,
        "no key, no limit"
    );
}

/// An update that gives a contact the phone of another contact is refused
/// ([`StoreError::Taken`]) and writes nothing; the version check comes first.
pub async fn a_contact_update_to_a_taken_phone_is_refused<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let (a, b) = (contact(t.id, "+14155550115"), contact(t.id, "+14155550116"));
    store
        .commit(creation(&a, &conversation(&a, t0()), vec![]))
        .await
        .expect("a");
    store
        .commit(creation(&b, &conversation(&b, t0()), vec![]))
        .await
        .expect("b");
    let mut moved = b.clone();
    moved.phone = a.phone;
    let stale = Changeset::for_contact(t.id, ContactWrite::update(7, moved.clone()));
    assert!(
        matches!(store.commit(stale).await, Err(CommitError::Conflict)),
        "a stale version is a conflict before anything else"
    );
    let result = store
        .commit(Changeset::for_contact(t.id, ContactWrite::update(1, moved)))
        .await;
    assert!(
        matches!(result, Err(CommitError::Store(StoreError::Taken { .. }))),
        "another contact's phone must be refused, got {result:?}"
    );
    let stored = store.contact(t.id, b.id).await.expect("b").expect("exists");
    assert_eq!((stored.phone, stored.version), (b.phone, 1));
    let owner = store
        .contact_by_phone(t.id, &a.phone)
        .await
        .expect("by phone");
    assert_eq!(owner.map(|c| c.id), Some(a.id));
}

/// An outbox item for a message that is queued already (stored, or earlier in
/// the same changeset) makes the commit a duplicate naming that message.
pub async fn a_second_outbox_item_for_a_message_is_a_duplicate<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550117");
    let conv = conversation(&c, t0());
    let reply = outbound(&conv, "once");
    let mut changes = creation(&c, &conv, vec![reply.clone()]);
    changes.outbox.push(outbox_for(&reply, c.phone, t0()));
    store.commit(changes).await.expect("first");

    let mut again = Changeset::for_contact(t.id, ContactWrite::update(1, c.clone()));
    again.outbox.push(outbox_for(&reply, c.phone, t0()));
    match store.commit(again).await {
        Err(CommitError::Duplicate { existing }) => assert_eq!(existing, reply.id),
        other => panic!("a second outbox item must be a duplicate, got {other:?}"),
    }
    let other = outbound(&conv, "twice in one changeset");
    let mut twice = Changeset::for_contact(t.id, ContactWrite::update(1, c.clone()));
    twice.messages.push(other.clone());
    twice.outbox = vec![
        outbox_for(&other, c.phone, t0()),
        outbox_for(&other, c.phone, t0()),
    ];
    match store.commit(twice).await {
        Err(CommitError::Duplicate { existing }) => assert_eq!(existing, other.id),
        other => panic!("one message queued twice must be a duplicate, got {other:?}"),
    }
    assert!(
        store
            .message(t.id, other.id)
            .await
            .expect("lookup")
            .is_none(),
        "a duplicate commit writes nothing"
    );
    let stored = store.contact(t.id, c.id).await.expect("c").expect("exists");
    assert_eq!(stored.version, 1, "a duplicate commit writes nothing");
}

/// A carrier id that another message of the tenant already has is refused when
/// an outcome is recorded, and the item and the message stay as they were.
pub async fn a_provider_message_id_of_another_message_is_refused_when_finishing<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550118");
    let conv = conversation(&c, t0());
    let received = inbound(&conv, "SMtaken", "hi");
    let reply = outbound(&conv, "reply");
    let mut changes = creation(&c, &conv, vec![received.clone(), reply.clone()]);
    changes.outbox.push(outbox_for(&reply, c.phone, t0()));
    store.commit(changes).await.expect("commit");
    let lease = TimeDelta::seconds(30);
    store.claim_outbox(t0(), lease, 100).await.expect("claim");
    let sent = DispatchOutcome::Sent {
        provider: ProviderName::TWILIO,
        provider_message_id: "SMtaken".into(),
    };
    assert!(
        matches!(
            store.finish_outbox(t.id, reply.id, 1, &sent, t0()).await,
            Err(StoreError::Taken { .. })
        ),
        "another message's provider id must be refused"
    );
    let item = store
        .outbox_item(t.id, reply.id)
        .await
        .expect("item")
        .expect("exists");
    assert!(matches!(item.state, OutboxState::InFlight { .. }));
    let stored = store
        .message(t.id, reply.id)
        .await
        .expect("message")
        .expect("exists");
    assert_eq!(
        (stored.provider_message_id, stored.delivery.status()),
        (None, None)
    );
    let owner = store
        .message_by_provider_id(t.id, &ProviderName::TWILIO, "SMtaken")
        .await
        .expect("lookup");
    assert_eq!(owner.map(|m| m.id), Some(received.id));
}

/// Events come back in commit order with increasing sequence numbers, and a
/// reader continues after the last one it saw.
///
/// The latest sequence number is the tenant's own last event's, 0 before any.
pub async fn events_are_paged_after_a_sequence_number<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    assert_eq!(store.latest_event(t.id).await.expect("latest_event"), 0);
    let c = contact(t.id, "+14155550119");
    let conv = conversation(&c, t0());
    store
        .commit(creation(&c, &conv, vec![]))
        .await
        .expect("create");
    let tag = |tag: &str, s| EventRecord {
        tenant: t.id,
        at: t0() + TimeDelta::seconds(s),
        event: InboxEvent::TagAdded {
            contact: c.id,
            tag: tag.to_owned(),
        },
    };
    let mut changes = Changeset::for_contact(t.id, ContactWrite::update(1, c.clone()));
    changes.events = vec![tag("vip", 1), tag("buyer", 2)];
    store.commit(changes).await.expect("events");

    let first = store.events(t.id, 0, 2).await.expect("events");
    assert_eq!(first.len(), 2, "the limit is kept");
    let seqs: Vec<u64> = first.iter().map(|(seq, _)| *seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "sequence numbers increase"
    );
    let after = seqs.last().copied().unwrap_or_default();
    let rest = store.events(t.id, after, 10).await.expect("events");
    assert_eq!(
        rest.into_iter().map(|(_, e)| e).collect::<Vec<_>>(),
        vec![tag("buyer", 2)],
        "reading after a sequence number continues where the reader stopped"
    );
    assert!(
        store
            .events(t.id, u64::MAX, 10)
            .await
            .expect("events")
            .is_empty()
    );
    let latest = store.latest_event(t.id).await.expect("latest_event");
    let all = store.events(t.id, 0, 100).await.expect("events");
    assert_eq!(Some(latest), all.last().map(|(seq, _)| *seq), "the latest");
    let other = tenant();
    put(store, &other).await;
    assert_eq!(
        store.latest_event(other.id).await.expect("latest_event"),
        0,
        "another tenant's events are not its own"
    );
}

/// A call log — an event about no message or conversation, with optional
/// fields — comes back exactly as committed.
pub async fn a_call_log_event_is_kept_exactly<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550118");
    let call = |status: &str, to, duration_seconds| EventRecord {
        tenant: t.id,
        at: t0(),
        event: InboxEvent::CallLogged {
            provider: ProviderName::TWILIO,
            call: "CA0123".to_owned(),
            contact: c.id,
            from: c.phone,
            to,
            status: status.to_owned(),
            duration_seconds,
        },
    };
    let logs = vec![
        call("ringing", None, None),
        call("completed", Some(number(7, 0)), Some(42)),
    ];
    let mut changes = Changeset::for_contact(t.id, ContactWrite::Insert(c.clone()));
    changes.events = logs.clone();
    store.commit(changes).await.expect("call logs");

    let stored = store.events(t.id, 0, 10).await.expect("events");
    let stored: Vec<EventRecord> = stored.into_iter().map(|(_, e)| e).collect();
    assert_eq!(stored, logs);
}

/// A call's status is logged once per tenant: a second commit of the same
/// (provider, call, status) is [`CommitError::DuplicateCallLog`] and writes
/// nothing; another status of the call, or the same call at another tenant, is
/// a log of its own.
pub async fn a_call_logged_twice_is_a_duplicate_that_writes_nothing<S: Store + ?Sized>(store: &S) {
    let (t, other) = (tenant(), tenant());
    put(store, &t).await;
    put(store, &other).await;
    let c = contact(t.id, "+14155550119");
    let log = |status: &str| CallLog {
        provider: ProviderName::TWILIO,
        call: "CA0456".to_owned(),
        from: c.phone,
        to: None,
        status: status.to_owned(),
        duration_seconds: None,
    };
    let mut first = Changeset::for_contact(t.id, ContactWrite::Insert(c.clone()));
    first.call_logs = vec![log("ringing")];
    store.commit(first).await.expect("the first log");
    let stored = store
        .contact(t.id, c.id)
        .await
        .expect("contact")
        .expect("exists");

    let mut again =
        Changeset::for_contact(t.id, ContactWrite::update(stored.version, stored.clone()));
    again.call_logs = vec![log("ringing")];
    again.push_event(
        t0(),
        InboxEvent::TagAdded {
            contact: c.id,
            tag: "should not be written".to_owned(),
        },
    );
    match store.commit(again).await {
        Err(CommitError::DuplicateCallLog) => {}
        other => panic!("a repeated call log must be DuplicateCallLog, got {other:?}"),
    }
    let unchanged = store
        .contact(t.id, c.id)
        .await
        .expect("contact")
        .expect("exists");
    assert_eq!(
        unchanged.version, stored.version,
        "nothing of the repeat is written"
    );
    assert!(store.events(t.id, 0, 10).await.expect("events").is_empty());

    let mut within =
        Changeset::for_contact(t.id, ContactWrite::update(stored.version, stored.clone()));
    within.call_logs = vec![log("completed"), log("completed")];
    assert!(
        matches!(
            store.commit(within).await,
            Err(CommitError::DuplicateCallLog)
        ),
        "a log repeated within one changeset is a duplicate too"
    );
    let mut completed = Changeset::for_contact(t.id, ContactWrite::update(stored.version, stored));
    completed.call_logs = vec![log("completed")];
    store
        .commit(completed)
        .await
        .expect("another status is another log");
    let theirs = contact(other.id, "+14155550119");
    let mut elsewhere = Changeset::for_contact(other.id, ContactWrite::Insert(theirs));
    elsewhere.call_logs = vec![log("ringing")];
    store
        .commit(elsewhere)
        .await
        .expect("another tenant's log of the same call");
}

/// A committed conversation replaces the stored one with its id, and the
/// contact's latest conversation is the one created last.
pub async fn conversations_are_replaced_by_id_and_the_latest_is_the_newest<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550120");
    let first = conversation(&c, t0());
    store
        .commit(creation(&c, &first, vec![]))
        .await
        .expect("create");
    let mut resolved = first.clone();
    resolved.state = resolved
        .state
        .apply(&Event::Resolve, t0() + TimeDelta::hours(1))
        .expect("resolve an open conversation");
    let second = conversation(&c, t0() + TimeDelta::days(40));
    let mut changes = Changeset::for_contact(t.id, ContactWrite::update(1, c.clone()));
    changes.conversations = vec![resolved.clone(), second.clone()];
    store.commit(changes).await.expect("update");
    assert_eq!(
        store
            .conversation(t.id, first.id)
            .await
            .expect("conversation")
            .as_ref(),
        Some(&resolved),
        "a conversation is replaced by id"
    );
    assert_eq!(
        store
            .latest_conversation(t.id, c.id)
            .await
            .expect("latest")
            .map(|x| x.id),
        Some(second.id)
    );
}

/// Instants round-trip to the nanosecond, and an outbox item available a
/// nanosecond from now is not claimable yet.
pub async fn instants_keep_their_nanoseconds<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let at = t0() + TimeDelta::nanoseconds(123_456_789);
    let mut c = contact(t.id, "+14155550121");
    c.created_at = at;
    let conv = conversation(&c, at);
    let mut reply = outbound(&conv, "precise");
    reply.created_at = at;
    let mut changes = creation(&c, &conv, vec![reply.clone()]);
    changes.outbox.push(outbox_for(&reply, c.phone, at));
    store.commit(changes).await.expect("commit");
    reads_back(store, &c, &conv, &reply).await;
    let mine = |items: Vec<OutboxItem>| items.into_iter().filter(|i| i.tenant == t.id).count();
    let lease = TimeDelta::seconds(30);
    let early = at - TimeDelta::nanoseconds(1);
    assert_eq!(
        mine(store.claim_outbox(early, lease, 100).await.expect("claim")),
        0,
        "not claimable a nanosecond early"
    );
    assert_eq!(
        mine(store.claim_outbox(at, lease, 100).await.expect("claim")),
        1
    );
    let item = store
        .outbox_item(t.id, reply.id)
        .await
        .expect("item")
        .expect("exists");
    assert_eq!(
        item.state,
        OutboxState::InFlight {
            lease_until: at + lease
        }
    );
}

/// A NUL in outside text — a WhatsApp profile name, a provider's message id, a
/// slug in a URL, a rate-limit key — is stored and read back exactly and found
/// by its exact value, never a database error a provider would retry forever;
/// and it is not confused with the replacement character.
pub async fn text_with_nul_is_kept_and_found_by_it<S: Store + ?Sized>(store: &S) {
    let mut t = tenant();
    t.slug = format!("{}\0nul", t.slug);
    put(store, &t).await;
    let found = store.tenant_by_slug(&t.slug).await.expect("slug lookup");
    assert_eq!(found.map(|f| f.id), Some(t.id), "a slug with NUL is found");
    let replaced = t.slug.replace('\0', "\u{FFFD}0");
    let other = store.tenant_by_slug(&replaced).await.expect("slug lookup");
    assert!(other.is_none(), "NUL is not the replacement character");

    let mut c = contact(t.id, "+14155550151");
    c.name = Some("Ma\0ria".to_owned());
    let conv = conversation(&c, t0());
    let with_nul = inbound(&conv, "SM\0nul", "hi\0there");
    let lookalike = inbound(&conv, "SM\u{FFFD}0nul", "hi");
    let mut changes = creation(&c, &conv, vec![with_nul.clone(), lookalike.clone()]);
    changes.messages[0].client_id = Some("client\0nul".to_owned());
    store
        .commit(changes)
        .await
        .expect("a commit with NUL in its text");
    reads_back(store, &c, &conv, &{
        let mut m = with_nul.clone();
        m.client_id = Some("client\0nul".to_owned());
        m
    })
    .await;
    let by_provider = store
        .message_by_provider_id(t.id, &ProviderName::TWILIO, "SM\0nul")
        .await
        .expect("provider id lookup");
    assert_eq!(by_provider.map(|m| m.id), Some(with_nul.id));
    let by_lookalike = store
        .message_by_provider_id(t.id, &ProviderName::TWILIO, "SM\u{FFFD}0nul")
        .await
        .expect("provider id lookup");
    assert_eq!(by_lookalike.map(|m| m.id), Some(lookalike.id));
    let by_client = store
        .message_by_client_id(t.id, "client\0nul")
        .await
        .expect("client id lookup");
    assert_eq!(by_client.map(|m| m.id), Some(with_nul.id));
    let search = store
        .search_contacts(t.id, "ma\0r", 10)
        .await
        .expect("search");
    assert_eq!(search.iter().map(|c| c.id).collect::<Vec<_>>(), vec![c.id]);
    let quota = Quota::api_requests();
    let decision = store
        .check_rate("ip:\0nul", &quota, t0())
        .await
        .expect("a rate key with NUL");
    assert!(matches!(decision, Decision::Allow(_)));
}
