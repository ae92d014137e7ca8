//! What the SQL stores share: the [`Store`](super::Store) logic written once over
//! a small [`Backend`] port, the key columns derived from each record, and the
//! runner of the embedded migrations.
//!
//! SQLite and PostgreSQL differ in a handful of statements (row locks, `SKIP
//! LOCKED`, how a write transaction starts, substring search, byte-order
//! collation); those are a [`Dialect`]. Everything else (the order of a commit's
//! writes, how a unique violation becomes `Conflict`, `Duplicate` or `Taken`, the
//! read-modify-write of statuses and outbox outcomes) is in [`ops`], once, so the
//! two stores cannot disagree with each other or with [`MemoryStore`](super::MemoryStore).
//!
//! Every record is kept whole as JSON in a `doc` column, the source of truth that
//! round-trips exactly; the other columns are derived from it on every write, for
//! what is filtered, sorted, unique or joined. Instants in those columns are
//! nanoseconds since the Unix epoch in a 64-bit integer (exact from 1677 to 2262;
//! instants beyond sort as those years' ends), so a lease or a retry time compares
//! exactly as in memory.

pub(crate) mod analytics;
pub(crate) mod api_keys;
pub(crate) mod campaigns;
pub(crate) mod commit;
pub(crate) mod keyed;
pub(crate) mod ops;
pub(crate) mod outbox;
mod rows;
pub(crate) mod statuses;
pub(crate) mod usage;
pub(crate) mod webhooks;
pub(crate) mod workflows;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{Database, Encode, Type};
use uuid::Uuid;

use super::StoreError;
use crate::model::{
    Contact, ConversationRecord, EventRecord, MessageRecord, OutboxItem, OutboxState,
};

/// One bind parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A record id.
    Id(Uuid),
    /// A record id or NULL.
    OptId(Option<Uuid>),
    /// An integer (instants are nanoseconds).
    Int(i64),
    /// Text.
    Text(String),
    /// Text or NULL.
    OptText(Option<String>),
    /// An integer or NULL.
    OptInt(Option<i64>),
    /// A boolean.
    Flag(bool),
}

impl Value {
    /// `args` with every text passed through `text`: how a database that cannot
    /// hold some text in a column (PostgreSQL and NUL) keeps its key columns.
    pub(crate) fn texts_with(args: Vec<Value>, text: fn(String) -> String) -> Vec<Value> {
        args.into_iter()
            .map(|arg| match arg {
                Value::Text(value) => Value::Text(text(value)),
                Value::OptText(value) => Value::OptText(value.map(text)),
                other => other,
            })
            .collect()
    }
}

/// Text as SQLite keeps it: as it is.
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) fn text_as_is(text: String) -> String {
    text
}

/// Text without NUL, which PostgreSQL refuses in TEXT: NUL becomes `U+FFFD 0`
/// and `U+FFFD` itself `U+FFFD U+FFFD`. The mapping is one to one, so unique
/// keys and lookups on the derived columns behave as in the other stores; the
/// record itself is in the `doc` column, as JSON, where NUL is `\u0000`.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn text_without_nul(text: String) -> String {
    if !text.contains(['\0', '\u{FFFD}']) {
        return text;
    }
    let mut escaped = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            '\0' => escaped.push_str("\u{FFFD}0"),
            '\u{FFFD}' => escaped.push_str("\u{FFFD}\u{FFFD}"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Binds `args` to `query`, in order (`$1`, `$2`, …).
pub(crate) fn bind<'q, DB>(
    query: sqlx::query::Query<'q, DB, <DB as Database>::Arguments<'q>>,
    args: Vec<Value>,
) -> sqlx::query::Query<'q, DB, <DB as Database>::Arguments<'q>>
where
    DB: Database,
    Uuid: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
    String: Encode<'q, DB> + Type<DB>,
    bool: Encode<'q, DB> + Type<DB>,
    Option<String>: Encode<'q, DB> + Type<DB>,
    Option<i64>: Encode<'q, DB> + Type<DB>,
    Option<Uuid>: Encode<'q, DB> + Type<DB>,
{
    args.into_iter().fold(query, |query, arg| match arg {
        Value::Id(v) => query.bind(v),
        Value::OptId(v) => query.bind(v),
        Value::Int(v) => query.bind(v),
        Value::Text(v) => query.bind(v),
        Value::OptText(v) => query.bind(v),
        Value::OptInt(v) => query.bind(v),
        Value::Flag(v) => query.bind(v),
    })
}

/// Marks a statement PostgreSQL plans on every call, for the arguments it gets,
/// instead of preparing it once per connection: one whose best plan depends on
/// its arguments, because it matches a list of keys with `IN (…)` (a batch's
/// phone numbers, an audience's tags) or has optional filters (the inbox's
/// list, a search). PostgreSQL settles on a generic plan for a prepared
/// statement after five calls and keeps it with the connection; chosen while a
/// table is small, such a plan scans the tenant's rows, and it stays as the
/// table grows, so an import into a new database slowed down with every
/// batch. A lookup by one key has the same good plan at any size, and so do
/// the statements that probe a list of keys one key at a time
/// ([`keyed::Keyed`]): they stay prepared, because planning every statement
/// on every call cost the webhook path more than half its rate. SQLite plans
/// again by itself when the schema or its statistics change, and keeps them
/// all.
macro_rules! planned_per_call {
    ($sql:literal) => {
        concat!("/* planned per call */ ", $sql)
    };
    // A statement a macro writes (the analytics statement of each dialect).
    ($($statement:ident)::+ ! ( $($args:tt)* )) => {
        concat!("/* planned per call */ ", $($statement)::+!($($args)*))
    };
}
#[cfg(feature = "postgres")]
pub(crate) use planned_per_call;

/// The mark [`planned_per_call!`] opens a statement with.
pub(crate) const PLANNED_PER_CALL: &str = planned_per_call!("");

/// Whether PostgreSQL may keep `sql` prepared, plan and all, on a connection.
#[cfg(feature = "postgres")]
pub(crate) fn keeps_plan(sql: &str) -> bool {
    !sql.starts_with(PLANNED_PER_CALL)
}

/// SQLite keeps every statement prepared: it plans again by itself when the
/// schema or its statistics change.
#[cfg(feature = "sqlite")]
pub(crate) fn keeps_every_plan(_sql: &str) -> bool {
    true
}

