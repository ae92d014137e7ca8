//! Campaigns are exactly once under crashes and concurrency (SPEC §18): a
//! scheduler process killed with SIGKILL mid-campaign and restarted queues
//! every recipient exactly once and skips none, on SQLite and on PostgreSQL;
//! two schedulers on one PostgreSQL share a campaign the same way.
//!
//! The child process is this test binary run again on one test, with
//! `MSGCORE_CAMPAIGN_CHILD` naming the database: that test then runs the
//! campaign in small batches until it is killed.

#[path = "support/databases.rs"]
mod databases;

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use msgcore::core::campaign::{CampaignDefinition, RecipientState, client_id};
use msgcore::core::import::ImportOptions;
use msgcore::core::plan::PlanLimits;
use msgcore::engine::{CAMPAIGN_LEASE, Clock, Inbox, ManualClock, SystemClock};
use msgcore::model::{Tenant, TenantId, TenantSettings};
use msgcore::store::{PostgresStore, SqliteStore, Store};

use databases::{TempFile, TestDatabase};

const CHILD: &str = "MSGCORE_CAMPAIGN_CHILD";
const RECIPIENTS: usize = 3_000;
const CAMPAIGN: &str = "crash";

fn tenant() -> Tenant {
    Tenant {
        id: TenantId::from_uuid(uuid::Uuid::from_u128(0xc4a5)),
        slug: "crash".to_owned(),
        org_name: "Crash Co".to_owned(),
        numbers: vec![],
        settings: TenantSettings {
            plan: PlanLimits::pro(),
            ..TenantSettings::default()
        },
    }
}

async fn open(spec: &str) -> Arc<dyn Store> {
    if let Some(path) = spec.strip_prefix("sqlite:") {
        Arc::new(SqliteStore::open(path).await.unwrap())
    } else if let Some(url) = spec.strip_prefix("postgres:") {
        Arc::new(PostgresStore::connect(url).await.unwrap())
    } else {
        panic!("not a database: {spec}")
    }
}

/// The tenant, `RECIPIENTS` opted-in contacts and the campaign, frozen.
async fn seed(store: Arc<dyn Store>) {
    let inbox = Inbox::builder(store).build();
    inbox.put_tenant(&tenant()).await.unwrap();
    let mut csv = String::from("phone,name,smsOptedIn\n");
    for n in 0..RECIPIENTS {
        csv.push_str(&format!("+1212555{n:04},Ada,true\n"));
    }
    let options = ImportOptions::default();
    let continue_ = |_| ControlFlow::Continue(());
    let report = inbox
        .import_contacts(tenant().id, csv.as_bytes(), &options, continue_)
        .await
        .unwrap();
    assert_eq!(report.created, RECIPIENTS as u64);
    let definition: CampaignDefinition = serde_json::from_value(serde_json::json!({
        "id": CAMPAIGN, "channel": "sms", "kind": "transactional",
        "text": "Hi {name}, your order shipped."
    }))
    .unwrap();
    let counts = inbox
        .create_campaign(tenant().id, definition)
        .await
        .unwrap();
    assert_eq!(counts.pending, RECIPIENTS as u64);
}

