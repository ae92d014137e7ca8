//! E.164 parsing agrees with Google's libphonenumber, as Python `phonenumbers` runs it.
//!
//! `tests/fixtures/e164_oracle.jsonl` holds 5,000 mixed inputs (every region's example
//! numbers written national, international, tel: and full-width style, mutated digits,
//! wrong regions, junk) with the answer of `phonenumbers` 9.0.42 — the metadata version
//! rlibphonenumber embeds — capped at 15 digits as SPEC §1 requires. See
//! `scripts/e164_oracle.py` for how it was made.

use msgcore::E164;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    input: String,
    region: Option<String>,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    e164: Option<String>,
}

#[test]
fn every_fixture_number_parses_exactly_as_libphonenumber_says() {
    let fixture = include_str!("fixtures/e164_oracle.jsonl");
    let mut mismatches = Vec::new();
    let mut cases = 0;
    for line in fixture.lines() {
        let case: Case = serde_json::from_str(line).unwrap();
        cases += 1;
        let ours = E164::parse(&case.input, case.region.as_deref())
            .ok()
            .map(|n| n.to_string());
        if ours != case.expected.e164 {
            mismatches.push(format!("{line} -> {ours:?}"));
        }
    }
    assert_eq!(cases, 5000);
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
