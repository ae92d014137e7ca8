//! The solicitation cap: at most so many marketing sends on one subject per period.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::PolicyError;

/// At most `max_sends` sends to one recipient on one subject in any `period_hours`
/// (SPEC §3: Florida, Oklahoma and Maryland allow 3 per 24 hours).
///
/// A send at `T` is held while `max_sends` or more earlier sends fall in
/// `(T − period, T]`; it may go at the first instant that is no longer so.
///
/// ```
/// use chrono::{DateTime, Utc};
/// use msgcore::core::quiet_hours::SolicitationCap;
///
/// let cap = SolicitationCap::new(3, 24)?;
/// let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
/// let sent = [t("2026-03-02T13:00:00Z"), t("2026-03-02T14:00:00Z"), t("2026-03-02T15:00:00Z")];
/// assert!(!cap.allows(&sent, t("2026-03-03T12:59:59Z")));
/// assert!(cap.allows(&sent, t("2026-03-03T13:00:00Z"))); // the first send left the window
/// # Ok::<(), msgcore::core::quiet_hours::PolicyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SolicitationCap {
    max_sends: u32,
    period_hours: u32,
}

impl SolicitationCap {
    /// At most `max_sends` per `period_hours` (which must be at least 1).
    pub fn new(max_sends: u32, period_hours: u32) -> Result<SolicitationCap, PolicyError> {
        if period_hours == 0 {
            return Err(PolicyError::ZeroCapPeriod);
        }
        Ok(SolicitationCap {
            max_sends,
            period_hours,
        })
    }

    /// How many sends the period allows.
    pub fn max_sends(&self) -> u32 {
        self.max_sends
    }

    /// The period's length in hours.
    pub fn period_hours(&self) -> u32 {
        self.period_hours
    }

    /// The period's length.
    pub fn period(&self) -> TimeDelta {
        TimeDelta::hours(i64::from(self.period_hours))
    }

    /// Whether a send at `at` stays under the cap, given the earlier sends `sent`
    /// (in any order).
    pub fn allows(&self, sent: &[DateTime<Utc>], at: DateTime<Utc>) -> bool {
        let mut sorted = sent.to_vec();
        sorted.sort_unstable();
        self.is_under(&sorted, at)
    }

    /// Whether fewer than `max_sends` of the ascending `sorted` fall in `(at − period, at]`.
    fn is_under(&self, sorted: &[DateTime<Utc>], at: DateTime<Utc>) -> bool {
        let until = sorted.partition_point(|&s| s <= at);
        let before = match at.checked_sub_signed(self.period()) {
            Some(period_start) => sorted.partition_point(|&s| s <= period_start),
            None => 0,
        };
        until - before < self.max_sends as usize
    }

    /// The earliest instant at or after `from` under the cap, given the earlier sends
    /// `sorted` in ascending order; `None` if the cap allows nothing at all.
    ///
    /// The count in the period only drops when a send leaves it, exactly one period
    /// after it was made, so the answer is `from` or one of those instants.
    pub(super) fn next_allowed(
        &self,
        sorted: &[DateTime<Utc>],
        from: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        if self.is_under(sorted, from) {
            return Some(from);
        }
        sorted
            .iter()
            .filter_map(|&s| s.checked_add_signed(self.period()))
            .filter(|&release| release > from)
            .find(|&release| self.is_under(sorted, release))
    }
}

#[derive(Deserialize)]
struct SolicitationCapWire {
    max_sends: u32,
    period_hours: u32,
}

impl<'de> Deserialize<'de> for SolicitationCap {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = SolicitationCapWire::deserialize(deserializer)?;
        SolicitationCap::new(wire.max_sends, wire.period_hours).map_err(serde::de::Error::custom)
    }
}
