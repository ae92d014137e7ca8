//! The outbox on the SQL stores: claiming items and recording what the
//! carrier said, in a few multi-row statements per batch rather than a few
//! statements per item, because the dispatcher's claims wait for the write
//! lock these hold.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use serde::de::DeserializeOwned;

use super::ops::{finish, id, read_one, taken};
use super::rows::{RowStatement, read_rows, write_rows};
use super::usage::write_usages;
use super::{
    Backend, Key, Session, Value, count, db, decode, message_values, nanos, outbox_values,
};
use crate::model::{MessageId, MessageRecord, OutboxItem, ProviderName, TenantId};
use crate::store::contract::{self, OutcomeEffect};
use crate::store::{DispatchOutcome, OutboxFinish, StoreError};

const OUTBOX_ITEM: &str = "SELECT doc FROM outbox WHERE tenant = $1 AND message = $2";

/// Outbox rows rewritten together (a claim's, a batch of outcomes').
static UPDATE_OUTBOXES: RowStatement = RowStatement::around(
    "WITH v (tenant, message, state, available_at, lease_until, attempts, doc) AS (VALUES ",
    7,
    ") UPDATE outbox SET state = v.state, available_at = v.available_at, \
     lease_until = v.lease_until, attempts = v.attempts, doc = v.doc FROM v \
     WHERE outbox.tenant = v.tenant AND outbox.message = v.message",
);
/// Message rows rewritten together, in `message_values`' order.
static UPDATE_MESSAGES: RowStatement = RowStatement::around(
    "WITH v (tenant, id, contact, conversation, provider, provider_message_id, client_id, \
     created_at, doc) AS (VALUES ",
    9,
    ") UPDATE messages SET contact = v.contact, conversation = v.conversation, \
     provider = v.provider, provider_message_id = v.provider_message_id, \
     client_id = v.client_id, created_at = v.created_at, doc = v.doc FROM v \
     WHERE messages.tenant = v.tenant AND messages.id = v.id",
);

/// The docs of the rows of `$table` keyed by (tenant, `$id`) pairs, with
/// `$lock` appended.
macro_rules! docs_by_key {
    ($table:literal, $id:literal, $lock:literal) => {
        RowStatement::around(
            "WITH k (tenant, id) AS (VALUES ",
            2,
            concat!(
                ") SELECT t.doc FROM k JOIN ",
                $table,
                " t ON t.tenant = k.tenant AND t.",
                $id,
                " = k.id",
                $lock
            ),
        )
    };
}
static OUTBOXES: RowStatement = docs_by_key!("outbox", "message", "");
static OUTBOXES_FOR_UPDATE: RowStatement = docs_by_key!("outbox", "message", " FOR UPDATE OF t");
static MESSAGES: RowStatement = docs_by_key!("messages", "id", "");
static MESSAGES_FOR_UPDATE: RowStatement = docs_by_key!("messages", "id", " FOR UPDATE OF t");

pub(crate) async fn claim_outbox<B: Backend>(
    backend: &B,
    now: DateTime<Utc>,
    lease: TimeDelta,
    limit: usize,
) -> Result<Vec<OutboxItem>, StoreError> {
    let mut session = backend.write().await.map_err(db)?;
    let result = claim::<B, _>(&mut session, now, lease, limit).await;
    finish(session, result).await
}

async fn claim<B: Backend, S: Session>(
    session: &mut S,
    now: DateTime<Utc>,
    lease: TimeDelta,
    limit: usize,
) -> Result<Vec<OutboxItem>, StoreError> {
    let args = vec![Value::Int(nanos(now)), Value::Int(count(limit))];
    let docs = session
        .texts(B::DIALECT.claimable, args)
        .await
        .map_err(db)?;
    let mut claimed = Vec::with_capacity(docs.len());
    for doc in docs {
        let mut item: OutboxItem = decode(&doc, "outbox item")?;
        contract::claim(&mut item, now, lease);
        claimed.push(item);
    }
    write_rows(
        session,
        B::DIALECT.placeholders,
        &UPDATE_OUTBOXES,
        &claimed,
        outbox_values,
    )
    .await
    .map_err(|error| error.or_refused(db))?;
    Ok(claimed)
}

pub(crate) async fn finish_outbox<B: Backend>(
    backend: &B,
    tenant: TenantId,
    message: MessageId,
    attempt: u32,
    outcome: &DispatchOutcome,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let finish = OutboxFinish {
        tenant,
        message,
        attempt,
        outcome: outcome.clone(),
        now,
    };
    let recorded = finish_outboxes(backend, std::slice::from_ref(&finish)).await?;
    Ok(recorded.first().copied().unwrap_or(false))
}

pub(crate) async fn finish_outboxes<B: Backend>(
    backend: &B,
    finishes: &[OutboxFinish],
) -> Result<Vec<bool>, StoreError> {
    let mut session = backend.write().await.map_err(db)?;
    let result = record_in_runs::<B, _>(&mut session, finishes).await;
    finish(session, result).await
}

