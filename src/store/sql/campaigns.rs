//! Campaigns and their recipients on SQL (migration 6).
//!
//! A campaign is a row with its record as `doc` and the columns a scheduler
//! filters on; each recipient is a row of plain columns (no `doc`), so a
//! cancellation skips every pending one in one statement and a claim leases a
//! page of them in one `UPDATE … RETURNING`.

use super::ops::{finish, id};
use super::rows::{RowStatement, write_rows};
use super::{
    Backend, Key, RecipientRow, Session, Value, count, db, decode, encode, nanos, version,
};
use crate::core::campaign::{CampaignCounts, CampaignStatus, RecipientState, SkipReason};
use crate::core::phone::E164;
use crate::model::{
    CampaignRecipient, CampaignRecord, ContactId, MessageId, MessageRecord, RecipientOutcome,
    RecipientUpdate, TenantId,
};
use crate::store::{CommitError, StoreError};
use chrono::{DateTime, TimeDelta, Utc};

const INSERT_CAMPAIGN: &str = "INSERT INTO campaigns \
     (tenant, id, status, start_at, created_at, version, doc) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const UPDATE_CAMPAIGN: &str = "UPDATE campaigns SET status = $3, start_at = $4, \
     created_at = $5, version = $6, doc = $7 WHERE tenant = $1 AND id = $2 AND version = $8";
const CAMPAIGN: &str = "SELECT doc FROM campaigns WHERE tenant = $1 AND id = $2";
/// Newest first; the index `campaigns_by_tenant` serves it.
const LIST: &str = "SELECT doc FROM campaigns WHERE tenant = $1 \
     ORDER BY created_at DESC, id DESC LIMIT $2";
const RUNNING: &str = "SELECT doc FROM campaigns WHERE status = 'active' AND start_at <= $1 \
     ORDER BY created_at, id LIMIT $2";
static RECIPIENTS: RowStatement = RowStatement::new(
    "INSERT INTO campaign_recipients (tenant, campaign, ordinal, contact, phone, state, reason, \
     message, not_before, lease_until) VALUES ",
    10,
);
/// Leases the first `$5` claimable recipients until `$4`: every claimable one
/// up to the `$5`-th's ordinal. Not `ordinal IN (… LIMIT $5)`: on a table
/// PostgreSQL has no statistics for yet (a campaign just frozen), it ran that
/// subquery again for every recipient of the campaign, quadratic in its size.
const CLAIM: &str = "UPDATE campaign_recipients SET lease_until = $4 \
     WHERE tenant = $1 AND campaign = $2 AND state = 'pending' AND not_before <= $3 \
     AND (lease_until IS NULL OR lease_until <= $3) \
     AND ordinal <= (SELECT max(ordinal) FROM (SELECT ordinal FROM campaign_recipients \
     WHERE tenant = $1 AND campaign = $2 AND state = 'pending' AND not_before <= $3 \
     AND (lease_until IS NULL OR lease_until <= $3) ORDER BY ordinal LIMIT $5) AS due) \
     RETURNING ordinal, contact, phone, state, reason, message, not_before, lease_until";
const ANY_PENDING: &str = "SELECT campaign FROM campaign_recipients \
     WHERE tenant = $1 AND campaign = $2 AND state = 'pending' LIMIT 1";
const PAGE: &str = "SELECT ordinal, contact, phone, state, reason, message, not_before, \
     lease_until FROM campaign_recipients WHERE tenant = $1 AND campaign = $2 AND ordinal > $3 \
     ORDER BY ordinal LIMIT $4";
/// Writes an outcome to a recipient that is still pending.
pub(super) const SETTLE: &str = "UPDATE campaign_recipients SET state = $4, reason = $5, \
     message = $6, not_before = COALESCE($7, not_before), lease_until = NULL \
     WHERE tenant = $1 AND campaign = $2 AND contact = $3 AND state = 'pending'";
const CANCEL_PENDING: &str = "UPDATE campaign_recipients SET state = 'skipped', \
     reason = 'cancelled', lease_until = NULL \
     WHERE tenant = $1 AND campaign = $2 AND state = 'pending'";
