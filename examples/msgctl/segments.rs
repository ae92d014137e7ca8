//! `segments`: `{"text": "Hi 👋", "smart_encoding": false}` →
//! `{"encoding": "UCS-2", "segments": 1, "units": 5, "within_cap": true}` (units:
//! septets for GSM-7, UTF-16 code units for UCS-2, for the whole message after
//! smart encoding). `within_cap` says whether the body fits the 1,600-character
//! SMS cap (SPEC §9, counted in UTF-16 code units before smart encoding); when it
//! does not, `"cap"` says by how much, as the send gate would refuse it.

use std::borrow::Cow;

use msgcore::core::segments::{SegmentOptions, SegmentSummary, analyze, check_body_cap};
use serde::{Deserialize, Serialize};

use super::lines;

#[derive(Deserialize)]
struct Input<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(default)]
    smart_encoding: bool,
}

#[derive(Serialize)]
struct Output {
    #[serde(flatten)]
    summary: SegmentSummary,
    within_cap: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    cap: Option<String>,
}

/// Measures one message.
pub fn handle(line: &str, out: &mut Vec<u8>) {
    if let Some(input) = lines::parse::<Input>(line, out) {
        let options = SegmentOptions::default().with_smart_encoding(input.smart_encoding);
        let cap = check_body_cap(&input.text)
            .err()
            .map(|error| error.to_string());
        let output = Output {
            summary: analyze(&input.text, options).summary(),
            within_cap: cap.is_none(),
            cap,
        };
        lines::write_json(out, &output);
    }
}
