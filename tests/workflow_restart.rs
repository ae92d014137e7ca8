//! Workflow runs waiting on timers are exactly once across restarts and
//! concurrency (SPEC §13, §18; issue 13): runs in a SQLite file outlive the
//! process that started them and fire once when it comes back; a scheduler
//! that died after claiming holds its runs only until its lease lapses; two
//! schedulers on one PostgreSQL wake each run once between them.

#[path = "support/databases.rs"]
mod databases;
#[path = "support/waiting_runs.rs"]
mod waiting_runs;

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use msgcore::core::workflow::RunStatus;
use msgcore::engine::{EditedBy, Inbox, RUN_LEASE};
use msgcore::model::{ContactEdit, ContactId, MessageOrigin};
use msgcore::store::{SqliteStore, Store};

use databases::{TempFile, TestDatabase};
use waiting_runs::{REMINDER, WORKFLOW, inbox_at, phone, t0, tenant};

/// How long a wake-up holds the runs it claimed.
const LEASE: TimeDelta = RUN_LEASE;

/// When the runs started at [`t0`] are due: an hour later, 11:00 in San
/// Francisco, so quiet hours hold none of their sends.
fn due() -> DateTime<Utc> {
    waiting_runs::wake_at(t0())
}

/// The tenant, the workflow, and `count` contacts opted in on SMS through
/// the inbox, each with a run started at [`t0`] through the inbox and
/// waiting for its hour: the contacts, in order.
async fn start_waiting_runs(store: Arc<dyn Store>, count: usize) -> Vec<ContactId> {
    waiting_runs::define(store.clone()).await;
    let inbox = inbox_at(store, t0());
    let tenant = tenant();
    let opted_in = ContactEdit {
        sms_opted_in: Some(true),
        ..ContactEdit::default()
    };
    let mut contacts = Vec::with_capacity(count);
    for n in 0..count {
        let edited = inbox
            .edit_contact(tenant.id, phone(n), &opted_in, &EditedBy::Api)
            .await
            .unwrap();
        let id = edited.contact.id;
        let run = inbox.start_workflow(tenant.id, WORKFLOW, id).await.unwrap();
        assert_eq!(run.run.status, RunStatus::Waiting);
        assert_eq!(run.run.wake_at, Some(due()));
        contacts.push(id);
    }
    contacts
}

/// The reminders the workflow queued for `contact`, with whether each has
/// its outbox item, and where the contact's run stands.
async fn reminders(store: &dyn Store, contact: ContactId) -> (Vec<(String, bool)>, RunStatus) {
    let t = tenant().id;
    let mut sent = Vec::new();
    for message in store.timeline(t, contact, 100).await.unwrap() {
        if message.origin == MessageOrigin::Automation {
            let queued = store.outbox_item(t, message.id).await.unwrap().is_some();
            sent.push((message.text().unwrap_or_default().to_owned(), queued));
        }
    }
    let run = store.latest_run(t, WORKFLOW, contact).await.unwrap();
    (sent, run.expect("the contact's run").run.status)
}

/// Every contact's run completed, having queued exactly one reminder.
async fn assert_each_reminded_once(store: &dyn Store, contacts: &[ContactId]) {
    let once = vec![(REMINDER.to_owned(), true)];
    for contact in contacts {
        let (sent, status) = reminders(store, *contact).await;
        assert_eq!(sent, once, "contact {contact}");
        assert_eq!(status, RunStatus::Completed, "contact {contact}");
    }
}

/// Opens the SQLite file `file` again, as a restarted process does.
async fn reopen(file: &TempFile) -> Arc<SqliteStore> {
    Arc::new(SqliteStore::open(&file.0).await.unwrap())
}

/// Closes the store's connections, as a process that exits does.
async fn shut_down(store: Arc<SqliteStore>) {
    store.pool().close().await;
}

async fn outbox_rows(store: &SqliteStore) -> i64 {
    let count = sqlx::query_scalar("SELECT count(*) FROM outbox");
    count.fetch_one(store.pool()).await.unwrap()
}