/// Each recipient's state, its message's doc (if queued) and its skip reason.
const STATES: &str = "SELECT r.state, m.doc, COALESCE(r.reason, '') \
     FROM campaign_recipients r LEFT JOIN messages m ON m.tenant = r.tenant AND m.id = r.message \
     WHERE r.tenant = $1 AND r.campaign = $2";

fn campaign_values(campaign: &CampaignRecord) -> Result<Vec<Value>, StoreError> {
    Ok(vec![
        id(campaign.tenant),
        Value::Text(campaign.id.clone()),
        Value::Text(campaign.status.as_str().to_owned()),
        Value::Int(nanos(campaign.throttle.start)),
        Value::Int(nanos(campaign.created_at)),
        Value::Int(version(campaign.version)),
        Value::Text(encode(campaign)?),
    ])
}

fn state_columns(state: RecipientState) -> (&'static str, Option<String>) {
    match state {
        RecipientState::Pending => ("pending", None),
        RecipientState::Queued => ("queued", None),
        RecipientState::Skipped(reason) => ("skipped", Some(reason.as_str().to_owned())),
    }
}

fn recipient_values(recipient: &CampaignRecipient) -> Vec<Value> {
    let (state, reason) = state_columns(recipient.state);
    vec![
        id(recipient.tenant),
        Value::Text(recipient.campaign.clone()),
        Value::Int(i64::try_from(recipient.position).unwrap_or(i64::MAX)),
        Value::Id(recipient.contact.as_uuid()),
        Value::Text(recipient.phone.as_str().to_owned()),
        Value::Text(state.to_owned()),
        Value::OptText(reason),
        Value::OptId(recipient.message.map(|m| m.as_uuid())),
        Value::Int(nanos(recipient.not_before)),
        Value::OptInt(recipient.lease_until.map(nanos)),
    ]
}

/// [`SETTLE`]'s arguments for `update`.
pub(super) fn settle_values(tenant: TenantId, update: &RecipientUpdate) -> Vec<Value> {
    let (state, reason, message, not_before) = match update.outcome {
        RecipientOutcome::Queued(message) => ("queued", None, Some(message.as_uuid()), None),
        RecipientOutcome::Skipped(reason) => {
            ("skipped", Some(reason.as_str().to_owned()), None, None)
        }
        RecipientOutcome::Held { until } => ("pending", None, None, Some(nanos(until))),
    };
    vec![
        id(tenant),
        Value::Text(update.campaign.clone()),
        Value::Id(update.contact.as_uuid()),
        Value::Text(state.to_owned()),
        Value::OptText(reason),
        Value::OptId(message),
        Value::OptInt(not_before),
    ]
}

fn instant(nanos: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(nanos)
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt {
        what: what.to_owned(),
        reason: format!("unknown value {value:?}"),
    }
}

fn state_of(state: &str, reason: Option<&str>) -> Result<RecipientState, StoreError> {
    match (state, reason) {
        ("pending", _) => Ok(RecipientState::Pending),
        ("queued", _) => Ok(RecipientState::Queued),
        ("skipped", Some(reason)) => SkipReason::from_name(reason)
            .map(RecipientState::Skipped)
            .ok_or_else(|| corrupt("recipient skip reason", reason)),
        (other, _) => Err(corrupt("recipient state", other)),
    }
}

fn recipient_of(
    tenant: TenantId,
    campaign: &str,
    row: RecipientRow,
) -> Result<CampaignRecipient, StoreError> {
    let phone: E164 = row
        .phone
        .parse()
        .map_err(|_| corrupt("recipient phone", &row.phone))?;
    Ok(CampaignRecipient {
        tenant,
        campaign: campaign.to_owned(),
        position: u64::try_from(row.ordinal).unwrap_or(0),
        contact: ContactId::from_uuid(row.contact),
        phone,
        state: state_of(&row.state, row.reason.as_deref())?,
        message: row.message.map(MessageId::from_uuid),
        not_before: instant(row.not_before),
        lease_until: row.lease_until.map(instant),
    })
}

fn recipients_of(
    tenant: TenantId,
    campaign: &str,
    rows: Vec<RecipientRow>,
) -> Result<Vec<CampaignRecipient>, StoreError> {
    rows.into_iter()
        .map(|row| recipient_of(tenant, campaign, row))
        .collect()
}

