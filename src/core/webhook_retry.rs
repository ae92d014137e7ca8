//! How an endpoint's deliveries move: one event after another in the
//! tenant's order, the next only once the last was accepted; a failure
//! retried on a schedule; an endpoint that keeps failing disabled, saying
//! why, with its place kept so that nothing is lost when it is enabled again.
//!
//! ```
//! use chrono::{DateTime, TimeDelta};
//! use msgcore::core::webhook_retry::{Attempt, DeliveryState, RetrySchedule};
//!
//! let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
//! let schedule = RetrySchedule::new(vec![TimeDelta::seconds(5)]);
//! let mut state = DeliveryState::new(10, now);
//! state.claim(now, TimeDelta::seconds(60));
//! state.settle(Attempt { through: 12, failure: Some("503".into()) }, now, &schedule);
//! assert_eq!((state.cursor, state.failures), (12, 1));
//! assert_eq!(state.next_attempt_at, now + TimeDelta::seconds(5));
//! state.settle(Attempt { through: 12, failure: Some("503".into()) }, now, &schedule);
//! assert_eq!(state.disabled_at, Some(now));
//! ```

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// How long to wait after each consecutive failure before the next attempt;
/// a failure past the last delay disables the endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrySchedule(Vec<TimeDelta>);

impl Default for RetrySchedule {
    /// Standard Webhooks' suggested schedule: 5 seconds, 5 minutes, 30
    /// minutes, 2 hours, 5 hours, 10 hours and 10 hours: eight attempts over
    /// about 27.6 hours before the endpoint is disabled.
    fn default() -> RetrySchedule {
        RetrySchedule(vec![
            TimeDelta::seconds(5),
            TimeDelta::minutes(5),
            TimeDelta::minutes(30),
            TimeDelta::hours(2),
            TimeDelta::hours(5),
            TimeDelta::hours(10),
            TimeDelta::hours(10),
        ])
    }
}

impl RetrySchedule {
    /// Waits `delays` after the first, second, … consecutive failure.
    pub fn new(delays: Vec<TimeDelta>) -> RetrySchedule {
        RetrySchedule(delays)
    }

    /// The wait after the `failures`-th consecutive failure (counting from
    /// 1), or `None` when that failure disables the endpoint.
    pub fn delay(&self, failures: u32) -> Option<TimeDelta> {
        let index = usize::try_from(failures.checked_sub(1)?).ok()?;
        self.0.get(index).copied()
    }
}

/// What one claim of an endpoint got done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The sequence number up to which events are settled: delivered, or of
    /// a type the endpoint does not hear.
    pub through: u64,
    /// Why the next event was not accepted, when one was tried and refused.
    pub failure: Option<String>,
}

/// Where an endpoint's deliveries stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryState {
    /// The last event sequence number settled; the next delivery is the
    /// first event after it that the endpoint hears.
    pub cursor: u64,
    /// Failed attempts in a row at the event after the cursor.
    pub failures: u32,
    /// Not tried again before this.
    pub next_attempt_at: DateTime<Utc>,
    /// While a deliverer holds it: until when.
    pub lease_until: Option<DateTime<Utc>>,
    /// How many claims have been taken; a settlement names its own, and one
    /// whose lease another has since taken is not recorded.
    pub claims: u32,
    /// Why the last attempt failed, until one succeeds.
    pub last_error: Option<String>,
    /// When an event was last accepted.
    pub last_delivered_at: Option<DateTime<Utc>>,
    /// When it was disabled for failing [`RetrySchedule`]'s every attempt.
    pub disabled_at: Option<DateTime<Utc>>,
}

impl DeliveryState {
    /// An endpoint that will deliver the events after `cursor`, from `now`.
    pub fn new(cursor: u64, now: DateTime<Utc>) -> DeliveryState {
        DeliveryState {
            cursor,
            failures: 0,
            next_attempt_at: now,
            lease_until: None,
            claims: 0,
            last_error: None,
            last_delivered_at: None,
            disabled_at: None,
        }
    }

    /// From when a deliverer may claim it (given events to deliver): once
    /// its retry wait is over and no lease stands; never while disabled.
    pub fn due_at(&self) -> Option<DateTime<Utc>> {
        match self.disabled_at {
            Some(_) => None,
            None => Some(self.lease_until.map_or(self.next_attempt_at, |until| {
                until.max(self.next_attempt_at)
            })),
        }
    }

