//! `verify`: checks one webhook signature and answers `{"valid": true}`, or
//! `{"valid": false, "reason": "…"}` saying what did not match or was missing.
//!
//! ```text
//! {"provider": "twilio", "url": U, "params": {k: v or [v…]}, "auth_token": T, "signature": S}
//! {"provider": "twilio", "url": U_with_bodySHA256, "body": RAW, "auth_token": T, "signature": S}
//! {"provider": "meta", "body": RAW, "app_secret": K, "signature": "sha256=…"}
//! {"provider": "telnyx", "body": RAW, "timestamp": "…", "signature": B64, "public_key": B64,
//!  "now": UNIX, "tolerance_s": 300}
//! ```
//!
//! Twilio also takes `"signature_settings"` (the `X-Twilio-Webhooks-Signature-Settings`
//! header) and `"public_base_url"` (the URL Twilio was given, for servers behind a
//! proxy). Verifiers fail closed: a missing or empty secret, key or signature is
//! `{"valid": false}`, never a pass. A line that does not describe a request at all
//! (no URL, no body, an unknown provider) is an error line.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::DateTime;
use msgcore::providers::signature::SignatureError;
use msgcore::providers::{meta, telnyx, twilio};
use serde::{Deserialize, Serialize};

use super::lines;

#[derive(Deserialize)]
#[serde(tag = "provider", rename_all = "snake_case")]
enum Input {
    Twilio(TwilioInput),
    Meta(MetaInput),
    Telnyx(TelnyxInput),
}

#[derive(Deserialize)]
struct TwilioInput {
    url: String,
    #[serde(default)]
    params: BTreeMap<String, OneOrMany>,
    body: Option<String>,
    auth_token: Option<String>,
    signature: Option<String>,
    signature_settings: Option<String>,
    public_base_url: Option<String>,
}

/// A form parameter sent once, or repeated.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct MetaInput {
    body: String,
    app_secret: Option<String>,
    signature: Option<String>,
}

#[derive(Deserialize)]
struct TelnyxInput {
    body: String,
    timestamp: Option<String>,
    signature: Option<String>,
    public_key: Option<String>,
    now: i64,
    #[serde(default = "default_tolerance_s")]
    tolerance_s: u64,
}

fn default_tolerance_s() -> u64 {
    telnyx::DEFAULT_TOLERANCE.as_secs()
}

#[derive(Serialize)]
struct Output {
    valid: bool,
    /// Why the signature was refused, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// Verifies one signature.
pub fn handle(line: &str, out: &mut Vec<u8>) {
    let Some(input) = lines::parse::<Input>(line, out) else {
        return;
    };
    let verdict = match &input {
        Input::Twilio(twilio) => verify_twilio(twilio),
        Input::Meta(meta) => verify_meta(meta),
        Input::Telnyx(telnyx) => match verify_telnyx(telnyx) {
            Some(verdict) => verdict,
            None => return lines::write_error(out, "\"now\" is not a representable instant"),
        },
    };
    lines::write_json(
        out,
        &Output {
            valid: verdict.is_ok(),
            reason: verdict.err().map(|error| error.to_string()),
        },
    );
}

fn verify_twilio(input: &TwilioInput) -> Result<(), SignatureError> {
    let algorithm = twilio::Algorithm::from_settings_header(input.signature_settings.as_deref())?;
    let mut validator = twilio::RequestValidator::new(input.auth_token.as_deref().unwrap_or(""))?
        .with_algorithm(algorithm);
    if let Some(base) = &input.public_base_url {
        validator = validator.with_public_url(twilio::PublicUrl::new(base)?);
    }
    let signature = input.signature.as_deref();
    if let Some(body) = &input.body {
        return validator.validate_json(&input.url, body, signature);
    }
    let params = input.params.iter().flat_map(|(name, values)| {
        let values = match values {
            OneOrMany::One(value) => std::slice::from_ref(value),
            OneOrMany::Many(values) => values.as_slice(),
        };
        values
            .iter()
            .map(move |value| (name.as_str(), value.as_str()))
    });
    validator.validate_form(&input.url, params, signature)
}

fn verify_meta(input: &MetaInput) -> Result<(), SignatureError> {
    meta::SignatureVerifier::new(input.app_secret.as_deref().unwrap_or(""))?
        .verify(input.body.as_bytes(), input.signature.as_deref())
}

/// `None` when `now` is outside chrono's range.
fn verify_telnyx(input: &TelnyxInput) -> Option<Result<(), SignatureError>> {
    let now = DateTime::from_timestamp(input.now, 0)?;
    let verifier = telnyx::WebhookVerifier::new(input.public_key.as_deref().unwrap_or(""));
    Some(verifier.and_then(|verifier| {
        verifier
            .with_tolerance(Duration::from_secs(input.tolerance_s))
            .verify(
                input.body.as_bytes(),
                input.timestamp.as_deref(),
                input.signature.as_deref(),
                now,
            )
    }))
}