pub(crate) async fn create_campaign<B: Backend>(
    backend: &B,
    campaign: &CampaignRecord,
    recipients: &[CampaignRecipient],
) -> Result<(), StoreError> {
    let mut session = backend.write().await.map_err(db)?;
    let result = insert_campaign::<B, _>(&mut session, campaign, recipients).await;
    finish(session, result).await
}

async fn insert_campaign<B: Backend, S: Session>(
    session: &mut S,
    campaign: &CampaignRecord,
    recipients: &[CampaignRecipient],
) -> Result<(), StoreError> {
    let inserted = session
        .execute(INSERT_CAMPAIGN, campaign_values(campaign)?)
        .await;
    if let Err(error) = inserted {
        return Err(match Key::violated(&error) {
            Some(Key::Campaign) => StoreError::Taken {
                what: format!("campaign {}", campaign.id),
            },
            _ => db(error),
        });
    }
    let style = B::DIALECT.placeholders;
    write_rows(session, style, &RECIPIENTS, recipients, |r| {
        Ok(recipient_values(r))
    })
    .await
    .map_err(|error| error.or_refused(db))?;
    if let Some(analyze) = B::DIALECT.analyze_recipients {
        session.execute(analyze, Vec::new()).await.map_err(db)?;
    }
    Ok(())
}

pub(crate) async fn campaign<B: Backend>(
    backend: &B,
    tenant: TenantId,
    campaign: &str,
) -> Result<Option<CampaignRecord>, StoreError> {
    let mut session = backend.read().await.map_err(db)?;
    let args = vec![id(tenant), Value::Text(campaign.to_owned())];
    let docs = session.texts(CAMPAIGN, args).await.map_err(db)?;
    docs.first().map(|doc| decode(doc, "campaign")).transpose()
}

pub(crate) async fn update_campaign<B: Backend>(
    backend: &B,
    campaign: &CampaignRecord,
    expected_version: u64,
) -> Result<(), CommitError> {
    let mut session = backend.write().await.map_err(db)?;
    let result = write_campaign(&mut session, campaign, expected_version).await;
    finish(session, result).await
}

async fn write_campaign<S: Session>(
    session: &mut S,
    campaign: &CampaignRecord,
    expected_version: u64,
) -> Result<(), CommitError> {
    let mut row = campaign_values(campaign)?;
    row.push(Value::Int(version(expected_version)));
    if session.execute(UPDATE_CAMPAIGN, row).await.map_err(db)? == 0 {
        return Err(CommitError::Conflict);
    }
    if campaign.status == CampaignStatus::Cancelled {
        let args = vec![id(campaign.tenant), Value::Text(campaign.id.clone())];
        session.execute(CANCEL_PENDING, args).await.map_err(db)?;
    }
    Ok(())
}

pub(crate) async fn claim_recipients<B: Backend>(
    backend: &B,
    tenant: TenantId,
    campaign: &str,
    now: DateTime<Utc>,
    lease: TimeDelta,
    limit: usize,
) -> Result<Vec<CampaignRecipient>, StoreError> {
    let mut session = backend.write().await.map_err(db)?;
    let result = claim::<B, _>(&mut session, tenant, campaign, now, lease, limit).await;
    finish(session, result).await
}

