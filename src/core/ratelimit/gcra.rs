//! The pure GCRA check: one key's state and a quota in, a decision out.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::nanos;
use super::quota::Quota;

/// All a limiter remembers about one key: its theoretical arrival time (TAT), the
/// instant the key would be back on schedule if it sent nothing more.
///
/// A key with no state is *fresh*. A state whose `tat` is at or before `now` decides
/// exactly as a fresh key would, at `now` and at every later instant, so it may be
/// forgotten ([`is_fresh_at`](GcraState::is_fresh_at)).
///
/// A store keeps it as it is: a `timestamptz` column rounds it to the microsecond,
/// which would let up to a microsecond's worth of extra cells through, so keep the
/// nanoseconds (a `BIGINT` of `tat.timestamp_nanos_opt()`, or this type's JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GcraState {
    /// The theoretical arrival time of the key's next cell.
    pub tat: DateTime<Utc>,
}

impl GcraState {
    /// Whether this state has become indistinguishable from no state at all for
    /// every check made at `now` or later.
    pub fn is_fresh_at(&self, now: DateTime<Utc>) -> bool {
        self.tat <= now
    }
}

/// What [`Quota::check`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The cell conforms: store `state` for the key (replacing the old one).
    Allow(GcraState),
    /// The cell does not conform; the key's state is unchanged. Checked again after
    /// `retry_after` (always positive) with no other cell in between, it is allowed.
    Deny {
        /// How long until the cell would be allowed.
        retry_after: TimeDelta,
    },
}

