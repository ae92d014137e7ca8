//! [`SqliteStore`]: the embedded default, one file (or memory) in one process
//! or a few on one machine.
//!
//! The file runs in WAL mode, so readers never wait for the writer; every write
//! is one `BEGIN IMMEDIATE` transaction, which takes SQLite's write lock at its
//! start, so two writers queue (up to [`SqliteStore::BUSY_TIMEOUT`]) instead of
//! both reading and then failing to upgrade. The schema is embedded and applied
//! when the store opens. Rate-limit state alone is written through a
//! connection of its own whose commits do not wait for the disk
//! (`synchronous = NORMAL`): a limit checked on every API request costs no
//! fsync, and a power loss can only forget its last few counts.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), msgcore::store::StoreError> {
//! use msgcore::store::{SqliteStore, Store};
//!
//! let store = SqliteStore::open(":memory:").await?; // or a path: "msgcore.db"
//! assert!(store.tenant_by_slug("acme").await?.is_none());
//! # Ok(())
//! # }
//! ```

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::StoreError;
use super::sql::{self, Backend, Conn, Dialect, Migration};

/// A [`Store`](super::Store) in a SQLite database.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Connections whose commits do not wait for the disk, for rate-limit
    /// state ([`Backend::write_volatile`]); the same pool in memory.
    volatile: SqlitePool,
}

impl SqliteStore {
    /// How long a write waits for another connection's write lock before it
    /// fails with a (retryable) [`StoreError::Backend`].
    pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

    /// Opens (creating if needed) the database at `path` in WAL mode and applies
    /// the schema; `":memory:"` opens a new in-memory database instead.
    pub async fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref();
        if path == Path::new(":memory:") {
            return SqliteStore::open_in_memory().await;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(SqliteStore::BUSY_TIMEOUT)
            .foreign_keys(true);
        // A connection to a local file does not go stale between uses, and
        // checking it first is one more hand-over to its worker thread per read.
        let pool = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .map_err(sql::db)?;
        // NORMAL, not OFF: in WAL mode it still syncs at checkpoints, so a
        // checkpoint this pool runs never leaves the file corrupt. One
        // connection: its writers queue in the pool, not in SQLite's busy
        // handler, which sleeps.
        let volatile = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(1)
            .connect_lazy_with(options.synchronous(SqliteSynchronous::Normal));
        SqliteStore::with_pools(pool, volatile).await
    }

    /// A new in-memory database with the schema applied; it lives as long as the
    /// store (and its clones).
    ///
    /// Every connection to an in-memory database would see its own empty one, so
    /// the store keeps exactly one connection, never closed while it lives, and
    /// its operations take turns on it.
    pub async fn open_in_memory() -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(":memory:")
            .map_err(sql::db)?
            .busy_timeout(SqliteStore::BUSY_TIMEOUT)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .min_connections(1)
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(sql::db)?;
        SqliteStore::with_pools(pool.clone(), pool).await
    }

    async fn with_pools(pool: SqlitePool, volatile: SqlitePool) -> Result<SqliteStore, StoreError> {
        let store = SqliteStore { pool, volatile };
        sql::migrate(&store).await?;
        Ok(store)
    }

    /// The connection pool, for your own queries on the same database.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

sql::session_impl!(sqlx::Sqlite, sql::text_as_is, sql::keeps_every_plan);
sql::store_impl!(SqliteStore);

#[async_trait]
impl Backend for SqliteStore {
    type Session = Conn<sqlx::Sqlite>;

