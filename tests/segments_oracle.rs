//! Differential test against Twilio's segment calculator: every case in
//! `tests/fixtures/segments_oracle.jsonl` (made by `scripts/segments_oracle.js` from
//! `sms-segments-calculator` 1.3.0) must get exactly the calculator's answer.
//!
//! `SEGMENTS_ORACLE=/path/to/cases.jsonl` checks another file of the same shape (for
//! the large one-off runs; build with `--release` for those).

use std::path::PathBuf;

use msgcore::core::segments::{SegmentOptions, analyze};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    text: String,
    smart_encoding: bool,
    expected: Expected,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Expected {
    encoding: String,
    segments: usize,
    units: usize,
    non_gsm: Vec<String>,
}

fn cases_file() -> PathBuf {
    std::env::var_os("SEGMENTS_ORACLE").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/segments_oracle.jsonl"),
        PathBuf::from,
    )
}

#[test]
fn every_answer_matches_twilios_segment_calculator() {
    let path = cases_file();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut cases = 0;
    let mut mismatches = Vec::new();
    for (line, json) in text.lines().enumerate() {
        let case: Case =
            serde_json::from_str(json).unwrap_or_else(|e| panic!("line {}: {e}", line + 1));
        let options = SegmentOptions::default().with_smart_encoding(case.smart_encoding);
        let report = analyze(&case.text, options);
        let got = Expected {
            encoding: report.encoding.as_str().to_owned(),
            segments: report.segments,
            units: report.units,
            non_gsm: report.non_gsm,
        };
        if got != case.expected {
            mismatches.push(format!(
                "line {}: {:?} (smart: {})\n  calculator: {:?}\n  msgcore:    {:?}",
                line + 1,
                case.text,
                case.smart_encoding,
                case.expected,
                got
            ));
        }
        cases += 1;
    }
    assert!(cases >= 1000, "{} holds only {cases} cases", path.display());
    eprintln!("{cases} cases, {} mismatches", mismatches.len());
    assert!(
        mismatches.is_empty(),
        "{} of {cases} cases differ from the calculator; the first ones:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
