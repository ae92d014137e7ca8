//! The outbox on the SQL stores: claiming items and recording what the
//! carrier said, in a few multi-row statements per batch ([`keyed`]) rather
//! than a few statements per item, because the dispatcher's claims wait for
//! the write lock these hold.

use chrono::{DateTime, TimeDelta, Utc};

use super::keyed::{
    self, ChangedMessages, Keyed, MessageKey, OUTBOX_ITEMS, by_key, in_distinct_runs, keyed_update,
};
use super::ops::{finish, id, read_one};
use super::rows::write_rows;
use super::{Backend, Session, Value, count, db, decode, nanos, outbox_values};
use crate::model::{MessageId, OutboxItem, TenantId};
use crate::store::contract::{self, OutcomeEffect};
use crate::store::{DispatchOutcome, OutboxFinish, StoreError};

const OUTBOX_ITEM: &str = "SELECT doc FROM outbox WHERE tenant = $1 AND message = $2";

/// Outbox rows rewritten together (a claim's, a batch of outcomes').
static UPDATE_OUTBOXES: Keyed = keyed_update!(
    "outbox" ("tenant, message, state, available_at, lease_until, attempts, doc", 7)
    set "state = v.state, available_at = v.available_at, lease_until = v.lease_until, \
         attempts = v.attempts, doc = v.doc"
    where message ""
);
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
        UPDATE_OUTBOXES.of(&B::DIALECT),
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
    let result =
        in_distinct_runs(&mut session, finishes, finish_key, record_outcomes::<B, _>).await;
    finish(session, result).await
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

/// An outcome whose claim stood, with what it changes.
type Standing<'a> = (&'a OutboxFinish, OutcomeEffect);

/// Applies each outcome whose claim stands to its item; whether each stood,
/// and those that did.
async fn finish_items<'a, B: Backend, S: Session>(
    session: &mut S,
    finishes: &'a [OutboxFinish],
) -> Result<(Vec<bool>, Vec<Standing<'a>>), StoreError> {
    let mut items = by_key::<B, _, _, OutboxItem>(
        session,
        &OUTBOX_ITEMS,
        finishes,
        finish_key,
        "outbox item",
        |i| (i.tenant, i.message),
    )
    .await?;
    let mut standing = Vec::with_capacity(finishes.len());
    let mut updated = Vec::with_capacity(finishes.len());
    let recorded = finishes
        .iter()
        .map(|f| {
            let item = items.remove(&finish_key(f));
            let Some(mut item) = item.filter(|item| contract::claim_stands(item, f.attempt)) else {
                return false;
            };
            let effect = OutcomeEffect::of(&f.outcome, f.now);
            effect.apply_to_item(&mut item);
            updated.push(item);
            standing.push((f, effect));
            true
        })
        .collect();
    let style = B::DIALECT.placeholders;
    let update = UPDATE_OUTBOXES.of(&B::DIALECT);
    write_rows(session, style, update, &updated, outbox_values)
        .await
        .map_err(|error| error.or_refused(db))?;
    Ok((recorded, standing))
}

/// Merges each standing outcome into its message, and writes the usage
/// records the merges call for.
async fn finish_messages<B: Backend, S: Session>(
    session: &mut S,
    standing: &[Standing<'_>],
) -> Result<(), StoreError> {
    let mut messages =
        keyed::messages::<B, _, _>(session, standing, |(f, _)| finish_key(f)).await?;
    let mut changed = ChangedMessages::default();
    for (f, effect) in standing {
        let Some(mut record) = messages.remove(&finish_key(f)) else {
            continue;
        };
        let before = record.clone();
        effect.apply_to_message(&f.outcome, &mut record);
        changed.push(&before, record);
    }
    changed.write::<B, _>(session).await
}

/// Which message an outcome is for.
fn finish_key(f: &OutboxFinish) -> MessageKey {
    (f.tenant, f.message)
}

pub(crate) async fn outbox_item<B: Backend>(
    backend: &B,
    tenant: TenantId,
    message: MessageId,
) -> Result<Option<OutboxItem>, StoreError> {
    let args = vec![id(tenant), Value::Id(message.as_uuid())];
    read_one(backend, OUTBOX_ITEM, args, "outbox item").await
}
