//! How many of a campaign's recipients may be queued by a given time: none
//! before its start, then `per_minute` at once for the first minute and as
//! many more at the start of each minute after (SPEC §18).

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// A campaign's pace: when it starts and how many recipients a minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Throttle {
    /// When the first recipients may be queued (the campaign's `start_at`, or
    /// when it was created).
    pub start: DateTime<Utc>,
    /// At most this many recipients a minute (at least 1); `None` is no limit.
    pub per_minute: Option<u32>,
}

impl Throttle {
    /// How many recipients may have been queued in all by `now`.
    pub fn allowance(&self, now: DateTime<Utc>) -> u64 {
        if now < self.start {
            return 0;
        }
        let Some(per_minute) = self.per_minute else {
            return u64::MAX;
        };
        let minutes = minutes_between(self.start, now);
        u64::from(per_minute).saturating_mul(minutes.saturating_add(1))
    }

    /// When more than `queued` recipients may be queued: `now` if they may be
    /// already, else the start of the minute whose share admits the next one.
    pub fn next_opening(&self, queued: u64, now: DateTime<Utc>) -> DateTime<Utc> {
        if self.allowance(now) > queued {
            return now;
        }
        // allowance(now) <= queued: either before the start, or the shares so far
        // are used up (so there is a per-minute limit, and it is at least 1).
        let start = self.start;
        let Some(per_minute) = self.per_minute.filter(|n| *n > 0) else {
            return start.max(now);
        };
        let minute = queued / u64::from(per_minute);
        let offset = i64::try_from(minute).unwrap_or(i64::MAX);
        start
            .checked_add_signed(TimeDelta::minutes(offset.min(i64::from(i32::MAX))))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// Whole minutes from `start` to `now` (`now >= start`).
fn minutes_between(start: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    u64::try_from((now - start).num_minutes()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 17, 0, 0).unwrap()
    }

    fn throttle(per_minute: Option<u32>) -> Throttle {
        Throttle {
            start: start(),
            per_minute,
        }
    }

    #[test]
    fn nothing_goes_before_the_start_then_a_minutes_share_at_once() {
        let t = throttle(Some(60));
        assert_eq!(t.allowance(start() - TimeDelta::nanoseconds(1)), 0);
        assert_eq!(t.allowance(start()), 60);
        assert_eq!(t.allowance(start() + TimeDelta::seconds(59)), 60);
        assert_eq!(t.allowance(start() + TimeDelta::seconds(60)), 120);
    }

    #[test]
    fn without_a_limit_everyone_goes_at_the_start() {
        assert_eq!(throttle(None).allowance(start()), u64::MAX);
        assert_eq!(throttle(None).allowance(start() - TimeDelta::seconds(1)), 0);
    }

    #[test]
    fn the_next_opening_is_the_minute_whose_share_admits_the_next_recipient() {
        let t = throttle(Some(10));
        let before = start() - TimeDelta::hours(1);
        assert_eq!(t.next_opening(0, before), start());
        assert_eq!(t.next_opening(5, start()), start(), "room left this minute");
        assert_eq!(t.next_opening(10, start()), start() + TimeDelta::minutes(1));
        assert_eq!(t.next_opening(25, start()), start() + TimeDelta::minutes(2));
    }

    proptest! {
        #[test]
        fn the_allowance_never_shrinks_and_never_outruns_the_pace(
            per_minute in 1u32..1_000,
            a in 0i64..100_000,
            b in 0i64..100_000,
        ) {
            let t = throttle(Some(per_minute));
            let (early, late) = (a.min(b), a.max(b));
            let at = |s| start() + TimeDelta::seconds(s);
            prop_assert!(t.allowance(at(early)) <= t.allowance(at(late)));
            let minutes = u64::try_from(late / 60).unwrap();
            prop_assert_eq!(t.allowance(at(late)), u64::from(per_minute) * (minutes + 1));
        }

        #[test]
        fn at_the_next_opening_one_more_recipient_may_go(
            per_minute in 1u32..500,
            queued in 0u64..50_000,
            seconds in -3_600i64..100_000,
        ) {
            let t = throttle(Some(per_minute));
            let now = start() + TimeDelta::seconds(seconds);
            let opening = t.next_opening(queued, now);
            prop_assert!(opening >= now.min(start()));
            prop_assert!(t.allowance(opening.max(now)) > queued);
            if opening > now {
                let just_before = opening - TimeDelta::nanoseconds(1);
                prop_assert!(t.allowance(just_before) <= queued);
            }
        }
    }
}
