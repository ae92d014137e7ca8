//! One quota over many keys, in memory, forgetting keys that have rested.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

use chrono::{DateTime, Utc};

use super::error::{RateLimited, RateScope};
use super::gcra::{Decision, GcraState};
use super::quota::Quota;

/// The fewest keys worth pruning for: below it the map is small whatever happens.
const PRUNE_FLOOR: usize = 1024;

/// A keyed GCRA limiter for one process: [`Quota::check`] per key over a `HashMap`.
///
/// Memory follows the keys that are *busy*, not every key ever seen: a key whose
/// state has become indistinguishable from a fresh one ([`GcraState::is_fresh_at`])
/// is dropped. [`prune`](KeyedLimiter::prune) does it on demand, and
/// [`check`](KeyedLimiter::check) does it by itself whenever the map has doubled
/// since the last pruning, which keeps the map within about twice the busy keys at
/// an amortized constant cost per check. Pruning never changes a decision for checks
/// at or after the instant it was done at; pass a monotonic `now`. (After a clock
/// steps back by `s`, a forgotten key can get up to `⌈s / T⌉` cells more than it
/// would have.)
///
/// The map uses the standard library's randomly seeded SipHash, so a client choosing
/// its keys (its IP addresses) cannot flood one bucket; the randomness reaches the
/// iteration order only, never a decision.
///
/// Shared between threads, it goes behind a `Mutex`; shared between processes, the
/// same [`Quota::check`] runs against states kept in the store.
#[derive(Debug, Clone)]
pub struct KeyedLimiter<K> {
    scope: RateScope,
    quota: Quota,
    states: HashMap<K, GcraState>,
    /// The map size at which [`KeyedLimiter::check`] next prunes.
    prune_at: usize,
}

impl<K: Hash + Eq> KeyedLimiter<K> {
    /// A limiter enforcing `quota` for each key of `scope`, with no keys yet.
    pub fn new(scope: RateScope, quota: Quota) -> KeyedLimiter<K> {
        KeyedLimiter {
            scope,
            quota,
            states: HashMap::new(),
            prune_at: PRUNE_FLOOR,
        }
    }

    /// Which limit this is.
    pub fn scope(&self) -> RateScope {
        self.scope
    }

    /// The quota each key gets.
    pub fn quota(&self) -> Quota {
        self.quota
    }

    /// Checks one cell for `key` at `now`, remembering it when allowed.
    pub fn check<Q>(&mut self, key: &Q, now: DateTime<Utc>) -> Result<(), RateLimited>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        let stored = self.states.get_mut(key);
        match (self.quota.check(stored.as_deref().copied(), now), stored) {
            (Decision::Allow(state), Some(stored)) => *stored = state,
            (Decision::Allow(state), None) => self.insert(key.to_owned(), state, now),
            (Decision::Deny { retry_after }, _) => {
                return Err(RateLimited {
                    scope: self.scope,
                    quota: self.quota,
                    retry_after,
                });
            }
        }
        Ok(())
    }

    /// Forgets every key whose state is indistinguishable from a fresh key's at
    /// `now`, and returns how many were forgotten.
    pub fn prune(&mut self, now: DateTime<Utc>) -> usize {
        let before = self.states.len();
        self.states.retain(|_, state| !state.is_fresh_at(now));
        let kept = self.states.len();
        self.prune_at = (2 * kept).max(PRUNE_FLOOR);
        self.states.shrink_to(self.prune_at);
        before - kept
    }

    /// How many keys are remembered.
    pub fn len(&self) -> usize {
        self.states.len()
    }

    /// Whether no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    /// Adds a key not yet remembered, pruning first if the map has doubled.
    fn insert(&mut self, key: K, state: GcraState, now: DateTime<Utc>) {
        if self.states.len() >= self.prune_at {
            self.prune(now);
        }
        self.states.insert(key, state);
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use chrono::{TimeDelta, TimeZone};

    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap() + TimeDelta::seconds(seconds)
    }

    #[test]
    fn one_busy_key_does_not_slow_another() {
        let mut limiter = KeyedLimiter::new(RateScope::Sends, Quota::sends_per_recipient());
        for _ in 0..20 {
            limiter.check("+14155238886", at(0)).unwrap();
        }
        assert!(limiter.check("+14155238886", at(0)).is_err());
        assert_eq!(limiter.check("+442071838750", at(0)), Ok(()));
    }

    #[test]
    fn a_refusal_names_the_limiters_scope_and_quota() {
        let quota = Quota::sends_per_recipient().with_burst(1).unwrap();
        let mut limiter = KeyedLimiter::new(RateScope::Sends, quota);
        limiter.check("+14155238886", at(0)).unwrap();
        let refused = limiter.check("+14155238886", at(60)).unwrap_err();
        assert_eq!(
            (refused.scope, refused.quota, refused.retry_after),
            (RateScope::Sends, quota, TimeDelta::minutes(2))
        );
    }

    #[test]
    fn pruning_forgets_only_keys_that_have_rested() {
        let mut limiter = KeyedLimiter::new(RateScope::Sends, Quota::sends_per_recipient());
        limiter.check("rested", at(0)).unwrap();
        limiter.check("busy", at(0)).unwrap();
        limiter.check("busy", at(170)).unwrap();
        // "rested" is back on schedule at 180 s; "busy" not until 360 s.
        assert_eq!(limiter.prune(at(179)), 0);
        assert_eq!(limiter.prune(at(180)), 1);
        assert_eq!(limiter.len(), 1);
        assert_eq!(limiter.prune(at(360)), 1);
        assert!(limiter.is_empty());
    }

    #[test]
    fn a_stream_of_new_ips_leaves_only_the_busy_ones_behind() {
        let mut limiter = KeyedLimiter::new(RateScope::ApiRequests, Quota::api_requests());
        for i in 0..200_000u32 {
            // A request every millisecond, from a new address each time: each address
            // is busy for the 500 ms after its request, so about 500 are busy at once.
            let now = at(0) + TimeDelta::milliseconds(i64::from(i));
            let ip = IpAddr::V4(Ipv4Addr::from(i));
            limiter.check(&ip, now).unwrap();
            assert!(limiter.len() <= PRUNE_FLOOR, "{}", limiter.len());
        }
    }

    #[test]
    fn a_growing_set_of_busy_keys_is_kept_whole() {
        let mut limiter = KeyedLimiter::new(RateScope::ApiRequests, Quota::api_requests());
        for i in 0..5000u32 {
            limiter.check(&i, at(0)).unwrap();
        }
        assert_eq!(limiter.len(), 5000);
    }
}
