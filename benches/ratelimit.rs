//! How long a rate-limit check takes (SPEC §10): the pure GCRA step, a check on one
//! hot key, a check on one of 100,000 keys, and pruning 100,000 keys.
//!
//! ```sh
//! cargo bench --bench ratelimit -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use msgcore::core::ratelimit::{Decision, KeyedLimiter, Quota, RateScope};

const KEYS: u32 = 100_000;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()
}

/// The `i`th of `KEYS` client addresses, spread over the IPv4 space.
fn ip(i: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(i.wrapping_mul(2_654_435_761)))
}

/// 100,000 IPs that each made one request at `start()`, so all are busy.
fn busy_ips() -> KeyedLimiter<IpAddr> {
    let mut limiter = KeyedLimiter::new(RateScope::ApiRequests, Quota::api_requests());
    for i in 0..KEYS {
        limiter.check(&ip(i), start()).unwrap();
    }
    limiter
}

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("ratelimit");
    let quota = Quota::sends_per_recipient();
    let interval = quota.emission_interval();

    group.bench_function("pure_check", |b| {
        let state = match quota.check(None, start()) {
            Decision::Allow(state) => Some(state),
            Decision::Deny { .. } => unreachable!(),
        };
        let now = start();
        b.iter(|| quota.check(black_box(state), black_box(now)))
    });

    group.bench_function("hot_key", |b| {
        // One recipient sending at exactly the sustained rate: every check is allowed.
        let mut limiter = KeyedLimiter::new(RateScope::Sends, quota);
        let mut now = start();
        b.iter(|| {
            now += interval;
            limiter.check(black_box("+14155238886"), now)
        })
    });

    group.bench_function("one_of_100k_keys", |b| {
        let mut limiter = busy_ips();
        let (mut i, now) = (0, start());
        b.iter(|| {
            i = (i + 1) % KEYS;
            limiter.check(black_box(&ip(i)), now)
        })
    });

    group.bench_function("prune_100k_keys_half_rested", |b| {
        // Half the keys made their request a minute earlier and have rested since.
        let mut limiter = KeyedLimiter::new(RateScope::ApiRequests, Quota::api_requests());
        let now = start();
        for i in 0..KEYS {
            let at = now - TimeDelta::minutes(i64::from(i % 2));
            limiter.check(&ip(i), at).unwrap();
        }
        b.iter_batched_ref(
            || limiter.clone(),
            |limiter| limiter.prune(now),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, check);
criterion_main!(benches);
