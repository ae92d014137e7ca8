//! Auto-tagging against an independent oracle: `tests/fixtures/tagging_oracle.json`
//! holds random rules and messages (heavy on tricky case folding: ß/ẞ, ſ, final
//! sigma, dotted İ, ligatures, Kelvin sign) with the tags Python's `str.casefold`
//! and White_Space splitting give them. Regenerate with
//! `python3 scripts/tagging_oracle.py > tests/fixtures/tagging_oracle.json`.

use msgcore::core::tagging::{TagRule, TagRules};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    rules: Vec<TagRule>,
    text: String,
    tags: Vec<String>,
}

#[test]
fn tags_agree_with_pythons_case_folding_on_every_fixture() {
    let fixture = include_str!("fixtures/tagging_oracle.json");
    let cases: Vec<Case> = serde_json::from_str(fixture).unwrap();
    assert!(cases.len() >= 1000, "only {} cases", cases.len());
    assert!(cases.iter().filter(|case| !case.tags.is_empty()).count() >= 500);
    let mismatches: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let rules = TagRules::compile(case.rules.clone()).unwrap();
            let tags = rules.tags(&case.text);
            (tags != case.tags).then(|| {
                format!(
                    "{:?} on {:?}: {tags:?} != {:?}",
                    case.rules, case.text, case.tags
                )
            })
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first: {}",
        mismatches.len(),
        mismatches[0]
    );
}
