//! Why a webhook signature was refused, shared by every provider's verifier.
//!
//! The verifiers fail closed: a missing secret, a missing header or anything that
//! cannot be read is an error, never a pass. Each variant says which input was
//! wrong, so a server can log it (and answer 401/403, SPEC §11 step 1) without
//! guessing.

/// Why a webhook's signature was not accepted.
///
/// Every variant means "do not trust this request"; they differ only in what a
/// person debugging a deployment should look at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// No secret is configured, so nothing can be verified.
    #[error("no {secret} is configured: refusing to verify webhooks without one")]
    MissingSecret {
        /// Which secret (`"auth token"`, `"app secret"`).
        secret: &'static str,
    },
    /// The secret could not key the MAC.
    ///
    /// HMAC accepts keys of any length, so this does not happen with the hash
    /// functions used today; it exists so that the verifier fails closed if it ever did.
    #[error("the {secret} could not be used as an HMAC key")]
    UnusableSecret {
        /// Which secret (`"auth token"`, `"app secret"`).
        secret: &'static str,
    },
    /// The request carries no signature header, or an empty one.
    #[error("the {header} header is missing")]
    MissingSignature {
        /// The header that should carry the signature.
        header: &'static str,
    },
    /// The signature header is present but not in the provider's format.
    #[error("the {header} header is malformed: {reason}")]
    MalformedSignature {
        /// The header that carries the signature.
        header: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The signature is well formed but does not match the request.
    ///
    /// The usual causes: the wrong secret, a URL that differs from the one the
    /// provider called (a proxy, a load balancer, a missing query), or a body that
    /// was changed (re-encoded JSON, trimmed white space) before verification.
    #[error("the {header} header does not match the request")]
    Mismatch {
        /// The header that carried the signature.
        header: &'static str,
    },
    /// The URL is signed, but the body's SHA-256 differs from its `bodySHA256`.
    #[error("the body's SHA-256 does not match the bodySHA256 query parameter")]
    BodyHashMismatch,
    /// A non-empty raw body was given, but the URL has no `bodySHA256` to check it against.
    #[error("the URL has no bodySHA256 query parameter to check the raw body against")]
    MissingBodyHash,
    /// The URL cannot be read the way the provider's own library reads it.
    #[error("the URL cannot be parsed: {reason}")]
    MalformedUrl {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The signature names an algorithm this library does not support.
    #[error("unsupported signature algorithm {name:?}")]
    UnsupportedAlgorithm {
        /// The algorithm's name as given.
        name: String,
    },
    /// The request carries no timestamp header, or an empty one.
    #[error("the {header} header is missing")]
    MissingTimestamp {
        /// The header that should carry the timestamp.
        header: &'static str,
    },
    /// The timestamp header is not Unix seconds written as ASCII digits.
    #[error("the {header} header is not Unix seconds: {value:?}")]
    MalformedTimestamp {
        /// The header that carried the timestamp.
        header: &'static str,
        /// The value as received.
        value: String,
    },
    /// The timestamp is further from `now` than the tolerance allows: a replay,
    /// or a clock that is off.
    #[error(
        "the webhook timestamp is {} s {}, beyond the tolerance of {tolerance_s} s",
        difference_s.unsigned_abs(),
        if *difference_s < 0 { "in the future" } else { "old" }
    )]
    TimestampOutOfTolerance {
        /// `now` minus the timestamp, in seconds: positive when the webhook is
        /// older than `now`, negative when it claims to come from the future
        /// (saturated at the bounds of `i64`).
        difference_s: i64,
        /// The tolerance that was applied, in seconds.
        tolerance_s: u64,
    },
    /// The configured public key cannot be used.
    #[error("the public key is malformed: {reason}")]
    MalformedPublicKey {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The configured public base URL cannot be used.
    #[error("the public base URL {url:?} is not usable: {reason}")]
    MalformedPublicUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl SignatureError {
    /// Whether the fault is the server's configuration (no secret, an unusable
    /// public key or public URL) rather than the request: worth an alert and a
    /// 500, where a bad request is worth a 401 and a log line.
    pub fn is_configuration_error(&self) -> bool {
        matches!(
            self,
            SignatureError::MissingSecret { .. }
                | SignatureError::UnusableSecret { .. }
                | SignatureError::MalformedPublicKey { .. }
                | SignatureError::MalformedPublicUrl { .. }
        )
    }
}

/// The value of a header that must be present: a missing or empty one is
/// refused with `missing`, so that no verifier ever treats "no header" as a pass.
pub(crate) fn required(
    value: Option<&str>,
    missing: SignatureError,
) -> Result<&str, SignatureError> {
    value.filter(|v| !v.is_empty()).ok_or(missing)
}

/// Keys an HMAC with `secret`, refusing an empty one: a verifier with an empty
/// secret would accept anything signed with the empty key.
#[cfg(any(feature = "twilio", feature = "meta"))]
pub(crate) fn keyed_hmac<M: hmac::KeyInit>(
    secret: &[u8],
    name: &'static str,
) -> Result<M, SignatureError> {
    if secret.is_empty() {
        return Err(SignatureError::MissingSecret { secret: name });
    }
    M::new_from_slice(secret).map_err(|_| SignatureError::UnusableSecret { secret: name })
}

/// `bytes` in lower-case hex, the way Python's `hexdigest()` writes them.
#[cfg(any(feature = "twilio", feature = "meta"))]
pub(crate) fn lower_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut hex, byte| {
            // Writing to a String cannot fail.
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_secrets_keys_and_public_urls_are_configuration_errors() {
        let configuration = [
            SignatureError::MissingSecret {
                secret: "auth token",
            },
            SignatureError::MalformedPublicKey { reason: "short" },
            SignatureError::MalformedPublicUrl {
                url: "x".into(),
                reason: "no scheme",
            },
        ];
        assert!(
            configuration
                .iter()
                .all(SignatureError::is_configuration_error)
        );
        let request = [
            SignatureError::MissingSignature { header: "h" },
            SignatureError::Mismatch { header: "h" },
            SignatureError::BodyHashMismatch,
            SignatureError::MalformedUrl { reason: "port" },
            SignatureError::TimestampOutOfTolerance {
                difference_s: 301,
                tolerance_s: 300,
            },
        ];
        assert!(!request.iter().any(SignatureError::is_configuration_error));
    }

    #[test]
    fn messages_name_the_header_and_the_difference() {
        let error = SignatureError::TimestampOutOfTolerance {
            difference_s: -301,
            tolerance_s: 300,
        };
        assert_eq!(
            error.to_string(),
            "the webhook timestamp is 301 s in the future, beyond the tolerance of 300 s"
        );
        let error = SignatureError::MissingSignature {
            header: "X-Hub-Signature-256",
        };
        assert_eq!(
            error.to_string(),
            "the X-Hub-Signature-256 header is missing"
        );
    }
}
