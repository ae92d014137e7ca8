//! `segments`: `{"text": "Hi 👋", "smart_encoding": false}` →
//! `{"encoding": "UCS-2", "segments": 1, "units": 5}` (units: septets for GSM-7,
//! UTF-16 code units for UCS-2, for the whole message after smart encoding).

use std::borrow::Cow;

use msgcore::core::segments::{SegmentOptions, analyze};
use serde::Deserialize;

use super::lines;

#[derive(Deserialize)]
struct Input<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(default)]
    smart_encoding: bool,
}

/// Measures one message.
pub fn handle(line: &str, out: &mut Vec<u8>) {
    if let Some(input) = lines::parse::<Input>(line, out) {
        let options = SegmentOptions::default().with_smart_encoding(input.smart_encoding);
        lines::write_json(out, &analyze(&input.text, options).summary());
    }
}
