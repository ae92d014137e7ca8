//! Property tests: the laws a GCRA limiter obeys for any quota and any request times.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;

use super::{Decision, GcraState, KeyedLimiter, Quota, RateScope};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()
}

/// Small quotas, so that bursts run out and emission intervals need rounding.
fn any_quota() -> impl Strategy<Value = Quota> {
    (1u32..=50, 1i64..=3600, 1u32..=30).prop_map(|(count, period, burst)| {
        Quota::new(count, TimeDelta::seconds(period))
            .and_then(|quota| quota.with_burst(burst))
            .unwrap()
    })
}

/// A gap between two requests, as a multiple of the quota's `T` plus a few
/// nanoseconds, so that requests land on and just beside the instants where a
/// decision flips.
#[derive(Debug, Clone, Copy)]
struct Gap {
    intervals: i32,
    nanos: i64,
}

fn any_gap() -> impl Strategy<Value = Gap> {
    let intervals = prop_oneof![3 => Just(0), 3 => 0..3, 1 => 0..40];
    let nanos = prop_oneof![3 => Just(0), 1 => Just(1), 1 => Just(-1), 1 => -1000i64..1000];
    (intervals, nanos).prop_map(|(intervals, nanos)| Gap { intervals, nanos })
}

impl Gap {
    fn length(self, quota: &Quota) -> TimeDelta {
        let length =
            quota.emission_interval() * self.intervals + TimeDelta::nanoseconds(self.nanos);
        length.max(TimeDelta::zero())
    }
}

/// Request instants in time order, from `start()`.
fn instants(quota: &Quota, gaps: &[Gap]) -> Vec<DateTime<Utc>> {
    gaps.iter()
        .scan(start(), |now, gap| {
            *now += gap.length(quota);
            Some(*now)
        })
        .collect()
}

/// Runs one key's requests through the pure check, returning each decision.
fn run(quota: &Quota, times: &[DateTime<Utc>]) -> Vec<Decision> {
    let mut state = None;
    times
        .iter()
        .map(|&now| {
            let decision = quota.check(state, now);
            if let Decision::Allow(next) = decision {
                state = Some(next);
            }
            decision
        })
        .collect()
}

