//! Outgoing webhook secrets, as an embedder's configuration brings them back:
//! reading one never panics on any bytes; a secret that reads writes back as
//! text that reads as the same secret, and verifies what it signs.

use msgcore::core::webhook_signing::{SignatureHeaders, SigningSecret};

/// Runs one fuzz input: the secret's text.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(secret) = SigningSecret::parse(text) else {
        return;
    };
    assert_eq!(SigningSecret::parse(&secret.to_text()), Ok(secret.clone()));
    let headers = SignatureHeaders::sign(&secret, "msg_1", 1_700_000_000, data);
    assert!(secret.verify(&headers, data, 1_700_000_000).is_ok());
}
