//! Rows found and rewritten many at a time by key: the outbox items and
//! messages a batch of send outcomes or status callbacks changes, in a few
//! multi-row statements instead of a few per item, and the form each database
//! wants for such a statement ([`Keyed`], which a batch's contact updates use
//! too).

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;

use super::ops::{id, taken};
use super::rows::{RowStatement, read_rows, write_rows};
use super::usage::write_usages;
use super::{Backend, Dialect, Key, Session, Value, db, decode, message_values};
use crate::model::{MessageId, MessageRecord, ProviderName, TenantId};
use crate::store::StoreError;
use crate::store::contract::{self, UsageRecord};

/// Which message a row or a write is about.
pub(crate) type MessageKey = (TenantId, MessageId);

/// A statement over a list of keys, in the form each database wants. SQLite
/// joins the list. PostgreSQL finds each key's row by itself (`CROSS JOIN
/// LATERAL`, and by `ctid` when it writes the rows back), so the plan it
/// caches for the statement is an index probe per key at any table size: a
/// join's cached plan, chosen while the table was small, would scan it.
/// Most are multi-row statements ([`RowStatement`]); a fixed-length key list
/// is plain text.
pub(crate) struct Keyed<T = RowStatement> {
    joined: T,
    probed: T,
}

impl<T> Keyed<T> {
    /// `joined` for SQLite, `probed` for PostgreSQL.
    pub(crate) const fn new(joined: T, probed: T) -> Keyed<T> {
        Keyed { joined, probed }
    }

    /// The form `dialect` runs.
    pub(crate) fn of(&self, dialect: &Dialect) -> &T {
        match dialect.probes_keys {
            true => &self.probed,
            false => &self.joined,
        }
    }
}

/// The docs of the rows of `$table` keyed by (tenant, `$id`) pairs; locked,
/// where the database locks rows (PostgreSQL, whose form probes each key).
macro_rules! docs_by_key {
    ($table:literal, $id:literal) => {
        Keyed::new(
            RowStatement::around(
                "WITH k (tenant, id) AS (VALUES ",
                2,
                concat!(
                    ") SELECT t.doc FROM k JOIN ",
                    $table,
                    " t ON t.tenant = k.tenant AND t.",
                    $id,
                    " = k.id"
                ),
            ),
            RowStatement::around(
                "WITH k (tenant, id) AS (VALUES ",
                2,
                concat!(
                    ") SELECT t.doc FROM k CROSS JOIN LATERAL (SELECT doc FROM ",
                    $table,
                    " WHERE tenant = k.tenant AND ",
                    $id,
                    " = k.id FOR UPDATE) t"
                ),
            ),
        )
    };
}

/// Rows of `$table` rewritten together from `$count` `$columns` each,
/// matched by tenant and `$key` (a column of both), and only where `$guard`
/// (a condition on the stored row and the new values `v`) holds. When a
/// concurrent writer changed a row first, PostgreSQL checks the guard again
/// on the row as that writer left it, but never its `ctid` match: a row
/// another transaction may change needs a guard (a contact's version), and
/// one without must be locked by this transaction already (the outbox items
/// and messages, read `FOR UPDATE` first).
macro_rules! keyed_update {
    (
        $table:literal ($columns:literal, $count:literal)
        set $set:literal
        where $key:ident $guard:literal
    ) => {
        $crate::store::sql::keyed::Keyed::new(
            $crate::store::sql::rows::RowStatement::around(
                concat!("WITH v (", $columns, ") AS (VALUES "),
                $count,
                concat!(
                    ") UPDATE ",
                    $table,
                    " SET ",
                    $set,
                    " FROM v WHERE ",
                    $table,
                    ".tenant = v.tenant AND ",
                    $table,
                    ".",
                    stringify!($key),
                    " = v.",
                    stringify!($key),
                    $guard
                ),
            ),
            $crate::store::sql::rows::RowStatement::around(
                concat!("WITH k (", $columns, ") AS (VALUES "),
                $count,
                concat!(
                    "), v AS (SELECT k.*, t.ctid AS target FROM k CROSS JOIN LATERAL \
                     (SELECT ctid FROM ",
                    $table,
                    " WHERE tenant = k.tenant AND ",
                    stringify!($key),
                    " = k.",
                    stringify!($key),
                    " OFFSET 0) t) UPDATE ",
                    $table,
                    " SET ",
                    $set,
                    " FROM v WHERE ",
                    $table,
                    ".ctid = v.target",
                    $guard
                ),
            ),
        )
    };
}
pub(crate) use keyed_update;

