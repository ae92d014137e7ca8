//! Waking workflow runs on the SQL stores: 100,000 runs waiting on a timer,
//! 10,000 of them due at once, woken by `Inbox::wake_due_runs` — in runs
//! woken per second — and one claim of a batch alone.
//!
//! ```sh
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo bench --bench workflows --features sqlite,postgres
//! ```
//!
//! Each store (a SQLite file, WAL and synchronous FULL as `SqliteStore::open`
//! sets it; then a PostgreSQL database when `DATABASE_URL` is set) is seeded
//! once, untimed: the demo tenant, the `remind` workflow (an hour's wait,
//! then one SMS), and 100,000 contacts opted in on SMS, each with a run
//! started as the engine decides it, 10,000 of them started an hour before
//! the clock (due now), 90,000 at the clock (due in an hour). On PostgreSQL,
//! `ANALYZE` follows, as autovacuum would have run by then.
//!
//! A wake changes what it wakes, so every timed wake-up gets a fresh copy of
//! the seeded database, made untimed (`iter_custom`): a copy of the SQLite
//! file, or a PostgreSQL database made with the seeded one as its template.
//! Timed: `wake_due_runs` on a new inbox over the copy, the clock a second
//! past the due runs' hour, until it has claimed and stepped all 10,000 (each
//! queues its reminder, committed with its contact). Untimed again, the
//! outbox is counted: exactly 10,000 messages, or the bench stops.
//!
//! `claim_due/…` times one `Store::claim_due_runs` of 500 among the 10,000
//! due and 90,000 waiting, on its own copy; its lease is zero so that each
//! claim leaves every run due and the next one finds the same 10,000.
//!
//! Under `cargo bench -- --test` (criterion's smoke run) the store holds
//! 2,000 runs, 200 of them due.

#[path = "../tests/support/databases.rs"]
mod databases;
#[path = "../tests/support/waiting_runs.rs"]
mod waiting_runs;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{Criterion, SamplingMode, Throughput};
use msgcore::store::{PostgresStore, SqliteStore, Store};
use tokio::runtime::Runtime;

use databases::{TempFile, TestDatabase};
use waiting_runs::t0;

/// How many runs wait, and how many of them are due.
#[derive(Clone, Copy)]
struct Sizes {
    waiting: usize,
    due: usize,
}

/// How many runs one wake-up claims at a time (the engine's batch).
const CLAIM: usize = 500;

/// The clock of every wake: a second after the due runs' hour (10:00 in San
/// Francisco, so quiet hours hold none of the reminders).
fn now() -> DateTime<Utc> {
    t0() + TimeDelta::seconds(1)
}

