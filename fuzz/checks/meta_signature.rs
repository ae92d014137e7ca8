//! Meta signatures: nothing panics on any header or body, and the header we
//! compute for a body verifies in either hex case and fails for any other body.
//!
//! Input: the app secret on the first line, a header value to try on the
//! second, the raw body after it.

use msgcore::providers::meta::SignatureVerifier;

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let mut parts = data.splitn(3, |&b| b == b'\n');
    let secret = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let header = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let body = parts.next().unwrap_or_default();

    let Ok(verifier) = SignatureVerifier::new(&secret) else {
        assert!(secret.is_empty(), "only an empty secret is refused");
        return;
    };
    let _ = verifier.verify(body, Some(&header));

    let signed = verifier.sign(body);
    assert_eq!(verifier.verify(body, Some(&signed)), Ok(()));
    let upper = format!(
        "sha256={}",
        signed.trim_start_matches("sha256=").to_uppercase()
    );
    assert_eq!(verifier.verify(body, Some(&upper)), Ok(()));
    let mut longer = body.to_vec();
    longer.push(b'\n');
    assert!(verifier.verify(&longer, Some(&signed)).is_err());
}
