//! Quiet-hours decisions agree with an independent Python reference of SPEC §3/§17.
//!
//! The fixture is produced by `scripts/quiet_hours_reference.py` (Python 3.11,
//! `phonenumbers`, `zoneinfo` over the system tz database), which re-implements the
//! rules from the SPEC text and finds the earliest allowed instant by a different
//! search. Each line is `msgctl quiet-hours` input plus the `expected` answer.
//! `tests/msgctl.rs` runs the same lines through `msgctl`; this test runs them
//! through the library. Point `QUIET_HOURS_CASES` at a larger generated file to run
//! more cases locally:
//!
//! ```sh
//! python3 scripts/quiet_hours_reference.py cases --count 50000 --seed 2 > /tmp/qh.jsonl
//! QUIET_HOURS_CASES=/tmp/qh.jsonl cargo test --test quiet_hours_reference
//! ```

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use msgcore::E164;
use msgcore::core::quiet_hours::{QuietHoursPolicy, SendKind};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Case {
    to: String,
    at: String,
    kind: String,
    #[serde(default)]
    recent_sends: Vec<String>,
    expected: Value,
}

fn instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.to_utc())
}

/// The library's answer in the reference's form; errors compare by presence only.
fn answer(policy: &QuietHoursPolicy, case: &Case) -> Value {
    let error = json!({"error": true});
    let kind = match case.kind.as_str() {
        "marketing" => SendKind::Marketing,
        "transactional" => SendKind::Transactional,
        _ => return error,
    };
    let (Ok(to), Some(at)) = (E164::parse(&case.to, None), instant(&case.at)) else {
        return error;
    };
    let Some(sent) = case
        .recent_sends
        .iter()
        .map(|s| instant(s))
        .collect::<Option<Vec<_>>>()
    else {
        return error;
    };
    match policy.decide(&to, kind, at, &sent) {
        Ok(decision) => match decision.hold_until() {
            None => json!({"allowed": true}),
            Some(until) => {
                // Rounded up to the second, as msgctl prints it.
                let seconds = until.timestamp() + i64::from(until.timestamp_subsec_nanos() > 0);
                let until = DateTime::from_timestamp(seconds, 0).unwrap();
                json!({"allowed": false, "hold_until": until.format("%Y-%m-%dT%H:%M:%SZ").to_string()})
            }
        },
        Err(_) => error,
    }
}

#[test]
fn decisions_match_the_python_reference_on_every_case() {
    let path = std::env::var_os("QUIET_HOURS_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/quiet_hours_cases.jsonl")
        });
    let policy = QuietHoursPolicy::default();
    let lines = std::fs::read_to_string(&path).unwrap();
    let mut mismatches = Vec::new();
    let mut cases = 0;
    for line in lines.lines() {
        let case: Case = serde_json::from_str(line).unwrap();
        let expected = match case.expected.get("error") {
            Some(_) => json!({"error": true}),
            None => case.expected.clone(),
        };
        let got = answer(&policy, &case);
        if got != expected {
            mismatches.push(format!("{line}\n    msgcore: {got}"));
        }
        cases += 1;
    }
    assert!(cases >= 1000, "only {cases} cases in {}", path.display());
    assert!(
        mismatches.is_empty(),
        "{} of {cases} cases differ:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
