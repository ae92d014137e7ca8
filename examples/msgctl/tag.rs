//! `tag`: `{"rules": [{"kind": "contains", "pattern": "order", "tag": "buyer"}],
//! "text": "Where is my ORDER?"}` → `{"tags": ["buyer"]}`.

use msgcore::core::tagging::TagRules;
use serde::{Deserialize, Serialize};

use super::lines;

#[derive(Deserialize)]
struct Input {
    rules: TagRules,
    text: String,
}

#[derive(Serialize)]
struct Output<'a> {
    tags: Vec<&'a str>,
}

/// Tags one message with the rules on its own line.
pub fn handle(line: &str, out: &mut Vec<u8>) {
    if let Some(input) = lines::parse::<Input>(line, out) {
        lines::write_json(
            out,
            &Output {
                tags: input.rules.tags(&input.text),
            },
        );
    }
}
