//! The crate-wide error: one variant per boundary, each wrapping that boundary's
//! own typed error, with a stable [`ErrorKind`] and an HTTP status for servers.
//!
//! Functions return their module's own error ([`PhoneError`], [`TemplateError`], …),
//! which says precisely what was wrong with which input. [`Error`] gathers them for
//! callers that handle everything in one place — a web handler turning any failure
//! into a status code and a JSON body, say:
//!
//! ```
//! use msgcore::{E164, Error, ErrorKind};
//!
//! fn contact_phone(input: &str) -> Result<E164, Error> {
//!     Ok(E164::parse(input, Some("US"))?)
//! }
//!
//! let error = contact_phone("555-01").unwrap_err();
//! assert_eq!(error.kind(), ErrorKind::InvalidPhone);
//! assert_eq!(error.http_status(), 400);
//! assert!(!error.is_retryable());
//! ```

use crate::core::channel::UnknownChannel;
use crate::core::consent::ConsentError;
use crate::core::keyword::KeywordError;
use crate::core::phone::PhoneError;
use crate::core::quick_reply::QuickReplyError;
use crate::core::segments::SegmentsError;
use crate::core::tagging::TaggingError;
use crate::core::template::{TemplateError, WhatsAppError};
#[cfg(any(feature = "twilio", feature = "telnyx", feature = "meta"))]
use crate::providers::signature::SignatureError;

