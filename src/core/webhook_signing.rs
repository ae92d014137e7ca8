//! Signing outgoing webhooks as [Standard Webhooks] does (SPEC §18), so that
//! an endpoint verifies them with any of that specification's libraries.
//!
//! Each delivery carries three headers: `webhook-id` (the event's id, the same
//! on every retry, for the receiver to deduplicate), `webhook-timestamp` (Unix
//! seconds of this attempt) and `webhook-signature`: `v1,` and the base64 of
//! HMAC-SHA256, keyed with the endpoint's secret, of `id.timestamp.body`. The
//! secret is shown once as `whsec_` and its base64.
//!
//! ```
//! use msgcore::core::webhook_signing::{SignatureHeaders, SigningSecret};
//!
//! let secret = SigningSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
//! let body = br#"{"type":"message.received"}"#;
//! let headers = SignatureHeaders::sign(&secret, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 1_674_087_231, body);
//! assert!(headers.signature.starts_with("v1,"));
//! assert!(secret.verify(&headers, body, 1_674_087_231).is_ok());
//! assert!(secret.verify(&headers, b"{}", 1_674_087_231).is_err());
//! # Ok::<(), msgcore::core::webhook_signing::SecretError>(())
//! ```
//!
//! [Standard Webhooks]: https://www.standardwebhooks.com/

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// What a secret's text starts with.
pub const SECRET_PREFIX: &str = "whsec_";
/// How many random bytes a new secret holds.
pub const SECRET_BYTES: usize = 32;
/// How far a timestamp may be from the receiver's clock, in seconds, before
/// [`SigningSecret::verify`] refuses it (the specification's five minutes).
pub const TOLERANCE_SECONDS: i64 = 5 * 60;

/// An endpoint's signing secret. Its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningSecret(Vec<u8>);

/// A secret's text that is not `whsec_` and base64 of at least one byte.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a webhook secret is whsec_ followed by base64 of its bytes")]
pub struct SecretError;

/// The three headers of one signed delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeaders {
    /// `webhook-id`: the event's id, the same on every retry.
    pub id: String,
    /// `webhook-timestamp`: Unix seconds of this attempt.
    pub timestamp: i64,
    /// `webhook-signature`: `v1,` and the base64 signature (several,
    /// space-separated, while a secret is being rotated).
    pub signature: String,
}

/// Why [`SigningSecret::verify`] refused a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The timestamp is more than five minutes from now, either way.
    #[error("the webhook-timestamp is more than five minutes from now")]
    Stale,
    /// No `v1` signature matches the body.
    #[error("no webhook-signature matches the body")]
    Mismatch,
}

impl SigningSecret {
    /// A secret of these random bytes (from the operating system's source).
    pub fn new(bytes: [u8; SECRET_BYTES]) -> SigningSecret {
        SigningSecret(bytes.to_vec())
    }

    /// Reads a secret's text: `whsec_` (optional) and base64, padded or not.
    pub fn parse(text: &str) -> Result<SigningSecret, SecretError> {
        let encoded = text.strip_prefix(SECRET_PREFIX).unwrap_or(text);
        let encoded = encoded.trim_end_matches('=');
        let bytes = STANDARD_NO_PAD.decode(encoded).map_err(|_| SecretError)?;
        match bytes.is_empty() {
            true => Err(SecretError),
            false => Ok(SigningSecret(bytes)),
        }
    }

    /// The secret's text, to show its owner once: `whsec_` and base64.
    pub fn to_text(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.0))
    }

    /// The `v1` signature of `body` sent as `id` at `timestamp`.
    fn signature(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        format!("v1,{}", STANDARD.encode(self.mac(id, timestamp, body)))
    }

    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
        // HMAC takes a key of any length.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return Vec::new();
        };
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.finalize().into_bytes().to_vec()
    }

    /// Checks a delivery as a receiver would at `now` (Unix seconds): its
    /// timestamp within five minutes, and one of its `v1` signatures the
    /// body's, compared in constant time.
    pub fn verify(
        &self,
        headers: &SignatureHeaders,
        body: &[u8],
        now: i64,
    ) -> Result<(), VerifyError> {
        if (now - headers.timestamp).abs() > TOLERANCE_SECONDS {
            return Err(VerifyError::Stale);
        }
        let expected = self.mac(&headers.id, headers.timestamp, body);
        let matches = |candidate: &str| {
            let Some(encoded) = candidate.strip_prefix("v1,") else {
                return false;
            };
            let Ok(given) = STANDARD.decode(encoded) else {
                return false;
            };
            bool::from(given.ct_eq(&expected))
        };
        match headers.signature.split(' ').any(matches) {
            true => Ok(()),
            false => Err(VerifyError::Mismatch),
        }
    }
}

