//! Group commit (`InboxBuilder::group_commit`): concurrent webhooks share store
//! transactions, each is answered with what a commit of its own would have
//! said, and a full queue refuses at once with 503 instead of growing.
#![cfg(feature = "tokio")]

use std::sync::Arc;
use std::time::Duration;

use msgcore::core::delivery::{DeliveryStatus, StatusUpdate};
use msgcore::engine::{GroupCommitOptions, InboundOutcome, Inbox};
use msgcore::model::{MessageRef, StatusCallback, Tenant, TenantRef};
use msgcore::store::{Store, StoreError};

use crate::conflicting_store::ConflictingStore;
use crate::harness::{Harness, settings_with_tags, tenant};
use crate::laws::replicas_built_so_ingest_duplicated_webhooks_exactly_once;

fn grouped(store: Arc<dyn Store>, options: GroupCommitOptions) -> Inbox {
    Inbox::builder(store).group_commit(options).build()
}

async fn slow_store_and_inbox(
    options: GroupCommitOptions,
) -> (Arc<ConflictingStore>, Arc<Inbox>, Tenant) {
    let store = Arc::new(ConflictingStore::default());
    let inbox = Arc::new(grouped(store.clone(), options));
    let tenant = tenant(settings_with_tags());
    inbox.put_tenant(&tenant).await.unwrap();
    // While the first commit takes its time, the others queue behind it.
    store.delay_commits(Duration::from_millis(50));
    (store, inbox, tenant)
}

