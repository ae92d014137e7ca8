//! `e164`: `{"input": "(212) 555-1234", "region": "US"}` → `{"e164": "+12125551234"}`.

use std::borrow::Cow;

use msgcore::E164;
use serde::{Deserialize, Serialize};

use super::lines;

#[derive(Deserialize)]
struct Input<'a> {
    #[serde(borrow)]
    input: Cow<'a, str>,
    #[serde(default, borrow)]
    region: Option<Cow<'a, str>>,
}

#[derive(Serialize)]
struct Output<'a> {
    e164: &'a str,
}

/// Parses one number.
pub fn handle(line: &str, out: &mut Vec<u8>) {
    let Some(input) = lines::parse::<Input>(line, out) else {
        return;
    };
    match E164::parse(&input.input, input.region.as_deref()) {
        Ok(number) => lines::write_json(
            out,
            &Output {
                e164: number.as_str(),
            },
        ),
        Err(error) => lines::write_error(out, error),
    }
}
