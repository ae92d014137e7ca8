//! Decisions of the `governor` crate's GCRA (0.10.4) on random request sequences,
//! as fixtures for msgcore's `tests/ratelimit_oracle.rs`.
//!
//! Each output line is one case: a quota (`count` per `period_secs`, `burst`), the
//! emission interval `emission_ns` governor was given (msgcore's `⌈period / count⌉`;
//! governor's own `per_minute`/`per_hour` are used for the SPEC's two quotas, where
//! the division is exact), and `events`, each `[key, at_ns, allowed, retry_ns]`: at
//! `at_ns` nanoseconds after the start a cell for `key` was allowed or, if not,
//! governor's `wait_time_from(now)` was `retry_ns`. Times only move forward: that is
//! all governor's clocks can do.
//!
//! ```sh
//! cd scripts/ratelimit_oracle
//! CARGO_TARGET_DIR=/tmp/ratelimit-oracle cargo run --release > ../../tests/fixtures/ratelimit_oracle.jsonl
//! ```

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, FakeRelativeClock};
use governor::{Quota, RateLimiter};

const CASES: u64 = 160;
const EVENTS: usize = 250;

/// SplitMix64: a fixed, dependency-free sequence, so the fixture is reproducible.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

struct Case {
    count: u32,
    period_secs: u64,
    burst: u32,
    emission_ns: u64,
    quota: Quota,
}

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).expect("counts and bursts are drawn from 1 up")
}

fn case(index: u64, random: &mut Random) -> Case {
    let spec = |count: u32, period_secs: u64, quota: Quota| Case {
        count,
        period_secs,
        burst: count,
        emission_ns: period_secs * 1_000_000_000 / u64::from(count),
        quota,
    };
    match index {
        0 => spec(120, 60, Quota::per_minute(nonzero(120))),
        1 => spec(20, 3600, Quota::per_hour(nonzero(20))),
        _ => {
            let count = random.between(1, 60) as u32;
            let period_secs = match random.between(0, 3) {
                0 => 1,
                1 => 60,
                2 => 3600,
                _ => random.between(1, 7200),
            };
            let burst = match random.between(0, 3) {
                0 => random.between(1, 40),
                _ => random.between(1, 6),
            } as u32;
            let period_ns = period_secs * 1_000_000_000;
            let emission_ns = period_ns.div_ceil(u64::from(count));
            let quota = Quota::with_period(Duration::from_nanos(emission_ns))
                .expect("a positive interval")
                .allow_burst(nonzero(burst));
            Case {
                count,
                period_secs,
                burst,
                emission_ns,
                quota,
            }
        }
    }
}

/// A gap that lands on, or a few nanoseconds beside, a multiple of the interval;
/// `rests` allows the occasional long pause that refills a burst.
fn gap(random: &mut Random, emission_ns: u64, rests: bool) -> u64 {
    let intervals = match random.between(0, 7) {
        0..=4 => 0,
        7 if rests => random.between(0, 40),
        _ => random.between(0, 2),
    };
    let base = intervals * emission_ns;
    match random.between(0, 5) {
        0..=2 => base,
        3 => base + 1,
        4 => base.saturating_sub(1),
        _ => base + random.between(0, 2000),
    }
}

fn main() {
    let mut random = Random(0x6d73_6763_6f72_6521);
    for index in 0..CASES {
        let case = case(index, &mut random);
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::hashmap_with_clock(case.quota, clock.clone());
        let keys = if index > 1 { random.between(1, 4) } else { 1 };
        let mut at_ns = 0u64;
        let mut events = Vec::with_capacity(EVENTS);
        for _ in 0..EVENTS {
            // The SPEC's bursts are large: only one busy key without long pauses
            // runs them out.
            let step = gap(&mut random, case.emission_ns, index > 1);
            clock.advance(Duration::from_nanos(step));
            at_ns += step;
            let key = random.between(0, keys - 1);
            let event = match limiter.check_key(&key) {
                Ok(()) => format!("[{key},{at_ns},true,0]"),
                Err(not_until) => {
                    let wait = not_until.wait_time_from(clock.now());
                    format!("[{key},{at_ns},false,{}]", wait.as_nanos())
                }
            };
            events.push(event);
        }
        println!(
            "{{\"count\":{},\"period_secs\":{},\"burst\":{},\"emission_ns\":{},\"events\":[{}]}}",
            case.count,
            case.period_secs,
            case.burst,
            case.emission_ns,
            events.join(",")
        );
    }
}
