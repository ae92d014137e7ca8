//! Twilio signatures: nothing panics on any URL, header or body, and a signature
//! computed over either URL variant of a parseable URL always verifies, in any
//! parameter order.
//!
//! Input lines: the URL, the auth token, the signature header, the
//! signature-settings header, then the form body (raw, also read as `name=value`
//! lines for the signing law).

use msgcore::providers::signature::SignatureError;
use msgcore::providers::twilio::{Algorithm, PublicUrl, RequestValidator, url_variants};

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.splitn(5, '\n');
    let url = lines.next().unwrap_or_default();
    let token = lines.next().unwrap_or_default();
    let header = lines.next().unwrap_or_default();
    let settings = lines.next().unwrap_or_default();
    let body = lines.next().unwrap_or_default();

    let algorithm = Algorithm::from_settings_header(Some(settings)).unwrap_or_default();
    if let Ok(public) = PublicUrl::new(url) {
        let _ = public.url_for(header);
    }
    let Ok(validator) = RequestValidator::new(token) else {
        assert!(token.is_empty(), "only an empty token is refused");
        return;
    };
    let validator = validator.with_algorithm(algorithm);
    let _ = validator.validate_form_body(url, body.as_bytes(), Some(header));
    let _ = validator.validate_json(url, body, Some(header));

    let Ok(variants) = url_variants(url) else {
        return;
    };
    let params: Vec<(&str, &str)> = body
        .lines()
        .map(|line| line.split_once('=').unwrap_or((line, "")))
        .collect();
    let reversed: Vec<(&str, &str)> = params.iter().rev().copied().collect();
    for signed_url in &variants {
        let signature = validator.compute_signature(signed_url, params.iter().copied());
        assert_eq!(
            validator.validate_form(url, reversed.iter().copied(), Some(&signature)),
            Ok(()),
            "a signature over {signed_url:?} must verify for {url:?}"
        );
        // An empty raw body is signed over the URL alone; only a bodySHA256 in
        // the URL (which the empty body must then hash to) can still refuse it.
        let over_url_alone = validator.compute_signature(signed_url, [] as [(&str, &str); 0]);
        let result = validator.validate_json(url, "", Some(&over_url_alone));
        assert!(
            matches!(result, Ok(()) | Err(SignatureError::BodyHashMismatch)),
            "{result:?} for {url:?}"
        );
    }
}
