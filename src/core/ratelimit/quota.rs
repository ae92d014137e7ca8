//! A quota: how many cells per period, and how many at once.

use std::fmt;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::nanos;

/// How much a key may do: `count` cells per `period` on average, at most `burst` at
/// once.
///
/// The limiter spaces cells one *emission interval* `T = period / count` apart
/// (rounded up to a whole nanosecond, so the rate is never above the one asked for)
/// and lets a key run `burst − 1` intervals ahead of that schedule. In any window of
/// length `L`, ends included, a key gets at most `burst + ⌊L / T⌋` cells
/// ([`max_allowed_in`](Quota::max_allowed_in); the module docs prove it).
///
/// On the wire a quota is `{"count": 20, "period_secs": 3600, "burst": 20}`;
/// `burst` may be left out and then equals `count`. Periods are whole seconds, which
/// expresses every rate (ten a second is `count` 10 per one second) and keeps
/// configuration readable.
///
/// ```
/// use chrono::TimeDelta;
/// use msgcore::core::ratelimit::Quota;
///
/// let sends = Quota::sends_per_recipient();
/// assert_eq!((sends.count(), sends.period(), sends.burst()), (20, TimeDelta::hours(1), 20));
/// assert_eq!(sends.emission_interval(), TimeDelta::minutes(3));
/// // Twenty at once, then one every three minutes: 40 in any closed hour.
/// assert_eq!(sends.max_allowed_in(TimeDelta::hours(1)), 40);
///
/// let gentle = Quota::new(120, TimeDelta::minutes(1))?.with_burst(10)?;
/// assert_eq!(gentle.max_allowed_in(TimeDelta::zero()), 10);
/// # Ok::<(), msgcore::core::ratelimit::QuotaError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "QuotaSpec", into = "QuotaSpec")]
pub struct Quota {
    count: u32,
    period: TimeDelta,
    burst: u32,
    /// `T`, in nanoseconds; at least 1, and `burst × T` fits an `i64`.
    emission_nanos: i128,
}

impl Quota {
    /// `count` cells per `period`, with a burst of `count`: a fresh key may use a whole
    /// period's allowance at once.
    pub fn new(count: u32, period: TimeDelta) -> Result<Quota, QuotaError> {
        Quota::build(count, period, count)
    }

    /// The same rate with a different burst: the most cells a rested key may use at
    /// one instant.
    pub fn with_burst(self, burst: u32) -> Result<Quota, QuotaError> {
        Quota::build(self.count, self.period, burst)
    }

    /// SPEC §10's API limit: 120 requests a minute (per client IP), burst 120.
    pub fn api_requests() -> Quota {
        Quota::spec_default(120, 60)
    }

    /// SPEC §10's send limit: 20 messages an hour (per recipient), burst 20.
    pub fn sends_per_recipient() -> Quota {
        Quota::spec_default(20, 3600)
    }

    /// Cells per period.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The period `count` is measured over.
    pub fn period(&self) -> TimeDelta {
        self.period
    }

    /// The most cells a rested key may use at one instant.
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// `T`: `period / count`, rounded up to a whole nanosecond.
    pub fn emission_interval(&self) -> TimeDelta {
        nanos::to_delta(self.emission_nanos)
    }

    /// The most cells one key can be allowed in any window of length `window`, both
    /// ends included: `burst + ⌊window / T⌋` (none for a negative window). A fresh key
    /// reaches it by using its burst at the window's start and one cell every `T`
    /// after.
    pub fn max_allowed_in(&self, window: TimeDelta) -> u64 {
        let window = nanos::of_delta(window);
        if window < 0 {
            return 0;
        }
        let cells = i128::from(self.burst) + window / self.emission_nanos;
        u64::try_from(cells).unwrap_or(u64::MAX)
    }

    /// `T` in nanoseconds.
    pub(super) fn emission_nanos(&self) -> i128 {
        self.emission_nanos
    }

