//! `keyword`: `{"text": " Stop. "}` → `{"action": "opt_out"}`, plus
//! `"possible_revocation": true` where SPEC §2 flags a longer reply.

use std::borrow::Cow;
use std::sync::LazyLock;

use msgcore::core::keyword::KeywordSet;
use serde::Deserialize;

use super::lines;

/// The SPEC §2 lists, as a tenant gets them before adding its own.
static KEYWORDS: LazyLock<KeywordSet> = LazyLock::new(KeywordSet::default);

#[derive(Deserialize)]
struct Input<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
}

/// Classifies one message.
pub fn handle(line: &str, out: &mut Vec<u8>) {
    if let Some(input) = lines::parse::<Input>(line, out) {
        lines::write_json(out, &KEYWORDS.classify(&input.text).verdict());
    }
}
