//! Keyword classification agrees with an independent Python reference of SPEC §2.
//!
//! The fixtures are produced by `scripts/keyword_reference.py` (Python 3.11,
//! Unicode 14.0), which re-implements the rules from the SPEC text alone. Point
//! `KEYWORD_CASES` at a larger generated file to run more cases locally:
//!
//! ```sh
//! python3 scripts/keyword_reference.py cases --count 100000 --seed 2 > /tmp/cases.jsonl
//! KEYWORD_CASES=/tmp/cases.jsonl cargo test --test keyword_reference
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use msgcore::core::keyword::{Classification, KeywordConfig, KeywordSet, normalize};
use serde::Deserialize;
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[derive(Deserialize)]
struct Case {
    text: String,
    expected: Value,
    evidence: Option<Value>,
    config: Option<KeywordConfig>,
}

/// What the reference writes as `evidence`: the keyword or the revocation cue.
fn evidence(classification: &Classification<'_>) -> Option<Value> {
    match classification {
        Classification::Keyword { keyword, .. } => Some(json!({ "keyword": keyword })),
        Classification::PossibleRevocation { cue, .. } => Some(serde_json::to_value(cue).unwrap()),
        _ => None,
    }
}

#[test]
fn classification_matches_the_python_reference_on_every_case() {
    let path = std::env::var_os("KEYWORD_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| fixture("keyword_cases.jsonl"));
    let lines = std::fs::read_to_string(&path).unwrap();
    let mut sets: HashMap<Option<String>, KeywordSet> = HashMap::new();
    let mut mismatches = Vec::new();
    let mut cases = 0;
    for line in lines.lines() {
        let case: Case = serde_json::from_str(line).unwrap();
        let key = case.config.as_ref().map(|c| format!("{c:?}"));
        let keywords = sets
            .entry(key)
            .or_insert_with(|| KeywordSet::new(&case.config.clone().unwrap_or_default()).unwrap());
        let classification = keywords.classify(&case.text);
        let verdict = serde_json::to_value(classification.verdict()).unwrap();
        let found = evidence(&classification);
        if verdict != case.expected || found != case.evidence {
            mismatches.push(format!(
                "{:?}: expected {} {:?}, got {verdict} {found:?}",
                case.text, case.expected, case.evidence
            ));
        }
        cases += 1;
    }
    assert!(cases >= 3000, "only {cases} cases in {}", path.display());
    assert!(
        mismatches.is_empty(),
        "{} of {cases} cases differ:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(20)].join("\n")
    );
}

#[derive(Deserialize)]
struct UnicodeTable {
    /// Inclusive ranges of code points assigned in the reference's Unicode version.
    assigned: Vec<(u32, u32)>,
    /// Code point → its one-character normalization, where that is not itself.
    changed: HashMap<u32, String>,
}

/// Every code point assigned in Python's Unicode 14.0 normalizes the same way here;
/// characters assigned later may differ (ICU4X's data is newer), and are counted.
#[test]
fn every_code_point_normalizes_like_the_python_reference() {
    let table: UnicodeTable = serde_json::from_str(
        &std::fs::read_to_string(fixture("keyword_unicode_table.json")).unwrap(),
    )
    .unwrap();
    let assigned = |c: u32| {
        table
            .assigned
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&c))
    };
    let mut differences = Vec::new();
    let mut newer = 0;
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let text = c.to_string();
        let expected = table.changed.get(&(c as u32)).unwrap_or(&text);
        if normalize(&text) != expected.as_str() {
            if assigned(c as u32) {
                differences.push(format!(
                    "U+{:04X}: {:?} vs {expected:?}",
                    c as u32,
                    normalize(&text)
                ));
            } else {
                newer += 1;
            }
        }
    }
    eprintln!("{newer} code points unassigned in Unicode 14.0 normalize differently (newer data)");
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