impl fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningSecret(<redacted>)")
    }
}

/// Stored as its text, for the deliverer to sign with: a store holding
/// endpoints holds their secrets.
impl serde::Serialize for SigningSecret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_text())
    }
}

impl<'de> serde::Deserialize<'de> for SigningSecret {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<SigningSecret, D::Error> {
        let text = String::deserialize(deserializer)?;
        SigningSecret::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl SignatureHeaders {
    /// The headers of `body` delivered as event `id` at `timestamp` (Unix
    /// seconds), signed with `secret`.
    pub fn sign(secret: &SigningSecret, id: &str, timestamp: i64, body: &[u8]) -> SignatureHeaders {
        SignatureHeaders {
            id: id.to_owned(),
            timestamp,
            signature: secret.signature(id, timestamp, body),
        }
    }

    /// The headers as name and value, to add to a request.
    pub fn pairs(&self) -> [(&'static str, String); 3] {
        [
            ("webhook-id", self.id.clone()),
            ("webhook-timestamp", self.timestamp.to_string()),
            ("webhook-signature", self.signature.clone()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn what_is_signed_verifies_and_any_change_to_the_body_or_id_does_not(
            key in proptest::collection::vec(any::<u8>(), 1..64),
            id in "[a-zA-Z0-9_]{1,40}",
            timestamp in 0_i64..4_000_000_000,
            body in proptest::collection::vec(any::<u8>(), 0..256),
            flip in any::<usize>(),
        ) {
            let secret = SigningSecret(key);
            let headers = SignatureHeaders::sign(&secret, &id, timestamp, &body);
            prop_assert!(secret.verify(&headers, &body, timestamp).is_ok());
            let mut changed = body.clone();
            match changed.is_empty() {
                true => changed.push(0),
                false => {
                    let at = flip % changed.len();
                    changed[at] ^= 1;
                }
            }
            prop_assert_eq!(secret.verify(&headers, &changed, timestamp), Err(VerifyError::Mismatch));
            let moved = SignatureHeaders { id: format!("{id}x"), ..headers.clone() };
            prop_assert_eq!(secret.verify(&moved, &body, timestamp), Err(VerifyError::Mismatch));
        }

        #[test]
        fn a_secret_reads_back_from_its_text(key in proptest::collection::vec(any::<u8>(), 1..64)) {
            let secret = SigningSecret(key);
            prop_assert_eq!(SigningSecret::parse(&secret.to_text()), Ok(secret));
        }
    }

    #[test]
    fn a_delivery_more_than_five_minutes_off_is_stale_either_way() {
        let secret = SigningSecret::new([7; SECRET_BYTES]);
        let headers = SignatureHeaders::sign(&secret, "msg_1", 1_000_000, b"{}");
        assert!(secret.verify(&headers, b"{}", 1_000_300).is_ok());
        assert_eq!(
            secret.verify(&headers, b"{}", 1_000_301),
            Err(VerifyError::Stale)
        );
        assert_eq!(
            secret.verify(&headers, b"{}", 999_699),
            Err(VerifyError::Stale)
        );
    }

    #[test]
    fn a_rotated_secret_is_accepted_while_either_signature_matches() {
        let (old, new) = (SigningSecret::new([1; 32]), SigningSecret::new([2; 32]));
        let mut headers = SignatureHeaders::sign(&new, "msg_1", 10, b"{}");
        let by_old = SignatureHeaders::sign(&old, "msg_1", 10, b"{}").signature;
        headers.signature = format!("{by_old} {}", headers.signature);
        assert!(old.verify(&headers, b"{}", 10).is_ok());
        assert!(new.verify(&headers, b"{}", 10).is_ok());
    }

    #[test]
    fn a_secret_is_never_shown_by_debug_and_bad_text_is_refused() {
        let secret = SigningSecret::new([9; 32]);
        assert!(!format!("{secret:?}").contains(&secret.to_text()[6..12]));
        for bad in ["", "whsec_", "whsec_!!!!", "whsec_a b"] {
            assert_eq!(SigningSecret::parse(bad), Err(SecretError), "{bad:?}");
        }
    }
}
