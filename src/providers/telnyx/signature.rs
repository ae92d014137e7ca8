//! Ed25519 over `timestamp|body`, with a replay window.
//!
//! The timestamp header is signed as received (its exact bytes, then `|`, then
//! the raw body), so it is checked for form and age but never re-formatted.
//! `now` is an argument: the verifier never reads the clock.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, VerifyingKey};

use crate::providers::signature::{SignatureError, required};

/// The header Telnyx puts its signature in.
pub const SIGNATURE_HEADER: &str = "telnyx-signature-ed25519";

/// The header Telnyx puts the signing time in (Unix seconds).
pub const TIMESTAMP_HEADER: &str = "telnyx-timestamp";

/// How far a webhook's timestamp may be from `now`, either way, by default.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Verifies Telnyx webhook signatures against the account's public key.
///
/// ```
/// use chrono::DateTime;
/// use msgcore::providers::telnyx::{WebhookSigner, WebhookVerifier};
///
/// let signer = WebhookSigner::from_seed([7; 32]);
/// let verifier = WebhookVerifier::new(&signer.public_key())?;
/// let body = br#"{"data":{"event_type":"message.received"}}"#;
/// let signature = signer.sign("1700000000", body);
/// let now = DateTime::from_timestamp(1_700_000_120, 0).unwrap();
/// verifier.verify(body, Some("1700000000"), Some(&signature), now)?;
/// // Ten minutes later the same request is a replay.
/// let later = DateTime::from_timestamp(1_700_000_600, 0).unwrap();
/// assert!(verifier.verify(body, Some("1700000000"), Some(&signature), later).is_err());
/// # Ok::<(), msgcore::providers::signature::SignatureError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookVerifier {
    key: VerifyingKey,
    tolerance: Duration,
}

impl WebhookVerifier {
    /// Parses the account's public key (base64 of 32 bytes, as Mission Control
    /// shows it) once, with the default tolerance of 300 s.
    pub fn new(public_key: &str) -> Result<WebhookVerifier, SignatureError> {
        let malformed = |reason| SignatureError::MalformedPublicKey { reason };
        let bytes: [u8; 32] = strict_base64(public_key)
            .ok_or(malformed("it is not canonical base64"))?
            .try_into()
            .map_err(|_| malformed("it is not 32 bytes long"))?;
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|_| malformed("it is not a point on Ed25519's curve"))?;
        if key.to_edwards().compress().to_bytes() != bytes {
            return Err(malformed("it is not the canonical encoding of its point"));
        }
        if key.is_weak() {
            return Err(malformed(
                "it is a small-order point, which would accept forgeries",
            ));
        }
        Ok(WebhookVerifier {
            key,
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// Accepts timestamps up to `tolerance` (whole seconds) before or after `now`.
    pub fn with_tolerance(mut self, tolerance: Duration) -> WebhookVerifier {
        self.tolerance = tolerance;
        self
    }

    /// The tolerance applied to timestamps.
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// Checks a webhook: the raw body, the `telnyx-timestamp` and
    /// `telnyx-signature-ed25519` header values, and the current time.
    pub fn verify(
        &self,
        body: &[u8],
        timestamp: Option<&str>,
        signature: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), SignatureError> {
        let signature = required(
            signature,
            SignatureError::MissingSignature {
                header: SIGNATURE_HEADER,
            },
        )?;
        let timestamp = required(
            timestamp,
            SignatureError::MissingTimestamp {
                header: TIMESTAMP_HEADER,
            },
        )?;
        self.check_age(timestamp, now)?;
        let signature = decode_signature(signature)?;
        self.key
            .verify_strict(&signed_message(timestamp, body), &signature)
            .map_err(|_| SignatureError::Mismatch {
                header: SIGNATURE_HEADER,
            })
    }

    /// Refuses a timestamp that is not ASCII digits, or is further from `now`
    /// than the tolerance.
    fn check_age(&self, timestamp: &str, now: DateTime<Utc>) -> Result<(), SignatureError> {
        let seconds: u64 = Some(timestamp)
            .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| SignatureError::MalformedTimestamp {
                header: TIMESTAMP_HEADER,
                value: timestamp.to_owned(),
            })?;
        let difference = i128::from(now.timestamp()) - i128::from(seconds);
        let tolerance_s = self.tolerance.as_secs();
        if difference.unsigned_abs() > u128::from(tolerance_s) {
            let saturated = if difference < 0 { i64::MIN } else { i64::MAX };
            return Err(SignatureError::TimestampOutOfTolerance {
                difference_s: i64::try_from(difference).unwrap_or(saturated),
                tolerance_s,
            });
        }
        Ok(())
    }
}

/// What Telnyx signs: the timestamp header as received, `|`, the raw body.
pub(super) fn signed_message(timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(timestamp.len() + 1 + body.len());
    message.extend_from_slice(timestamp.as_bytes());
    message.push(b'|');
    message.extend_from_slice(body);
    message
}

/// Decodes canonical standard base64 only: the standard alphabet, `=` padding
/// exactly where needed, zero trailing bits, nothing else (no white space).
/// Each byte string therefore has one accepted spelling.
fn strict_base64(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}

/// The 64-byte signature in the header.
fn decode_signature(header: &str) -> Result<Signature, SignatureError> {
    let malformed = |reason| SignatureError::MalformedSignature {
        header: SIGNATURE_HEADER,
        reason,
    };
    let bytes: [u8; 64] = strict_base64(header)
        .ok_or(malformed("it is not canonical base64"))?
        .try_into()
        .map_err(|_| malformed("it is not 64 bytes long"))?;
    Ok(Signature::from_bytes(&bytes))
}

#[cfg(test)]
mod tests {
    use super::super::WebhookSigner;
    use super::*;

