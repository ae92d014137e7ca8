//! The refusal a caller sees: which limit, which quota, and when to come back.

use std::fmt;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::quota::Quota;

/// What a rate limit counts, and so what its keys are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RateScope {
    /// API requests, keyed by the client's IP address.
    ApiRequests,
    /// Outbound messages, keyed by the recipient.
    Sends,
}

impl RateScope {
    /// The stable wire name (`"api_requests"`, `"sends"`): what a store files keys under.
    pub const fn as_str(self) -> &'static str {
        match self {
            RateScope::ApiRequests => "api_requests",
            RateScope::Sends => "sends",
        }
    }

    /// What is counted, and per what, for an error message.
    const fn counted(self) -> &'static str {
        match self {
            RateScope::ApiRequests => "API requests from this IP address",
            RateScope::Sends => "messages to this recipient",
        }
    }
}

impl fmt::Display for RateScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request or send refused because its key is over its rate limit: retry after
/// [`retry_after`](RateLimited::retry_after). Servers answer 429 with a
/// `Retry-After` header of [`retry_after_header`](RateLimited::retry_after_header).
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use msgcore::core::ratelimit::{KeyedLimiter, Quota, RateScope};
///
/// let mut limiter = KeyedLimiter::new(RateScope::Sends, Quota::sends_per_recipient());
/// let now = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
/// for _ in 0..20 {
///     limiter.check("+14155238886", now)?;
/// }
/// let refused = limiter.check("+14155238886", now).unwrap_err();
/// assert_eq!(refused.retry_after, TimeDelta::minutes(3));
/// assert_eq!(refused.retry_after_header(), "180");
/// assert_eq!(
///     refused.to_string(),
///     "too many messages to this recipient (20 per 3600 s, at most 20 at once); retry after 180 s"
/// );
/// # Ok::<(), msgcore::core::ratelimit::RateLimited>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "too many {} ({quota}); retry after {} s",
    scope.counted(),
    self.retry_after_secs()
)]
#[non_exhaustive]
pub struct RateLimited {
    /// Which limit refused.
    pub scope: RateScope,
    /// The quota that limit enforces.
    pub quota: Quota,
    /// How long until the same request would be allowed, if nothing else is sent for
    /// the key in between. Always positive.
    pub retry_after: TimeDelta,
}

impl RateLimited {
    /// `retry_after` in whole seconds, rounded up and at least 1, as HTTP's
    /// `Retry-After` wants it: a client that waits that long is never refused again
    /// for the same reason, and never told to retry at once.
    pub fn retry_after_secs(&self) -> u64 {
        let seconds = self.retry_after.num_seconds();
        let partial = self.retry_after.subsec_nanos() > 0;
        let rounded_up = if partial { seconds + 1 } else { seconds };
        u64::try_from(rounded_up).unwrap_or(0).max(1)
    }

    /// The value of the `Retry-After` header for a 429 answer (`"180"`).
    pub fn retry_after_header(&self) -> String {
        self.retry_after_secs().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_for(retry_after: TimeDelta) -> RateLimited {
        RateLimited {
            scope: RateScope::ApiRequests,
            quota: Quota::api_requests(),
            retry_after,
        }
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds_and_is_never_zero() {
        let cases = [
            (TimeDelta::milliseconds(500), "1"),
            (TimeDelta::nanoseconds(1), "1"),
            (TimeDelta::seconds(1), "1"),
            (TimeDelta::seconds(1) + TimeDelta::nanoseconds(1), "2"),
            (TimeDelta::minutes(3), "180"),
            (TimeDelta::minutes(3) - TimeDelta::nanoseconds(1), "180"),
            (TimeDelta::zero(), "1"),
            (TimeDelta::seconds(-5), "1"),
            (TimeDelta::MAX, "9223372036854776"),
        ];
        for (retry_after, header) in cases {
            assert_eq!(
                refused_for(retry_after).retry_after_header(),
                header,
                "{retry_after}"
            );
        }
    }

    #[test]
    fn the_message_names_what_was_counted_and_when_to_retry() {
        assert_eq!(
            refused_for(TimeDelta::milliseconds(500)).to_string(),
            "too many API requests from this IP address (120 per 60 s, at most 120 at once); \
             retry after 1 s"
        );
    }

    #[test]
    fn scopes_have_stable_snake_case_names_matching_serde() {
        for scope in [RateScope::ApiRequests, RateScope::Sends] {
            assert_eq!(serde_json::to_value(scope).unwrap(), scope.as_str());
            assert_eq!(scope.to_string(), scope.as_str());
        }
    }
}