    const DIALECT: Dialect = Dialect {
        search_contacts: "SELECT doc FROM contacts WHERE tenant = $1 \
             AND (instr(name_key, $2) > 0 OR ($3 <> '' AND instr(phone, $3) > 0)) \
             ORDER BY name NULLS FIRST, phone LIMIT $4",
        conversations: "SELECT c.doc, ct.name, ct.phone FROM conversations c \
             JOIN contacts ct ON ct.tenant = c.tenant AND ct.id = c.contact \
             WHERE c.tenant = $1 AND NOT c.deleted AND ($2 OR NOT c.archived) \
             AND (NOT $3 OR c.starred) AND ($4 IS NULL OR c.status = $4) \
             AND ($5 IS NULL OR c.assignee = $5) AND ($6 IS NULL OR c.channel = $6) \
             AND ($7 IS NULL OR instr(ct.name_key, $7) > 0 \
                  OR ($8 <> '' AND instr(ct.phone, $8) > 0)) \
             ORDER BY c.last_activity_at DESC, c.id DESC LIMIT $9",
        analytics: sql::analytics::analytics_statement!(
            "json_extract(doc, '$.direction')",
            "json_extract(doc, '$.channel')",
            "json_extract(doc, '$.event.type')",
            "json_extract(doc, '$.event.change')",
            "json_extract(doc, '$.event.channel')",
            "json_extract(doc, '$.event.score')"
        ),
        conversation_for_update: "SELECT doc FROM conversations WHERE tenant = $1 AND id = $2",
        claimable: sql::claimable!(""),
        campaign_for_claim: "SELECT doc FROM campaigns WHERE tenant = $1 AND id = $2",
        claimable_webhooks: sql::claimable_webhooks!(""),
        webhook_for_update: "SELECT doc FROM webhook_endpoints WHERE tenant = $1 AND id = $2",
        claim_runs: crate::store::sql::workflows::claim_runs!("IN (", ")"),
        rate_for_update: "SELECT state FROM rate_limits WHERE key = $1",
        // One writer at a time: sequence numbers are visible in commit order.
        lock_events: None,
        // `BEGIN IMMEDIATE` already makes concurrent openers wait.
        lock_migrations: None,
        placeholders: crate::store::sql::Placeholders::Anonymous,
        probes_keys: false,
        // SQLite keeps to a unique index matched whole without statistics.
        analyze_recipients: None,
        migrations: &[
            Migration {
                version: 1,
                description: "inbox",
                sql: include_str!("../../migrations/sqlite/0001_inbox.sql"),
            },
            Migration {
                version: 2,
                description: "outbox queues",
                sql: include_str!("../../migrations/sqlite/0002_outbox_queues.sql"),
            },
            Migration {
                version: 3,
                description: "call logs",
                sql: include_str!("../../migrations/sqlite/0003_call_logs.sql"),
            },
            Migration {
                version: 4,
                description: "contact timeline",
                sql: include_str!("../../migrations/sqlite/0004_contact_timeline.sql"),
            },
            Migration {
                version: 5,
                description: "contact tags",
                sql: include_str!("../../migrations/sqlite/0005_contact_tags.sql"),
            },
            Migration {
                version: 6,
                description: "campaigns",
                sql: include_str!("../../migrations/sqlite/0006_campaigns.sql"),
            },
            Migration {
                version: 7,
                description: "usage",
                sql: include_str!("../../migrations/sqlite/0007_usage.sql"),
            },
            Migration {
                version: 8,
                description: "api keys",
                sql: include_str!("../../migrations/sqlite/0008_api_keys.sql"),
            },
            Migration {
                version: 9,
                description: "campaign list",
                sql: include_str!("../../migrations/sqlite/0009_campaign_list.sql"),
            },
            Migration {
                version: 10,
                description: "webhook endpoints",
                sql: include_str!("../../migrations/sqlite/0010_webhook_endpoints.sql"),
            },
            Migration {
                version: 11,
                description: "messages by tenant",
                sql: include_str!("../../migrations/sqlite/0011_messages_by_tenant.sql"),
            },
            Migration {
                version: 12,
                description: "analytics",
                sql: include_str!("../../migrations/sqlite/0012_analytics.sql"),
            },
            Migration {
                version: 13,
                description: "workflows",
                sql: include_str!("../../migrations/sqlite/0013_workflows.sql"),
            },
        ],
    };

    async fn read(&self) -> Result<Self::Session, sqlx::Error> {
        Ok(Conn::Pooled(self.pool.acquire().await?))
    }

    async fn write(&self) -> Result<Self::Session, sqlx::Error> {
        Ok(Conn::Tx(self.pool.begin_with("BEGIN IMMEDIATE").await?))
    }

    async fn write_volatile(&self) -> Result<Self::Session, sqlx::Error> {
        Ok(Conn::Tx(self.volatile.begin_with("BEGIN IMMEDIATE").await?))
    }
}