/// The child: small batches, until killed (or, if never killed, done).
async fn run_as_child(spec: &str) {
    let inbox = Inbox::builder(open(spec).await).build();
    loop {
        let pass = inbox
            .run_campaign_batch(tenant().id, CAMPAIGN, 40)
            .await
            .unwrap();
        if pass.taken_up() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

async fn queued(store: &Arc<dyn Store>) -> u64 {
    let counts = store.campaign_counts(tenant().id, CAMPAIGN).await.unwrap();
    counts.map_or(0, |c| c.queued)
}

/// Starts the child on `test`, kills it with SIGKILL once it has queued a
/// few hundred recipients; how many it had queued.
async fn kill_mid_campaign(test: &str, spec: &str, store: &Arc<dyn Store>) -> u64 {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--test-threads=1"])
        .env(CHILD, spec)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while queued(store).await < 300 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child stopped before it was killed"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the child made no progress"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no rollback, no flush.
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed, not finished: {status}");
    let recipients = store
        .campaign_recipients(tenant().id, CAMPAIGN, None, RECIPIENTS)
        .await
        .unwrap();
    let leased = recipients
        .iter()
        .filter(|r| r.state == RecipientState::Pending && r.lease_until.is_some())
        .count();
    let queued = queued(store).await;
    eprintln!("killed with {queued} of {RECIPIENTS} queued and {leased} taken up, not yet queued");
    queued
}

/// Restarts after the crash, past the dead scheduler's leases, and finishes.
async fn restart_and_finish(store: Arc<dyn Store>) {
    let later = SystemClock.now() + CAMPAIGN_LEASE + chrono::TimeDelta::seconds(1);
    let inbox = Inbox::builder(store)
        .clock(Arc::new(ManualClock::new(later)))
        .build();
    inbox.run_campaign(tenant().id, CAMPAIGN).await.unwrap();
}

/// Every recipient queued, once: one message each, under its client id, with
/// its outbox item; no contact has a second message.
async fn assert_everyone_queued_once(store: &Arc<dyn Store>) {
    let t = tenant().id;
    let counts = store.campaign_counts(t, CAMPAIGN).await.unwrap().unwrap();
    assert_eq!(counts.queued, RECIPIENTS as u64, "{counts:?}");
    assert_eq!((counts.pending, counts.skipped.len()), (0, 0), "{counts:?}");
    let recipients = store
        .campaign_recipients(t, CAMPAIGN, None, RECIPIENTS + 1)
        .await
        .unwrap();
    assert_eq!(recipients.len(), RECIPIENTS);
    let mut messages = HashSet::new();
    for recipient in &recipients {
        assert_eq!(recipient.state, RecipientState::Queued);
        let id = recipient.message.expect("a queued recipient has a message");
        assert!(messages.insert(id), "a message shared by two recipients");
        let by_client = store
            .message_by_client_id(t, &client_id(CAMPAIGN, &recipient.phone))
            .await
            .unwrap()
            .expect("the message under its client id");
        assert_eq!(by_client.id, id);
        let timeline = store.timeline(t, recipient.contact, 10).await.unwrap();
        assert_eq!(
            timeline.len(),
            1,
            "{} got {} messages",
            recipient.phone,
            timeline.len()
        );
        assert!(store.outbox_item(t, id).await.unwrap().is_some());
    }
}

/// Seeds the database, kills the child running test `test` mid-campaign,
/// restarts, and checks that everyone was queued once.
async fn crash_and_restart(test: &str, spec: &str) {
    let store = open(spec).await;
    seed(store.clone()).await;
    let at_kill = kill_mid_campaign(test, spec, &store).await;
    assert!(
        at_kill < RECIPIENTS as u64,
        "killed mid-campaign: {at_kill} queued"
    );
    restart_and_finish(store.clone()).await;
    assert_everyone_queued_once(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduler_killed_mid_campaign_on_sqlite_is_restarted_and_queues_everyone_once() {
    if let Ok(spec) = std::env::var(CHILD) {
        return run_as_child(&spec).await;
    }
    let file = TempFile::new();
    let spec = format!("sqlite:{}", file.0.display());
    let test = "a_scheduler_killed_mid_campaign_on_sqlite_is_restarted_and_queues_everyone_once";
    crash_and_restart(test, &spec).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduler_killed_mid_campaign_on_postgres_is_restarted_and_queues_everyone_once() {
    if let Ok(spec) = std::env::var(CHILD) {
        return run_as_child(&spec).await;
    }
    let Some(database) = TestDatabase::create().await else {
        return;
    };
    let spec = format!("postgres:{}", database.url());
    let test = "a_scheduler_killed_mid_campaign_on_postgres_is_restarted_and_queues_everyone_once";
    crash_and_restart(test, &spec).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_schedulers_on_one_postgres_queue_each_recipient_once() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    let Some(database) = TestDatabase::create().await else {
        return;
    };
    let first: Arc<dyn Store> = Arc::new(database.replica().await);
    let second: Arc<dyn Store> = Arc::new(database.replica().await);
    seed(first.clone()).await;
    let scheduler = |store: Arc<dyn Store>| async move {
        let inbox = Inbox::builder(store).build();
        let mut queued = 0;
        loop {
            let pass = inbox
                .run_campaign_batch(tenant().id, CAMPAIGN, 25)
                .await
                .unwrap();
            queued += pass.queued;
            // Nothing taken up: done, or the other scheduler holds the
            // campaign's row for its claim (skipped, not waited for).
            if pass.taken_up() == 0 {
                let record = inbox.campaign(tenant().id, CAMPAIGN).await.unwrap();
                if !record.status.is_active() {
                    return queued;
                }
                tokio::task::yield_now().await;
            }
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(scheduler(first.clone())),
        tokio::spawn(scheduler(second))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a > 0 && b > 0, "both schedulers took part: {a} and {b}");
    assert_eq!(a + b, RECIPIENTS);
    eprintln!("the schedulers queued {a} and {b}");
    assert_everyone_queued_once(&first).await;
}
