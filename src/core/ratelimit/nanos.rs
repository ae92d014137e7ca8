//! Instants and durations as whole nanoseconds in an `i128`.
//!
//! The limiter's arithmetic is done on integers so that it is exact and its bound can
//! be proved. An `i128` holds every `DateTime<Utc>` chrono can represent (about
//! ±262,000 years, some 10²² ns) and every `TimeDelta` with room to spare, so the
//! conversions into it never fail and the sums and differences of a check never
//! overflow. Only the way back out can meet the edge of chrono's range; there the
//! value is clamped.

use chrono::{DateTime, TimeDelta, Utc};

const PER_SECOND: i128 = 1_000_000_000;

/// Nanoseconds since the Unix epoch.
pub(super) fn of_instant(instant: DateTime<Utc>) -> i128 {
    // A leap second's nanoseconds run past 10⁹; it simply reads as the next second.
    i128::from(instant.timestamp()) * PER_SECOND + i128::from(instant.timestamp_subsec_nanos())
}

/// The instant `nanos` after the Unix epoch, clamped to chrono's range.
pub(super) fn to_instant(nanos: i128) -> DateTime<Utc> {
    let (seconds, subsec) = split(nanos);
    let fallback = if nanos < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    };
    i64::try_from(seconds)
        .ok()
        .and_then(|seconds| DateTime::from_timestamp(seconds, subsec))
        .unwrap_or(fallback)
}

/// The length of `delta` in nanoseconds.
pub(super) fn of_delta(delta: TimeDelta) -> i128 {
    // `subsec_nanos` carries the sign of the whole delta, so the sum is exact.
    i128::from(delta.num_seconds()) * PER_SECOND + i128::from(delta.subsec_nanos())
}

/// A `TimeDelta` of `nanos`, clamped to chrono's range.
pub(super) fn to_delta(nanos: i128) -> TimeDelta {
    let (seconds, subsec) = split(nanos);
    let fallback = if nanos < 0 {
        TimeDelta::MIN
    } else {
        TimeDelta::MAX
    };
    i64::try_from(seconds)
        .ok()
        .and_then(|seconds| TimeDelta::new(seconds, subsec))
        .unwrap_or(fallback)
}

/// Whole seconds (rounded towards −∞) and the nanoseconds left over (0..10⁹).
fn split(nanos: i128) -> (i128, u32) {
    // 128-bit division is a slow library call; every instant from 1677 to 2262 fits
    // 64 bits, where it is a single instruction.
    let (seconds, subsec) = match i64::try_from(nanos) {
        Ok(nanos) => {
            let per_second = 1_000_000_000;
            let seconds = nanos.div_euclid(per_second);
            (
                i128::from(seconds),
                i128::from(nanos.rem_euclid(per_second)),
            )
        }
        Err(_) => (nanos.div_euclid(PER_SECOND), nanos.rem_euclid(PER_SECOND)),
    };
    // `subsec` is in 0..10⁹, so it always fits.
    (seconds, u32::try_from(subsec).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn instants_round_trip_through_nanoseconds_including_before_1970() {
        let instants = [
            Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap() + TimeDelta::nanoseconds(7),
            Utc.with_ymd_and_hms(1969, 12, 31, 23, 59, 59).unwrap() + TimeDelta::nanoseconds(1),
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
        ];
        for instant in instants {
            assert_eq!(to_instant(of_instant(instant)), instant);
        }
        assert_eq!(
            of_instant(DateTime::UNIX_EPOCH - TimeDelta::nanoseconds(1)),
            -1
        );
    }

    #[test]
    fn values_beyond_chronos_range_are_clamped_not_wrapped() {
        let after_last = of_instant(DateTime::<Utc>::MAX_UTC) + 1;
        assert_eq!(to_instant(after_last), DateTime::<Utc>::MAX_UTC);
        let before_first = of_instant(DateTime::<Utc>::MIN_UTC) - 1;
        assert_eq!(to_instant(before_first), DateTime::<Utc>::MIN_UTC);
        assert_eq!(to_delta(i128::MAX), TimeDelta::MAX);
        assert_eq!(to_delta(i128::MIN), TimeDelta::MIN);
    }

    proptest! {
        #[test]
        fn deltas_round_trip_through_nanoseconds(seconds in -(1i64 << 40)..(1i64 << 40), subsec in 0u32..1_000_000_000) {
            let delta = TimeDelta::new(seconds, subsec).unwrap();
            prop_assert_eq!(to_delta(of_delta(delta)), delta);
            prop_assert_eq!(of_delta(delta), i128::from(seconds) * PER_SECOND + i128::from(subsec));
        }
    }
}