/// `count` webhooks from `count` different numbers, all at once.
async fn concurrent_webhooks(
    inbox: &Arc<Inbox>,
    count: usize,
) -> Vec<Result<InboundOutcome, msgcore::Error>> {
    let tasks: Vec<_> = (0..count)
        .map(|n| {
            let inbox = Arc::clone(inbox);
            let from = format!("+1415555{:04}", 3000 + n);
            let message = Harness::message_for(&from, &format!("SMgroup{n}"), "is my order ready?");
            tokio::spawn(async move { inbox.handle_inbound(&message).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    outcomes
}

async fn stored_messages(store: &dyn Store, tenant: &Tenant, outcomes: &[InboundOutcome]) -> usize {
    let mut stored = 0;
    for outcome in outcomes {
        let message = store.message(tenant.id, outcome.message).await.unwrap();
        stored += usize::from(message.is_some());
    }
    stored
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_webhooks_share_transactions_and_each_is_answered_once_stored() {
    let (store, inbox, tenant) = slow_store_and_inbox(GroupCommitOptions::default()).await;

    let outcomes: Vec<_> = concurrent_webhooks(&inbox, 64)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();

    assert!(outcomes.iter().all(|o| !o.duplicate));
    assert_eq!(
        stored_messages(store.as_ref(), &tenant, &outcomes).await,
        64
    );
    let batches = store.batches();
    assert!(
        batches.iter().any(|&size| size > 1),
        "commits were grouped: {batches:?}"
    );
    assert!(
        store.commits() < 64,
        "fewer transactions than webhooks: {}",
        store.commits()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_batch_that_fails_is_committed_again_one_by_one_and_every_caller_gets_its_own_answer() {
    let (store, inbox, tenant) = slow_store_and_inbox(GroupCommitOptions::default()).await;
    store.fail_next_batch();

    let outcomes: Vec<_> = concurrent_webhooks(&inbox, 32)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();

    let batches = store.batches();
    assert!(!batches.is_empty(), "a batch was tried: {batches:?}");
    assert_eq!(
        stored_messages(store.as_ref(), &tenant, &outcomes).await,
        32
    );
    for outcome in &outcomes {
        let contact = store
            .contact(tenant.id, outcome.contact)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(contact.version, 1, "each message written once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_queue_refuses_at_once_with_503_and_stores_nothing_for_the_refused() {
    let options = GroupCommitOptions {
        max_batch: 1,
        queue: 2,
    };
    let (store, inbox, tenant) = slow_store_and_inbox(options).await;

    let outcomes = concurrent_webhooks(&inbox, 24).await;

    let refused: Vec<_> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    let acknowledged: Vec<_> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().ok())
        .cloned()
        .collect();
    assert!(!refused.is_empty(), "some webhooks found the queue full");
    for error in &refused {
        assert_eq!(error.http_status(), 503, "{error}");
        assert!(error.is_retryable());
        assert!(matches!(
            error,
            msgcore::Error::Store(StoreError::Overloaded { waiting: 2 })
        ));
    }
    assert_eq!(
        stored_messages(store.as_ref(), &tenant, &acknowledged).await,
        acknowledged.len()
    );
    let all = msgcore::store::ConversationQuery {
        limit: 1_000,
        ..Default::default()
    };
    let conversations = store.conversations(tenant.id, &all).await.unwrap();
    assert_eq!(
        conversations.len(),
        acknowledged.len(),
        "the refused wrote nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_contacts_concurrent_messages_go_in_consecutive_transactions_and_all_are_kept() {
    let (store, inbox, tenant) = slow_store_and_inbox(GroupCommitOptions::default()).await;
    let tasks: Vec<_> = (0..12)
        .map(|n| {
            let inbox = Arc::clone(&inbox);
            let message = Harness::message_for("+14155553999", &format!("SMsame{n}"), "hello");
            tokio::spawn(async move { inbox.handle_inbound(&message).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap().unwrap());
    }

    let contact = outcomes[0].contact;
    assert!(
        outcomes
            .iter()
            .all(|o| o.contact == contact && !o.duplicate)
    );
    let stored = store.contact(tenant.id, contact).await.unwrap().unwrap();
    assert_eq!(stored.version, 12, "twelve messages, twelve versions");
    assert_eq!(
        store.timeline(tenant.id, contact, 100).await.unwrap().len(),
        12
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_status_callbacks_share_transactions_and_each_gets_its_merged_delivery() {
    let (store, inbox, tenant) = slow_store_and_inbox(GroupCommitOptions::default()).await;
    let messages: Vec<_> = concurrent_webhooks(&inbox, 16)
        .await
        .into_iter()
        .map(|outcome| outcome.unwrap().message)
        .collect();
    let at = crate::harness::t0();
    let callback = |message, status| StatusCallback {
        tenant: TenantRef::Id(tenant.id),
        message: MessageRef::Id(message),
        update: StatusUpdate::new(status, at),
        opted_out: false,
        pricing: None,
    };
    // Each message hears "delivered" and then "sent": the merge keeps delivered.
    let callbacks = messages.iter().flat_map(|&m| {
        [
            callback(m, DeliveryStatus::Delivered),
            callback(m, DeliveryStatus::Sent),
        ]
    });
    let tasks: Vec<_> = callbacks
        .map(|callback| {
            let inbox = Arc::clone(&inbox);
            tokio::spawn(async move { inbox.on_status(&callback).await })
        })
        .collect();
    for task in tasks {
        let outcome = task.await.unwrap().unwrap();
        assert!(outcome.delivery.status().is_some());
    }

    for message in &messages {
        let stored = store.message(tenant.id, *message).await.unwrap().unwrap();
        assert_eq!(stored.delivery.status(), Some(DeliveryStatus::Delivered));
    }
    let batches = store.status_batches();
    assert!(
        batches.iter().any(|&size| size > 1),
        "merged together: {batches:?}"
    );
    assert_eq!(
        batches.iter().sum::<usize>(),
        32,
        "every callback merged once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn grouped_replicas_on_one_memory_store_ingest_duplicated_webhooks_exactly_once() {
    let store: Arc<dyn Store> = Arc::new(msgcore::store::MemoryStore::new());
    replicas_built_so_ingest_duplicated_webhooks_exactly_once([Arc::clone(&store), store], |s| {
        grouped(s, GroupCommitOptions::default())
    })
    .await;
}

#[cfg(feature = "sqlite")]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn grouped_replicas_on_one_sqlite_file_ingest_duplicated_webhooks_exactly_once() {
    use msgcore::store::SqliteStore;

    let file = crate::databases::TempFile::new();
    let a: Arc<dyn Store> = Arc::new(SqliteStore::open(&file.0).await.unwrap());
    let b: Arc<dyn Store> = Arc::new(SqliteStore::open(&file.0).await.unwrap());
    replicas_built_so_ingest_duplicated_webhooks_exactly_once([a, b], |s| {
        grouped(s, GroupCommitOptions::default())
    })
    .await;
}

#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn grouped_replicas_on_one_postgres_database_ingest_duplicated_webhooks_exactly_once() {
    let Some(db) = crate::databases::TestDatabase::create().await else {
        return;
    };
    let a: Arc<dyn Store> = Arc::new(db.replica().await);
    let b: Arc<dyn Store> = Arc::new(db.replica().await);
    replicas_built_so_ingest_duplicated_webhooks_exactly_once([a, b], |s| {
        grouped(s, GroupCommitOptions::default())
    })
    .await;
}

#[test]
fn an_inbox_that_outlives_the_runtime_of_its_first_commit_keeps_committing_on_the_next() {
    let store: Arc<dyn Store> = Arc::new(msgcore::store::MemoryStore::new());
    let inbox = grouped(store, GroupCommitOptions::default());
    let tenant = tenant(settings_with_tags());
    let message = |n: u32| Harness::message_for("+14155553998", &format!("SMrt{n}"), "hello");

    let first = tokio::runtime::Runtime::new().unwrap();
    first.block_on(inbox.put_tenant(&tenant)).unwrap();
    first.block_on(inbox.handle_inbound(&message(1))).unwrap();
    drop(first);
    let second = tokio::runtime::Runtime::new().unwrap();
    let outcome = second.block_on(inbox.handle_inbound(&message(2)));

    let outcome = outcome.expect("a new writer on the second runtime");
    assert!(!outcome.duplicate);
    let stored = second.block_on(inbox.store().timeline(tenant.id, outcome.contact, 10));
    assert_eq!(stored.unwrap().len(), 2);
}