    /// Whether a deliverer may claim it at `now` ([`due_at`](Self::due_at)).
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.due_at().is_some_and(|due| due <= now)
    }

    /// Takes a lease until `now + lease`: the claim's number.
    pub fn claim(&mut self, now: DateTime<Utc>, lease: TimeDelta) -> u32 {
        self.claims = self.claims.wrapping_add(1);
        self.lease_until = Some(now + lease);
        self.claims
    }

    /// Whether claim number `claim` is still the endpoint's: held, and no
    /// later claim taken since.
    pub fn claim_stands(&self, claim: u32) -> bool {
        self.lease_until.is_some() && self.claims == claim
    }

    /// Records what a claim got done at `now`, and releases the lease.
    pub fn settle(&mut self, attempt: Attempt, now: DateTime<Utc>, schedule: &RetrySchedule) {
        self.lease_until = None;
        if attempt.through > self.cursor {
            // Something was accepted: the failures so far were another event's.
            self.cursor = attempt.through;
            self.failures = 0;
            self.last_delivered_at = Some(now);
        }
        match attempt.failure {
            None => {
                self.failures = 0;
                self.last_error = None;
                self.next_attempt_at = now;
            }
            Some(error) => {
                self.failures = self.failures.saturating_add(1);
                self.last_error = Some(error);
                match schedule.delay(self.failures) {
                    Some(wait) => self.next_attempt_at = now + wait,
                    None => self.disabled_at = Some(now),
                }
            }
        }
    }

    /// Enables a disabled endpoint again at `now`: it starts with the first
    /// event it did not deliver.
    pub fn enable(&mut self, now: DateTime<Utc>) {
        self.disabled_at = None;
        self.failures = 0;
        self.next_attempt_at = now;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap_or_default()
    }

    #[test]
    fn the_default_schedule_tries_eight_times_over_a_day_then_gives_up() {
        let schedule = RetrySchedule::default();
        let waits: Vec<TimeDelta> = (1..=7).filter_map(|n| schedule.delay(n)).collect();
        assert_eq!(waits.len(), 7);
        assert_eq!(waits.iter().sum::<TimeDelta>(), TimeDelta::seconds(99_305));
        assert_eq!(schedule.delay(8), None);
        assert_eq!(schedule.delay(0), None);
    }

    #[test]
    fn a_claimed_endpoint_is_not_due_until_its_lease_lapses() {
        let mut state = DeliveryState::new(0, at(0));
        assert!(state.is_due(at(0)));
        state.claim(at(0), TimeDelta::seconds(30));
        assert!(!state.is_due(at(29)));
        assert!(state.is_due(at(30)));
    }

    #[test]
    fn a_success_after_failures_clears_them_and_the_error() {
        let schedule = RetrySchedule::default();
        let mut state = DeliveryState::new(5, at(0));
        let fail = |through| Attempt {
            through,
            failure: Some("connection refused".into()),
        };
        state.settle(fail(5), at(0), &schedule);
        state.settle(fail(5), at(5), &schedule);
        assert_eq!(state.failures, 2);
        assert_eq!(state.next_attempt_at, at(5 + 300));
        state.settle(
            Attempt {
                through: 9,
                failure: None,
            },
            at(400),
            &schedule,
        );
        assert_eq!((state.cursor, state.failures), (9, 0));
        assert_eq!(state.last_error, None);
        assert_eq!(state.last_delivered_at, Some(at(400)));
    }

    #[test]
    fn a_disabled_endpoint_keeps_its_place_and_starts_there_when_enabled() {
        let schedule = RetrySchedule::new(vec![]);
        let mut state = DeliveryState::new(7, at(0));
        state.settle(
            Attempt {
                through: 7,
                failure: Some("HTTP 500".into()),
            },
            at(1),
            &schedule,
        );
        assert_eq!(state.disabled_at, Some(at(1)));
        assert!(!state.is_due(at(1_000_000)));
        state.enable(at(2));
        assert!(state.is_due(at(2)));
        assert_eq!(state.cursor, 7);
    }

    proptest! {
        #[test]
        fn the_cursor_never_moves_back_and_failures_count_only_the_event_at_it(
            attempts in proptest::collection::vec((0u64..50, any::<bool>()), 1..40)
        ) {
            let schedule = RetrySchedule::default();
            let mut state = DeliveryState::new(10, at(0));
            for (step, (through, failed)) in attempts.into_iter().enumerate() {
                let before = state.clone();
                let attempt = Attempt { through, failure: failed.then(|| "x".to_owned()) };
                state.settle(attempt, at(step as i64), &schedule);
                prop_assert!(state.cursor >= before.cursor);
                let moved = state.cursor > before.cursor;
                let expected = match (moved, failed) {
                    (_, false) => 0,
                    (true, true) => 1,
                    (false, true) => before.failures + 1,
                };
                prop_assert_eq!(state.failures, expected);
                prop_assert_eq!(state.lease_until, None);
            }
        }
    }
}
