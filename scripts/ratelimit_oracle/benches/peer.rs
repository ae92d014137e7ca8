//! msgcore's `KeyedLimiter` and governor 0.10.4's keyed `RateLimiter` (std
//! `HashMap` store, fake clock) side by side: one hot key, one of 100,000 keys,
//! and pruning 100,000 keys of which half have rested.
//!
//! ```sh
//! CARGO_TARGET_DIR=/tmp/ratelimit-oracle cargo bench -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;
use std::num::NonZeroU32;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use governor::clock::FakeRelativeClock;
use governor::{Quota as GovernorQuota, RateLimiter};
use msgcore::core::ratelimit::{KeyedLimiter, Quota, RateScope};

const KEYS: u32 = 100_000;
const RECIPIENT: &str = "+14155238886";

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()
}

fn per_hour(count: u32) -> GovernorQuota {
    GovernorQuota::per_hour(NonZeroU32::new(count).unwrap())
}

fn per_minute(count: u32) -> GovernorQuota {
    GovernorQuota::per_minute(NonZeroU32::new(count).unwrap())
}

fn hot_key(c: &mut Criterion) {
    let mut group = c.benchmark_group("hot_key_allowed");
    // One recipient sending at exactly the sustained rate, so every check is allowed;
    // each side also advances its clock by one interval per check.
    group.bench_function("msgcore", |b| {
        let quota = Quota::sends_per_recipient();
        let interval = quota.emission_interval();
        let mut limiter = KeyedLimiter::new(RateScope::Sends, quota);
        let mut now = start();
        b.iter(|| {
            now += interval;
            limiter.check(black_box(&RECIPIENT), now).is_ok()
        })
    });
    group.bench_function("governor", |b| {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::hashmap_with_clock(per_hour(20), clock.clone());
        b.iter(|| {
            clock.advance(Duration::from_secs(180));
            limiter.check_key(black_box(&RECIPIENT)).is_ok()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("hot_key_refused");
    // The same recipient past its burst, at one instant: every check is refused.
    group.bench_function("msgcore", |b| {
        let mut limiter = KeyedLimiter::new(RateScope::Sends, Quota::sends_per_recipient());
        let now = start();
        while limiter.check(&RECIPIENT, now).is_ok() {}
        b.iter(|| limiter.check(black_box(&RECIPIENT), now).is_err())
    });
    group.bench_function("governor", |b| {
        let limiter = RateLimiter::hashmap_with_clock(per_hour(20), FakeRelativeClock::default());
        while limiter.check_key(&RECIPIENT).is_ok() {}
        b.iter(|| limiter.check_key(black_box(&RECIPIENT)).is_err())
    });
    group.finish();
}

fn one_of_100k_keys(c: &mut Criterion) {
    let mut group = c.benchmark_group("one_of_100k_keys");
    group.bench_function("msgcore", |b| {
        let mut limiter = KeyedLimiter::new(RateScope::ApiRequests, Quota::api_requests());
        for key in 0..KEYS {
            limiter.check(&key, start()).unwrap();
        }
        let (mut key, now) = (0, start());
        b.iter(|| {
            key = (key + 1) % KEYS;
            limiter.check(black_box(&key), now).is_ok()
        })
    });
    group.bench_function("governor", |b| {
        let limiter =
            RateLimiter::hashmap_with_clock(per_minute(120), FakeRelativeClock::default());
        for key in 0..KEYS {
            limiter.check_key(&key).unwrap();
        }
        let mut key = 0;
        b.iter(|| {
            key = (key + 1) % KEYS;
            limiter.check_key(black_box(&key)).is_ok()
        })
    });
    group.finish();
}

fn prune_100k_keys(c: &mut Criterion) {
    let mut group = c.benchmark_group("prune_100k_keys_half_rested");
    group.bench_function("msgcore", |b| {
        let mut limiter = KeyedLimiter::new(RateScope::ApiRequests, Quota::api_requests());
        let now = start();
        for key in 0..KEYS {
            let at = now - TimeDelta::minutes(i64::from(key % 2));
            limiter.check(&key, at).unwrap();
        }
        b.iter_batched_ref(
            || limiter.clone(),
            |limiter| limiter.prune(now),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("governor", |b| {
        // governor's limiter cannot be cloned: each batch is built afresh.
        b.iter_batched_ref(
            || {
                let clock = FakeRelativeClock::default();
                let limiter = RateLimiter::hashmap_with_clock(per_minute(120), clock.clone());
                for key in (0..KEYS).filter(|key| key % 2 == 1) {
                    limiter.check_key(&key).unwrap();
                }
                clock.advance(Duration::from_secs(60));
                for key in (0..KEYS).filter(|key| key % 2 == 0) {
                    limiter.check_key(&key).unwrap();
                }
                limiter
            },
            |limiter| limiter.retain_recent(),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, hot_key, one_of_100k_keys, prune_100k_keys);
criterion_main!(benches);
