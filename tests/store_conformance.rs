//! Every store msgcore ships passes the public conformance suite, and keeps its
//! guards when many writers and dispatchers work at once.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use msgcore::Channel;
use msgcore::core::message::Content;
use msgcore::core::ratelimit::{Decision, Quota};
use msgcore::model::{Contact, ContactId, MessageId, OutboxItem, Tenant, TenantId};
use msgcore::store::DispatchOutcome;
use msgcore::store::{Changeset, CommitError, ContactWrite, MemoryStore, Store, conformance};
use uuid::Uuid;

#[path = "support/databases.rs"]
mod databases;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

/// A new tenant, stored, and a new contact of it with `phone`, not stored yet.
async fn tenant_and_contact<S: Store + ?Sized>(store: &S, phone: &str) -> (Tenant, Contact) {
    let tenant = conformance::tenant();
    store.put_tenant(&tenant).await.unwrap();
    let phone = phone.parse().unwrap();
    let id = ContactId::from_uuid(Uuid::now_v7());
    let contact = Contact::new(id, tenant.id, phone, now());
    (tenant, contact)
}

/// Many tasks update one contact at once, each loading it, adding its own tag
/// and committing, again on every conflict: every commit that succeeded bumped
/// the version once, and no task's tag was lost.
async fn racing_writers_lose_no_update<S: Store + 'static>(store: Arc<S>) {
    const WRITERS: usize = 12;
    let (tenant, contact) = tenant_and_contact(store.as_ref(), "+14155550142").await;
    let id = contact.id;
    store
        .commit(Changeset::for_contact(
            tenant.id,
            ContactWrite::Insert(contact),
        ))
        .await
        .unwrap();

    let mut tasks = tokio::task::JoinSet::new();
    for writer in 0..WRITERS {
        let store = Arc::clone(&store);
        tasks.spawn(async move {
            let mut conflicts = 0_usize;
            loop {
                let loaded = store.contact(tenant.id, id).await.unwrap().unwrap();
                let mut decided = loaded.clone();
                decided.add_tag(&format!("writer-{writer}"));
                let write = ContactWrite::update(loaded.version, decided);
                match store.commit(Changeset::for_contact(tenant.id, write)).await {
                    Ok(()) => return conflicts,
                    Err(CommitError::Conflict) => conflicts += 1,
                    Err(other) => panic!("writer {writer}: {other}"),
                }
            }
        });
    }
    let conflicts: usize = tasks.join_all().await.into_iter().sum();
    let stored = store.contact(tenant.id, id).await.unwrap().unwrap();
    assert_eq!(
        stored.version,
        1 + WRITERS as u64,
        "one version per successful commit ({conflicts} conflicts retried)"
    );
    let tags: HashSet<&str> = stored.tags.iter().map(String::as_str).collect();
    let expected: HashSet<String> = (0..WRITERS).map(|w| format!("writer-{w}")).collect();
    assert_eq!(
        tags,
        expected.iter().map(String::as_str).collect(),
        "no update is lost"
    );
}

/// Creates a contact of `tenant` with `phone` and `count` SMS outbox items for
/// it, in one commit; the items' messages, in queue order.
async fn new_contact_with_queue<S: Store + ?Sized>(
    store: &S,
    tenant: TenantId,
    phone: msgcore::E164,
    count: usize,
) -> Vec<MessageId> {
    let contact = Contact::new(ContactId::from_uuid(Uuid::now_v7()), tenant, phone, now());
    let mut changes = Changeset::for_contact(tenant, ContactWrite::Insert(contact));
    changes.outbox = (0..count)
        .map(|i| {
            let content = Content::text(format!("item {i}")).unwrap();
            let message = MessageId::from_uuid(Uuid::now_v7());
            OutboxItem::pending(message, tenant, Channel::Sms, phone, None, content, now())
        })
        .collect();
    let queue = changes.outbox.iter().map(|item| item.message).collect();
    store.commit(changes).await.unwrap();
    queue
}