/// Any error msgcore returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A phone number was not valid.
    #[error(transparent)]
    Phone(#[from] PhoneError),
    /// A channel name was not `sms` or `whatsapp`.
    #[error(transparent)]
    Channel(#[from] UnknownChannel),
    /// A send was refused because the contact has not consented on that channel.
    #[error(transparent)]
    Consent(#[from] ConsentError),
    /// A tenant's keyword settings were invalid.
    #[error(transparent)]
    Keyword(#[from] KeywordError),
    /// A message template could not be parsed or rendered.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A WhatsApp template's `{{1}}…{{n}}` parameters did not fit.
    #[error(transparent)]
    WhatsAppTemplate(#[from] WhatsAppError),
    /// A quick reply's shortcut or content was invalid.
    #[error(transparent)]
    QuickReply(#[from] QuickReplyError),
    /// An auto-tagging rule set could not be compiled.
    #[error(transparent)]
    Tagging(#[from] TaggingError),
    /// An SMS body was too long, or a cost could not be estimated.
    #[error(transparent)]
    Segments(#[from] SegmentsError),
    /// A webhook's signature did not verify, or the verifier is misconfigured.
    #[cfg(any(feature = "twilio", feature = "telnyx", feature = "meta"))]
    #[cfg_attr(
        docsrs,
        doc(cfg(any(feature = "twilio", feature = "telnyx", feature = "meta")))
    )]
    #[error(transparent)]
    Signature(#[from] SignatureError),
}

/// What kind of failure an [`Error`] is, as a stable snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// A phone number could not be parsed or is not valid.
    InvalidPhone,
    /// A channel name was not recognized.
    InvalidChannel,
    /// The contact has opted out of (or never opted in to) the channel: what a
    /// provider would answer with Twilio 21610 or Telnyx 40300.
    OptedOut,
    /// A tenant's keyword settings were invalid.
    InvalidKeywordConfig,
    /// A template could not be parsed, or a value was missing when rendering.
    InvalidTemplate,
    /// A WhatsApp template's parameters were the wrong number, order or text.
    InvalidTemplateParameters,
    /// A quick reply's shortcut or content was invalid.
    InvalidQuickReply,
    /// The thing being created already exists (a quick reply's shortcut).
    Conflict,
    /// An auto-tagging rule was invalid.
    InvalidTagRule,
    /// An SMS body exceeded the 1,600-character cap.
    MessageTooLong,
    /// The price table has no price for the destination country.
    UnpricedDestination,
    /// A price was malformed, or a cost overflowed.
    InvalidPrice,
    /// A webhook's signature was missing, malformed or wrong: reject the request.
    InvalidSignature,
    /// A webhook verifier has no usable secret, key or public URL: fix the configuration.
    SignatureMisconfigured,
}

impl ErrorKind {
    /// The stable snake_case name (`"invalid_phone"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidPhone => "invalid_phone",
            ErrorKind::InvalidChannel => "invalid_channel",
            ErrorKind::OptedOut => "opted_out",
            ErrorKind::InvalidKeywordConfig => "invalid_keyword_config",
            ErrorKind::InvalidTemplate => "invalid_template",
            ErrorKind::InvalidTemplateParameters => "invalid_template_parameters",
            ErrorKind::InvalidQuickReply => "invalid_quick_reply",
            ErrorKind::Conflict => "conflict",
            ErrorKind::InvalidTagRule => "invalid_tag_rule",
            ErrorKind::MessageTooLong => "message_too_long",
            ErrorKind::UnpricedDestination => "unpriced_destination",
            ErrorKind::InvalidPrice => "invalid_price",
            ErrorKind::InvalidSignature => "invalid_signature",
            ErrorKind::SignatureMisconfigured => "signature_misconfigured",
        }
    }

    /// The HTTP status a server built on msgcore should answer with.
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorKind::OptedOut => 403,
            ErrorKind::Conflict => 409,
            ErrorKind::InvalidSignature => 401,
            ErrorKind::SignatureMisconfigured => 500,
            _ => 400,
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Phone(_) => ErrorKind::InvalidPhone,
            Error::Channel(_) => ErrorKind::InvalidChannel,
            Error::Consent(_) => ErrorKind::OptedOut,
            Error::Keyword(_) => ErrorKind::InvalidKeywordConfig,
            Error::Template(_) => ErrorKind::InvalidTemplate,
            Error::WhatsAppTemplate(_) => ErrorKind::InvalidTemplateParameters,
            Error::QuickReply(QuickReplyError::Duplicate { .. }) => ErrorKind::Conflict,
            Error::QuickReply(_) => ErrorKind::InvalidQuickReply,
            Error::Tagging(_) => ErrorKind::InvalidTagRule,
            Error::Segments(SegmentsError::BodyTooLong { .. }) => ErrorKind::MessageTooLong,
            Error::Segments(SegmentsError::NoPrice { .. }) => ErrorKind::UnpricedDestination,
            Error::Segments(_) => ErrorKind::InvalidPrice,
            #[cfg(any(feature = "twilio", feature = "telnyx", feature = "meta"))]
            Error::Signature(error) if error.is_configuration_error() => {
                ErrorKind::SignatureMisconfigured
            }
            #[cfg(any(feature = "twilio", feature = "telnyx", feature = "meta"))]
            Error::Signature(_) => ErrorKind::InvalidSignature,
        }
    }

    /// The HTTP status a server built on msgcore should answer with.
    pub fn http_status(&self) -> u16 {
        self.kind().http_status()
    }

    /// Whether trying the same thing again later may succeed. Nothing in the pure
    /// core is: the same input gives the same answer.
    pub fn is_retryable(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::segments::{PriceTable, SegmentOptions, analyze, check_body_cap};

    #[test]
    fn a_bad_phone_number_is_a_permanent_bad_request() {
        let error = Error::from(crate::E164::parse("abc", Some("US")).unwrap_err());
        assert_eq!(error.kind(), ErrorKind::InvalidPhone);
        assert_eq!(error.kind().as_str(), "invalid_phone");
        assert_eq!(error.http_status(), 400);
        assert!(!error.is_retryable());
    }

    #[test]
    fn a_refused_send_is_forbidden_and_named_opted_out() {
        let consent = crate::core::consent::Consent::default();
        let error = Error::from(consent.check(crate::Channel::Sms).unwrap_err());
        assert_eq!(error.kind(), ErrorKind::OptedOut);
        assert_eq!(error.http_status(), 403);
    }

    #[test]
    fn segment_errors_are_told_apart() {
        let long = Error::from(check_body_cap(&"a".repeat(1601)).unwrap_err());
        assert_eq!(long.kind(), ErrorKind::MessageTooLong);
        let report = analyze("hi", SegmentOptions::default());
        let unpriced = Error::from(report.cost(&PriceTable::new("USD"), "US").unwrap_err());
        assert_eq!(unpriced.kind(), ErrorKind::UnpricedDestination);
    }

    #[test]
    fn a_duplicate_quick_reply_is_a_conflict() {
        use crate::core::quick_reply::{QuickReplies, QuickReply};
        use crate::core::template::VariableSet;
        let reply = || QuickReply::parse("/hi", "Hello", &VariableSet::new()).unwrap();
        let mut replies = QuickReplies::default();
        replies.insert(reply()).unwrap();
        let error = Error::from(replies.insert(reply()).unwrap_err());
        assert_eq!(
            (error.kind(), error.http_status()),
            (ErrorKind::Conflict, 409)
        );
    }

    #[cfg(feature = "meta")]
    #[test]
    fn a_bad_signature_is_unauthorized_and_a_missing_secret_is_a_server_fault() {
        use crate::providers::meta::SignatureVerifier;
        let bad = SignatureVerifier::new("secret")
            .unwrap()
            .verify(b"{}", Some("sha256=00"));
        let bad = Error::from(bad.unwrap_err());
        assert_eq!(
            (bad.kind(), bad.http_status()),
            (ErrorKind::InvalidSignature, 401)
        );
        let misconfigured = Error::from(SignatureVerifier::new("").unwrap_err());
        assert_eq!(misconfigured.kind(), ErrorKind::SignatureMisconfigured);
        assert_eq!(misconfigured.http_status(), 500);
    }

    #[test]
    fn every_kind_has_a_distinct_snake_case_name_matching_serde() {
        let kinds = [
            ErrorKind::InvalidPhone,
            ErrorKind::InvalidChannel,
            ErrorKind::OptedOut,
            ErrorKind::InvalidKeywordConfig,
            ErrorKind::InvalidTemplate,
            ErrorKind::InvalidTemplateParameters,
            ErrorKind::InvalidQuickReply,
            ErrorKind::Conflict,
            ErrorKind::InvalidTagRule,
            ErrorKind::MessageTooLong,
            ErrorKind::UnpricedDestination,
            ErrorKind::InvalidPrice,
            ErrorKind::InvalidSignature,
            ErrorKind::SignatureMisconfigured,
        ];
        let names: std::collections::HashSet<_> = kinds.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), kinds.len());
        for kind in kinds {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