    /// `τ = (burst − 1) × T`: how far ahead of schedule a key may run, in nanoseconds.
    pub(super) fn tolerance_nanos(&self) -> i128 {
        i128::from(self.burst - 1) * self.emission_nanos
    }

    fn build(count: u32, period: TimeDelta, burst: u32) -> Result<Quota, QuotaError> {
        if count == 0 {
            return Err(QuotaError::ZeroCount);
        }
        if burst == 0 {
            return Err(QuotaError::ZeroBurst);
        }
        let whole_seconds = period.subsec_nanos() == 0;
        if !whole_seconds || !(1..=i64::from(u32::MAX)).contains(&period.num_seconds()) {
            return Err(QuotaError::Period { period });
        }
        let quota = Quota::unchecked(count, period, burst);
        if quota.emission_nanos * i128::from(burst) > i128::from(i64::MAX) {
            return Err(QuotaError::BurstTooLong {
                burst,
                emission_interval: quota.emission_interval(),
            });
        }
        Ok(quota)
    }

    /// A SPEC default: `count` per `period_secs` with a burst of `count`, numbers
    /// [`Quota::build`] is known to accept.
    fn spec_default(count: u32, period_secs: i64) -> Quota {
        Quota::unchecked(count, TimeDelta::seconds(period_secs), count)
    }

    /// The quota, with `T = ⌈period / count⌉` (`count` is not zero).
    fn unchecked(count: u32, period: TimeDelta, burst: u32) -> Quota {
        let count_wide = i128::from(count.max(1));
        Quota {
            count,
            period,
            burst,
            emission_nanos: (nanos::of_delta(period) + count_wide - 1) / count_wide,
        }
    }
}

impl fmt::Display for Quota {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} per {} s, at most {} at once",
            self.count,
            self.period.num_seconds(),
            self.burst
        )
    }
}

/// Why a [`Quota`] cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuotaError {
    /// `count` was zero: a quota that allows nothing is not a rate.
    #[error("a quota's count must be at least 1")]
    ZeroCount,
    /// `burst` was zero: no cell could ever pass.
    #[error("a quota's burst must be at least 1")]
    ZeroBurst,
    /// The period was not a whole number of seconds from 1 to 2³² − 1 (136 years).
    #[error("a quota's period must be a whole number of seconds from 1 to 2^32 - 1, not {period}")]
    Period {
        /// The rejected period.
        period: TimeDelta,
    },
    /// `burst × T` does not fit in 2⁶³ nanoseconds (about 292 years), so a key's
    /// state could not be kept as a 64-bit offset from now.
    #[error(
        "a burst of {burst} cells at one per {emission_interval} spans more than 2^63 nanoseconds"
    )]
    BurstTooLong {
        /// The rejected burst.
        burst: u32,
        /// The quota's emission interval `T`.
        emission_interval: TimeDelta,
    },
}

/// The wire form of a [`Quota`]; deserializing goes through [`Quota::build`]'s checks.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuotaSpec {
    count: u32,
    period_secs: u32,
    #[serde(default)]
    burst: Option<u32>,
}

impl TryFrom<QuotaSpec> for Quota {
    type Error = QuotaError;

    fn try_from(spec: QuotaSpec) -> Result<Quota, QuotaError> {
        let period = TimeDelta::seconds(i64::from(spec.period_secs));
        Quota::build(spec.count, period, spec.burst.unwrap_or(spec.count))
    }
}