proptest! {
    #[test]
    fn no_window_ever_holds_more_than_burst_plus_one_cell_per_interval(
        quota in any_quota(),
        gaps in proptest::collection::vec(any_gap(), 1..200),
    ) {
        let times = instants(&quota, &gaps);
        let allowed_at: Vec<DateTime<Utc>> = times
            .iter()
            .zip(run(&quota, &times))
            .filter(|(_, decision)| matches!(decision, Decision::Allow(_)))
            .map(|(&now, _)| now)
            .collect();
        // The fullest window of any length starts and ends on an allowed cell.
        for (i, &first) in allowed_at.iter().enumerate() {
            for (j, &last) in allowed_at.iter().enumerate().skip(i) {
                let cells = (j - i + 1) as u64;
                let bound = quota.max_allowed_in(last - first);
                prop_assert!(
                    cells <= bound,
                    "{cells} cells in [{first}, {last}] under {quota}; the bound is {bound}"
                );
            }
        }
    }

    #[test]
    fn a_refused_cell_is_allowed_exactly_retry_after_later_and_not_a_nanosecond_sooner(
        quota in any_quota(),
        gaps in proptest::collection::vec(any_gap(), 1..100),
        probe_millionths in 0i64..1_000_000,
    ) {
        let mut state: Option<GcraState> = None;
        for now in instants(&quota, &gaps) {
            match quota.check(state, now) {
                Decision::Allow(next) => state = Some(next),
                Decision::Deny { retry_after } => {
                    prop_assert!(retry_after > TimeDelta::zero());
                    let later = now + retry_after;
                    prop_assert!(matches!(quota.check(state, later), Decision::Allow(_)));
                    let just_before = later - TimeDelta::nanoseconds(1);
                    prop_assert_eq!(
                        quota.check(state, just_before),
                        Decision::Deny { retry_after: TimeDelta::nanoseconds(1) }
                    );
                    let waited = TimeDelta::nanoseconds(
                        retry_after.num_nanoseconds().unwrap() / 1_000_000 * probe_millionths,
                    );
                    prop_assert_eq!(
                        quota.check(state, now + waited),
                        Decision::Deny { retry_after: retry_after - waited }
                    );
                }
            }
        }
    }

    #[test]
    fn checking_is_deterministic_whatever_the_maps_hash_seed(
        quota in any_quota(),
        requests in proptest::collection::vec((0u8..4, any_gap()), 1..100),
    ) {
        let (keys, gaps): (Vec<u8>, Vec<Gap>) = requests.into_iter().unzip();
        let times = instants(&quota, &gaps);
        let decide = || {
            let mut limiter = KeyedLimiter::new(RateScope::Sends, quota);
            keys.iter()
                .zip(&times)
                .map(|(key, &now)| limiter.check(key, now))
                .collect::<Vec<_>>()
        };
        prop_assert_eq!(decide(), decide());
    }

    #[test]
    fn each_key_is_decided_as_if_it_were_alone(
        quota in any_quota(),
        requests in proptest::collection::vec((0u8..4, any_gap()), 1..150),
    ) {
        let (keys, gaps): (Vec<u8>, Vec<Gap>) = requests.into_iter().unzip();
        let times = instants(&quota, &gaps);
        let mut limiter = KeyedLimiter::new(RateScope::ApiRequests, quota);
        let together: Vec<bool> = keys
            .iter()
            .zip(&times)
            .map(|(key, &now)| limiter.check(key, now).is_ok())
            .collect();
        for key in 0u8..4 {
            let own_times: Vec<DateTime<Utc>> = keys
                .iter()
                .zip(&times)
                .filter(|(k, _)| **k == key)
                .map(|(_, &now)| now)
                .collect();
            let alone: Vec<bool> = run(&quota, &own_times)
                .iter()
                .map(|decision| matches!(decision, Decision::Allow(_)))
                .collect();
            let in_company: Vec<bool> = keys
                .iter()
                .zip(&together)
                .filter(|(k, _)| **k == key)
                .map(|(_, &ok)| ok)
                .collect();
            prop_assert_eq!(alone, in_company, "key {}", key);
        }
    }

    #[test]
    fn pruning_never_changes_a_decision(
        quota in any_quota(),
        requests in proptest::collection::vec((0u8..6, any_gap(), any::<bool>()), 1..150),
    ) {
        let keys: Vec<u8> = requests.iter().map(|r| r.0).collect();
        let gaps: Vec<Gap> = requests.iter().map(|r| r.1).collect();
        let times = instants(&quota, &gaps);
        let mut kept = KeyedLimiter::new(RateScope::Sends, quota);
        let mut pruned = KeyedLimiter::new(RateScope::Sends, quota);
        for ((key, &now), (_, _, prune_first)) in keys.iter().zip(&times).zip(&requests) {
            if *prune_first {
                pruned.prune(now);
            }
            prop_assert_eq!(pruned.check(key, now), kept.check(key, now));
        }
        prop_assert!(pruned.len() <= kept.len());
    }

    #[test]
    fn a_state_at_or_before_now_decides_like_no_state(
        quota in any_quota(),
        rested in 0i64..10_000_000_000_000,
    ) {
        let state = GcraState { tat: start() - TimeDelta::nanoseconds(rested) };
        prop_assert!(state.is_fresh_at(start()));
        prop_assert_eq!(quota.check(Some(state), start()), quota.check(None, start()));
    }

    #[test]
    fn clocks_that_disagree_never_move_the_tat_back_or_refuse_without_a_wait(
        quota in any_quota(),
        offsets in proptest::collection::vec(-7_200_000i64..7_200_000, 1..100),
    ) {
        // Requests from replicas whose clocks are up to two hours apart, in any order.
        let mut state: Option<GcraState> = None;
        for offset in offsets {
            let now = start() + TimeDelta::milliseconds(offset);
            match quota.check(state, now) {
                Decision::Allow(next) => {
                    if let Some(before) = state {
                        prop_assert_eq!(next.tat, before.tat.max(now) + quota.emission_interval());
                    }
                    state = Some(next);
                }
                Decision::Deny { retry_after } => prop_assert!(retry_after > TimeDelta::zero()),
            }
        }
    }
}

#[test]
fn a_fresh_key_reaches_the_bound_exactly() {
    let quota = Quota::new(7, TimeDelta::seconds(1))
        .unwrap()
        .with_burst(3)
        .unwrap();
    let interval = quota.emission_interval();
    assert_eq!(interval, TimeDelta::nanoseconds(142_857_143));
    // The burst at the start, then one cell every `T`.
    let times: Vec<DateTime<Utc>> = [0, 0, 0]
        .into_iter()
        .chain(1..=20)
        .map(|n| start() + interval * n)
        .collect();
    assert!(
        run(&quota, &times)
            .iter()
            .all(|decision| matches!(decision, Decision::Allow(_)))
    );
    let window = interval * 20;
    assert_eq!(quota.max_allowed_in(window), times.len() as u64);
    // One more anywhere in that window is refused.
    let mut crowded = times.clone();
    crowded.insert(10, times[9]);
    assert!(matches!(run(&quota, &crowded)[10], Decision::Deny { .. }));
}