#[tokio::test]
async fn runs_waiting_in_a_sqlite_file_survive_a_restart_and_fire_exactly_once() {
    const CONTACTS: usize = 50;
    let file = TempFile::new();
    let store = reopen(&file).await;
    let contacts = start_waiting_runs(store.clone(), CONTACTS).await;
    assert_eq!(outbox_rows(&store).await, 0, "nothing sent before the hour");
    shut_down(store).await;

    let store = reopen(&file).await;
    let inbox = inbox_at(store.clone(), due() + TimeDelta::seconds(1));
    assert_eq!(inbox.wake_due_runs().await.unwrap(), CONTACTS);
    assert_each_reminded_once(store.as_ref(), &contacts).await;
    assert_eq!(outbox_rows(&store).await, CONTACTS as i64);

    assert_eq!(inbox.wake_due_runs().await.unwrap(), 0, "fired once");
    assert_each_reminded_once(store.as_ref(), &contacts).await;
    assert_eq!(outbox_rows(&store).await, CONTACTS as i64);
}

#[tokio::test]
async fn runs_a_dead_scheduler_claimed_wait_out_its_lease_then_each_fires_once() {
    const CONTACTS: usize = 50;
    const CLAIMED: usize = 30;
    let file = TempFile::new();
    let store = reopen(&file).await;
    let contacts = start_waiting_runs(store.clone(), CONTACTS).await;
    shut_down(store).await;

    // A scheduler claims a batch at the hour and dies before waking any.
    let dead = reopen(&file).await;
    let claimed = dead.claim_due_runs(due(), LEASE, CLAIMED).await.unwrap();
    assert_eq!(claimed.len(), CLAIMED);
    shut_down(dead).await;
    let (claimed, unclaimed): (Vec<ContactId>, Vec<ContactId>) = {
        let ids: Vec<ContactId> = claimed.iter().map(|run| run.contact).collect();
        contacts.iter().partition(|contact| ids.contains(contact))
    };

    // Its successor, within the lease, wakes only the runs nobody holds.
    let store = reopen(&file).await;
    let within = inbox_at(store.clone(), due() + LEASE - TimeDelta::seconds(1));
    assert_eq!(within.wake_due_runs().await.unwrap(), CONTACTS - CLAIMED);
    assert_each_reminded_once(store.as_ref(), &unclaimed).await;
    for contact in &claimed {
        let (sent, status) = reminders(store.as_ref(), *contact).await;
        assert_eq!((sent, status), (vec![], RunStatus::Waiting), "held");
    }

    // Once the lease lapses, the dead scheduler's runs fire, each once.
    let after = inbox_at(store.clone(), due() + LEASE + TimeDelta::seconds(1));
    assert_eq!(after.wake_due_runs().await.unwrap(), CLAIMED);
    assert_eq!(after.wake_due_runs().await.unwrap(), 0, "fired once");
    assert_each_reminded_once(store.as_ref(), &contacts).await;
    assert_eq!(outbox_rows(&store).await, CONTACTS as i64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_schedulers_on_one_postgres_wake_each_due_run_once() {
    // More than two claims' worth (a wake-up claims 500 at a time), so
    // both schedulers claim while the other is waking its batch.
    const CONTACTS: usize = 1_200;
    let Some(database) = TestDatabase::create().await else {
        return;
    };
    let first: Arc<dyn Store> = Arc::new(database.replica().await);
    let second: Arc<dyn Store> = Arc::new(database.replica().await);
    waiting_runs::define(first.clone()).await;
    let contacts = waiting_runs::seed_waiting_runs(first.as_ref(), 0, CONTACTS, t0()).await;
    let now = due() + TimeDelta::seconds(1);
    let (a, b) = (
        Arc::new(inbox_at(first.clone(), now)),
        Arc::new(inbox_at(second, now)),
    );
    let mut woken = (0, 0);
    for _ in 0..3 {
        let wake = |inbox: &Arc<Inbox>| {
            let inbox = inbox.clone();
            tokio::spawn(async move { inbox.wake_due_runs().await.unwrap() })
        };
        let (by_a, by_b) = tokio::join!(wake(&a), wake(&b));
        woken = (woken.0 + by_a.unwrap(), woken.1 + by_b.unwrap());
    }
    eprintln!("the schedulers woke {} and {} runs", woken.0, woken.1);
    assert!(woken.0 + woken.1 >= CONTACTS, "woken: {woken:?}");
    assert_each_reminded_once(first.as_ref(), &contacts).await;
    let pool = database.replica().await;
    let outbox = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM outbox");
    let outbox = outbox.fetch_one(pool.pool()).await.unwrap();
    assert_eq!(outbox, CONTACTS as i64, "one message per contact, no more");
}