/// A campaign recipient as its row holds it: `SELECT ordinal, contact, phone,
/// state, reason, message, not_before, lease_until` (recipient rows have no
/// `doc`: every field is a column, so a cancellation can skip thousands of them
/// in one statement).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecipientRow {
    pub(crate) ordinal: i64,
    pub(crate) contact: Uuid,
    pub(crate) phone: String,
    pub(crate) state: String,
    pub(crate) reason: Option<String>,
    pub(crate) message: Option<Uuid>,
    pub(crate) not_before: i64,
    pub(crate) lease_until: Option<i64>,
}

/// A connection of one of the stores' pools: plain (each statement commits on its
/// own) for reads, or in a transaction for writes.
pub(crate) enum Conn<DB: Database> {
    /// A pooled connection.
    Pooled(sqlx::pool::PoolConnection<DB>),
    /// A transaction; dropped without [`Session::commit`], it rolls back.
    Tx(sqlx::Transaction<'static, DB>),
}

impl<DB: Database> Conn<DB> {
    /// The connection to run statements on.
    pub(crate) fn connection(&mut self) -> &mut DB::Connection {
        match self {
            Conn::Pooled(conn) => conn,
            Conn::Tx(tx) => tx,
        }
    }
}

/// What [`ops`] needs from a connection: run statements and read the few row
/// shapes the stores use. The stores implement it with [`session_impl!`].
#[async_trait]
pub(crate) trait Session: Send + Sized {
    /// Runs a statement; how many rows it changed.
    async fn execute(&mut self, sql: &'static str, args: Vec<Value>) -> Result<u64, sqlx::Error>;
    /// Runs a script of several statements (a migration).
    async fn script(&mut self, sql: &'static str) -> Result<(), sqlx::Error>;
    /// The first column of each row, as text.
    async fn texts(
        &mut self,
        sql: &'static str,
        args: Vec<Value>,
    ) -> Result<Vec<String>, sqlx::Error>;
    /// An integer and a text column per row.
    async fn numbered(
        &mut self,
        sql: &'static str,
        args: Vec<Value>,
    ) -> Result<Vec<(i64, String)>, sqlx::Error>;
    /// A text, an optional text and a text column per row.
    async fn triples(
        &mut self,
        sql: &'static str,
        args: Vec<Value>,
    ) -> Result<Vec<(String, Option<String>, String)>, sqlx::Error>;
    /// An id and a text column per row.
    async fn id_texts(
        &mut self,
        sql: &'static str,
        args: Vec<Value>,
    ) -> Result<Vec<(Uuid, String)>, sqlx::Error>;
    /// Campaign recipient rows ([`RecipientRow`]'s columns, in its order).
    async fn recipients(
        &mut self,
        sql: &'static str,
        args: Vec<Value>,
    ) -> Result<Vec<RecipientRow>, sqlx::Error>;
    /// Usage lines ([`usage::UsageRow`]'s columns, in its order).
    async fn usage_rows(
        &mut self,
        sql: &'static str,
        args: Vec<Value>,
    ) -> Result<Vec<usage::UsageRow>, sqlx::Error>;
    /// API key rows ([`api_keys::KeyRow`]'s columns, in its order).
    async fn key_rows(
        &mut self,
        sql: &'static str,
        args: Vec<Value>,
    ) -> Result<Vec<api_keys::KeyRow>, sqlx::Error>;
    /// Commits the transaction (a plain connection has nothing to commit).
    async fn commit(self) -> Result<(), sqlx::Error>;
    /// Rolls the transaction back.
    async fn rollback(self) -> Result<(), sqlx::Error>;
}

/// Implements [`Session`] for [`Conn`] of one database, binding text through
/// `$text` (the database's [`Value::texts_with`] form) and keeping a statement
/// prepared when `$keeps_plan` says so; a macro because sqlx's
/// query results have no common trait to read `rows_affected` from.
macro_rules! session_impl {
    ($db:ty, $text:path, $keeps_plan:path) => {
        impl $crate::store::sql::Conn<$db> {
            /// Runs a query and reads each row it returns with `read`.
            async fn fetch_with<T>(
                &mut self,
                sql: &'static str,
                args: Vec<$crate::store::sql::Value>,
                read: impl Fn(&<$db as sqlx::Database>::Row) -> Result<T, sqlx::Error>,
            ) -> Result<Vec<T>, sqlx::Error> {
                let args = $crate::store::sql::Value::texts_with(args, $text);
                let query = sqlx::query(sql).persistent($keeps_plan(sql));
                let query = $crate::store::sql::bind(query, args);
                let rows = query.fetch_all(self.connection()).await?;
                rows.iter().map(read).collect()
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::sql::Session for $crate::store::sql::Conn<$db> {
            async fn execute(
                &mut self,
                sql: &'static str,
                args: Vec<$crate::store::sql::Value>,
            ) -> Result<u64, sqlx::Error> {
                let args = $crate::store::sql::Value::texts_with(args, $text);
                let query = sqlx::query(sql).persistent($keeps_plan(sql));
                let query = $crate::store::sql::bind(query, args);
                Ok(query.execute(self.connection()).await?.rows_affected())
            }

            async fn script(&mut self, sql: &'static str) -> Result<(), sqlx::Error> {
                // Without arguments, both drivers run every statement of the text.
                sqlx::Executor::execute(self.connection(), sql).await?;
                Ok(())
            }

            async fn texts(
                &mut self,
                sql: &'static str,
                args: Vec<$crate::store::sql::Value>,
            ) -> Result<Vec<String>, sqlx::Error> {
                use sqlx::Row as _;
                self.fetch_with(sql, args, |row| row.try_get(0)).await
            }

            async fn numbered(
                &mut self,
                sql: &'static str,
                args: Vec<$crate::store::sql::Value>,
            ) -> Result<Vec<(i64, String)>, sqlx::Error> {
                use sqlx::Row as _;
                self.fetch_with(sql, args, |row| Ok((row.try_get(0)?, row.try_get(1)?)))
                    .await
            }

            async fn triples(
                &mut self,
                sql: &'static str,
                args: Vec<$crate::store::sql::Value>,
            ) -> Result<Vec<(String, Option<String>, String)>, sqlx::Error> {
                use sqlx::Row as _;
                self.fetch_with(sql, args, |row| {
                    Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
                })
                .await
            }

            async fn id_texts(
                &mut self,
                sql: &'static str,
                args: Vec<$crate::store::sql::Value>,
            ) -> Result<Vec<(uuid::Uuid, String)>, sqlx::Error> {
                use sqlx::Row as _;
                self.fetch_with(sql, args, |row| Ok((row.try_get(0)?, row.try_get(1)?)))
                    .await
            }

            async fn recipients(
                &mut self,
                sql: &'static str,
                args: Vec<$crate::store::sql::Value>,
            ) -> Result<Vec<$crate::store::sql::RecipientRow>, sqlx::Error> {
                use sqlx::Row as _;
                self.fetch_with(sql, args, |row| {
                    Ok($crate::store::sql::RecipientRow {
                        ordinal: row.try_get(0)?,
                        contact: row.try_get(1)?,
                        phone: row.try_get(2)?,
                        state: row.try_get(3)?,
                        reason: row.try_get(4)?,
                        message: row.try_get(5)?,
                        not_before: row.try_get(6)?,
                        lease_until: row.try_get(7)?,
                    })
                })
                .await
            }

            async fn usage_rows(
                &mut self,
                sql: &'static str,
                args: Vec<$crate::store::sql::Value>,
            ) -> Result<Vec<$crate::store::sql::usage::UsageRow>, sqlx::Error> {
                use sqlx::Row as _;
                self.fetch_with(sql, args, |row| {
                    Ok($crate::store::sql::usage::UsageRow {
                        channel: row.try_get(0)?,
                        country: row.try_get(1)?,
                        category: row.try_get(2)?,
                        messages: row.try_get(3)?,
                        segments: row.try_get(4)?,
                        charged_units: row.try_get(5)?,
                    })
                })
                .await
            }

            async fn key_rows(
                &mut self,
                sql: &'static str,
                args: Vec<$crate::store::sql::Value>,
            ) -> Result<Vec<$crate::store::sql::api_keys::KeyRow>, sqlx::Error> {
                use sqlx::Row as _;
                self.fetch_with(sql, args, |row| {
                    Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
                })
                .await
            }

            async fn commit(self) -> Result<(), sqlx::Error> {
                match self {
                    $crate::store::sql::Conn::Pooled(_) => Ok(()),
                    $crate::store::sql::Conn::Tx(tx) => tx.commit().await,
                }
            }

            async fn rollback(self) -> Result<(), sqlx::Error> {
                match self {
                    $crate::store::sql::Conn::Pooled(_) => Ok(()),
                    $crate::store::sql::Conn::Tx(tx) => tx.rollback().await,
                }
            }
        }
    };
}
pub(crate) use session_impl;

/// Implements [`Store`](super::Store) for a type that implements [`Backend`], by
/// calling [`ops`].
macro_rules! store_impl {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::Store for $store {
            async fn put_tenant(
                &self,
                tenant: &$crate::model::Tenant,
            ) -> Result<(), $crate::store::StoreError> {
                $crate::store::sql::ops::put_tenant(self, tenant).await
            }

            async fn tenant(
                &self,
                id: $crate::model::TenantId,
            ) -> Result<Option<$crate::model::Tenant>, $crate::store::StoreError> {
                $crate::store::sql::ops::tenant(self, id).await
            }

            async fn tenant_by_slug(
                &self,
                slug: &str,
            ) -> Result<Option<$crate::model::Tenant>, $crate::store::StoreError> {
                $crate::store::sql::ops::tenant_by_slug(self, slug).await
            }

            async fn tenant_by_number(
                &self,
                number: &$crate::core::phone::E164,
            ) -> Result<Option<$crate::model::Tenant>, $crate::store::StoreError> {
                $crate::store::sql::ops::tenant_by_number(self, number).await
            }

            async fn contact(
                &self,
                tenant: $crate::model::TenantId,
                id: $crate::model::ContactId,
            ) -> Result<Option<$crate::model::Contact>, $crate::store::StoreError> {
                $crate::store::sql::ops::contact(self, tenant, id).await
            }

            async fn contact_by_phone(
                &self,
                tenant: $crate::model::TenantId,
                phone: &$crate::core::phone::E164,
            ) -> Result<Option<$crate::model::Contact>, $crate::store::StoreError> {
                $crate::store::sql::ops::contact_by_phone(self, tenant, phone).await
            }

            async fn contacts_by_phones(
                &self,
                tenant: $crate::model::TenantId,
                phones: &[$crate::core::phone::E164],
            ) -> Result<Vec<$crate::model::Contact>, $crate::store::StoreError> {
                $crate::store::sql::ops::contacts_by_phones(self, tenant, phones).await
            }

            async fn audience(
                &self,
                tenant: $crate::model::TenantId,
                query: &$crate::store::AudienceQuery,
            ) -> Result<Vec<$crate::model::Contact>, $crate::store::StoreError> {
                $crate::store::sql::ops::audience(self, tenant, query).await
            }

            async fn search_contacts(
                &self,
                tenant: $crate::model::TenantId,
                text: &str,
                limit: usize,
            ) -> Result<Vec<$crate::model::Contact>, $crate::store::StoreError> {
                $crate::store::sql::ops::search_contacts(self, tenant, text, limit).await
            }

            async fn conversation(
                &self,
                tenant: $crate::model::TenantId,
                id: $crate::model::ConversationId,
            ) -> Result<Option<$crate::model::ConversationRecord>, $crate::store::StoreError> {
                $crate::store::sql::ops::conversation(self, tenant, id).await
            }

            async fn latest_conversation(
                &self,
                tenant: $crate::model::TenantId,
                contact: $crate::model::ContactId,
            ) -> Result<Option<$crate::model::ConversationRecord>, $crate::store::StoreError> {
                $crate::store::sql::ops::latest_conversation(self, tenant, contact).await
            }

            async fn conversations(
                &self,
                tenant: $crate::model::TenantId,
                query: &$crate::store::ConversationQuery,
            ) -> Result<Vec<$crate::store::ConversationSummary>, $crate::store::StoreError> {
                $crate::store::sql::ops::conversations(self, tenant, query).await
            }

            async fn bulk_update(
                &self,
                tenant: $crate::model::TenantId,
                ids: &[$crate::model::ConversationId],
                action: $crate::store::BulkAction,
            ) -> Result<usize, $crate::store::StoreError> {
                $crate::store::sql::ops::bulk_update(self, tenant, ids, action).await
            }

            async fn message(
                &self,
                tenant: $crate::model::TenantId,
                id: $crate::model::MessageId,
            ) -> Result<Option<$crate::model::MessageRecord>, $crate::store::StoreError> {
                $crate::store::sql::ops::message(self, tenant, id).await
            }

            async fn message_by_provider_id(
                &self,
                tenant: $crate::model::TenantId,
                provider: &$crate::model::ProviderName,
                provider_message_id: &str,
            ) -> Result<Option<$crate::model::MessageRecord>, $crate::store::StoreError> {
                $crate::store::sql::ops::message_by_provider_id(
                    self,
                    tenant,
                    provider,
                    provider_message_id,
                )
                .await
            }

            async fn inbound_reads(
                &self,
                tenant: $crate::model::TenantId,
                provider: &$crate::model::ProviderName,
                provider_message_id: &str,
                phone: &$crate::core::phone::E164,
            ) -> Result<$crate::store::InboundReads, $crate::store::StoreError> {
                $crate::store::sql::ops::inbound_reads(
                    self,
                    tenant,
                    provider,
                    provider_message_id,
                    phone,
                )
                .await
            }

            async fn message_by_client_id(
                &self,
                tenant: $crate::model::TenantId,
                client_id: &str,
            ) -> Result<Option<$crate::model::MessageRecord>, $crate::store::StoreError> {
                $crate::store::sql::ops::message_by_client_id(self, tenant, client_id).await
            }

            async fn timeline(
                &self,
                tenant: $crate::model::TenantId,
                contact: $crate::model::ContactId,
                limit: usize,
            ) -> Result<Vec<$crate::model::MessageRecord>, $crate::store::StoreError> {
                $crate::store::sql::ops::timeline(self, tenant, contact, limit).await
            }

            async fn commit(
                &self,
                changes: $crate::store::Changeset,
            ) -> Result<(), $crate::store::CommitError> {
                $crate::store::sql::commit::commit(self, changes).await
            }

            async fn commit_batch(
                &self,
                batch: Vec<$crate::store::Changeset>,
            ) -> Result<(), $crate::store::CommitError> {
                $crate::store::sql::commit::commit_batch(self, batch).await
            }

            async fn record_status(
                &self,
                tenant: $crate::model::TenantId,
                message: $crate::model::MessageId,
                update: &$crate::core::delivery::StatusUpdate,
                pricing: Option<&$crate::core::usage::Pricing>,
            ) -> Result<Option<$crate::core::delivery::Delivery>, $crate::store::StoreError> {
                $crate::store::sql::statuses::record_status(self, tenant, message, update, pricing)
                    .await
            }

            async fn record_statuses(
                &self,
                writes: &[$crate::store::StatusWrite],
            ) -> Result<Vec<Option<$crate::core::delivery::Delivery>>, $crate::store::StoreError>
            {
                $crate::store::sql::statuses::record_statuses(self, writes).await
            }

            async fn usage(
                &self,
                tenant: $crate::model::TenantId,
                from: chrono::DateTime<chrono::Utc>,
                until: chrono::DateTime<chrono::Utc>,
            ) -> Result<Vec<$crate::core::usage::UsageLine>, $crate::store::StoreError> {
                $crate::store::sql::usage::usage(self, tenant, from, until).await
            }

            async fn analytics(
                &self,
                tenant: $crate::model::TenantId,
                from: chrono::DateTime<chrono::Utc>,
                until: chrono::DateTime<chrono::Utc>,
            ) -> Result<$crate::core::analytics::Analytics, $crate::store::StoreError> {
                $crate::store::sql::analytics::analytics(self, tenant, from, until).await
            }

            async fn claim_outbox(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                lease: chrono::TimeDelta,
                limit: usize,
            ) -> Result<Vec<$crate::model::OutboxItem>, $crate::store::StoreError> {
                $crate::store::sql::outbox::claim_outbox(self, now, lease, limit).await
            }

            async fn finish_outbox(
                &self,
                tenant: $crate::model::TenantId,
                message: $crate::model::MessageId,
                attempt: u32,
                outcome: &$crate::store::DispatchOutcome,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, $crate::store::StoreError> {
                $crate::store::sql::outbox::finish_outbox(
                    self, tenant, message, attempt, outcome, now,
                )
                .await
            }

            async fn finish_outboxes(
                &self,
                finishes: &[$crate::store::OutboxFinish],
            ) -> Result<Vec<bool>, $crate::store::StoreError> {
                $crate::store::sql::outbox::finish_outboxes(self, finishes).await
            }

            async fn outbox_item(
                &self,
                tenant: $crate::model::TenantId,
                message: $crate::model::MessageId,
            ) -> Result<Option<$crate::model::OutboxItem>, $crate::store::StoreError> {
                $crate::store::sql::outbox::outbox_item(self, tenant, message).await
            }

            async fn events(
                &self,
                tenant: $crate::model::TenantId,
                after: u64,
                limit: usize,
            ) -> Result<Vec<(u64, $crate::model::EventRecord)>, $crate::store::StoreError> {
                $crate::store::sql::ops::events(self, tenant, after, limit).await
            }

            async fn contact_events(
                &self,
                tenant: $crate::model::TenantId,
                contact: $crate::model::ContactId,
                limit: usize,
            ) -> Result<Vec<(u64, $crate::model::EventRecord)>, $crate::store::StoreError> {
                $crate::store::sql::ops::contact_events(self, tenant, contact, limit).await
            }

            async fn check_rate(
                &self,
                key: &str,
                quota: &$crate::core::ratelimit::Quota,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<$crate::core::ratelimit::Decision, $crate::store::StoreError> {
                $crate::store::sql::ops::check_rate(self, key, quota, now).await
            }

            async fn check_rates(
                &self,
                keys: &[&str],
                quota: &$crate::core::ratelimit::Quota,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<Option<chrono::TimeDelta>, $crate::store::StoreError> {
                $crate::store::sql::ops::check_rates(self, keys, quota, now).await
            }

            async fn create_campaign(
                &self,
                campaign: &$crate::model::CampaignRecord,
                recipients: &[$crate::model::CampaignRecipient],
            ) -> Result<(), $crate::store::StoreError> {
                $crate::store::sql::campaigns::create_campaign(self, campaign, recipients).await
            }

            async fn campaign(
                &self,
                tenant: $crate::model::TenantId,
                id: &str,
            ) -> Result<Option<$crate::model::CampaignRecord>, $crate::store::StoreError> {
                $crate::store::sql::campaigns::campaign(self, tenant, id).await
            }

            async fn update_campaign(
                &self,
                campaign: &$crate::model::CampaignRecord,
                expected_version: u64,
            ) -> Result<(), $crate::store::CommitError> {
                $crate::store::sql::campaigns::update_campaign(self, campaign, expected_version)
                    .await
            }

            async fn claim_recipients(
                &self,
                tenant: $crate::model::TenantId,
                campaign: &str,
                now: chrono::DateTime<chrono::Utc>,
                lease: chrono::TimeDelta,
                limit: usize,
            ) -> Result<Vec<$crate::model::CampaignRecipient>, $crate::store::StoreError> {
                $crate::store::sql::campaigns::claim_recipients(
                    self, tenant, campaign, now, lease, limit,
                )
                .await
            }

            async fn settle_recipients(
                &self,
                tenant: $crate::model::TenantId,
                updates: &[$crate::model::RecipientUpdate],
            ) -> Result<(), $crate::store::StoreError> {
                $crate::store::sql::campaigns::settle_recipients(self, tenant, updates).await
            }

            async fn campaign_recipients(
                &self,
                tenant: $crate::model::TenantId,
                campaign: &str,
                after: Option<u64>,
                limit: usize,
            ) -> Result<Vec<$crate::model::CampaignRecipient>, $crate::store::StoreError> {
                $crate::store::sql::campaigns::campaign_recipients(
                    self, tenant, campaign, after, limit,
                )
                .await
            }

            async fn campaign_counts(
                &self,
                tenant: $crate::model::TenantId,
                campaign: &str,
            ) -> Result<Option<$crate::core::campaign::CampaignCounts>, $crate::store::StoreError>
            {
                $crate::store::sql::campaigns::campaign_counts(self, tenant, campaign).await
            }

            async fn campaigns(
                &self,
                tenant: $crate::model::TenantId,
                limit: usize,
            ) -> Result<Vec<$crate::model::CampaignRecord>, $crate::store::StoreError> {
                $crate::store::sql::campaigns::campaigns(self, tenant, limit).await
            }

            async fn running_campaigns(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                limit: usize,
            ) -> Result<Vec<($crate::model::TenantId, String)>, $crate::store::StoreError> {
                $crate::store::sql::campaigns::running_campaigns(self, now, limit).await
            }

            async fn create_api_key(
                &self,
                key: &$crate::model::ApiKeyRecord,
            ) -> Result<(), $crate::store::StoreError> {
                $crate::store::sql::api_keys::create_api_key(self, key).await
            }

            async fn api_key(
                &self,
                id: $crate::model::ApiKeyId,
            ) -> Result<Option<$crate::model::ApiKeyRecord>, $crate::store::StoreError> {
                $crate::store::sql::api_keys::api_key(self, id).await
            }

            async fn api_keys(
                &self,
                tenant: $crate::model::TenantId,
            ) -> Result<Vec<$crate::model::ApiKeyRecord>, $crate::store::StoreError> {
                $crate::store::sql::api_keys::api_keys(self, tenant).await
            }

            async fn revoke_api_key(
                &self,
                tenant: $crate::model::TenantId,
                id: $crate::model::ApiKeyId,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, $crate::store::StoreError> {
                $crate::store::sql::api_keys::revoke_api_key(self, tenant, id, at).await
            }

            async fn recent_messages(
                &self,
                tenant: $crate::model::TenantId,
                limit: usize,
            ) -> Result<Vec<$crate::model::MessageRecord>, $crate::store::StoreError> {
                $crate::store::sql::ops::recent_messages(self, tenant, limit).await
            }

            async fn latest_event(
                &self,
                tenant: $crate::model::TenantId,
            ) -> Result<u64, $crate::store::StoreError> {
                $crate::store::sql::ops::latest_event(self, tenant).await
            }

            async fn create_webhook(
                &self,
                endpoint: &$crate::model::WebhookEndpoint,
            ) -> Result<$crate::model::WebhookEndpoint, $crate::store::StoreError> {
                $crate::store::sql::webhooks::create_webhook(self, endpoint).await
            }

            async fn webhooks(
                &self,
                tenant: $crate::model::TenantId,
            ) -> Result<Vec<$crate::model::WebhookEndpoint>, $crate::store::StoreError> {
                $crate::store::sql::webhooks::webhooks(self, tenant).await
            }

            async fn webhook(
                &self,
                tenant: $crate::model::TenantId,
                id: $crate::model::WebhookId,
            ) -> Result<Option<$crate::model::WebhookEndpoint>, $crate::store::StoreError> {
                $crate::store::sql::webhooks::webhook(self, tenant, id).await
            }

            async fn delete_webhook(
                &self,
                tenant: $crate::model::TenantId,
                id: $crate::model::WebhookId,
            ) -> Result<bool, $crate::store::StoreError> {
                $crate::store::sql::webhooks::delete_webhook(self, tenant, id).await
            }

            async fn enable_webhook(
                &self,
                tenant: $crate::model::TenantId,
                id: $crate::model::WebhookId,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<Option<$crate::model::WebhookEndpoint>, $crate::store::StoreError> {
                $crate::store::sql::webhooks::enable_webhook(self, tenant, id, now).await
            }

            async fn claim_webhooks(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                lease: chrono::TimeDelta,
                limit: usize,
            ) -> Result<Vec<$crate::model::WebhookEndpoint>, $crate::store::StoreError> {
                $crate::store::sql::webhooks::claim_webhooks(self, now, lease, limit).await
            }

            async fn settle_webhook(
                &self,
                tenant: $crate::model::TenantId,
                id: $crate::model::WebhookId,
                claim: u32,
                state: &$crate::core::webhook_retry::DeliveryState,
            ) -> Result<bool, $crate::store::StoreError> {
                $crate::store::sql::webhooks::settle_webhook(self, tenant, id, claim, state).await
            }

            async fn put_workflow(
                &self,
                workflow: &$crate::model::WorkflowRecord,
            ) -> Result<(), $crate::store::StoreError> {
                $crate::store::sql::workflows::put_workflow(self, workflow).await
            }

            async fn workflow(
                &self,
                tenant: $crate::model::TenantId,
                id: &str,
                version: Option<u32>,
            ) -> Result<Option<$crate::model::WorkflowRecord>, $crate::store::StoreError> {
                $crate::store::sql::workflows::workflow(self, tenant, id, version).await
            }

            async fn put_rule(
                &self,
                rule: &$crate::model::RuleRecord,
            ) -> Result<(), $crate::store::StoreError> {
                $crate::store::sql::workflows::put_rule(self, rule).await
            }

            async fn rules(
                &self,
                tenant: $crate::model::TenantId,
            ) -> Result<Vec<$crate::model::RuleRecord>, $crate::store::StoreError> {
                $crate::store::sql::workflows::rules(self, tenant).await
            }

            async fn delete_rule(
                &self,
                tenant: $crate::model::TenantId,
                id: &str,
            ) -> Result<bool, $crate::store::StoreError> {
                $crate::store::sql::workflows::delete_rule(self, tenant, id).await
            }

            async fn live_runs(
                &self,
                tenant: $crate::model::TenantId,
                contact: $crate::model::ContactId,
            ) -> Result<Vec<$crate::model::RunRecord>, $crate::store::StoreError> {
                $crate::store::sql::workflows::live_runs(self, tenant, contact).await
            }

            async fn latest_run(
                &self,
                tenant: $crate::model::TenantId,
                workflow: &str,
                contact: $crate::model::ContactId,
            ) -> Result<Option<$crate::model::RunRecord>, $crate::store::StoreError> {
                $crate::store::sql::workflows::latest_run(self, tenant, workflow, contact).await
            }

            async fn claim_due_runs(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                lease: chrono::TimeDelta,
                limit: usize,
            ) -> Result<Vec<$crate::model::RunRecord>, $crate::store::StoreError> {
                $crate::store::sql::workflows::claim_due_runs(self, now, lease, limit).await
            }

            async fn record_api_key_use(
                &self,
                id: $crate::model::ApiKeyId,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), $crate::store::StoreError> {
                $crate::store::sql::api_keys::record_api_key_use(self, id, at).await
            }

            async fn health(&self) -> Result<(), $crate::store::StoreError> {
                $crate::store::sql::ops::health(self).await
            }
        }
    };
}
pub(crate) use store_impl;

/// A SQL store: where its sessions come from and the statements its database
/// spells its own way.
#[async_trait]
pub(crate) trait Backend: Send + Sync {
    /// Its sessions.
    type Session: Session;
    /// Its statements.
    const DIALECT: Dialect;
    /// A plain connection, for reads.
    async fn read(&self) -> Result<Self::Session, sqlx::Error>;
    /// A transaction that will write: it holds the write lock from its start
    /// (SQLite's `BEGIN IMMEDIATE`) or takes row locks as it goes (PostgreSQL).
    async fn write(&self) -> Result<Self::Session, sqlx::Error>;
    /// A write transaction whose commit need not survive a power loss, for
    /// rate-limit state: losing its last commits lets a client make a few
    /// more requests, and never loses a record. Its commit does not wait for
    /// the disk (SQLite `synchronous = NORMAL` in WAL mode, PostgreSQL
    /// `synchronous_commit = off`), so a limit check on every API request
    /// costs no fsync. Either database stays consistent after a crash.
    async fn write_volatile(&self) -> Result<Self::Session, sqlx::Error>;
}

/// The claim query: the oldest claimable item of each queue whose earlier items
/// are all sent or failed (SPEC §18 "Order"; `contract::queue_of`), with `$lock`
/// appended, which locks the rows returned where the database needs that.
macro_rules! claimable {
    ($lock:literal) => {
        concat!(
            "SELECT o.doc FROM outbox o WHERE o.state IN ('pending', 'in_flight') \
             AND ((o.state = 'pending' AND o.available_at <= $1) \
                  OR (o.state = 'in_flight' AND o.lease_until <= $1)) \
             AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.tenant = o.tenant \
                  AND e.recipient = o.recipient AND e.state IN ('pending', 'in_flight') \
                  AND e.seq < o.seq) \
             ORDER BY o.seq LIMIT $2",
            $lock
        )
    };
}
pub(crate) use claimable;

/// The webhook claim query, with `$lock` appended as for [`claimable!`].
macro_rules! claimable_webhooks {
    ($lock:literal) => {
        concat!(
            "SELECT w.doc FROM webhook_endpoints w WHERE w.due_at <= $1 \
             AND EXISTS (SELECT 1 FROM events e WHERE e.tenant = w.tenant \
                  AND e.seq > w.after_seq) \
             ORDER BY w.due_at, w.id LIMIT $2",
            $lock
        )
    };
}
pub(crate) use claimable_webhooks;

/// How a database numbers a statement's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placeholders {
    /// `$1, $2, …` (PostgreSQL).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    Numbered,
    /// `?, ?, …` (SQLite: binding a numbered parameter looks its name up in a
    /// list, so a statement of n parameters binds in O(n²)).
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    Anonymous,
}

/// The statements a database spells its own way, and its migrations.
pub(crate) struct Dialect {
    /// Contacts matching a search (`$2` the lower-cased needle, `$3` its digits),
    /// by name (NULL first) and phone in byte order, at most `$4`.
    pub(crate) search_contacts: &'static str,
    /// The inbox list: conversation docs with their contact's name and phone.
    pub(crate) conversations: &'static str,
    /// `analytics_statement!`'s labelled counts of tenant `$1` from `$2`
    /// until `$3` (nanoseconds), each dialect reading the JSON docs its way.
    pub(crate) analytics: &'static str,
    /// A conversation's doc, locked for update.
    pub(crate) conversation_for_update: &'static str,
    /// Claimable outbox docs, oldest first, locked (skipping rows others hold).
    pub(crate) claimable: &'static str,
    /// A campaign's doc, locked for a claim; a campaign another claimer holds
    /// is skipped (no row), not waited for.
    pub(crate) campaign_for_claim: &'static str,
    /// Endpoints due at `$1` with events after their cursor, the earliest due
    /// first, at most `$2`, locked (skipping rows others hold).
    pub(crate) claimable_webhooks: &'static str,
    /// A tenant's endpoint's doc (`$1`, `$2`), locked for update.
    pub(crate) webhook_for_update: &'static str,
    /// `workflows::claim_runs!`: leases the runs due at `$2` until `$1`, at
    /// most `$3`, skipping rows others hold.
    pub(crate) claim_runs: &'static str,
    /// A rate-limit key's state, locked for update.
    pub(crate) rate_for_update: &'static str,
    /// Run before a commit appends events, so sequence numbers become visible
    /// in order (`$1`: a key derived from the tenant).
    pub(crate) lock_events: Option<&'static str>,
    /// Run first in the migration transaction, so concurrent starts wait.
    pub(crate) lock_migrations: Option<&'static str>,
    /// How multi-row inserts number their parameters.
    pub(crate) placeholders: Placeholders,
    /// Whether a statement over a list of keys finds each key's row by itself
    /// ([`keyed::Keyed`]), locking the rows it reads for changing them
    /// (`FOR UPDATE`): PostgreSQL, which caches a statement's plan and locks
    /// rows. SQLite joins the list; its writer holds the whole database.
    pub(crate) probes_keys: bool,
    /// Refreshes the planner's statistics of the recipients table once a
    /// freeze has inserted its rows, where the planner needs them to keep to
    /// the unique keys (PostgreSQL: taking a just-frozen campaign's table for
    /// near empty, it settled each recipient by scanning them all).
    pub(crate) analyze_recipients: Option<&'static str>,
    /// The schema, in order.
    pub(crate) migrations: &'static [Migration],
}

/// One step of the schema, embedded in the crate.
pub(crate) struct Migration {
    /// Its version; applied versions are recorded in `msgcore_migrations`.
    pub(crate) version: i64,
    /// What it does.
    pub(crate) description: &'static str,
    /// Its statements.
    pub(crate) sql: &'static str,
}

/// The database was migrated by a newer msgcore than this one.
#[derive(Debug, thiserror::Error)]
#[error(
    "the database has msgcore schema version {found}, newer than the {known} this msgcore knows; upgrade msgcore"
)]
pub(crate) struct SchemaTooNew {
    found: i64,
    known: i64,
}

/// The unique keys whose violations mean something to the [`Store`](super::Store)
/// contract, by constraint name (PostgreSQL) and by the columns SQLite names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    TenantSlug,
    TenantNumber,
    ContactId,
    ContactPhone,
    MessageId,
    MessageProvider,
    MessageClient,
    OutboxMessage,
    CallLog,
    Campaign,
}

impl Key {
    const ALL: [Key; 10] = [
        Key::TenantSlug,
        Key::TenantNumber,
        Key::ContactId,
        Key::ContactPhone,
        Key::MessageId,
        Key::MessageProvider,
        Key::MessageClient,
        Key::OutboxMessage,
        Key::CallLog,
        Key::Campaign,
    ];

    /// The constraint's name in the migrations.
    fn constraint(self) -> &'static str {
        match self {
            Key::TenantSlug => "tenants_slug_key",
            Key::TenantNumber => "tenant_numbers_pkey",
            Key::ContactId => "contacts_pkey",
            Key::ContactPhone => "contacts_phone_key",
            Key::MessageId => "messages_id_key",
            Key::MessageProvider => "messages_provider_key",
            Key::MessageClient => "messages_client_key",
            Key::OutboxMessage => "outbox_message_key",
            Key::CallLog => "call_logs_pkey",
            Key::Campaign => "campaigns_pkey",
        }
    }

    /// How SQLite's message ends when the key is violated.
    fn sqlite_columns(self) -> &'static str {
        match self {
            Key::TenantSlug => ": tenants.slug",
            Key::TenantNumber => ": tenant_numbers.number",
            Key::ContactId => ": contacts.tenant, contacts.id",
            Key::ContactPhone => ": contacts.tenant, contacts.phone",
            Key::MessageId => ": messages.tenant, messages.id",
            Key::MessageProvider => {
                ": messages.tenant, messages.provider, messages.provider_message_id"
            }
            Key::MessageClient => ": messages.tenant, messages.client_id",
            Key::OutboxMessage => ": outbox.tenant, outbox.message",
            Key::CallLog => {
                ": call_logs.tenant, call_logs.provider, call_logs.call, call_logs.status"
            }
            Key::Campaign => ": campaigns.tenant, campaigns.id",
        }
    }

    /// The key a unique violation broke, if it is one of these.
    pub(crate) fn violated(error: &sqlx::Error) -> Option<Key> {
        let error = error.as_database_error()?;
        if !error.is_unique_violation() {
            return None;
        }
        let constraint = error.constraint();
        let message = error.message();
        Key::ALL.into_iter().find(|key| {
            constraint == Some(key.constraint()) || message.ends_with(key.sqlite_columns())
        })
    }
}

/// A database failure; a row that could not be read is [`StoreError::Corrupt`].
pub(crate) fn db(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::ColumnDecode { index, source } => StoreError::Corrupt {
            what: format!("column {index}"),
            reason: source.to_string(),
        },
        sqlx::Error::Decode(source) => StoreError::Corrupt {
            what: "a column".to_owned(),
            reason: source.to_string(),
        },
        error => StoreError::backend(error),
    }
}

/// A record as the JSON kept in `doc`.
pub(crate) fn encode<T: Serialize>(record: &T) -> Result<String, StoreError> {
    serde_json::to_string(record).map_err(StoreError::backend)
}

/// A record read back from its `doc`.
pub(crate) fn decode<T: DeserializeOwned>(doc: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(doc).map_err(|error| StoreError::Corrupt {
        what: what.to_owned(),
        reason: error.to_string(),
    })
}

/// An instant as nanoseconds since the Unix epoch, for key columns (instants
/// outside 1677–2262 become the ends of that range).
pub(crate) fn nanos(at: DateTime<Utc>) -> i64 {
    at.timestamp_nanos_opt().unwrap_or(if at.timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// A count as a SQL integer (`LIMIT`), saturating.
pub(crate) fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A contact's columns: tenant, id, phone, name, name key, version, created at, doc.
pub(crate) fn contact_values(contact: &Contact) -> Result<Vec<Value>, StoreError> {
    Ok(vec![
        Value::Id(contact.tenant.as_uuid()),
        Value::Id(contact.id.as_uuid()),
        Value::Text(contact.phone.as_str().to_owned()),
        Value::OptText(contact.name.clone()),
        Value::OptText(super::contract::name_key(contact)),
        Value::Int(version(contact.version)),
        Value::Int(nanos(contact.created_at)),
        Value::Text(encode(contact)?),
    ])
}

/// A version as the integer column compared with `WHERE version = …`: the same
/// 64 bits, so every version keeps its own value.
pub(crate) fn version(version: u64) -> i64 {
    i64::from_ne_bytes(version.to_ne_bytes())
}

/// A conversation's columns: tenant, id, contact, status, assignee, channel, last
/// activity, created at, unread, starred, archived, deleted, doc.
pub(crate) fn conversation_values(record: &ConversationRecord) -> Result<Vec<Value>, StoreError> {
    let flags = record.flags;
    Ok(vec![
        Value::Id(record.tenant.as_uuid()),
        Value::Id(record.id.as_uuid()),
        Value::Id(record.contact.as_uuid()),
        Value::Text(record.status().as_str().to_owned()),
        Value::OptText(record.state.assignee().map(|a| a.as_str().to_owned())),
        Value::Text(record.channel.as_str().to_owned()),
        Value::Int(nanos(record.last_activity_at())),
        Value::Int(nanos(record.created_at)),
        Value::Int(i64::from(flags.unread)),
        Value::Flag(flags.starred),
        Value::Flag(flags.archived),
        Value::Flag(flags.deleted),
        Value::Text(encode(record)?),
    ])
}

/// A message's columns: tenant, id, contact, conversation, provider, provider
/// message id, client id, created at, doc.
pub(crate) fn message_values(message: &MessageRecord) -> Result<Vec<Value>, StoreError> {
    Ok(vec![
        Value::Id(message.tenant.as_uuid()),
        Value::Id(message.id.as_uuid()),
        Value::Id(message.contact.as_uuid()),
        Value::Id(message.conversation.as_uuid()),
        Value::OptText(message.provider.as_ref().map(|p| p.as_str().to_owned())),
        Value::OptText(message.provider_message_id.clone()),
        Value::OptText(message.client_id.clone()),
        Value::Int(nanos(message.created_at)),
        Value::Text(encode(message)?),
    ])
}

/// An outbox item's columns: tenant, message, state, available at, lease until,
/// attempts, doc.
pub(crate) fn outbox_values(item: &OutboxItem) -> Result<Vec<Value>, StoreError> {
    let (state, lease_until) = match &item.state {
        OutboxState::Pending => ("pending", None),
        OutboxState::InFlight { lease_until } => ("in_flight", Some(nanos(*lease_until))),
        OutboxState::Sent { .. } => ("sent", None),
        OutboxState::Failed { .. } => ("failed", None),
    };
    Ok(vec![
        Value::Id(item.tenant.as_uuid()),
        Value::Id(item.message.as_uuid()),
        Value::Text(state.to_owned()),
        Value::Int(nanos(item.available_at)),
        Value::OptInt(lease_until),
        Value::Int(i64::from(item.attempts)),
        Value::Text(encode(item)?),
    ])
}

/// An event's columns: tenant, at, doc.
pub(crate) fn event_values(
    event: &EventRecord,
    contact: crate::model::ContactId,
) -> Result<Vec<Value>, StoreError> {
    Ok(vec![
        Value::Id(event.tenant.as_uuid()),
        Value::Int(nanos(event.at)),
        Value::Text(encode(event)?),
        Value::Id(contact.as_uuid()),
        Value::Flag(event.event.is_on_timeline()),
    ])
}

/// Applies the dialect's migrations that the database has not seen, in one
/// transaction.
pub(crate) async fn migrate<B: Backend>(backend: &B) -> Result<(), StoreError> {
    let dialect = B::DIALECT;
    let mut session = backend.write().await.map_err(db)?;
    if let Some(lock) = dialect.lock_migrations {
        session.execute(lock, vec![]).await.map_err(db)?;
    }
    session
        .execute(
            "CREATE TABLE IF NOT EXISTS msgcore_migrations \
             (version BIGINT NOT NULL PRIMARY KEY, description TEXT NOT NULL)",
            vec![],
        )
        .await
        .map_err(db)?;
    let applied = session
        .numbered(
            "SELECT version, description FROM msgcore_migrations ORDER BY version",
            vec![],
        )
        .await
        .map_err(db)?;
    let known = dialect
        .migrations
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0);
    if let Some(&(found, _)) = applied.iter().find(|(v, _)| *v > known) {
        return Err(StoreError::backend(SchemaTooNew { found, known }));
    }
    for migration in dialect.migrations {
        if applied.iter().any(|(v, _)| *v == migration.version) {
            continue;
        }
        session.script(migration.sql).await.map_err(db)?;
        session
            .execute(
                "INSERT INTO msgcore_migrations (version, description) VALUES ($1, $2)",
                vec![
                    Value::Int(migration.version),
                    Value::Text(migration.description.to_owned()),
                ],
            )
            .await
            .map_err(db)?;
    }
    session.commit().await.map_err(db)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn text_without_nul_has_no_nul_and_leaves_other_text_alone() {
        assert_eq!(text_without_nul("Maria".to_owned()), "Maria");
        assert_eq!(text_without_nul("a\0b".to_owned()), "a\u{FFFD}0b");
        assert_eq!(
            text_without_nul("a\u{FFFD}0b".to_owned()),
            "a\u{FFFD}\u{FFFD}0b"
        );
    }

    proptest::proptest! {
        #[test]
        fn text_without_nul_is_one_to_one_and_nul_free(
            a in "[a\\x00\u{FFFD}0]{0,8}",
            b in "[a\\x00\u{FFFD}0]{0,8}",
        ) {
            let (ea, eb) = (text_without_nul(a.clone()), text_without_nul(b.clone()));
            proptest::prop_assert!(!ea.contains('\0'));
            proptest::prop_assert_eq!(ea == eb, a == b);
        }
    }

    #[test]
    fn instants_keep_their_order_as_nanoseconds_and_saturate_outside_the_range() {
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        assert_eq!(nanos(at) + 1, nanos(at + chrono::TimeDelta::nanoseconds(1)));
        let far = Utc.with_ymd_and_hms(3000, 1, 1, 0, 0, 0).unwrap();
        let long_ago = Utc.with_ymd_and_hms(1000, 1, 1, 0, 0, 0).unwrap();
        assert_eq!((nanos(far), nanos(long_ago)), (i64::MAX, i64::MIN));
    }

    #[test]
    fn versions_keep_every_bit() {
        assert_eq!(version(1), 1);
        assert_ne!(version(u64::MAX), version(u64::MAX - 1));
        assert_eq!(version(u64::MAX) as u64, u64::MAX);
    }

    #[test]
    fn counts_saturate() {
        assert_eq!(count(usize::MAX), i64::MAX);
        assert_eq!(count(50), 50);
    }
}