fn main() {
    let smoke = std::env::args().any(|a| a == "--test");
    let sizes = match smoke {
        true => Sizes {
            waiting: 2_000,
            due: 200,
        },
        false => Sizes {
            waiting: 100_000,
            due: 10_000,
        },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // Ten samples: a wake-up of 10,000 runs takes seconds.
    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let sqlite = runtime.block_on(seeded_sqlite(sizes));
    bench_store(&mut criterion, &runtime, "sqlite_file", &sqlite, sizes);
    drop(sqlite);
    match runtime.block_on(seeded_postgres(sizes)) {
        Some(postgres) => bench_store(&mut criterion, &runtime, "postgres", &postgres, sizes),
        None => {
            println!("store=postgres skipped: set DATABASE_URL=postgres://user@host/db to run it")
        }
    }
    criterion.final_summary();
}

/// Seeds `store` (see the module): the due runs first, then the others.
async fn seed(store: Arc<dyn Store>, sizes: Sizes) {
    waiting_runs::define(store.clone()).await;
    let an_hour_ago = t0() - TimeDelta::hours(1);
    let due = waiting_runs::seed_waiting_runs(store.as_ref(), 0, sizes.due, an_hour_ago);
    due.await;
    let later = sizes.waiting - sizes.due;
    waiting_runs::seed_waiting_runs(store.as_ref(), sizes.due, later, t0()).await;
}

/// Wakes the due runs of `store`, timed, and checks that all were woken.
async fn wake(store: Arc<dyn Store>, sizes: Sizes) -> Duration {
    let inbox = waiting_runs::inbox_at(store, now());
    let started = Instant::now();
    let woken = inbox.wake_due_runs().await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(woken, sizes.due, "runs woken");
    elapsed
}

/// One claim of a batch (`batch` of them due), which leaves every run due
/// (a lease of zero).
async fn claim(store: &dyn Store, batch: usize) {
    let claimed = store.claim_due_runs(now(), TimeDelta::zero(), CLAIM);
    assert_eq!(claimed.await.unwrap().len(), batch, "runs claimed");
}

/// A seeded database, untouched: what each copy starts from.
enum Seeded {
    Sqlite(TempFile),
    Postgres(Box<TestDatabase>),
}

/// A copy of the seeded database, with a store open on it; the copy is
/// removed when dropped.
enum Fresh {
    Sqlite {
        store: Arc<SqliteStore>,
        _file: TempFile,
    },
    Postgres {
        store: Arc<PostgresStore>,
        _database: Box<TestDatabase>,
    },
}

impl Seeded {
    /// A fresh copy, and a store on it.
    async fn copy(&self) -> Fresh {
        match self {
            Seeded::Sqlite(template) => {
                let file = TempFile::new();
                std::fs::copy(&template.0, &file.0).unwrap();
                let store = SqliteStore::open(&file.0).await.unwrap();
                Fresh::Sqlite {
                    store: Arc::new(store),
                    _file: file,
                }
            }
            Seeded::Postgres(template) => {
                let database = template.copy().await;
                let store = database.replica().await;
                Fresh::Postgres {
                    store: Arc::new(store),
                    _database: Box::new(database),
                }
            }
        }
    }
}

impl Fresh {
    fn store(&self) -> Arc<dyn Store> {
        match self {
            Fresh::Sqlite { store, .. } => store.clone(),
            Fresh::Postgres { store, .. } => store.clone(),
        }
    }

    /// How many messages wait in the outbox.
    async fn outbox(&self) -> i64 {
        const OUTBOX: &str = "SELECT count(*) FROM outbox";
        match self {
            Fresh::Sqlite { store, .. } => sqlx::query_scalar(OUTBOX).fetch_one(store.pool()).await,
            Fresh::Postgres { store, .. } => {
                sqlx::query_scalar(OUTBOX).fetch_one(store.pool()).await
            }
        }
        .unwrap()
    }

    /// Closes the store's connections; the copy is removed when dropped.
    async fn close(self) {
        match &self {
            Fresh::Sqlite { store, .. } => store.pool().close().await,
            Fresh::Postgres { store, .. } => store.pool().close().await,
        }
    }
}

/// A new SQLite file, seeded, its WAL checkpointed into it and its
/// connections closed: a copy of the file alone is then the whole database.
async fn seeded_sqlite(sizes: Sizes) -> Seeded {
    let template = TempFile::new();
    let store = SqliteStore::open(&template.0).await.unwrap();
    seed(Arc::new(store.clone()), sizes).await;
    let checkpoint = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)");
    checkpoint.execute(store.pool()).await.unwrap();
    store.pool().close().await;
    Seeded::Sqlite(template)
}

/// A new PostgreSQL database, seeded and analyzed (planner statistics, as
/// autovacuum keeps them; copies inherit them), its connections closed, as
/// a template database must be; `None` without `DATABASE_URL`.
async fn seeded_postgres(sizes: Sizes) -> Option<Seeded> {
    let template = TestDatabase::create().await?;
    let store = template.replica().await;
    seed(Arc::new(store.clone()), sizes).await;
    sqlx::query("ANALYZE").execute(store.pool()).await.unwrap();
    store.pool().close().await;
    Some(Seeded::Postgres(Box::new(template)))
}

/// The wake and claim benches of one store, named `name`.
fn bench_store(
    criterion: &mut Criterion,
    runtime: &Runtime,
    name: &str,
    seeded: &Seeded,
    sizes: Sizes,
) {
    let mut group = criterion.benchmark_group("workflows/wake_due");
    // A wake-up takes seconds: each sample one wake of its own copy.
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(sizes.due as u64));
    group.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let copy = runtime.block_on(seeded.copy());
                total += runtime.block_on(wake(copy.store(), sizes));
                let outbox = runtime.block_on(copy.outbox());
                assert_eq!(outbox, sizes.due as i64, "messages in the outbox");
                runtime.block_on(copy.close());
            }
            total
        })
    });
    group.finish();
    let mut group = criterion.benchmark_group("workflows/claim_due");
    let batch = CLAIM.min(sizes.due);
    group.throughput(Throughput::Elements(batch as u64));
    let copy = runtime.block_on(seeded.copy());
    let store = copy.store();
    group.bench_function(name, |b| {
        b.iter(|| runtime.block_on(claim(store.as_ref(), batch)))
    });
    group.finish();
    drop(store);
    runtime.block_on(copy.close());
}
