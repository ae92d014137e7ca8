//! [`PostgresStore`]: one database for many processes on many machines.
//!
//! Scale-out is the database's job: any number of replicas may receive the same
//! webhook or decide about the same contact at once, and the guards of the
//! [`Store`](super::Store) contract hold across them.
//!
//! - **Idempotency** comes from unique constraints: (tenant, provider, provider
//!   message id) and (tenant, client id) on messages, (tenant, phone) on
//!   contacts, one outbox item per message, unique tenant slugs and numbers. The
//!   replica that loses the race gets `Duplicate` or `Conflict`, never a second
//!   copy.
//! - **Versions**: a contact is written back with `UPDATE … WHERE version = $n`;
//!   a concurrent writer's update makes it match no row, which is a `Conflict`.
//! - **The outbox** is claimed with `SELECT … FOR UPDATE SKIP LOCKED` in the
//!   transaction that sets the lease, so dispatchers on every replica share it
//!   and none waits for another; none can claim an item while its lease holds.
//! - **Status callbacks** and **bulk actions** lock the row they merge into
//!   (`SELECT … FOR UPDATE`), and the shared rate limiter locks its key's row (a
//!   new key's row is inserted with `ON CONFLICT DO NOTHING` and read again if
//!   another replica inserted it first); its state keeps nanoseconds.
//! - **Events** are appended under a per-tenant transaction-level advisory
//!   lock, so sequence numbers become visible in order and a reader paging with
//!   `events(after)` never skips one that committed late.
//! - **The schema** is embedded and applied on connect, in one transaction under
//!   an advisory lock, so replicas starting together migrate once. Applied
//!   versions are kept in `msgcore_migrations`, apart from any `_sqlx_migrations`
//!   of your own.
//!
//! A statement whose best plan depends on its arguments (an `IN (…)` list of
//! phone numbers or tags, the inbox's optional filters) is planned on every
//! call; every other statement is prepared once per connection, and the
//! batched writes over a list of keys probe one key at a time, so their
//! cached plan is an index probe at any table size. A plan PostgreSQL caches
//! for a key list while a table is small scans the tenant's rows, and it
//! would stay with the connection as the table grows.
//! For TLS to a managed database, enable sqlx's `tls-rustls` or
//! `tls-native-tls` feature in your own `Cargo.toml`.
//!
//! ```no_run
//! # async fn run() -> Result<(), msgcore::store::StoreError> {
//! use msgcore::store::{PostgresStore, Store};
//!
//! let store = PostgresStore::connect("postgres://msgcore@db.internal/msgcore").await?;
//! let acme = store.tenant_by_slug("acme").await?;
//! # Ok(())
//! # }
//! ```

#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
mod notify;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPool};

use super::StoreError;
use super::sql::{self, Backend, Conn, Dialect, Migration};
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use notify::{EVENTS_CHANNEL, PostgresEvents};

/// A [`Store`](super::Store) in a PostgreSQL database, shared by any number of
/// processes.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host/db`)
    /// with a default pool of [`connect_options`](PostgresStore::connect_options)
    /// and applies the schema.
    pub async fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let options = PostgresStore::connect_options(url)?;
        let pool = PgPool::connect_with(options).await.map_err(sql::db)?;
        PostgresStore::from_pool(pool).await
    }

    /// The options of `url`, as [`connect`](PostgresStore::connect) uses
    /// them: build your own pool from them for
    /// [`from_pool`](PostgresStore::from_pool).
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), msgcore::store::StoreError> {
    /// use msgcore::store::PostgresStore;
    ///
    /// let options = PostgresStore::connect_options("postgres://msgcore@db.internal/msgcore")?;
    /// let pool = sqlx::postgres::PgPoolOptions::new()
    ///     .max_connections(20)
    ///     .connect_lazy_with(options);
    /// let store = PostgresStore::from_pool(pool).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn connect_options(url: &str) -> Result<PgConnectOptions, StoreError> {
        url.parse().map_err(sql::db)
    }

    /// Uses a pool you configured (size, timeouts, TLS) and applies the
    /// schema; build it from [`connect_options`](PostgresStore::connect_options).
    pub async fn from_pool(pool: PgPool) -> Result<PostgresStore, StoreError> {
        let store = PostgresStore { pool };
        sql::migrate(&store).await?;
        Ok(store)
    }

    /// The connection pool, for your own queries on the same database.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

sql::session_impl!(sqlx::Postgres, sql::text_without_nul, sql::keeps_plan);
sql::store_impl!(PostgresStore);

#[async_trait]
impl Backend for PostgresStore {
    type Session = Conn<sqlx::Postgres>;

