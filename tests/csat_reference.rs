//! CSAT rating parsing agrees with an independent Python reference of the grammar
//! in `src/core/csat.rs`'s docs.
//!
//! The fixture is produced by `scripts/csat_reference.py` (Python 3.11), which
//! writes the grammar as one regular expression instead of a scanner. Point
//! `CSAT_CASES` at a larger generated file to run more cases locally:
//!
//! ```sh
//! python3 scripts/csat_reference.py --count 200000 --seed 2 > /tmp/csat.jsonl
//! CSAT_CASES=/tmp/csat.jsonl cargo test --test csat_reference
//! ```

use std::path::{Path, PathBuf};

use msgcore::core::csat::Rating;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Case {
    text: String,
    expected: Value,
}

#[test]
fn rating_parsing_matches_the_python_reference_on_every_case() {
    let path = std::env::var_os("CSAT_CASES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csat_cases.jsonl"),
        PathBuf::from,
    );
    let lines = std::fs::read_to_string(&path).unwrap();
    let mut mismatches = Vec::new();
    let mut cases = 0;
    for line in lines.lines() {
        let case: Case = serde_json::from_str(line).unwrap();
        let actual = serde_json::to_value(Rating::parse(&case.text)).unwrap();
        if actual != case.expected {
            mismatches.push(format!(
                "{:?}: expected {}, got {actual}",
                case.text, case.expected
            ));
        }
        cases += 1;
    }
    assert!(cases >= 1000, "only {cases} cases in {}", path.display());
    assert!(
        mismatches.is_empty(),
        "{} of {cases} cases differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn the_fixture_holds_both_ratings_and_ordinary_messages() {
    let lines = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csat_cases.jsonl"),
    )
    .unwrap();
    let cases: Vec<Case> = lines
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let ratings = cases.iter().filter(|c| !c.expected.is_null()).count();
    let comments = cases
        .iter()
        .filter(|c| c.expected.get("comment").is_some())
        .count();
    assert!(ratings > cases.len() / 4 && ratings < cases.len() * 3 / 4);
    assert!(comments > cases.len() / 10);
}
