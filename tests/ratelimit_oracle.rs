//! Differential test against the `governor` crate's GCRA: every decision and retry
//! time in `tests/fixtures/ratelimit_oracle.jsonl` (made by
//! `scripts/ratelimit_oracle/` with governor 0.10.4) must be msgcore's exactly.

use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use msgcore::core::ratelimit::{KeyedLimiter, Quota, RateScope};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    count: u32,
    period_secs: i64,
    burst: u32,
    emission_ns: i64,
    /// `[key, at_ns, allowed, retry_ns]`.
    events: Vec<(u8, i64, bool, i64)>,
}

fn cases() -> Vec<Case> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ratelimit_oracle.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()
}

#[test]
fn every_decision_and_retry_time_matches_governor() {
    let cases = cases();
    assert!(cases.len() >= 100, "only {} cases", cases.len());
    let (mut allowed, mut refused) = (0, 0);
    for (index, case) in cases.iter().enumerate() {
        let quota = Quota::new(case.count, TimeDelta::seconds(case.period_secs))
            .and_then(|quota| quota.with_burst(case.burst))
            .unwrap();
        assert_eq!(
            quota.emission_interval(),
            TimeDelta::nanoseconds(case.emission_ns),
            "case {index}: governor was given another interval"
        );
        let mut limiter = KeyedLimiter::new(RateScope::ApiRequests, quota);
        for &(key, at_ns, governor_allowed, retry_ns) in &case.events {
            let now = start() + TimeDelta::nanoseconds(at_ns);
            let ours = limiter
                .check(&key, now)
                .map_err(|refused| refused.retry_after);
            let governors = if governor_allowed {
                allowed += 1;
                Ok(())
            } else {
                refused += 1;
                Err(TimeDelta::nanoseconds(retry_ns))
            };
            assert_eq!(
                ours, governors,
                "case {index} ({quota}), key {key} at {at_ns} ns"
            );
        }
    }
    // The fixture exercises both outcomes, not just one.
    assert!(
        allowed > 10_000 && refused > 5_000,
        "{allowed} allowed, {refused} refused"
    );
}

#[test]
fn the_spec_quotas_are_governors_per_minute_and_per_hour() {
    let cases = cases();
    let spec: Vec<Quota> = cases[..2]
        .iter()
        .map(|case| {
            Quota::new(case.count, TimeDelta::seconds(case.period_secs))
                .and_then(|quota| quota.with_burst(case.burst))
                .unwrap()
        })
        .collect();
    assert_eq!(spec, [Quota::api_requests(), Quota::sends_per_recipient()]);
}
