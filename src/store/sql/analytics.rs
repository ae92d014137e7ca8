//! `get_analytics` on the SQL stores: one statement of labelled counts, each
//! `GROUP BY` one kind of record in the range, added up into [`Analytics`]
//! here, so that SQLite and PostgreSQL differ only in how they read JSON.

use chrono::{DateTime, Utc};

use super::ops::id;
use super::{Backend, Session, Value, db, nanos};
use crate::core::analytics::Analytics;
use crate::core::campaign::CampaignStatus;
use crate::core::channel::Channel;
use crate::core::conversation::Status;
use crate::model::{Direction, TenantId};
use crate::store::StoreError;

/// The statement, given a dialect's expressions for a message doc's
/// direction and channel and an event doc's type, consent change, channel
/// and CSAT score (a number). Rows are `(count, label)`: `conversation:<status>`,
/// `message:<direction>:<channel>`, `csat_responses`, `csat_score_sum`,
/// `opt_out:<channel>`, `campaign:<status>`.
macro_rules! analytics_statement {
    ($direction:literal, $channel:literal, $event_type:literal, $change:literal,
     $event_channel:literal, $score:literal) => {
        concat!(
            "SELECT COUNT(*), 'conversation:' || status FROM conversations \
             WHERE tenant = $1 AND created_at >= $2 AND created_at < $3 AND NOT deleted \
             GROUP BY status \
             UNION ALL SELECT COUNT(*), 'message:' || ",
            $direction,
            " || ':' || ",
            $channel,
            " FROM messages WHERE tenant = $1 AND created_at >= $2 AND created_at < $3 \
             GROUP BY 2 \
             UNION ALL SELECT COUNT(*), 'csat_responses' FROM events \
             WHERE tenant = $1 AND at >= $2 AND at < $3 AND ",
            $event_type,
            " = 'csat_recorded' \
             UNION ALL SELECT CAST(COALESCE(SUM(",
            $score,
            "), 0) AS BIGINT), 'csat_score_sum' \
             FROM events WHERE tenant = $1 AND at >= $2 AND at < $3 \
             AND ",
            $event_type,
            " = 'csat_recorded' \
             UNION ALL SELECT COUNT(*), 'opt_out:' || ",
            $event_channel,
            " FROM events \
             WHERE tenant = $1 AND at >= $2 AND at < $3 AND ",
            $event_type,
            " = 'consent_changed' AND ",
            $change,
            " = 'opt_out' GROUP BY 2 \
             UNION ALL SELECT COUNT(*), 'campaign:' || status FROM campaigns \
             WHERE tenant = $1 AND created_at >= $2 AND created_at < $3 GROUP BY status"
        )
    };
}
pub(crate) use analytics_statement;

pub(crate) async fn analytics<B: Backend>(
    backend: &B,
    tenant: TenantId,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Analytics, StoreError> {
    let mut session = backend.read().await.map_err(db)?;
    let args = vec![
        id(tenant),
        Value::Int(nanos(from)),
        Value::Int(nanos(until)),
    ];
    let rows = session
        .numbered(B::DIALECT.analytics, args)
        .await
        .map_err(db)?;
    let mut seen = Analytics::default();
    for (count, label) in rows {
        add(&mut seen, &label, u64::try_from(count).unwrap_or_default())?;
    }
    Ok(seen)
}

/// Adds one labelled count; a label no statement writes means the docs hold
/// something this version does not know.
fn add(seen: &mut Analytics, label: &str, n: u64) -> Result<(), StoreError> {
    let corrupt = || StoreError::Corrupt {
        what: "analytics".to_owned(),
        reason: format!("{label:?} is no count this store writes"),
    };
    let (kind, rest) = label.split_once(':').unwrap_or((label, ""));
    match kind {
        "conversation" => seen.conversations.add(status(rest).ok_or_else(corrupt)?, n),
        "message" => {
            let (direction, channel) = rest.split_once(':').ok_or_else(corrupt)?;
            let direction = match direction {
                "inbound" => Direction::Inbound,
                "outbound" => Direction::Outbound,
                _ => return Err(corrupt()),
            };
            let channel: Channel = channel.parse().map_err(|_| corrupt())?;
            seen.messages.add(direction, channel, n);
        }
        "csat_responses" => seen.csat.add(0, n),
        "csat_score_sum" => seen.csat.add(n, 0),
        "opt_out" => seen.opt_outs.add(rest.parse().map_err(|_| corrupt())?, n),
        "campaign" => seen
            .campaigns
            .add(campaign_status(rest).ok_or_else(corrupt)?, n),
        _ => return Err(corrupt()),
    }
    Ok(())
}

fn status(stored: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|s| s.as_str() == stored)
}

fn campaign_status(stored: &str) -> Option<CampaignStatus> {
    [
        CampaignStatus::Active,
        CampaignStatus::Paused,
        CampaignStatus::Cancelled,
        CampaignStatus::Completed,
    ]
    .into_iter()
    .find(|s| s.as_str() == stored)
}
