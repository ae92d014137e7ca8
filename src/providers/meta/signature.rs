//! `X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256 of the raw body.
//!
//! The hex digits are decoded (either case) and the MAC compared with
//! [`Mac::verify_slice`], which is constant time; anything that is not exactly
//! `sha256=` and 64 hex digits is refused before any MAC is computed.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::providers::signature::{SignatureError, keyed_hmac, lower_hex, required};

/// The header Meta puts its signature in.
pub const SIGNATURE_HEADER: &str = "X-Hub-Signature-256";

/// What every `X-Hub-Signature-256` value starts with.
const PREFIX: &str = "sha256=";

/// The length of a SHA-256 MAC in bytes.
const MAC_LEN: usize = 32;

/// Verifies Meta webhook signatures for one app secret.
///
/// ```
/// use msgcore::providers::meta::SignatureVerifier;
///
/// let verifier = SignatureVerifier::new("my-app-secret")?;
/// let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
/// let header = verifier.sign(body);
/// assert!(header.starts_with("sha256="));
/// verifier.verify(body, Some(&header))?;
/// // Upper-case hex digits are accepted too.
/// verifier.verify(body, Some(&format!("sha256={}", header[7..].to_uppercase())))?;
/// assert!(verifier.verify(b"{}", Some(&header)).is_err());
/// assert!(verifier.verify(body, None).is_err());
/// # Ok::<(), msgcore::providers::signature::SignatureError>(())
/// ```
#[derive(Clone)]
pub struct SignatureVerifier {
    mac: Hmac<Sha256>,
}

impl fmt::Debug for SignatureVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The keyed MAC state is secret.
        f.debug_struct("SignatureVerifier").finish_non_exhaustive()
    }
}

impl SignatureVerifier {
    /// A verifier for `app_secret`; an empty secret is refused.
    pub fn new(app_secret: &str) -> Result<SignatureVerifier, SignatureError> {
        Ok(SignatureVerifier {
            mac: keyed_hmac(app_secret.as_bytes(), "app secret")?,
        })
    }

    /// Checks the `X-Hub-Signature-256` header value against the raw body.
    pub fn verify(&self, body: &[u8], signature: Option<&str>) -> Result<(), SignatureError> {
        let missing = SignatureError::MissingSignature {
            header: SIGNATURE_HEADER,
        };
        let signature = required(signature, missing)?;
        let expected = decode_header(signature)?;
        let mut mac = self.mac.clone();
        mac.update(body);
        mac.verify_slice(&expected)
            .map_err(|_| SignatureError::Mismatch {
                header: SIGNATURE_HEADER,
            })
    }

    /// The header value Meta would send with `body` (`sha256=` and lower-case
    /// hex), for tests and for tools that replay webhooks.
    pub fn sign(&self, body: &[u8]) -> String {
        let mut mac = self.mac.clone();
        mac.update(body);
        format!("{PREFIX}{}", lower_hex(&mac.finalize().into_bytes()))
    }
}

/// The MAC in a `sha256=<64 hex digits>` header value.
fn decode_header(signature: &str) -> Result<[u8; MAC_LEN], SignatureError> {
    let malformed = |reason| SignatureError::MalformedSignature {
        header: SIGNATURE_HEADER,
        reason,
    };
    let hex = signature
        .strip_prefix(PREFIX)
        .ok_or_else(|| malformed("it does not start with \"sha256=\""))?;
    if hex.len() != MAC_LEN * 2 {
        return Err(malformed("expected 64 hex digits after \"sha256=\""));
    }
    let mut mac = [0u8; MAC_LEN];
    for (byte, pair) in mac.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
        *byte = pair
            .iter()
            .try_fold(0u8, |high, &digit| {
                let value = char::from(digit).to_digit(16)?;
                Some(high << 4 | u8::try_from(value).ok()?)
            })
            .ok_or_else(|| malformed("it contains a character that is not a hex digit"))?;
    }
    Ok(mac)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verifier() -> SignatureVerifier {
        SignatureVerifier::new("secret").unwrap()
    }

    #[test]
    fn a_signature_over_the_body_verifies_in_either_hex_case() {
        let body = br#"{"entry":[]}"#;
        // Python: hmac.new(b"secret", b'{"entry":[]}', hashlib.sha256).hexdigest()
        let hex = "97f0eaf4fb539301c758929abea22432a8fed44f5ce20d65c6af41ff15dfb115";
        assert_eq!(verifier().sign(body), format!("sha256={hex}"));
        let mixed: String = hex
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        for digits in [hex.to_owned(), hex.to_uppercase(), mixed] {
            verifier()
                .verify(body, Some(&format!("sha256={digits}")))
                .unwrap();
        }
    }

    #[test]
    fn an_empty_app_secret_is_refused() {
        assert_eq!(
            SignatureVerifier::new("").unwrap_err(),
            SignatureError::MissingSecret {
                secret: "app secret"
            }
        );
    }

    #[test]
    fn a_missing_or_empty_header_is_refused() {
        let missing = SignatureError::MissingSignature {
            header: SIGNATURE_HEADER,
        };
        assert_eq!(verifier().verify(b"{}", None), Err(missing.clone()));
        assert_eq!(verifier().verify(b"{}", Some("")), Err(missing));
    }

    #[test]
    fn a_header_without_the_sha256_prefix_is_malformed() {
        let hex = &verifier().sign(b"{}")[PREFIX.len()..];
        for header in [
            hex.to_owned(),
            format!("SHA256={hex}"),
            format!("sha1={hex}"),
            format!(" sha256={hex}"),
        ] {
            assert!(
                matches!(
                    verifier().verify(b"{}", Some(&header)),
                    Err(SignatureError::MalformedSignature { .. })
                ),
                "{header}"
            );
        }
    }

    #[test]
    fn a_digest_of_the_wrong_length_or_with_non_hex_digits_is_malformed() {
        let header = verifier().sign(b"{}");
        let truncated = &header[..header.len() - 1];
        let extended = format!("{header}0");
        let non_hex = format!("{}g", truncated);
        let non_ascii = format!("{}é", &header[..header.len() - 2]);
        for bad in [truncated, &extended, &non_hex, &non_ascii, "sha256="] {
            assert!(
                matches!(
                    verifier().verify(b"{}", Some(bad)),
                    Err(SignatureError::MalformedSignature { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_changed_body_or_another_secret_is_a_mismatch() {
        let header = verifier().sign(b"{}");
        let mismatch = Err(SignatureError::Mismatch {
            header: SIGNATURE_HEADER,
        });
        assert_eq!(verifier().verify(b"{ }", Some(&header)), mismatch);
        let other = SignatureVerifier::new("other").unwrap();
        assert_eq!(other.verify(b"{}", Some(&header)), mismatch);
    }
}