pub(crate) static OUTBOX_ITEMS: Keyed = docs_by_key!("outbox", "message");
static MESSAGES: Keyed = docs_by_key!("messages", "id");

/// Message rows rewritten together, in `message_values`' order.
static UPDATE_MESSAGES: Keyed = keyed_update!(
    "messages" (
        "tenant, id, contact, conversation, provider, provider_message_id, client_id, \
         created_at, doc",
        9
    )
    set "contact = v.contact, conversation = v.conversation, provider = v.provider, \
         provider_message_id = v.provider_message_id, client_id = v.client_id, \
         created_at = v.created_at, doc = v.doc"
    where id ""
);

/// The rows `read` finds for `writes`' keys (locked where the database locks
/// rows), decoded and keyed by `key_of`.
pub(crate) async fn by_key<B: Backend, S: Session, W, T: DeserializeOwned>(
    session: &mut S,
    read: &'static Keyed,
    writes: &[W],
    key: impl Fn(&W) -> MessageKey,
    what: &str,
    key_of: impl Fn(&T) -> MessageKey,
) -> Result<HashMap<MessageKey, T>, StoreError> {
    let query = read.of(&B::DIALECT);
    let row = |w: &W| {
        let (tenant, message) = key(w);
        vec![id(tenant), Value::Id(message.as_uuid())]
    };
    let style = B::DIALECT.placeholders;
    let docs = read_rows(session, style, query, writes, row)
        .await
        .map_err(db)?;
    docs.iter()
        .map(|doc| decode(doc, what).map(|found: T| (key_of(&found), found)))
        .collect()
}

/// The messages of `writes`, for changing them.
pub(crate) async fn messages<B: Backend, S: Session, W>(
    session: &mut S,
    writes: &[W],
    key: impl Fn(&W) -> MessageKey,
) -> Result<HashMap<MessageKey, MessageRecord>, StoreError> {
    by_key::<B, _, _, MessageRecord>(session, &MESSAGES, writes, key, "message", |m| {
        (m.tenant, m.id)
    })
    .await
}

/// Messages changed in one transaction, each once, with the usage records
/// their changes call for.
#[derive(Default)]
pub(crate) struct ChangedMessages {
    messages: Vec<MessageRecord>,
    usage: Vec<(TenantId, UsageRecord)>,
}

impl ChangedMessages {
    /// Notes that `before` became `after`.
    pub(crate) fn push(&mut self, before: &MessageRecord, after: MessageRecord) {
        let usage = contract::usage_change(before, &after).map(|u| (after.tenant, u));
        self.usage.extend(usage);
        self.messages.push(after);
    }

    /// Writes them and their usage records in `session`'s transaction.
    pub(crate) async fn write<B: Backend, S: Session>(
        self,
        session: &mut S,
    ) -> Result<(), StoreError> {
        let style = B::DIALECT.placeholders;
        write_usages(session, style, &self.usage).await?;
        let changed = &self.messages;
        let update = UPDATE_MESSAGES.of(&B::DIALECT);
        write_rows(session, style, update, changed, message_values)
            .await
            .map_err(|error| error.or_refused(|error| provider_id_taken(error, changed)))?;
        Ok(())
    }
}

/// A refused message update: a provider message id another message has
/// already (named when the batch had one message), or the database's error.
fn provider_id_taken(error: sqlx::Error, changed: &[MessageRecord]) -> StoreError {
    taken(error, Key::MessageProvider, || match changed {
        [record] => format!(
            "provider message id {} {}",
            record
                .provider
                .as_ref()
                .map(ProviderName::as_str)
                .unwrap_or_default(),
            record.provider_message_id.as_deref().unwrap_or_default()
        ),
        _ => format!("a provider message id among {} messages", changed.len()),
    })
}

/// Runs `write_run` over `writes` cut, in order, into runs that name each
/// message at most once (a later write to a message must see what the
/// earlier one wrote); its results, in order.
pub(crate) async fn in_distinct_runs<S, W, R>(
    session: &mut S,
    writes: &[W],
    key: impl Fn(&W) -> MessageKey,
    mut write_run: impl AsyncFnMut(&mut S, &[W]) -> Result<Vec<R>, StoreError>,
) -> Result<Vec<R>, StoreError> {
    let mut results = Vec::with_capacity(writes.len());
    let mut rest = writes;
    while !rest.is_empty() {
        let mut seen = HashSet::new();
        let end = rest
            .iter()
            .position(|w| !seen.insert(key(w)))
            .unwrap_or(rest.len());
        let (run, after) = rest.split_at(end);
        rest = after;
        results.extend(write_run(session, run).await?);
    }
    Ok(results)
}