async fn claim<B: Backend, S: Session>(
    session: &mut S,
    tenant: TenantId,
    campaign: &str,
    now: DateTime<Utc>,
    lease: TimeDelta,
    limit: usize,
) -> Result<Vec<CampaignRecipient>, StoreError> {
    let key = vec![id(tenant), Value::Text(campaign.to_owned())];
    let docs = session
        .texts(B::DIALECT.campaign_for_claim, key.clone())
        .await
        .map_err(db)?;
    // Locked by another claimer (PostgreSQL skips it), or unknown.
    let Some(doc) = docs.first() else {
        return Ok(Vec::new());
    };
    let record: CampaignRecord = decode(doc, "campaign")?;
    if !record.is_running(now) {
        return Ok(Vec::new());
    }
    let budget = record.budget(now, limit);
    if budget == 0 {
        return Ok(Vec::new());
    }
    let until = now
        .checked_add_signed(lease)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let mut args = key.clone();
    args.extend([
        Value::Int(nanos(now)),
        Value::Int(nanos(until)),
        Value::Int(count(budget)),
    ]);
    let rows = session.recipients(CLAIM, args).await.map_err(db)?;
    let mut claimed = recipients_of(tenant, campaign, rows)?;
    claimed.sort_by_key(|r| r.position);
    let next = if !claimed.is_empty() {
        let mut next = record.clone();
        next.released += claimed.len() as u64;
        next.version += 1;
        next
    } else if session
        .texts(ANY_PENDING, key)
        .await
        .map_err(db)?
        .is_empty()
    {
        record.with_status(CampaignStatus::Completed, now)
    } else {
        return Ok(claimed);
    };
    write_campaign(session, &next, record.version)
        .await
        .map_err(|error| match error {
            CommitError::Store(error) => error,
            // The row is locked (or, on SQLite, the database is): it cannot
            // have changed since it was read.
            other => StoreError::backend(other),
        })?;
    Ok(claimed)
}

pub(crate) async fn settle_recipients<B: Backend>(
    backend: &B,
    tenant: TenantId,
    updates: &[RecipientUpdate],
) -> Result<(), StoreError> {
    let mut session = backend.write().await.map_err(db)?;
    let result = settle(&mut session, tenant, updates).await;
    finish(session, result).await
}

async fn settle<S: Session>(
    session: &mut S,
    tenant: TenantId,
    updates: &[RecipientUpdate],
) -> Result<(), StoreError> {
    for update in updates {
        let args = settle_values(tenant, update);
        session.execute(SETTLE, args).await.map_err(db)?;
    }
    Ok(())
}

pub(crate) async fn campaign_recipients<B: Backend>(
    backend: &B,
    tenant: TenantId,
    campaign: &str,
    after: Option<u64>,
    limit: usize,
) -> Result<Vec<CampaignRecipient>, StoreError> {
    let mut session = backend.read().await.map_err(db)?;
    let after = after.map_or(-1, |a| i64::try_from(a).unwrap_or(i64::MAX));
    let args = vec![
        id(tenant),
        Value::Text(campaign.to_owned()),
        Value::Int(after),
        Value::Int(count(limit)),
    ];
    let rows = session.recipients(PAGE, args).await.map_err(db)?;
    recipients_of(tenant, campaign, rows)
}

pub(crate) async fn campaign_counts<B: Backend>(
    backend: &B,
    tenant: TenantId,
    campaign: &str,
) -> Result<Option<CampaignCounts>, StoreError> {
    if self::campaign(backend, tenant, campaign).await?.is_none() {
        return Ok(None);
    }
    let mut session = backend.read().await.map_err(db)?;
    let args = vec![id(tenant), Value::Text(campaign.to_owned())];
    let rows = session.triples(STATES, args).await.map_err(db)?;
    let mut states = Vec::with_capacity(rows.len());
    for (state, message, reason) in rows {
        let reason = Some(reason.as_str()).filter(|r| !r.is_empty());
        let status = match message {
            Some(doc) => decode::<MessageRecord>(&doc, "message")?.delivery.status(),
            None => None,
        };
        states.push((state_of(&state, reason)?, status));
    }
    Ok(Some(CampaignCounts::tally(states)))
}

pub(crate) async fn campaigns<B: Backend>(
    backend: &B,
    tenant: TenantId,
    limit: usize,
) -> Result<Vec<CampaignRecord>, StoreError> {
    let mut session = backend.read().await.map_err(db)?;
    let args = vec![id(tenant), Value::Int(count(limit))];
    let docs = session.texts(LIST, args).await.map_err(db)?;
    docs.iter().map(|doc| decode(doc, "campaign")).collect()
}

pub(crate) async fn running_campaigns<B: Backend>(
    backend: &B,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<(TenantId, String)>, StoreError> {
    let mut session = backend.read().await.map_err(db)?;
    let args = vec![Value::Int(nanos(now)), Value::Int(count(limit))];
    let docs = session.texts(RUNNING, args).await.map_err(db)?;
    docs.iter()
        .map(|doc| {
            let record: CampaignRecord = decode(doc, "campaign")?;
            Ok((record.tenant, record.id))
        })
        .collect()
}
