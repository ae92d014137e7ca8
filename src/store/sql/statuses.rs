//! Status callbacks on the SQL stores: each merged into its message, a batch
//! of them in a few multi-row statements ([`keyed`]).

use super::keyed::{self, ChangedMessages, MessageKey, in_distinct_runs};
use super::ops::finish;
use super::{Backend, Session, db};
use crate::core::delivery::{Delivery, StatusUpdate};
use crate::core::usage::Pricing;
use crate::model::{MessageId, TenantId};
use crate::store::contract;
use crate::store::{StatusWrite, StoreError};

pub(crate) async fn record_status<B: Backend>(
    backend: &B,
    tenant: TenantId,
    message: MessageId,
    update: &StatusUpdate,
    pricing: Option<&Pricing>,
) -> Result<Option<Delivery>, StoreError> {
    let write = StatusWrite {
        tenant,
        message,
        update: update.clone(),
        pricing: pricing.cloned(),
    };
    let merged = record_statuses(backend, std::slice::from_ref(&write)).await?;
    Ok(merged.into_iter().next().flatten())
}

pub(crate) async fn record_statuses<B: Backend>(
    backend: &B,
    writes: &[StatusWrite],
) -> Result<Vec<Option<Delivery>>, StoreError> {
    let mut session = backend.write().await.map_err(db)?;
    let result = in_distinct_runs(&mut session, writes, status_key, merge_statuses::<B, _>).await;
    finish(session, result).await
}

/// Merges statuses of distinct messages: each message's delivery after its
/// merge, `None` for a message the store does not have.
async fn merge_statuses<B: Backend, S: Session>(
    session: &mut S,
    writes: &[StatusWrite],
) -> Result<Vec<Option<Delivery>>, StoreError> {
    let mut messages = keyed::messages::<B, _, _>(session, writes, status_key).await?;
    let mut changed = ChangedMessages::default();
    let merged = writes
        .iter()
        .map(|w| {
            let mut record = messages.remove(&status_key(w))?;
            let before = record.clone();
            contract::merge_status(&mut record, &w.update, w.pricing.as_ref());
            let delivery = record.delivery.clone();
            // The standing status may stay while the evidence (times, error
            // codes) or the pricing changes, and those must be kept too.
            if record != before {
                changed.push(&before, record);
            }
            Some(delivery)
        })
        .collect();
    changed.write::<B, _>(session).await?;
    Ok(merged)
}

/// Which message a status is for.
fn status_key(w: &StatusWrite) -> MessageKey {
    (w.tenant, w.message)
}