/// Several dispatchers (on one store, or on several stores of one database:
/// replicas) claim the outbox at once, each finishing what it claimed: every item
/// is handed out exactly once, and each recipient's items in the order they were
/// queued, never two of them at once.
async fn racing_dispatchers_never_share_an_item<S: Store + 'static>(stores: Vec<Arc<S>>) {
    const RECIPIENTS: usize = 15;
    const PER_RECIPIENT: usize = 4;
    const ITEMS: usize = RECIPIENTS * PER_RECIPIENT;
    const DISPATCHERS: usize = 6;
    let first = stores.first().expect("a store");
    let tenant = conformance::tenant();
    first.put_tenant(&tenant).await.unwrap();
    let mut queues: Vec<Vec<MessageId>> = Vec::new();
    for r in 0..RECIPIENTS {
        let phone: msgcore::E164 = format!("+1415555{:04}", 200 + r).parse().unwrap();
        queues.push(new_contact_with_queue(first.as_ref(), tenant.id, phone, PER_RECIPIENT).await);
    }

    let finished = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // (recipient, message) in the order they were claimed, across dispatchers.
    let claims = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut tasks = tokio::task::JoinSet::new();
    for dispatcher in 0..DISPATCHERS {
        let store = Arc::clone(&stores[dispatcher % stores.len()]);
        let (finished, claims) = (Arc::clone(&finished), Arc::clone(&claims));
        tasks.spawn(async move {
            while finished.load(std::sync::atomic::Ordering::SeqCst) < ITEMS {
                let claimed = store
                    .claim_outbox(now(), TimeDelta::minutes(1), 4)
                    .await
                    .unwrap();
                let mine: Vec<OutboxItem> = claimed
                    .into_iter()
                    .filter(|item| item.tenant == tenant.id)
                    .collect();
                if mine.is_empty() {
                    tokio::task::yield_now().await;
                }
                for item in mine {
                    claims.lock().unwrap().push((item.to, item.message));
                    let sent = DispatchOutcome::Sent {
                        provider: msgcore::model::ProviderName::TWILIO,
                        provider_message_id: item.message.to_string(),
                    };
                    let recorded = store
                        .finish_outbox(tenant.id, item.message, item.attempts, &sent, now())
                        .await
                        .unwrap();
                    assert!(recorded, "a claim within its lease stands");
                    finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            }
        });
    }
    tasks.join_all().await;
    let claims = claims.lock().unwrap().clone();
    let distinct: HashSet<MessageId> = claims.iter().map(|(_, m)| *m).collect();
    assert_eq!(distinct.len(), claims.len(), "an item was claimed twice");
    assert_eq!(claims.len(), ITEMS, "every item was claimed");
    for queue in queues {
        let claimed_in_order: Vec<MessageId> = claims
            .iter()
            .map(|(_, m)| *m)
            .filter(|m| queue.contains(m))
            .collect();
        assert_eq!(
            claimed_in_order, queue,
            "a recipient's items in queue order"
        );
    }
}

/// Many requests from one IP reach several replicas at once, all at the same
/// instant: the shared limiter allows exactly the burst.
async fn racing_rate_checks_allow_exactly_the_burst<S: Store + 'static>(stores: Vec<Arc<S>>) {
    const CHECKS: usize = 150;
    let quota = Quota::api_requests();
    let key = format!("ip:{}", Uuid::now_v7().simple());
    let mut tasks = tokio::task::JoinSet::new();
    for check in 0..CHECKS {
        let store = Arc::clone(&stores[check % stores.len()]);
        let key = key.clone();
        tasks.spawn(async move {
            let decision = store.check_rate(&key, &quota, now()).await.unwrap();
            matches!(decision, Decision::Allow(_))
        });
    }
    let allowed = tasks.join_all().await.into_iter().filter(|a| *a).count();
    assert_eq!(
        allowed as u64,
        u64::from(quota.burst()),
        "exactly the burst is allowed"
    );
}

