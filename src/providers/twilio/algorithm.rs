//! Which HMAC a Twilio signature uses.
//!
//! Requests signed with the account's Auth Token use HMAC-SHA1. Requests signed
//! with a SharedKey carry `X-Twilio-Webhooks-Signature-Settings:
//! key=<id>,algorithm=HMAC_SHA256`; the header is read exactly as twilio-python
//! reads it, and an algorithm this library does not know fails verification.

use serde::{Deserialize, Serialize};

use crate::providers::signature::SignatureError;

/// The HMAC a Twilio webhook signature is computed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC-SHA1: signatures made with the account Auth Token (the default).
    #[default]
    HmacSha1,
    /// HMAC-SHA256: signatures made with a SharedKey.
    HmacSha256,
}

impl Algorithm {
    /// Twilio's name for the algorithm (`"HMAC_SHA1"`, `"HMAC_SHA256"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::HmacSha1 => "HMAC_SHA1",
            Algorithm::HmacSha256 => "HMAC_SHA256",
        }
    }

    /// Reads Twilio's name for an algorithm, in any letter case.
    ///
    /// ```
    /// use msgcore::providers::twilio::Algorithm;
    /// assert_eq!(Algorithm::from_name("HMAC_SHA256"), Ok(Algorithm::HmacSha256));
    /// assert!(Algorithm::from_name("HMAC_SHA512").is_err());
    /// ```
    pub fn from_name(name: &str) -> Result<Algorithm, SignatureError> {
        // Python's `str.upper()`, which maps a few non-ASCII letters to ASCII ones.
        match name.to_uppercase().as_str() {
            "HMAC_SHA1" => Ok(Algorithm::HmacSha1),
            "HMAC_SHA256" => Ok(Algorithm::HmacSha256),
            _ => Err(SignatureError::UnsupportedAlgorithm {
                name: name.to_owned(),
            }),
        }
    }

    /// Reads the `X-Twilio-Webhooks-Signature-Settings` header: the first
    /// comma-separated `algorithm=NAME` with a non-blank name decides; a missing
    /// or empty header, or one without such an entry, means HMAC-SHA1.
    ///
    /// ```
    /// use msgcore::providers::twilio::Algorithm;
    /// let header = "key=webhooks_sharedkey_123,algorithm=HMAC_SHA256";
    /// assert_eq!(Algorithm::from_settings_header(Some(header)), Ok(Algorithm::HmacSha256));
    /// assert_eq!(Algorithm::from_settings_header(None), Ok(Algorithm::HmacSha1));
    /// ```
    pub fn from_settings_header(header: Option<&str>) -> Result<Algorithm, SignatureError> {
        let named = header.unwrap_or_default().split(',').find_map(|part| {
            let (name, value) = part.split_once('=')?;
            let value = python_strip(value);
            (python_strip(name) == "algorithm" && !value.is_empty()).then_some(value)
        });
        named.map_or(Ok(Algorithm::HmacSha1), Algorithm::from_name)
    }
}

/// Python's `str.strip()`: Unicode white space and the four ASCII separators
/// U+001C–U+001F, which Python also counts as space.
fn python_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_header_is_read_as_twilio_python_reads_it() {
        let read = |h: &str| Algorithm::from_settings_header(Some(h));
        assert_eq!(read("algorithm=HMAC_SHA256"), Ok(Algorithm::HmacSha256));
        assert_eq!(
            read(" algorithm = hmac_sha256 ,key=x"),
            Ok(Algorithm::HmacSha256)
        );
        assert_eq!(read("key=a=b,algorithm=HMAC_SHA1"), Ok(Algorithm::HmacSha1));
        assert_eq!(
            read("\u{1c}algorithm\u{1f}=HMAC_SHA256"),
            Ok(Algorithm::HmacSha256)
        );
        // A blank value is skipped, the next entry decides.
        assert_eq!(
            read("algorithm= ,algorithm=HMAC_SHA256"),
            Ok(Algorithm::HmacSha256)
        );
        assert_eq!(read("key=only"), Ok(Algorithm::HmacSha1));
        assert_eq!(read(""), Ok(Algorithm::HmacSha1));
        assert_eq!(read("algorithm"), Ok(Algorithm::HmacSha1));
    }

    #[test]
    fn an_unknown_algorithm_fails_instead_of_falling_back() {
        let error = Algorithm::from_settings_header(Some("algorithm=HMAC_SHA512")).unwrap_err();
        assert_eq!(
            error,
            SignatureError::UnsupportedAlgorithm {
                name: "HMAC_SHA512".into()
            }
        );
    }

    #[test]
    fn names_are_compared_after_python_style_upper_casing() {
        // U+017F LATIN SMALL LETTER LONG S upper-cases to "S", in Python as here.
        assert_eq!(
            Algorithm::from_name("hmac_\u{17f}ha256"),
            Ok(Algorithm::HmacSha256)
        );
        assert_eq!(
            Algorithm::from_name(Algorithm::HmacSha1.as_str()),
            Ok(Algorithm::HmacSha1)
        );
    }
}
