//! Nothing acknowledged is lost: the example server, killed with SIGKILL while
//! the load generator posts signed webhooks at it over 16 connections, has
//! stored every message it answered 200 for; restarted on the same database,
//! it takes the provider's retries of the rest, and every message is stored
//! exactly once. On a SQLite file and on PostgreSQL.
//!
//! The server runs in a child process: this test binary run again on one
//! test, with `MSGCORE_ACK_CHILD` naming the database and
//! `MSGCORE_ACK_ADDRESS` the file to write its address to.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use msgcore::model::{Direction, ProviderName};
use msgcore::store::Store;

use crate::databases;
use crate::loadgen::drive::{drive, drive_counted};
use crate::loadgen::twilio_sms::{SignedWebhook, TwilioSms, contact_number};
use crate::server_example::app::{self, Running};
use crate::{AUTH_TOKEN, FROM_NUMBER, PUBLIC_URL, ROUTE, config};

const CHILD: &str = "MSGCORE_ACK_CHILD";
const ADDRESS: &str = "MSGCORE_ACK_ADDRESS";
const WEBHOOKS: u64 = 3_000;
const CONTACTS: u64 = 100;
/// The server is killed once this many webhooks were acknowledged.
const KILL_AFTER: usize = 400;

/// The child: serves until it is killed.
async fn serve_until_killed(database: &str) {
    let running = app::start(&config(database))
        .await
        .expect("the server starts");
    let path = std::env::var(ADDRESS).expect("an address file");
    let written = format!("{path}.partial");
    std::fs::write(&written, running.addr.to_string()).expect("the address is written");
    std::fs::rename(&written, &path).expect("the address is published");
    std::future::pending::<()>().await;
}

/// Starts the child running `test` on `database`; it and the address it serves on.
fn spawn_server(test: &str, database: &str) -> (Child, String) {
    let address_file = databases::TempFile::new();
    let child = Command::new(std::env::current_exe().expect("this test binary"))
        .args([test, "--exact", "--test-threads=1"])
        .env(CHILD, database)
        .env(ADDRESS, &address_file.0)
        .stdout(Stdio::null())
        .spawn()
        .expect("the child starts");
    let started = Instant::now();
    while !Path::new(&address_file.0).exists() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the server never listened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let address = std::fs::read_to_string(&address_file.0).expect("the address");
    (child, address)
}

fn webhooks() -> Arc<Vec<SignedWebhook>> {
    let maker = TwilioSms::new(
        &format!("{PUBLIC_URL}{ROUTE}"),
        AUTH_TOKEN,
        FROM_NUMBER,
        CONTACTS,
        1,
    )
    .expect("a token");
    Arc::new((0..WEBHOOKS).map(|n| maker.webhook(n)).collect())
}

/// Posts every webhook at the child and kills it with SIGKILL mid-run; the
/// ids it acknowledged.
async fn load_and_kill(
    mut child: Child,
    address: &str,
    webhooks: Arc<Vec<SignedWebhook>>,
) -> Vec<String> {
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let url = format!("http://{address}/api{ROUTE}");
    let counted = acknowledged.clone();
    let load = tokio::spawn(async move { drive_counted(&url, webhooks, 16, counted).await });
    let started = Instant::now();
    while acknowledged.load(Ordering::Relaxed) < KILL_AFTER {
        assert!(
            child.try_wait().expect("the child").is_none(),
            "the server stopped by itself"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the server made no progress"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    child.kill().expect("SIGKILL"); // No destructor, no flush, no rollback.
    child.wait().expect("the child is gone");
    let outcome = load.await.expect("the load generator");
    eprintln!(
        "killed with {} of {WEBHOOKS} webhooks acknowledged",
        outcome.acknowledged.len()
    );
    assert!(
        outcome.failed > 0,
        "killed mid-run: {} acknowledged",
        outcome.acknowledged.len()
    );
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
    outcome.acknowledged
}

async fn stored_sids(store: &dyn Store, running: &Running) -> Vec<String> {
    let tenant = running.tenant.id;
    let mut sids = Vec::new();
    for k in 0..CONTACTS {
        let phone = contact_number(k).parse().expect("a valid number");
        let Some(contact) = store
            .contact_by_phone(tenant, &phone)
            .await
            .expect("contact")
        else {
            continue;
        };
        let timeline = store
            .timeline(tenant, contact.id, 10_000)
            .await
            .expect("timeline");
        sids.extend(
            timeline
                .into_iter()
                .filter(|m| m.direction == Direction::Inbound)
                .filter_map(|m| m.provider_message_id),
        );
    }
    sids
}

async fn crash_restart_and_retry(test: &str, database: &str) {
    let webhooks = webhooks();
    let (child, address) = spawn_server(test, database);
    let acknowledged = load_and_kill(child, &address, webhooks.clone()).await;

    let running = app::start(&config(database))
        .await
        .expect("the server restarts");
    let store = running.inbox.store().clone();
    for sid in &acknowledged {
        let stored = store
            .message_by_provider_id(running.tenant.id, &ProviderName::TWILIO, sid)
            .await
            .expect("the store answers");
        assert!(
            stored.is_some(),
            "{sid} was acknowledged before the kill but is not stored"
        );
    }
    // The provider retries what got no 200.
    let answered: HashSet<&String> = acknowledged.iter().collect();
    let retries: Vec<SignedWebhook> = webhooks
        .iter()
        .filter(|w| !answered.contains(&w.message_sid))
        .cloned()
        .collect();
    let retried = drive(
        &format!("http://{}/api{ROUTE}", running.addr),
        Arc::new(retries),
        16,
    )
    .await;
    assert_eq!(retried.failed, 0);
    assert!(retried.refused.is_empty(), "{:?}", retried.refused);

    let stored = stored_sids(store.as_ref(), &running).await;
    let distinct: HashSet<&String> = stored.iter().collect();
    assert_eq!(stored.len(), WEBHOOKS as usize, "every message stored once");
    assert_eq!(distinct.len(), WEBHOOKS as usize);
    running.stop().await.expect("a clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_server_killed_under_load_kept_every_acknowledged_webhook() {
    if let Ok(database) = std::env::var(CHILD) {
        return serve_until_killed(&database).await;
    }
    let file = databases::TempFile::new();
    let test = "durable_acks::a_sqlite_server_killed_under_load_kept_every_acknowledged_webhook";
    crash_restart_and_retry(test, &file.0.display().to_string()).await;
}

#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_server_killed_under_load_kept_every_acknowledged_webhook() {
    if let Ok(database) = std::env::var(CHILD) {
        return serve_until_killed(&database).await;
    }
    let Some(database) = databases::TestDatabase::create().await else {
        return;
    };
    let test = "durable_acks::a_postgres_server_killed_under_load_kept_every_acknowledged_webhook";
    crash_restart_and_retry(test, &database.url()).await;
}
