//! Campaign fan-out on the SQL stores: a 100,000-contact audience frozen, then
//! every recipient queued into the outbox, in recipients per second for each
//! phase.
//!
//! ```sh
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo bench --bench campaign --features sqlite,postgres -- 100000
//! ```
//!
//! The argument is the number of recipients (default 100,000; 1,000 under
//! `cargo bench -- --test`). For each store (a new SQLite file, WAL and
//! synchronous FULL as `SqliteStore::open` sets it; then a new PostgreSQL
//! database when `DATABASE_URL` is set) the contacts are written first,
//! untimed, as a CSV import creates them, each tagged `customer` and opted in
//! to SMS (then, on PostgreSQL,
//! `ANALYZE` of the contacts, as autovacuum would have by the time a campaign goes out). Then two timed phases:
//! `Inbox::create_campaign` (the freeze: the audience read by tag and one
//! recipient row per contact) and `Inbox::run_campaign` until every recipient
//! is queued (a transactional campaign, so quiet hours hold nobody, and no
//! throttle). The outbox is counted at the end: a bench that queued nothing
//! would be worthless. One line per store:
//! `store=… recipients=… freeze_seconds=… freeze_per_second=… queue_seconds=…
//! queue_per_second=…`.

#[path = "../tests/support/databases.rs"]
mod databases;

use std::sync::Arc;
use std::time::Instant;

use msgcore::core::campaign::CampaignDefinition;
use msgcore::core::consent::ConsentSource;
use msgcore::core::plan::PlanLimits;
use msgcore::engine::decide::{ContactEditContext, ContactEditPlan, decide_contact_edit};
use msgcore::engine::{Clock, Inbox, SystemClock};
use msgcore::model::{ContactEdit, RandomIds, Tenant, TenantId, TenantSettings};
use msgcore::store::SqliteStore;
use tokio::runtime::Runtime;

const CAMPAIGN: &str = "fan-out";

fn main() {
    // `cargo bench -- --test` (criterion's smoke run) sends to a small audience.
    let smoke = std::env::args().any(|a| a == "--test");
    let default_size = if smoke { 1_000 } else { 100_000 };
    let size: u64 = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .and_then(|a| a.parse().ok())
        .unwrap_or(default_size);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let file = databases::TempFile::new();
    let sqlite = runtime.block_on(SqliteStore::open(&file.0)).unwrap();
    let count_sqlite = |sql| {
        let pool = sqlite.pool().clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await }
    };
    let inbox = Inbox::builder(Arc::new(sqlite.clone())).build();
    runtime.block_on(seed(&inbox, size));
    fan_out(&runtime, "sqlite_file", &inbox, size);
    verify(size, runtime.block_on(count_sqlite(OUTBOX)).unwrap());
    let Some(database) = runtime.block_on(databases::TestDatabase::create()) else {
        println!("store=postgres skipped: set DATABASE_URL=postgres://user@host/db to run it");
        return;
    };
    let postgres = runtime.block_on(database.replica());
    let inbox = Inbox::builder(Arc::new(postgres.clone())).build();
    runtime.block_on(seed(&inbox, size));
    // Planner statistics for the seeded contacts, as autovacuum keeps them on
    // a database in use: the campaign is new, its audience is not.
    let analyze = sqlx::query("ANALYZE contacts, contact_tags").execute(postgres.pool());
    runtime.block_on(analyze).unwrap();
    fan_out(&runtime, "postgres", &inbox, size);
    let count = sqlx::query_scalar::<_, i64>(OUTBOX).fetch_one(postgres.pool());
    verify(size, runtime.block_on(count).unwrap());
}

const OUTBOX: &str = "SELECT count(*) FROM outbox";

/// Panics unless exactly `size` messages wait in the outbox.
fn verify(size: u64, outbox: i64) {
    assert_eq!(outbox, size as i64, "messages in the outbox");
}

fn tenant() -> Tenant {
    Tenant {
        id: TenantId::from_uuid(uuid::Uuid::from_u128(0xfa0)),
        slug: "fan-out".into(),
        org_name: "Fan-out Co".into(),
        numbers: vec![],
        settings: TenantSettings {
            plan: PlanLimits::pro(),
            ..TenantSettings::default()
        },
    }
}

/// Freezes and queues the campaign to the seeded contacts, timing each
/// phase, and prints the line.
fn fan_out(runtime: &Runtime, name: &str, inbox: &Inbox, size: u64) {
    let started = Instant::now();
    let counts = runtime
        .block_on(inbox.create_campaign(tenant().id, definition()))
        .unwrap();
    let freeze = started.elapsed().as_secs_f64();
    assert_eq!(counts.pending, size, "recipients frozen pending");
    let started = Instant::now();
    let pass = runtime
        .block_on(inbox.run_campaign(tenant().id, CAMPAIGN))
        .unwrap();
    let queue = started.elapsed().as_secs_f64();
    assert_eq!(pass.queued as u64, size, "recipients queued");
    let counts = runtime
        .block_on(inbox.campaign_counts(tenant().id, CAMPAIGN))
        .unwrap();
    assert_eq!((counts.queued, counts.pending), (size, 0));
    let rate = |seconds: f64| size as f64 / seconds;
    println!(
        "store={name} recipients={size} freeze_seconds={freeze:.2} freeze_per_second={:.0} \
         queue_seconds={queue:.2} queue_per_second={:.0}",
        rate(freeze),
        rate(queue),
    );
}

/// `size` contacts tagged `customer` and opted in to SMS: the importer's own
/// decisions for new numbers, committed 500 at a time.
async fn seed(inbox: &Inbox, size: u64) {
    inbox.put_tenant(&tenant()).await.unwrap();
    let now = SystemClock.now();
    for first in (0..size).step_by(500) {
        let batch = (first..size.min(first + 500))
            .filter_map(|n| new_contact(n, now).into_changeset())
            .collect();
        inbox.store().commit_batch(batch).await.unwrap();
    }
}

/// Contact `n`'s creation, as a CSV row `+1415…,Person n,"customer, batch…",true`
/// in `smsOptedIn` makes it.
fn new_contact(n: u64, now: chrono::DateTime<chrono::Utc>) -> ContactEditPlan {
    let (exchange, line) = (200 + (n / 10_000) % 700, n % 10_000);
    let phone = format!("+1415{exchange:03}{line:04}").parse().unwrap();
    let edit = ContactEdit {
        name: Some(format!("Person {n}")),
        add_tags: vec!["customer".into(), format!("batch{}", n % 7)],
        sms_opted_in: Some(true),
        ..ContactEdit::default()
    };
    let context = ContactEditContext {
        tenant: tenant().id,
        contact: None,
        source: ConsentSource::CsvImport,
        proof: None,
        now,
        ids: &RandomIds,
    };
    decide_contact_edit(context, phone, &edit)
}

/// A transactional SMS to every `customer`, without a throttle.
fn definition() -> CampaignDefinition {
    serde_json::from_value(serde_json::json!({
        "id": CAMPAIGN,
        "channel": "sms",
        "kind": "transactional",
        "audience": {"tags": ["customer"]},
        "text": "Hi {name}, your order has shipped.",
    }))
    .unwrap()
}