impl Quota {
    /// Checks one cell for a key whose stored state is `state` (`None` for a key
    /// never seen or forgotten), at `now`.
    ///
    /// The cell is allowed when the key is no more than `(burst − 1) × T` ahead of
    /// schedule: `max(tat, now) − now ≤ τ`. The new TAT is then `max(tat, now) + T`.
    /// A `now` earlier than the stored TAT (another replica's clock ran ahead) is
    /// simply a key that is further ahead of schedule; the TAT never moves back.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use msgcore::core::ratelimit::{Decision, Quota};
    ///
    /// let quota = Quota::sends_per_recipient(); // 20 an hour, 20 at once
    /// let now = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let mut state = None;
    /// for _ in 0..20 {
    ///     match quota.check(state, now) {
    ///         Decision::Allow(next) => state = Some(next),
    ///         Decision::Deny { .. } => unreachable!("a fresh key has its whole burst"),
    ///     }
    /// }
    /// assert_eq!(quota.check(state, now), Decision::Deny { retry_after: TimeDelta::minutes(3) });
    /// assert!(matches!(quota.check(state, now + TimeDelta::minutes(3)), Decision::Allow(_)));
    /// ```
    pub fn check(&self, state: Option<GcraState>, now: DateTime<Utc>) -> Decision {
        let now = nanos::of_instant(now);
        let tat = state.map_or(now, |state| nanos::of_instant(state.tat).max(now));
        let allowed_from = tat - self.tolerance_nanos();
        if now < allowed_from {
            return Decision::Deny {
                retry_after: nanos::to_delta(allowed_from - now),
            };
        }
        Decision::Allow(GcraState {
            tat: nanos::to_instant(tat + self.emission_nanos()),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap() + TimeDelta::seconds(seconds)
    }

    /// Checks `times` cells at `now`, returning the last decision and the state.
    fn burst(
        quota: &Quota,
        mut state: Option<GcraState>,
        now: DateTime<Utc>,
        times: u32,
    ) -> (Decision, Option<GcraState>) {
        let mut last = None;
        for _ in 0..times {
            let decision = quota.check(state, now);
            if let Decision::Allow(next) = decision {
                state = Some(next);
            }
            last = Some(decision);
        }
        (last.unwrap(), state)
    }

    fn allowed(decision: Decision) -> bool {
        matches!(decision, Decision::Allow(_))
    }

    #[test]
    fn a_fresh_ip_gets_120_requests_at_once_and_the_121st_waits_half_a_second() {
        let quota = Quota::api_requests();
        let (last, state) = burst(&quota, None, at(0), 120);
        assert!(allowed(last));
        assert_eq!(
            quota.check(state, at(0)),
            Decision::Deny {
                retry_after: TimeDelta::milliseconds(500)
            }
        );
    }

    #[test]
    fn a_recipient_gets_20_sends_then_one_every_three_minutes() {
        let quota = Quota::sends_per_recipient();
        let (_, state) = burst(&quota, None, at(0), 20);
        assert!(!allowed(quota.check(state, at(179))));
        let (last, state) = burst(&quota, state, at(180), 1);
        assert!(allowed(last));
        assert_eq!(
            quota.check(state, at(180)),
            Decision::Deny {
                retry_after: TimeDelta::minutes(3)
            }
        );
        // A full hour of rest restores the whole burst.
        let (last, _) = burst(&quota, state, at(180 + 3600), 20);
        assert!(allowed(last));
    }

    #[test]
    fn a_burst_of_one_spaces_every_cell_by_the_emission_interval() {
        let quota = Quota::sends_per_recipient().with_burst(1).unwrap();
        let (_, state) = burst(&quota, None, at(0), 1);
        assert_eq!(
            quota.check(state, at(0)),
            Decision::Deny {
                retry_after: TimeDelta::minutes(3)
            }
        );
        assert!(allowed(quota.check(state, at(180))));
    }

    #[test]
    fn an_allowed_cell_moves_the_tat_one_interval_past_the_later_of_tat_and_now() {
        let quota = Quota::sends_per_recipient();
        let rested = GcraState { tat: at(-10) };
        assert_eq!(
            quota.check(Some(rested), at(0)),
            Decision::Allow(GcraState { tat: at(180) })
        );
        let busy = GcraState { tat: at(600) };
        assert_eq!(
            quota.check(Some(busy), at(0)),
            Decision::Allow(GcraState { tat: at(780) })
        );
    }

    #[test]
    fn a_clock_behind_the_stored_state_sees_a_busier_key_and_never_moves_the_tat_back() {
        let quota = Quota::sends_per_recipient();
        let (_, state) = burst(&quota, None, at(3600), 20);
        let tat = state.unwrap().tat;
        // Another replica whose clock is ten minutes slow asks: it must wait the ten
        // minutes as well as the three.
        assert_eq!(
            quota.check(state, at(3000)),
            Decision::Deny {
                retry_after: TimeDelta::minutes(13)
            }
        );
        assert_eq!(tat, at(3600 + 3600));
    }

    #[test]
    fn a_state_in_the_past_decides_as_no_state_at_all() {
        let quota = Quota::api_requests();
        for tat in [at(-3600), at(0)] {
            let state = GcraState { tat };
            assert!(state.is_fresh_at(at(0)));
            assert_eq!(quota.check(Some(state), at(0)), quota.check(None, at(0)));
        }
        assert!(!GcraState { tat: at(1) }.is_fresh_at(at(0)));
    }

    #[test]
    fn instants_at_the_edge_of_chronos_range_neither_panic_nor_wrap() {
        let quota = Quota::api_requests();
        let end = DateTime::<Utc>::MAX_UTC;
        assert_eq!(
            quota.check(None, end),
            Decision::Allow(GcraState { tat: end })
        );
        let start = DateTime::<Utc>::MIN_UTC;
        let far_ahead = GcraState { tat: end };
        assert!(matches!(
            quota.check(Some(far_ahead), start),
            Decision::Deny { retry_after } if retry_after > TimeDelta::days(365 * 500_000)
        ));
    }

    #[test]
    fn the_state_is_plain_json() {
        let state = GcraState {
            tat: at(0) + TimeDelta::nanoseconds(1),
        };
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(json, r#"{"tat":"2026-01-05T09:00:00.000000001Z"}"#);
        assert_eq!(serde_json::from_str::<GcraState>(&json).unwrap(), state);
    }
}
