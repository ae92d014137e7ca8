//! The engine over the SQL stores, with several replicas on one database: the
//! issue-4 concurrency scenario, and dispatchers sharing one outbox.

#[cfg(any(feature = "sqlite", feature = "postgres"))]
use std::sync::Arc;

#[cfg(any(feature = "sqlite", feature = "postgres"))]
use msgcore::store::Store;

#[cfg(any(feature = "sqlite", feature = "postgres"))]
use crate::laws::replicas_ingest_duplicated_webhooks_exactly_once;

#[cfg(feature = "sqlite")]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_on_one_sqlite_file_ingest_duplicated_webhooks_exactly_once() {
    use msgcore::store::SqliteStore;

    let file = crate::databases::TempFile::new();
    let a: Arc<dyn Store> = Arc::new(SqliteStore::open(&file.0).await.unwrap());
    let b: Arc<dyn Store> = Arc::new(SqliteStore::open(&file.0).await.unwrap());
    replicas_ingest_duplicated_webhooks_exactly_once([a, b]).await;
}

#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_on_one_postgres_database_ingest_duplicated_webhooks_exactly_once() {
    let Some(db) = crate::databases::TestDatabase::create().await else {
        return;
    };
    let a: Arc<dyn Store> = Arc::new(db.replica().await);
    let b: Arc<dyn Store> = Arc::new(db.replica().await);
    replicas_ingest_duplicated_webhooks_exactly_once([a, b]).await;
}

/// Three dispatchers, each on its own replica of one PostgreSQL database, drain
/// 200 queued messages at once: every message reaches the carrier exactly once.
#[cfg(all(feature = "postgres", feature = "tokio"))]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dispatchers_on_three_postgres_replicas_send_each_message_once() {
    use msgcore::carrier::RecordingCarrier;
    use msgcore::core::channel::Channel;
    use msgcore::core::message::Content;
    use msgcore::engine::{DispatchPolicy, Dispatcher, Inbox, SendRequest, SystemClock};
    use msgcore::model::ProviderName;

    use crate::harness::{Harness, e164, settings_with_tags, tenant};

    let Some(db) = crate::databases::TestDatabase::create().await else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(db.replica().await);
    let inbox = Inbox::builder(Arc::clone(&store)).build();
    let tenant = tenant(settings_with_tags());
    inbox.put_tenant(&tenant).await.unwrap();
    for c in 0..20 {
        let from = format!("+1415555{:04}", 2000 + c);
        inbox
            .handle_inbound(&Harness::message_for(&from, &format!("SMd{c}"), "hi"))
            .await
            .unwrap();
        for m in 0..10 {
            let content = Content::text(format!("update {m}")).unwrap();
            inbox
                .send(&SendRequest::reply(
                    tenant.id,
                    e164(&from),
                    Channel::Sms,
                    content,
                ))
                .await
                .unwrap();
        }
    }
    let carrier = Arc::new(RecordingCarrier::new(ProviderName::TWILIO));
    let policy = DispatchPolicy {
        batch_size: 10,
        max_concurrent_sends: 4,
        ..DispatchPolicy::default()
    };
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let replica: Arc<dyn Store> = Arc::new(db.replica().await);
        let dispatcher = Dispatcher::new(
            replica,
            carrier.clone(),
            Arc::new(SystemClock),
            policy.clone(),
        )
        .unwrap();
        tasks.push(tokio::spawn(async move {
            let mut sent = 0;
            loop {
                let report = dispatcher.dispatch_once().await.unwrap();
                assert!(report.problems.is_empty(), "{:?}", report.problems);
                if report.claimed == 0 {
                    return sent;
                }
                sent += report.sent();
            }
        }));
    }
    let mut sent = Vec::new();
    for task in tasks {
        sent.push(task.await.unwrap());
    }
    assert_eq!(sent.iter().sum::<usize>(), 200, "per dispatcher: {sent:?}");
    let attempts = carrier.attempts_by_key();
    assert_eq!(attempts.len(), 200);
    assert!(
        attempts.values().all(|&n| n == 1),
        "a message was sent twice"
    );
}
