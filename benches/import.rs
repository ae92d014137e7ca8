//! CSV import into a SQLite file: rows per second and peak memory, for the
//! side-by-side run with the Python peer (`scripts/bench_import_peer.sh`).
//!
//! ```sh
//! cargo bench --bench import --features sqlite -- 1000000 /tmp/import-bench
//! ```
//!
//! The first argument is the number of rows (default 1,000,000; 1,000 under
//! `cargo bench -- --test` and `cargo test --benches`), the second a
//! directory for the file and the database (default a fresh one under the
//! system's temp directory). The file is written first, by `write_file`, with
//! the mix a real export has: numbers in several formats, 1% invalid, 1%
//! repeated, a name, an e-mail, two tags, an opt-in and a city. Then the
//! import runs once, timed, into a new database; the line it prints is
//! `rows=… seconds=… rows_per_second=… peak_rss_mib=…` with the §18 report.
//!
//! With `IMPORT_STORE=postgres` (and `--features sqlite,postgres`) the import
//! goes into a new PostgreSQL database, `msgcore_import_bench`, on the server
//! of `DATABASE_URL` instead.

use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use msgcore::core::import::ImportOptions;
use msgcore::engine::Inbox;
use msgcore::model::{Tenant, TenantId, TenantSettings};
use msgcore::store::{SqliteStore, Store};

#[cfg(feature = "postgres")]
#[path = "support/new_postgres.rs"]
mod new_postgres;
#[path = "support/peak_rss.rs"]
mod peak_rss;

fn main() {
    // `cargo bench -- --test` (criterion's smoke run) and `cargo test
    // --benches` (which passes no `--bench`, and builds without optimisation)
    // import a small file.
    let flag = |f: &str| std::env::args().any(|a| a == f);
    let smoke = flag("--test") || !flag("--bench");
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let default_rows = if smoke { 1_000 } else { 1_000_000 };
    let rows: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(default_rows);
    let given = args.next().map(PathBuf::from);
    let scratch = std::env::temp_dir().join(format!("msgcore-import-{}", std::process::id()));
    let dir = given.clone().unwrap_or_else(|| scratch.clone());
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("contacts.csv");
    if !file.exists() {
        write_file(&file, rows);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let store = runtime.block_on(new_store(&dir));
    let inbox = Inbox::builder(store).build();
    let tenant = Tenant {
        id: TenantId::from_uuid(uuid::Uuid::from_u128(7)),
        slug: "bench".into(),
        org_name: "Bench Co".into(),
        numbers: vec![],
        settings: TenantSettings::default(),
    };
    runtime.block_on(inbox.put_tenant(&tenant)).unwrap();
    let options = ImportOptions {
        default_region: Some("US".into()),
        ..ImportOptions::default()
    };
    let reader = std::io::BufReader::new(std::fs::File::open(&file).unwrap());
    let started = Instant::now();
    let report = runtime
        .block_on(inbox.import_contacts(tenant.id, reader, &options, |_| ControlFlow::Continue(())))
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "msgcore rows={} seconds={seconds:.2} rows_per_second={:.0} peak_rss_mib={:.1} created={} skipped={:?}",
        report.rows,
        report.rows as f64 / seconds,
        peak_rss::peak_rss_mib(),
        report.created,
        report.skipped,
    );
    if given.is_none() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
}

/// A new, empty store: a SQLite file in `dir`, or with `IMPORT_STORE=postgres`
/// a new PostgreSQL database.
async fn new_store(dir: &Path) -> Arc<dyn Store> {
    #[cfg(feature = "postgres")]
    if std::env::var("IMPORT_STORE").as_deref() == Ok("postgres") {
        return new_postgres::new_postgres("msgcore_import_bench", "IMPORT_STORE=postgres").await;
    }
    let database = dir.join("msgcore.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
    }
    Arc::new(SqliteStore::open(&database).await.unwrap())
}

/// A contacts export of `rows` rows.
fn write_file(path: &Path, rows: u64) {
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "phone,name,email,tags,optedIn,city").unwrap();
    for n in 0..rows {
        // Row 0 of every hundred is invalid and row 1 repeats row 2's number, in
        // another format; the others are distinct valid US numbers.
        let (exchange, line) = subscriber(if n % 100 == 1 { n + 1 } else { n });
        let phone = match n % 100 {
            0 => "555-01".to_owned(),
            1 => format!("+1 (415) {exchange:03}-{line:04}"),
            k if k % 3 == 0 => format!("(415) {exchange:03}-{line:04}"),
            k if k % 3 == 1 => format!("+1 415 {exchange:03} {line:04}"),
            _ => format!("415.{exchange:03}.{line:04}"),
        };
        writeln!(
            out,
            "{phone},Person {n},person{n}@example.com,\"customer, batch{}\",{},City {}",
            n % 7,
            n % 2 == 0,
            n % 50
        )
        .unwrap();
    }
    out.flush().unwrap();
}

/// An exchange (200–899) and a line for row `n`: distinct for 7,000,000 rows.
fn subscriber(n: u64) -> (u64, u64) {
    (200 + (n / 10_000) % 700, n % 10_000)
}