    const DIALECT: Dialect = Dialect {
        search_contacts: sql::planned_per_call!(
            "SELECT doc FROM contacts WHERE tenant = $1 \
             AND (strpos(name_key, $2) > 0 OR ($3 <> '' AND strpos(phone, $3) > 0)) \
             ORDER BY name COLLATE \"C\" NULLS FIRST, phone COLLATE \"C\" LIMIT $4"
        ),
        conversations: sql::planned_per_call!(
            "SELECT c.doc, ct.name, ct.phone FROM conversations c \
             JOIN contacts ct ON ct.tenant = c.tenant AND ct.id = c.contact \
             WHERE c.tenant = $1 AND NOT c.deleted AND ($2 OR NOT c.archived) \
             AND (NOT $3 OR c.starred) AND ($4::text IS NULL OR c.status = $4) \
             AND ($5::text IS NULL OR c.assignee = $5) \
             AND ($6::text IS NULL OR c.channel = $6) \
             AND ($7::text IS NULL OR strpos(ct.name_key, $7) > 0 \
                  OR ($8 <> '' AND strpos(ct.phone, $8) > 0)) \
             ORDER BY c.last_activity_at DESC, c.id DESC LIMIT $9"
        ),
        analytics: sql::planned_per_call!(sql::analytics::analytics_statement!(
            "(doc::jsonb ->> 'direction')",
            "(doc::jsonb ->> 'channel')",
            "(doc::jsonb #>> '{event,type}')",
            "(doc::jsonb #>> '{event,change}')",
            "(doc::jsonb #>> '{event,channel}')",
            "(doc::jsonb #>> '{event,score}')::bigint"
        )),
        conversation_for_update: "SELECT doc FROM conversations \
             WHERE tenant = $1 AND id = $2 FOR UPDATE",
        claimable: sql::claimable!(" FOR UPDATE OF o SKIP LOCKED"),
        campaign_for_claim: "SELECT doc FROM campaigns WHERE tenant = $1 AND id = $2 \
             FOR UPDATE SKIP LOCKED",
        claimable_webhooks: sql::claimable_webhooks!(" FOR UPDATE OF w SKIP LOCKED"),
        webhook_for_update: "SELECT doc FROM webhook_endpoints WHERE tenant = $1 AND id = $2 FOR UPDATE",
        claim_runs: crate::store::sql::workflows::claim_runs!(
            "= ANY (ARRAY (",
            " FOR UPDATE SKIP LOCKED))"
        ),
        rate_for_update: "SELECT state FROM rate_limits WHERE key = $1 FOR UPDATE",
        lock_events: Some("SELECT pg_advisory_xact_lock($1)"),
        // The key is "msgcore" in ASCII.
        lock_migrations: Some("SELECT pg_advisory_xact_lock(30807660348535397)"),
        placeholders: crate::store::sql::Placeholders::Numbered,
        probes_keys: true,
        // Inside the freeze's transaction, which ANALYZE samples as well.
        analyze_recipients: Some("ANALYZE campaign_recipients"),
        migrations: &[
            Migration {
                version: 1,
                description: "inbox",
                sql: include_str!("../../migrations/postgres/0001_inbox.sql"),
            },
            Migration {
                version: 2,
                description: "outbox queues",
                sql: include_str!("../../migrations/postgres/0002_outbox_queues.sql"),
            },
            Migration {
                version: 3,
                description: "call logs",
                sql: include_str!("../../migrations/postgres/0003_call_logs.sql"),
            },
            Migration {
                version: 4,
                description: "contact timeline",
                sql: include_str!("../../migrations/postgres/0004_contact_timeline.sql"),
            },
            Migration {
                version: 5,
                description: "contact tags",
                sql: include_str!("../../migrations/postgres/0005_contact_tags.sql"),
            },
            Migration {
                version: 6,
                description: "campaigns",
                sql: include_str!("../../migrations/postgres/0006_campaigns.sql"),
            },
            Migration {
                version: 7,
                description: "usage",
                sql: include_str!("../../migrations/postgres/0007_usage.sql"),
            },
            Migration {
                version: 8,
                description: "api keys",
                sql: include_str!("../../migrations/postgres/0008_api_keys.sql"),
            },
            Migration {
                version: 9,
                description: "campaign list",
                sql: include_str!("../../migrations/postgres/0009_campaign_list.sql"),
            },
            Migration {
                version: 10,
                description: "webhook endpoints",
                sql: include_str!("../../migrations/postgres/0010_webhook_endpoints.sql"),
            },
            Migration {
                version: 11,
                description: "messages by tenant",
                sql: include_str!("../../migrations/postgres/0011_messages_by_tenant.sql"),
            },
            Migration {
                version: 12,
                description: "analytics",
                sql: include_str!("../../migrations/postgres/0012_analytics.sql"),
            },
            Migration {
                version: 13,
                description: "workflows",
                sql: include_str!("../../migrations/postgres/0013_workflows.sql"),
            },
        ],
    };

    async fn read(&self) -> Result<Self::Session, sqlx::Error> {
        Ok(Conn::Pooled(self.pool.acquire().await?))
    }

    async fn write(&self) -> Result<Self::Session, sqlx::Error> {
        Ok(Conn::Tx(self.pool.begin().await?))
    }

    async fn write_volatile(&self) -> Result<Self::Session, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *tx)
            .await?;
        Ok(Conn::Tx(tx))
    }
}