/// A SQL database of the first schema, with items queued, taken to the current one.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod schema_upgrade {
    use msgcore::model::{CallLog, InboxEvent};

    use super::*;

    /// Queues two messages for one recipient and one for another, as a store of the
    /// first schema would hold them; the messages, in queue order.
    pub async fn queue_two_recipients<S: Store + ?Sized>(store: &S) -> (TenantId, [MessageId; 3]) {
        let tenant = conformance::tenant();
        store.put_tenant(&tenant).await.unwrap();
        let mut ids = Vec::new();
        for (phone, count) in [("+14155550171", 2), ("+14155550172", 1)] {
            let phone = phone.parse().unwrap();
            ids.extend(new_contact_with_queue(store, tenant.id, phone, count).await);
        }
        (tenant.id, ids.try_into().unwrap())
    }

    /// After the migration to outbox queues, the items queued before it are
    /// claimed one per recipient, in order.
    pub async fn queued_items_keep_their_order_across_the_migration<S: Store + ?Sized>(
        store: &S,
        tenant: TenantId,
        [first, second, other]: [MessageId; 3],
    ) {
        let claim = || async {
            let claimed = store
                .claim_outbox(now(), TimeDelta::minutes(1), 10)
                .await
                .unwrap();
            claimed
                .into_iter()
                .filter(|item| item.tenant == tenant)
                .map(|item| item.message)
                .collect::<Vec<_>>()
        };
        assert_eq!(claim().await, vec![first, other], "one per recipient");
        let sent = DispatchOutcome::Sent {
            provider: msgcore::model::ProviderName::TWILIO,
            provider_message_id: "SM1".to_owned(),
        };
        store
            .finish_outbox(tenant, first, 1, &sent, now())
            .await
            .unwrap();
        assert_eq!(claim().await, vec![second], "then the next in its queue");
    }

    /// Logs a call the way the first schema kept it: as an event only.
    pub async fn log_a_call_as_an_event<S: Store + ?Sized>(store: &S, tenant: TenantId) -> CallLog {
        let phone: msgcore::E164 = "+14155550173".parse().unwrap();
        let mut contact = Contact::new(ContactId::from_uuid(Uuid::now_v7()), tenant, phone, now());
        contact.tags = vec!["caller".to_owned()];
        let call = CallLog {
            provider: msgcore::model::ProviderName::TWILIO,
            call: "CA0789".to_owned(),
            from: phone,
            to: None,
            status: "completed".to_owned(),
            duration_seconds: Some(12),
        };
        let mut changes = Changeset::for_contact(tenant, ContactWrite::Insert(contact.clone()));
        changes.push_event(
            now(),
            InboxEvent::CallLogged {
                provider: call.provider.clone(),
                call: call.call.clone(),
                contact: contact.id,
                from: phone,
                to: None,
                status: call.status.clone(),
                duration_seconds: call.duration_seconds,
            },
        );
        store.commit(changes).await.unwrap();
        call
    }

    /// A call logged before the migration is still refused as a repeat after it.
    pub async fn a_call_logged_before_the_migration_stays_logged<S: Store + ?Sized>(
        store: &S,
        tenant: TenantId,
        call: CallLog,
    ) {
        let contact = store
            .contact_by_phone(tenant, &call.from)
            .await
            .unwrap()
            .unwrap();
        let mut again =
            Changeset::for_contact(tenant, ContactWrite::update(contact.version, contact));
        again.call_logs = vec![call];
        assert!(matches!(
            store.commit(again).await,
            Err(CommitError::DuplicateCallLog)
        ));
    }

    /// Opens a conversation with a new contact through the inbox and resolves
    /// it: the resolution's event names only the conversation. The contact.
    pub async fn resolve_a_conversation<S: Store + Clone + 'static>(
        store: &S,
        tenant: TenantId,
    ) -> ContactId {
        use msgcore::core::conversation::Event;
        use msgcore::engine::Inbox;
        use msgcore::model::{InboundMessage, ProviderName, TenantRef};

        let inbox = Inbox::builder(Arc::new(store.clone())).build();
        let message = InboundMessage::text(
            TenantRef::Id(tenant),
            ProviderName::TWILIO,
            "SM-before-the-timeline",
            Channel::Sms,
            "+14155550174".parse().unwrap(),
            "Hello, is the shop open?",
        );
        let opened = inbox.handle_inbound(&message).await.unwrap();
        inbox
            .act(tenant, opened.conversation, &Event::Resolve)
            .await
            .unwrap();
        opened.contact
    }

    /// After the migration to contact timelines, events kept before it are on
    /// their contacts' timelines: by the contact they name, or through their
    /// conversation; message events are not.
    pub async fn events_kept_before_the_migration_are_on_their_timelines<S: Store + ?Sized>(
        store: &S,
        tenant: TenantId,
        call: &CallLog,
        resolved: ContactId,
    ) {
        let kinds = |events: Vec<(u64, msgcore::model::EventRecord)>| -> Vec<String> {
            events
                .iter()
                .map(|(_, e)| serde_json::to_value(&e.event).unwrap()["type"].to_string())
                .collect()
        };
        let resolved_events = store.contact_events(tenant, resolved, 10).await.unwrap();
        let kinds_of_resolved = kinds(resolved_events);
        assert!(
            kinds_of_resolved.contains(&"\"conversation_opened\"".to_owned())
                && kinds_of_resolved.contains(&"\"conversation_status\"".to_owned()),
            "{kinds_of_resolved:?}"
        );
        assert!(!kinds_of_resolved.contains(&"\"message_received\"".to_owned()));
        let caller = store
            .contact_by_phone(tenant, &call.from)
            .await
            .unwrap()
            .unwrap();
        let caller_events = store.contact_events(tenant, caller.id, 10).await.unwrap();
        assert_eq!(kinds(caller_events), ["\"call_logged\""]);
    }

    /// After the migration to contact tags, contacts tagged before it are in
    /// their tags' audiences.
    pub async fn contacts_tagged_before_the_migration_are_in_their_audiences<S: Store + ?Sized>(
        store: &S,
        tenant: TenantId,
        call: &CallLog,
    ) {
        let query = msgcore::store::AudienceQuery {
            tags_any: vec!["caller".to_owned()],
            tags_all: Vec::new(),
            after: None,
            limit: 10,
        };
        let audience = store.audience(tenant, &query).await.unwrap();
        let phones: Vec<_> = audience.iter().map(|c| c.phone).collect();
        assert_eq!(phones, [call.from]);
    }

    /// Takes a store's database back to the first schema: before campaigns,
    /// before contact tags, before contact timelines, before call logs, before
    /// outbox queues.
    pub const BACK_TO_THE_FIRST_SCHEMA: [&str; 15] = [
        "DROP TABLE campaign_recipients",
        "DROP TABLE campaigns",
        "DELETE FROM msgcore_migrations WHERE version = 6",
        "DROP TABLE contact_tags",
        "DROP INDEX contacts_by_creation",
        "DELETE FROM msgcore_migrations WHERE version = 5",
        "DROP INDEX events_on_timeline",
        "ALTER TABLE events DROP COLUMN on_timeline",
        "ALTER TABLE events DROP COLUMN contact",
        "DELETE FROM msgcore_migrations WHERE version = 4",
        "DROP TABLE call_logs",
        "DELETE FROM msgcore_migrations WHERE version = 3",
        "DROP INDEX outbox_unfinished_by_recipient",
        "ALTER TABLE outbox DROP COLUMN recipient",
        "DELETE FROM msgcore_migrations WHERE version = 2",
    ];
}

