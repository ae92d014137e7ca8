//! `get_analytics` (SPEC §19): what the tenant's inbox did over a time range,
//! added up by the store ([`Store::analytics`](crate::store::Store::analytics)).

use chrono::{DateTime, TimeDelta, Utc};

use super::api_keys::Principal;
use super::operations::Operations;
use super::request_error::RequestError;
use crate::core::analytics::Analytics;
use crate::core::api_key::Scope;
use crate::error::Error;

/// The range when the caller names no start: the 30 days before its end.
pub const DEFAULT_ANALYTICS_DAYS: i64 = 30;
/// The longest range one request adds up, so that none reads a tenant's
/// whole history.
pub const MAX_ANALYTICS_DAYS: i64 = 366;

/// The counts, and the range they cover.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalyticsReport {
    /// From this instant…
    pub from: DateTime<Utc>,
    /// …until this one (excluded).
    pub to: DateTime<Utc>,
    /// What happened in between.
    pub analytics: Analytics,
}

impl Operations {
    /// The tenant's [`Analytics`] from `from` until `to` (excluded): by
    /// default until now, and from [`DEFAULT_ANALYTICS_DAYS`] before the end;
    /// a range that is empty or longer than [`MAX_ANALYTICS_DAYS`] is
    /// refused (400). Scope `messages:read`.
    pub async fn analytics(
        &self,
        principal: &Principal,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<AnalyticsReport, Error> {
        principal.require(Scope::MessagesRead)?;
        let to = to.unwrap_or_else(|| self.inbox.clock.now());
        let from = from.unwrap_or(to - TimeDelta::days(DEFAULT_ANALYTICS_DAYS));
        if from >= to {
            return Err(RequestError::EmptyRange { from, to }.into());
        }
        if to - from > TimeDelta::days(MAX_ANALYTICS_DAYS) {
            return Err(RequestError::RangeTooLong {
                most_days: MAX_ANALYTICS_DAYS,
            }
            .into());
        }
        let analytics = self
            .inbox
            .store
            .analytics(principal.tenant, from, to)
            .await?;
        Ok(AnalyticsReport {
            from,
            to,
            analytics,
        })
    }
}