impl From<Quota> for QuotaSpec {
    fn from(quota: Quota) -> QuotaSpec {
        QuotaSpec {
            count: quota.count,
            // `build` keeps the period within `u32` seconds.
            period_secs: u32::try_from(quota.period.num_seconds()).unwrap_or(u32::MAX),
            burst: Some(quota.burst),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_defaults_are_120_a_minute_and_20_an_hour_with_a_full_burst() {
        let api = Quota::api_requests();
        assert_eq!(api, Quota::new(120, TimeDelta::minutes(1)).unwrap());
        assert_eq!(api.emission_interval(), TimeDelta::milliseconds(500));
        assert_eq!(api.burst(), 120);
        let sends = Quota::sends_per_recipient();
        assert_eq!(sends, Quota::new(20, TimeDelta::hours(1)).unwrap());
        assert_eq!(sends.emission_interval(), TimeDelta::minutes(3));
        assert_eq!(sends.burst(), 20);
    }

    #[test]
    fn the_emission_interval_rounds_up_so_the_rate_is_never_exceeded() {
        let thirds = Quota::new(3, TimeDelta::seconds(1)).unwrap();
        assert_eq!(
            thirds.emission_interval(),
            TimeDelta::nanoseconds(333_333_334)
        );
        let finest = Quota::new(u32::MAX, TimeDelta::seconds(1)).unwrap();
        assert_eq!(finest.emission_interval(), TimeDelta::nanoseconds(1));
    }

    #[test]
    fn the_bound_counts_the_burst_plus_one_cell_per_whole_interval() {
        let api = Quota::api_requests();
        assert_eq!(api.max_allowed_in(TimeDelta::zero()), 120);
        assert_eq!(api.max_allowed_in(TimeDelta::milliseconds(499)), 120);
        assert_eq!(api.max_allowed_in(TimeDelta::milliseconds(500)), 121);
        assert_eq!(api.max_allowed_in(TimeDelta::minutes(1)), 240);
        assert_eq!(api.max_allowed_in(TimeDelta::nanoseconds(-1)), 0);
        assert_eq!(
            Quota::new(1, TimeDelta::seconds(1))
                .unwrap()
                .max_allowed_in(TimeDelta::MAX),
            9_223_372_036_854_775 + 1
        );
    }

    #[test]
    fn nonsense_quotas_are_refused_with_the_reason() {
        let minute = TimeDelta::minutes(1);
        assert_eq!(Quota::new(0, minute), Err(QuotaError::ZeroCount));
        assert_eq!(
            Quota::new(1, minute).unwrap().with_burst(0),
            Err(QuotaError::ZeroBurst)
        );
        for period in [
            TimeDelta::zero(),
            TimeDelta::seconds(-60),
            TimeDelta::milliseconds(1500),
            TimeDelta::seconds(1 << 32),
        ] {
            assert_eq!(Quota::new(1, period), Err(QuotaError::Period { period }));
        }
        let yearly = Quota::new(1, TimeDelta::days(365)).unwrap();
        assert!(yearly.with_burst(292).is_ok());
        assert_eq!(
            yearly.with_burst(293),
            Err(QuotaError::BurstTooLong {
                burst: 293,
                emission_interval: TimeDelta::days(365)
            })
        );
    }

    #[test]
    fn a_quota_round_trips_through_json_and_burst_defaults_to_count() {
        let quota = Quota::new(10, TimeDelta::seconds(1))
            .unwrap()
            .with_burst(3)
            .unwrap();
        let json = serde_json::to_value(quota).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"count": 10, "period_secs": 1, "burst": 3})
        );
        assert_eq!(serde_json::from_value::<Quota>(json).unwrap(), quota);
        let short: Quota = serde_json::from_str(r#"{"count": 20, "period_secs": 3600}"#).unwrap();
        assert_eq!(short, Quota::sends_per_recipient());
    }

    #[test]
    fn json_that_describes_no_valid_quota_is_refused() {
        for bad in [
            r#"{"count": 0, "period_secs": 60}"#,
            r#"{"count": 1, "period_secs": 0}"#,
            r#"{"count": 1, "period_secs": -5}"#,
            r#"{"count": 1, "period_secs": 4294967296}"#,
            r#"{"count": 1, "period_secs": 60, "burst": 0}"#,
            r#"{"count": 1, "period_secs": 60, "per": "ip"}"#,
        ] {
            assert!(serde_json::from_str::<Quota>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_quota_reads_as_its_rate_and_burst() {
        assert_eq!(
            Quota::sends_per_recipient().to_string(),
            "20 per 3600 s, at most 20 at once"
        );
    }
}