    const TIMESTAMP: &str = "1700000000";
    const BODY: &[u8] = br#"{"data":{"event_type":"message.received"}}"#;

    fn signer() -> WebhookSigner {
        WebhookSigner::from_seed([42; 32])
    }

    fn verifier() -> WebhookVerifier {
        WebhookVerifier::new(&signer().public_key()).unwrap()
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    fn verify_at(timestamp: &str, signature: &str, now: i64) -> Result<(), SignatureError> {
        verifier().verify(BODY, Some(timestamp), Some(signature), at(now))
    }

    #[test]
    fn a_signature_made_by_pynacl_verifies() {
        // PyNaCl: SigningKey(bytes([42] * 32)).sign(b"1700000000|" + BODY).signature, base64.
        let public_key = "GX9rI+FshTLGq8g4+s1ep4m+DHaykgM0A5v6iz02jWE=";
        let signature = "05tRuNuPKzmqz1Ai6448rcbxGFCrLkmE/756YaVLR9pm3n6t94frfQDue8ml1JRFpElY7CvwsqxKsMIE0QKsCQ==";
        assert_eq!(signer().public_key(), public_key);
        assert_eq!(signer().sign(TIMESTAMP, BODY), signature);
        verify_at(TIMESTAMP, signature, 1_700_000_000).unwrap();
    }

    #[test]
    fn the_tolerance_applies_in_both_directions_inclusively() {
        let signature = signer().sign(TIMESTAMP, BODY);
        verify_at(TIMESTAMP, &signature, 1_700_000_300).unwrap();
        verify_at(TIMESTAMP, &signature, 1_699_999_700).unwrap();
        assert_eq!(
            verify_at(TIMESTAMP, &signature, 1_700_000_301),
            Err(SignatureError::TimestampOutOfTolerance {
                difference_s: 301,
                tolerance_s: 300
            })
        );
        assert_eq!(
            verify_at(TIMESTAMP, &signature, 1_699_999_699),
            Err(SignatureError::TimestampOutOfTolerance {
                difference_s: -301,
                tolerance_s: 300
            })
        );
        let strict = verifier().with_tolerance(Duration::ZERO);
        assert_eq!(strict.tolerance(), Duration::ZERO);
        strict
            .verify(BODY, Some(TIMESTAMP), Some(&signature), at(1_700_000_000))
            .unwrap();
        assert!(
            strict
                .verify(BODY, Some(TIMESTAMP), Some(&signature), at(1_700_000_001))
                .is_err()
        );
    }

    #[test]
    fn missing_or_empty_headers_are_refused() {
        let signature = signer().sign(TIMESTAMP, BODY);
        let now = at(1_700_000_000);
        let missing_signature = Err(SignatureError::MissingSignature {
            header: SIGNATURE_HEADER,
        });
        assert_eq!(
            verifier().verify(BODY, Some(TIMESTAMP), None, now),
            missing_signature
        );
        assert_eq!(
            verifier().verify(BODY, Some(TIMESTAMP), Some(""), now),
            missing_signature
        );
        let missing_timestamp = Err(SignatureError::MissingTimestamp {
            header: TIMESTAMP_HEADER,
        });
        assert_eq!(
            verifier().verify(BODY, None, Some(&signature), now),
            missing_timestamp
        );
        assert_eq!(
            verifier().verify(BODY, Some(""), Some(&signature), now),
            missing_timestamp
        );
    }

    #[test]
    fn a_timestamp_must_be_plain_ascii_digits() {
        for timestamp in [
            "+1700000000",
            " 1700000000",
            "1700000000 ",
            "1_700_000_000",
            "1700000000.0",
            "-1700000000",
            "\u{661}\u{667}\u{660}\u{660}\u{660}\u{660}\u{660}\u{660}\u{660}\u{660}",
            "99999999999999999999999",
        ] {
            let signature = signer().sign(timestamp, BODY);
            assert_eq!(
                verify_at(timestamp, &signature, 1_700_000_000),
                Err(SignatureError::MalformedTimestamp {
                    header: TIMESTAMP_HEADER,
                    value: timestamp.to_owned()
                }),
                "{timestamp}"
            );
        }
        // Leading zeros are still digits, and they are signed as sent.
        let padded = "01700000000";
        verify_at(padded, &signer().sign(padded, BODY), 1_700_000_000).unwrap();
    }

    #[test]
    fn a_signature_must_be_canonical_base64_of_64_bytes() {
        let good = signer().sign(TIMESTAMP, BODY);
        let unpadded = good.trim_end_matches('=').to_owned();
        let spaced = format!("{good} ");
        let junk = format!("{}!{}", &good[..10], &good[10..]);
        // The last character before "==" carries four unused bits: flip one.
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut bits = good.clone().into_bytes();
        let index = ALPHABET.iter().position(|&c| c == bits[85]).unwrap();
        bits[85] = ALPHABET[index ^ 1];
        let trailing_bits = String::from_utf8(bits).unwrap();
        for (label, signature) in [
            ("unpadded", unpadded.as_str()),
            ("spaced", &spaced),
            ("junk", &junk),
            ("trailing bits", &trailing_bits),
            ("short", "AAAA"),
        ] {
            assert!(
                matches!(
                    verify_at(TIMESTAMP, signature, 1_700_000_000),
                    Err(SignatureError::MalformedSignature { .. })
                ),
                "{label}: {signature}"
            );
        }
    }

    #[test]
    fn a_changed_body_timestamp_or_key_is_a_mismatch() {
        let signature = signer().sign(TIMESTAMP, BODY);
        let mismatch = Err(SignatureError::Mismatch {
            header: SIGNATURE_HEADER,
        });
        let now = at(1_700_000_000);
        assert_eq!(
            verifier().verify(b"{}", Some(TIMESTAMP), Some(&signature), now),
            mismatch
        );
        assert_eq!(verify_at("1700000001", &signature, 1_700_000_000), mismatch);
        let other = WebhookVerifier::new(&WebhookSigner::from_seed([1; 32]).public_key()).unwrap();
        assert_eq!(
            other.verify(BODY, Some(TIMESTAMP), Some(&signature), now),
            mismatch
        );
    }

    #[test]
    fn unusable_public_keys_are_refused_with_the_reason() {
        let reason = |key: &str| match WebhookVerifier::new(key) {
            Err(SignatureError::MalformedPublicKey { reason }) => reason,
            other => panic!("{key}: {other:?}"),
        };
        let good = signer().public_key();
        assert_eq!(
            reason(&good[..good.len() - 1]),
            "it is not canonical base64"
        );
        assert_eq!(reason(""), "it is not 32 bytes long");
        assert_eq!(reason("AAAA"), "it is not 32 bytes long");
        // y = 2 is not on the curve; y = p + 3 is y = 3 written unreduced.
        assert_eq!(
            reason("AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
            "it is not a point on Ed25519's curve"
        );
        assert_eq!(
            reason("8P///////////////////////////////////////38="),
            "it is not the canonical encoding of its point"
        );
        WebhookVerifier::new("AwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").unwrap();
        // The identity point has order 1: with it, one signature verifies any message.
        assert_eq!(
            reason("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
            "it is a small-order point, which would accept forgeries"
        );
    }
}
