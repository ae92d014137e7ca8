//! Quiet-hours policies from JSON: never panic, never loosen SPEC §3, and round-trip.
//!
//! Input: a first line `SECONDS INDEX` (a Unix time, any `i64`, and which of a fixed
//! list of numbers to decide for), then a tenant's rules as JSON (`PolicyRules`).

use chrono::{DateTime, Utc};
use msgcore::E164;
use msgcore::core::quiet_hours::{QuietHoursPolicy, Recipient};

/// One zone, two zones, a whole country's, every US zone and state, southern DST.
const NUMBERS: &[&str] = &[
    "+13055551234",
    "+18505551234",
    "+12145551234",
    "+18005551234",
    "+79123456789",
    "+61412345678",
    "+17095551234",
];

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (head, json) = text.split_once('\n').unwrap_or(("", text));
    let mut head = head.split_whitespace();
    let seconds: i64 = head
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_782_864_000);
    let index: usize = head.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let Ok(policy) = serde_json::from_str::<QuietHoursPolicy>(json) else {
        return;
    };
    let written = serde_json::to_string(&policy).unwrap();
    assert_eq!(
        serde_json::from_str::<QuietHoursPolicy>(&written).unwrap(),
        policy
    );

    let spec = QuietHoursPolicy::default();
    let number = NUMBERS
        .get(index % NUMBERS.len())
        .copied()
        .unwrap_or("+13055551234");
    let recipient = Recipient::for_number(&E164::parse(number, None).unwrap()).unwrap();
    // Any instant chrono can hold, however far out.
    let span = DateTime::<Utc>::MAX_UTC.timestamp() - DateTime::<Utc>::MIN_UTC.timestamp();
    let at = DateTime::from_timestamp(
        DateTime::<Utc>::MIN_UTC.timestamp() + seconds.rem_euclid(span),
        0,
    )
    .unwrap();
    let tight = policy.decide_for(&recipient, at, &[]);
    let loose = spec.decide_for(&recipient, at, &[]);
    if let Ok(decision) = tight {
        let until = decision.hold_until().unwrap_or(at);
        assert!(policy.allows(&recipient, until, &[]), "{number} at {until}");
        assert!(
            spec.allows(&recipient, until, &[]),
            "{number}: tenant allows {until}, SPEC holds it"
        );
        if let Ok(spec_decision) = loose {
            assert!(until >= spec_decision.hold_until().unwrap_or(at));
        }
    }
}