async fn record_in_runs<B: Backend, S: Session>(
    session: &mut S,
    finishes: &[OutboxFinish],
) -> Result<Vec<bool>, StoreError> {
    let mut recorded = Vec::with_capacity(finishes.len());
    for run in distinct_runs(finishes) {
        recorded.extend(record_outcomes::<B, _>(session, run).await?);
    }
    Ok(recorded)
}

/// `finishes` cut, in order, into runs that name each message at most once:
/// a later outcome for a message must see what the earlier one wrote.
fn distinct_runs(finishes: &[OutboxFinish]) -> impl Iterator<Item = &[OutboxFinish]> {
    let mut rest = finishes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut seen = HashSet::new();
        let end = rest
            .iter()
            .position(|f| !seen.insert((f.tenant, f.message)))
            .unwrap_or(rest.len());
        let (run, after) = rest.split_at(end);
        rest = after;
        Some(run)
    })
}

/// Records outcomes for distinct messages: whether each one's claim still
/// stood (and so was recorded).
async fn record_outcomes<B: Backend, S: Session>(
    session: &mut S,
    finishes: &[OutboxFinish],
) -> Result<Vec<bool>, StoreError> {
    let (recorded, standing) = finish_items::<B, _>(session, finishes).await?;
    finish_messages::<B, _>(session, &standing).await?;
    Ok(recorded)
}

/// Applies each outcome whose claim stands to its item; whether each stood,
/// and the finishes that did.
async fn finish_items<'a, B: Backend, S: Session>(
    session: &mut S,
    finishes: &'a [OutboxFinish],
) -> Result<(Vec<bool>, Vec<&'a OutboxFinish>), StoreError> {
    let all: Vec<&OutboxFinish> = finishes.iter().collect();
    let queries = (&OUTBOXES, &OUTBOXES_FOR_UPDATE);
    let mut items = by_key::<B, _, OutboxItem>(session, queries, &all, "outbox item", |i| {
        (i.tenant, i.message)
    })
    .await?;
    let mut standing = Vec::with_capacity(finishes.len());
    let mut updated = Vec::with_capacity(finishes.len());
    let recorded = finishes
        .iter()
        .map(|f| {
            let item = items.remove(&(f.tenant, f.message));
            let Some(mut item) = item.filter(|item| contract::claim_stands(item, f.attempt)) else {
                return false;
            };
            OutcomeEffect::of(&f.outcome, f.now).apply_to_item(&mut item);
            updated.push(item);
            standing.push(f);
            true
        })
        .collect();
    let style = B::DIALECT.placeholders;
    write_rows(session, style, &UPDATE_OUTBOXES, &updated, outbox_values)
        .await
        .map_err(|error| error.or_refused(db))?;
    Ok((recorded, standing))
}

/// Merges each standing outcome into its message, and writes the usage
/// records the merges call for.
async fn finish_messages<B: Backend, S: Session>(
    session: &mut S,
    standing: &[&OutboxFinish],
) -> Result<(), StoreError> {
    let queries = (&MESSAGES, &MESSAGES_FOR_UPDATE);
    let mut messages =
        by_key::<B, _, MessageRecord>(session, queries, standing, "message", |m| (m.tenant, m.id))
            .await?;
    let mut changed = Vec::with_capacity(standing.len());
    let mut usage = Vec::new();
    for f in standing {
        let Some(mut record) = messages.remove(&(f.tenant, f.message)) else {
            continue;
        };
        let before = record.clone();
        OutcomeEffect::of(&f.outcome, f.now).apply_to_message(&f.outcome, &mut record);
        usage.extend(contract::usage_change(&before, &record).map(|u| (f.tenant, u)));
        changed.push(record);
    }
    let style = B::DIALECT.placeholders;
    write_usages(session, style, &usage).await?;
    write_rows(session, style, &UPDATE_MESSAGES, &changed, message_values)
        .await
        .map_err(|error| error.or_refused(|error| provider_id_taken(error, &changed)))?;
    Ok(())
}

/// The rows of `finishes`' messages, found by the first of `queries` or, where
/// the database locks rows, the second; decoded and keyed by `key_of`.
async fn by_key<B: Backend, S: Session, T: DeserializeOwned>(
    session: &mut S,
    queries: (&'static RowStatement, &'static RowStatement),
    finishes: &[&OutboxFinish],
    what: &str,
    key_of: impl Fn(&T) -> (TenantId, MessageId),
) -> Result<HashMap<(TenantId, MessageId), T>, StoreError> {
    let (plain, for_update) = queries;
    let query = if B::DIALECT.locks_rows {
        for_update
    } else {
        plain
    };
    let key = |f: &&OutboxFinish| vec![id(f.tenant), Value::Id(f.message.as_uuid())];
    let style = B::DIALECT.placeholders;
    let docs = read_rows(session, style, query, finishes, key)
        .await
        .map_err(db)?;
    docs.iter()
        .map(|doc| decode(doc, what).map(|found: T| (key_of(&found), found)))
        .collect()
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

pub(crate) async fn outbox_item<B: Backend>(
    backend: &B,
    tenant: TenantId,
    message: MessageId,
) -> Result<Option<OutboxItem>, StoreError> {
    let args = vec![id(tenant), Value::Id(message.as_uuid())];
    read_one(backend, OUTBOX_ITEM, args, "outbox item").await
}