#[tokio::test]
async fn the_memory_store_passes_the_conformance_suite() {
    conformance::run_all(&MemoryStore::new()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_memory_store_loses_no_update_and_shares_no_item_under_concurrency() {
    racing_writers_lose_no_update(Arc::new(MemoryStore::new())).await;
    racing_dispatchers_never_share_an_item(vec![Arc::new(MemoryStore::new())]).await;
    racing_rate_checks_allow_exactly_the_burst(vec![Arc::new(MemoryStore::new())]).await;
}

#[cfg(feature = "sqlite")]
mod sqlite {

    use msgcore::store::{SqliteStore, StoreError};

    use super::schema_upgrade::*;
    use super::*;
    use crate::databases::TempFile;

    #[tokio::test]
    async fn the_sqlite_store_passes_the_conformance_suite() {
        conformance::run_all(&SqliteStore::open(":memory:").await.unwrap()).await;
        let file = TempFile::new();
        conformance::run_all(&SqliteStore::open(&file.0).await.unwrap()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_writers_of_one_sqlite_contact_lose_no_update() {
        let file = TempFile::new();
        racing_writers_lose_no_update(Arc::new(SqliteStore::open(&file.0).await.unwrap())).await;
        racing_writers_lose_no_update(Arc::new(SqliteStore::open_in_memory().await.unwrap())).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_sqlite_dispatchers_and_rate_checks_share_nothing_twice() {
        let file = TempFile::new();
        // Two stores on one file are two processes' worth of connections.
        let stores = vec![
            Arc::new(SqliteStore::open(&file.0).await.unwrap()),
            Arc::new(SqliteStore::open(&file.0).await.unwrap()),
        ];
        racing_dispatchers_never_share_an_item(stores.clone()).await;
        racing_rate_checks_allow_exactly_the_burst(stores).await;
    }

    #[tokio::test]
    async fn a_sqlite_file_keeps_its_data_when_opened_again() {
        let file = TempFile::new();
        let tenant = conformance::tenant();
        {
            let store = SqliteStore::open(&file.0).await.unwrap();
            store.put_tenant(&tenant).await.unwrap();
            store.pool().close().await;
        }
        let reopened = SqliteStore::open(&file.0).await.unwrap();
        assert_eq!(
            reopened.tenant(tenant.id).await.unwrap(),
            Some(tenant),
            "the schema is applied once and the data stays"
        );
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(reopened.pool())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[tokio::test]
    async fn a_sqlite_row_that_cannot_be_read_is_corrupt_not_a_panic() {
        let store = SqliteStore::open_in_memory().await.unwrap();
        let tenant = conformance::tenant();
        store.put_tenant(&tenant).await.unwrap();
        sqlx::query("UPDATE tenants SET doc = '{\"id\": 1}'")
            .execute(store.pool())
            .await
            .unwrap();
        match store.tenant(tenant.id).await {
            Err(StoreError::Corrupt { what, .. }) => assert_eq!(what, "tenant"),
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_sqlite_file_of_the_first_schema_is_migrated_with_its_queues_call_logs_and_timelines()
    {
        let file = TempFile::new();
        let store = SqliteStore::open(&file.0).await.unwrap();
        let (tenant, queued) = queue_two_recipients(&store).await;
        let call = log_a_call_as_an_event(&store, tenant).await;
        let resolved = resolve_a_conversation(&store, tenant).await;
        for statement in BACK_TO_THE_FIRST_SCHEMA {
            sqlx::query(statement).execute(store.pool()).await.unwrap();
        }
        store.pool().close().await;
        let migrated = SqliteStore::open(&file.0).await.unwrap();
        queued_items_keep_their_order_across_the_migration(&migrated, tenant, queued).await;
        events_kept_before_the_migration_are_on_their_timelines(&migrated, tenant, &call, resolved)
            .await;
        contacts_tagged_before_the_migration_are_in_their_audiences(&migrated, tenant, &call).await;
        a_call_logged_before_the_migration_stays_logged(&migrated, tenant, call).await;
    }

    #[tokio::test]
    async fn a_sqlite_store_is_healthy_until_its_database_is_gone() {
        let store = SqliteStore::open_in_memory().await.unwrap();
        assert!(store.health().await.is_ok());
        store.pool().close().await;
        assert!(
            store.health().await.is_err(),
            "a closed pool does not answer"
        );
    }

    #[tokio::test]
    async fn a_sqlite_database_from_a_newer_msgcore_is_refused() {
        let file = TempFile::new();
        let store = SqliteStore::open(&file.0).await.unwrap();
        sqlx::query("INSERT INTO msgcore_migrations (version, description) VALUES (999, 'x')")
            .execute(store.pool())
            .await
            .unwrap();
        store.pool().close().await;
        let error = SqliteStore::open(&file.0).await.unwrap_err();
        assert!(error.to_string().contains("schema version 999"), "{error}");
    }
}

#[cfg(feature = "postgres")]
mod postgres {

    use msgcore::store::PostgresStore;
    use sqlx::ConnectOptions;

    use super::schema_upgrade::*;
    use super::*;
    use crate::databases::TestDatabase;

    #[cfg(feature = "tokio")]
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_event_committed_on_one_postgres_replica_wakes_its_tenants_followers_on_another() {
        use msgcore::engine::{EventSink, LiveEvents};
        use msgcore::model::{EventRecord, InboxEvent};
        let Some(db) = TestDatabase::create().await else {
            return;
        };
        let (one, two) = (db.replica().await, db.replica().await);
        let (live_one, live_two) = (LiveEvents::default(), LiveEvents::default());
        let notify_one = one.notify_events(&live_one).await.unwrap();
        two.notify_events(&live_two).await.unwrap();
        let (tenant, other) = (
            TenantId::from_uuid(Uuid::now_v7()),
            TenantId::from_uuid(Uuid::now_v7()),
        );
        let mut follower = live_two.follow(tenant);
        let mut bystander = live_two.follow(other);
        let mut at_home = live_one.follow(tenant);
        let event = InboxEvent::TagAdded {
            contact: ContactId::from_uuid(Uuid::now_v7()),
            tag: "vip".to_owned(),
        };

        notify_one
            .publish(&[EventRecord::new(
                tenant,
                Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap(),
                event,
            )])
            .await;

        let wait = std::time::Duration::from_secs(5);
        let woken = tokio::time::timeout(wait, follower.changed()).await;
        assert!(woken.is_ok(), "the other replica's follower is woken");
        let here = tokio::time::timeout(wait, at_home.changed()).await;
        assert!(here.is_ok(), "and the committing replica's own");
        let short = std::time::Duration::from_millis(200);
        let quiet = tokio::time::timeout(short, bystander.changed()).await;
        assert!(quiet.is_err(), "another tenant's follower is not");
    }

    #[tokio::test]
    async fn the_postgres_store_passes_the_conformance_suite() {
        let Some(db) = TestDatabase::create().await else {
            return;
        };
        conformance::run_all(&db.replica().await).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_writers_of_one_postgres_contact_lose_no_update() {
        let Some(db) = TestDatabase::create().await else {
            return;
        };
        racing_writers_lose_no_update(Arc::new(db.replica().await)).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres_replicas_never_claim_one_item_or_pass_the_rate_limit_twice() {
        let Some(db) = TestDatabase::create().await else {
            return;
        };
        let replicas = vec![
            Arc::new(db.replica().await),
            Arc::new(db.replica().await),
            Arc::new(db.replica().await),
        ];
        racing_dispatchers_never_share_an_item(replicas.clone()).await;
        racing_rate_checks_allow_exactly_the_burst(replicas).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres_replicas_starting_together_apply_the_schema_once() {
        let Some(db) = TestDatabase::create().await else {
            return;
        };
        let url = db.options().to_url_lossy().to_string();
        let mut starts = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let url = url.clone();
            starts.spawn(async move { PostgresStore::connect(&url).await });
        }
        let stores: Vec<PostgresStore> = starts
            .join_all()
            .await
            .into_iter()
            .map(|started| started.unwrap())
            .collect();
        let applied: Vec<(i64,)> = sqlx::query_as("SELECT version FROM msgcore_migrations")
            .fetch_all(stores[0].pool())
            .await
            .unwrap();
        assert_eq!(
            applied,
            [
                (1,),
                (2,),
                (3,),
                (4,),
                (5,),
                (6,),
                (7,),
                (8,),
                (9,),
                (10,),
                (11,),
                (12,),
                (13,)
            ]
        );
    }

    #[tokio::test]
    async fn a_postgres_database_of_the_first_schema_is_migrated_with_its_queues_call_logs_and_timelines()
     {
        let Some(db) = TestDatabase::create().await else {
            return;
        };
        let store = db.replica().await;
        let (tenant, queued) = queue_two_recipients(&store).await;
        let call = log_a_call_as_an_event(&store, tenant).await;
        let resolved = resolve_a_conversation(&store, tenant).await;
        for statement in BACK_TO_THE_FIRST_SCHEMA {
            sqlx::query(statement).execute(store.pool()).await.unwrap();
        }
        store.pool().close().await;
        let migrated = db.replica().await;
        queued_items_keep_their_order_across_the_migration(&migrated, tenant, queued).await;
        events_kept_before_the_migration_are_on_their_timelines(&migrated, tenant, &call, resolved)
            .await;
        contacts_tagged_before_the_migration_are_in_their_audiences(&migrated, tenant, &call).await;
        a_call_logged_before_the_migration_stays_logged(&migrated, tenant, call).await;
    }

    /// PostgreSQL keeps the generic plan of a statement prepared on a
    /// connection; chosen while the tables are small, as they are here, a plan
    /// that scans a table stays as the table grows (an import into a new
    /// database once slowed down with every batch). So every statement the
    /// store keeps prepared through the whole suite finds its rows through an
    /// index even in its generic plan, and the key-list statements are not
    /// kept at all. Campaign recipients are the exception: their rows are
    /// added only by a campaign's freeze, which analyzes the table in the
    /// same transaction, and an analysis makes every connection plan its
    /// statements on that table again.
    #[tokio::test]
    async fn every_statement_a_postgres_store_keeps_prepared_finds_its_rows_through_an_index() {
        let Some(db) = TestDatabase::create().await else {
            return;
        };
        // Room for every statement, so none is closed to make room.
        let options = PostgresStore::connect_options(&db.url())
            .unwrap()
            .statement_cache_capacity(1_000);
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .unwrap();
        let store = PostgresStore::from_pool(pool).await.unwrap();
        conformance::run_all(&store).await;
        retag_85_contacts_in_one_batch(&store).await;
        let mut conn = store.pool().acquire().await.unwrap();
        let kept: Vec<(String, String, Vec<String>)> = sqlx::query_as(
            "SELECT name, statement, parameter_types::text[] FROM pg_prepared_statements",
        )
        .persistent(false)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        assert!(kept.len() >= 40, "only {} statements were kept", kept.len());
        sqlx::query("SET plan_cache_mode = force_generic_plan")
            .persistent(false)
            .execute(&mut *conn)
            .await
            .unwrap();
        let mut scanning = Vec::new();
        for (name, statement, types) in kept {
            assert!(
                !statement.starts_with("/* planned per call */"),
                "kept prepared: {statement}"
            );
            let args: Vec<String> = types.iter().map(|t| format!("NULL::{t}")).collect();
            let explain = match args.is_empty() {
                true => format!("EXPLAIN EXECUTE {name}"),
                false => format!("EXPLAIN EXECUTE {name}({})", args.join(", ")),
            };
            let plan: Vec<String> = sqlx::query_scalar(&explain)
                .persistent(false)
                .fetch_all(&mut *conn)
                .await
                .unwrap();
            if !tables_read_whole(&plan).is_empty() {
                scanning.push(format!("{statement}\n{}", plan.join("\n")));
            }
        }
        assert!(scanning.is_empty(), "{}", scanning.join("\n\n"));
    }

    /// Inserts 85 contacts in one batch and retags them all in another, so
    /// that each multi-row statement of a contact update runs in every one of
    /// its shapes (64, 16, 4 and 1 rows).
    async fn retag_85_contacts_in_one_batch(store: &PostgresStore) {
        let tenant = conformance::tenant();
        store.put_tenant(&tenant).await.unwrap();
        let contacts: Vec<Contact> = (0..85)
            .map(|n| {
                let phone = format!("+1415555{:04}", 2000 + n).parse().unwrap();
                Contact::new(
                    ContactId::from_uuid(Uuid::now_v7()),
                    tenant.id,
                    phone,
                    now(),
                )
            })
            .collect();
        let inserts = contacts
            .iter()
            .map(|c| Changeset::for_contact(tenant.id, ContactWrite::Insert(c.clone())));
        store.commit_batch(inserts.collect()).await.unwrap();
        let updates = contacts.iter().map(|c| {
            let mut retagged = c.clone();
            retagged.add_tag("retagged");
            Changeset::for_contact(tenant.id, ContactWrite::update(c.version, retagged))
        });
        store.commit_batch(updates.collect()).await.unwrap();
        for contact in &contacts {
            let stored = store.contact(tenant.id, contact.id).await.unwrap().unwrap();
            assert_eq!(stored.tags, ["retagged"]);
        }
    }

    #[test]
    fn a_tenant_wide_index_scan_counts_as_reading_the_tenant_unless_a_limit_stops_it() {
        let plan = |lines: &[&str]| lines.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
        let bounded = plan(&[
            "Limit  (cost=0.15..5.17 rows=1 width=40)",
            "  ->  Index Scan Backward using messages_by_tenant on messages  (cost=0.15..20.22 rows=4 width=40)",
            "        Index Cond: (tenant = $1)",
        ]);
        let unbounded = plan(&[
            "Index Scan using messages_by_tenant on messages  (cost=0.15..20.22 rows=4 width=40)",
            "  Index Cond: (tenant = $1)",
        ]);
        let filtered = plan(&[
            "Limit  (cost=0.15..5.17 rows=1 width=40)",
            "  ->  Index Scan Backward using messages_by_tenant on messages  (cost=0.15..20.22 rows=4 width=40)",
            "        Index Cond: (tenant = $1)",
            "        Filter: (contact = $2)",
        ]);
        let sorted = plan(&[
            "Limit  (cost=9.15..9.17 rows=1 width=40)",
            "  ->  Sort  (cost=9.15..9.17 rows=4 width=40)",
            "        ->  Index Scan using messages_by_tenant on messages  (cost=0.15..20.22 rows=4 width=40)",
            "              Index Cond: (tenant = $1)",
        ]);
        assert!(tables_read_whole(&bounded).is_empty());
        assert_eq!(tables_read_whole(&unbounded), ["messages"]);
        assert_eq!(tables_read_whole(&filtered), ["messages"]);
        assert_eq!(
            tables_read_whole(&sorted),
            ["messages"],
            "a sort reads all first"
        );
    }

    /// The tables a plan reads whole, or a tenant's rows of whole: by a
    /// sequential scan, or by an index condition on the tenant alone on a
    /// table that grows with traffic.
    fn tables_read_whole(plan: &[String]) -> Vec<String> {
        const GROWING: [&str; 7] = [
            "contacts",
            "contact_tags",
            "conversations",
            "messages",
            "events",
            "outbox",
            "call_logs",
        ];
        let mut read_whole = Vec::new();
        let mut scanned = "";
        // An index scan right under a Limit, with no filter, reads the rows
        // it returns and stops: a tenant's newest N, not the whole tenant.
        let (mut after_limit, mut limited) = (false, false);
        for line in plan {
            let node = line.trim_start().trim_start_matches("->").trim_start();
            let is_node = line.trim_start().starts_with("->") || !line.starts_with(' ');
            if is_node {
                limited = after_limit && node.starts_with("Index Scan");
                after_limit = node.starts_with("Limit");
            }
            if let Some((_, rest)) = line.split_once(" on ") {
                scanned = rest.split(' ').next().unwrap_or_default();
            }
            let seq_scan = line.contains("Seq Scan on") && scanned != "campaign_recipients";
            let tenant_wide = line.trim_end().ends_with("Cond: (tenant = $1)")
                && GROWING.contains(&scanned)
                && !limited;
            let filtered = limited && node.starts_with("Filter:");
            if seq_scan || tenant_wide || filtered {
                read_whole.push(scanned.to_owned());
            }
        }
        read_whole
    }

    #[tokio::test]
    async fn a_postgres_store_is_healthy_until_its_database_is_gone() {
        let Some(db) = TestDatabase::create().await else {
            return;
        };
        let store = db.replica().await;
        assert!(store.health().await.is_ok());
        store.pool().close().await;
        assert!(
            store.health().await.is_err(),
            "a closed pool does not answer"
        );
    }

    #[tokio::test]
    async fn a_postgres_row_that_cannot_be_read_is_corrupt_not_a_panic() {
        let Some(db) = TestDatabase::create().await else {
            return;
        };
        let store = db.replica().await;
        let tenant = conformance::tenant();
        store.put_tenant(&tenant).await.unwrap();
        sqlx::query("UPDATE tenants SET doc = 'not json'")
            .execute(store.pool())
            .await
            .unwrap();
        match store.tenant_by_slug(&tenant.slug).await {
            Err(msgcore::store::StoreError::Corrupt { what, .. }) => assert_eq!(what, "tenant"),
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
}
