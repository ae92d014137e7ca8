//! Usage records (SPEC §16) on the SQL stores: one row per billed message,
//! written with the status that first says it was sent, added up by SQL.

use chrono::{DateTime, Utc};

use super::ops::id;
use super::rows::{RowStatement, write_rows};
use super::{Backend, Placeholders, Session, Value, db, nanos};
use crate::core::usage::{PricingCategory, UsageLine};
use crate::model::TenantId;
use crate::store::StoreError;
use crate::store::contract::{self, UsageRecord};

/// The records as the messages' locked rows say they are now
/// ([`contract::usage_change`]).
static UPSERT_USAGES: RowStatement = RowStatement::around(
    "INSERT INTO usage_records \
     (tenant, message, at, channel, country, category, segments, charged_units) VALUES ",
    8,
    " ON CONFLICT (tenant, message) DO UPDATE SET at = excluded.at, \
     category = excluded.category, charged_units = excluded.charged_units",
);
const USAGE: &str = "SELECT channel, country, category, COUNT(*), \
     CAST(SUM(segments) AS BIGINT), CAST(SUM(charged_units) AS BIGINT) FROM usage_records \
     WHERE tenant = $1 AND at >= $2 AND at < $3 GROUP BY channel, country, category";

/// A [`UsageLine`] as `USAGE` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UsageRow {
    pub(crate) channel: String,
    pub(crate) country: Option<String>,
    pub(crate) category: Option<String>,
    pub(crate) messages: i64,
    pub(crate) segments: i64,
    pub(crate) charged_units: i64,
}

/// The usage records of several messages (each message once), written
/// together in `session`'s transaction.
pub(crate) async fn write_usages<S: Session>(
    session: &mut S,
    style: Placeholders,
    records: &[(TenantId, UsageRecord)],
) -> Result<(), StoreError> {
    write_rows(
        session,
        style,
        &UPSERT_USAGES,
        records,
        |(tenant, record)| Ok(usage_values(*tenant, record)),
    )
    .await
    .map_err(|error| error.or_refused(db))?;
    Ok(())
}

/// A usage record's columns, in `UPSERT_USAGES`' order.
fn usage_values(tenant: TenantId, record: &UsageRecord) -> Vec<Value> {
    let billing = &record.billing;
    vec![
        id(tenant),
        Value::Id(record.message.as_uuid()),
        Value::Int(nanos(record.at)),
        Value::Text(billing.channel.to_string()),
        Value::OptText(billing.country.clone()),
        Value::OptText(billing.category.as_ref().map(|c| c.as_str().to_owned())),
        Value::Int(i64::from(billing.segments)),
        Value::Int(i64::from(billing.segments * billing.charged())),
    ]
}

pub(crate) async fn usage<B: Backend>(
    backend: &B,
    tenant: TenantId,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<UsageLine>, StoreError> {
    let mut session = backend.read().await.map_err(db)?;
    let args = vec![
        id(tenant),
        Value::Int(nanos(from)),
        Value::Int(nanos(until)),
    ];
    let rows = session.usage_rows(USAGE, args).await.map_err(db)?;
    let mut lines = rows
        .into_iter()
        .map(line_of)
        .collect::<Result<Vec<_>, _>>()?;
    contract::sort_usage(&mut lines);
    Ok(lines)
}

fn line_of(row: UsageRow) -> Result<UsageLine, StoreError> {
    let channel = row.channel.parse().map_err(|_| StoreError::Corrupt {
        what: "usage_records.channel".to_owned(),
        reason: format!("{:?} is not a channel", row.channel),
    })?;
    let whole = |n: i64| u64::try_from(n).unwrap_or_default();
    Ok(UsageLine {
        channel,
        country: row.country,
        category: row.category.map(PricingCategory::from),
        messages: whole(row.messages),
        segments: whole(row.segments),
        charged_units: whole(row.charged_units),
    })
}
