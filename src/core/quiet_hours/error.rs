//! Why a quiet-hours decision or policy could not be made.

use chrono::{DateTime, Utc};

use crate::core::phone::E164;

/// Why no decision could be made. A hold is a decision, not an error: see
/// [`Decision::HoldUntil`](super::Decision::HoldUntil).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuietHoursError {
    /// The number belongs to no country (`+800` international freephone, `+882`/`+883`
    /// international networks), so it has no local time to respect.
    #[error("{number} belongs to no country, so quiet hours cannot tell its local time")]
    NoRecipientZone {
        /// The number.
        number: E164,
    },
    /// The policy allows no send at all in the days searched (a tenant closed every
    /// day, or caps that never clear), or the instant is within days of the last one
    /// chrono can represent (around the year 262,000).
    #[error("the quiet-hours policy allows no marketing send in the {days} days from {from}")]
    NoAllowedTime {
        /// When the send was asked for.
        from: DateTime<Utc>,
        /// How many days were searched.
        days: u32,
    },
}

/// Why quiet-hours rules are not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A time is not `HH:MM` or `HH:MM:SS` on the 24-hour clock.
    #[error("{time:?} is not a time of day: expected HH:MM or HH:MM:SS, like 08:00")]
    InvalidTime {
        /// The time as written.
        time: String,
    },
    /// A window does not start before it ends (windows do not wrap midnight; write
    /// `null` for a day without sending hours).
    #[error("the window {start}–{end} is empty: it must start before it ends, on the same day")]
    EmptyWindow {
        /// The window's start.
        start: String,
        /// The window's end.
        end: String,
    },
    /// A region key is not an ISO 3166 code such as `US` or `US-FL`.
    #[error("{key:?} is not a region: expected an ISO 3166 code like \"US\" or \"US-FL\"")]
    InvalidRegion {
        /// The key as written.
        key: String,
    },
    /// A solicitation cap's period is zero hours.
    #[error("a solicitation cap's period must be at least one hour")]
    ZeroCapPeriod,
}
