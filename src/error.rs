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

use chrono::{DateTime, TimeDelta, Utc};

use crate::core::api_key::{KeyRefusal, NewKeyError};
use crate::core::automation::{RuleError, RuleSetError};
use crate::core::campaign::{CampaignError, CampaignFinished};
use crate::core::channel::UnknownChannel;
use crate::core::consent::ConsentError;
use crate::core::conversation::{InconsistentConversation, InvalidTransition};
use crate::core::delivery::UnknownStatus;
use crate::core::import::ImportError;
use crate::core::keyword::KeywordError;
use crate::core::message::ContentError;
use crate::core::message::media::MediaError;
use crate::core::phone::PhoneError;
use crate::core::plan::PlanLimitExceeded;
use crate::core::quick_reply::QuickReplyError;
use crate::core::quiet_hours::{Hold, PolicyError, QuietHoursError};
use crate::core::ratelimit::{QuotaError, RateLimited};
use crate::core::segments::SegmentsError;
use crate::core::tagging::TaggingError;
use crate::core::template::{TemplateError, WhatsAppError};
use crate::core::window::WindowError;
use crate::core::workflow::WorkflowError;
use crate::engine::NotFound;
use crate::media::MediaStoreError;
#[cfg(any(feature = "twilio", feature = "telnyx", feature = "meta"))]
use crate::providers::signature::SignatureError;
use crate::service::{PaymentLinkError, RequestError};
use crate::store::StoreError;

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
    /// A conversation event is not allowed in the conversation's status.
    #[error(transparent)]
    Transition(#[from] InvalidTransition),
    /// A stored conversation record contradicts itself.
    #[error(transparent)]
    ConversationRecord(#[from] InconsistentConversation),
    /// Free-form WhatsApp content outside the 24-hour customer-service window.
    #[error(transparent)]
    Window(#[from] WindowError),
    /// Message content is missing a field or has a wrong one.
    #[error(transparent)]
    Content(#[from] ContentError),
    /// A media file is not of an accepted type, or is too large.
    #[error(transparent)]
    Media(#[from] MediaError),
    /// A delivery status name was not recognized.
    #[error(transparent)]
    DeliveryStatus(#[from] UnknownStatus),
    /// A marketing send falls outside the recipient's allowed hours.
    #[error(transparent)]
    QuietHours(#[from] Hold),
    /// A quiet-hours decision could not be made for the recipient.
    #[error(transparent)]
    QuietHoursRecipient(#[from] QuietHoursError),
    /// A tenant's quiet-hours rules were invalid.
    #[error(transparent)]
    QuietHoursPolicy(#[from] PolicyError),
    /// A rate limit refused the request for now.
    #[error(transparent)]
    RateLimited(#[from] RateLimited),
    /// A rate-limit quota was invalid.
    #[error(transparent)]
    Quota(#[from] QuotaError),
    /// A CSV file could not be imported (its rows' problems are in the report).
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The tenant's plan does not allow this (a broadcast too large for Starter).
    #[error(transparent)]
    PlanLimit(#[from] PlanLimitExceeded),
    /// A campaign definition was refused.
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    /// A campaign that is over cannot be paused, resumed or cancelled.
    #[error(transparent)]
    CampaignFinished(#[from] CampaignFinished),
    /// A workflow definition does not check (its path names the place).
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    /// An automation rule does not check (its path names the place).
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// The tenant's rules would not compile together (two share an id).
    #[error(transparent)]
    RuleSet(#[from] RuleSetError),
    /// A rule's `webhook` action names no outgoing endpoint of the tenant.
    #[error(
        "`{path}`: the tenant has no outgoing webhook endpoint at this address; register it first (its deliveries are signed with the endpoint's secret)"
    )]
    UnknownEndpoint {
        /// Where the action is (`actions[1].webhook`).
        path: String,
    },
    /// The contact has a live run of the workflow already (SPEC §18: one run
    /// per workflow and contact at a time).
    #[error("the contact is running workflow {workflow} already")]
    AlreadyRunning {
        /// The workflow.
        workflow: String,
    },
    /// A tenant, contact, conversation or message the request named does not exist.
    #[error(transparent)]
    NotFound(#[from] NotFound),
    /// A request's API key was missing, invalid, revoked, expired or short of
    /// the scope the request needs.
    #[error(transparent)]
    ApiKey(#[from] KeyRefusal),
    /// An API key could not be made as asked.
    #[error(transparent)]
    NewApiKey(#[from] NewKeyError),
    /// The service layer refused an API request (a page out of bounds, a
    /// contact that exists).
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A payment link that cannot be made: no provider, a bad amount,
    /// currency or description, or the provider failed.
    #[error(transparent)]
    PaymentLink(#[from] PaymentLinkError),
    /// The operating system's random source failed, so no secret could be made.
    #[error("the operating system's random source failed: {0}")]
    Randomness(getrandom::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The media store failed.
    #[error(transparent)]
    MediaStore(#[from] MediaStoreError),
    /// A media file was uploaded or asked for, and no media store is
    /// configured to keep it.
    #[error(
        "no media store is configured, so media cannot be uploaded or read \
         (Operations::media_store, ApiConfig::media_store)"
    )]
    NoMediaStore,
    /// Other writers kept changing the same contact; nothing was written.
    #[error("the contact kept changing during {attempts} attempts; nothing was written")]
    Busy {
        /// How many times the decision was made and its commit lost.
        attempts: u32,
    },
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
    /// The event is not allowed in the conversation's current status.
    InvalidTransition,
    /// A stored conversation record contradicts itself (a store fault).
    InvalidConversationRecord,
    /// Free-form WhatsApp content outside the 24-hour window: send a template
    /// (what Meta answers with 131047 and Twilio with 63016).
    OutsideWindow,
    /// Message content is missing a field or has a wrong one.
    InvalidContent,
    /// A media file is empty, or not of an accepted type.
    InvalidMedia,
    /// A media file is over the 16 MB limit.
    MediaTooLarge,
    /// A delivery status name was not recognized.
    InvalidStatus,
    /// A marketing send falls outside the recipient's allowed hours; retry at
    /// [`Error::retry_at`].
    QuietHours,
    /// The recipient's number gives no time zone to apply quiet hours in.
    NoRecipientZone,
    /// No instant in the search horizon is allowed by the quiet-hours rules.
    NoAllowedTime,
    /// A tenant's quiet-hours rules were invalid.
    InvalidQuietHoursPolicy,
    /// A rate limit refused the request; retry after [`Error::retry_after`].
    RateLimited,
    /// A rate-limit quota was invalid.
    InvalidQuota,
    /// The tenant's plan does not allow this.
    PlanLimit,
    /// A campaign definition is missing its id or content, or has a bad one.
    InvalidCampaign,
    /// The campaign is cancelled or completed.
    CampaignFinished,
    /// A CSV file has no header, no phone column, a bad mapping, or a record
    /// that cannot be read.
    InvalidImport,
    /// The caller stopped the import; what it imported before stays.
    Cancelled,
    /// No tenant is configured for the number, slug or id.
    UnknownTenant,
    /// No contact with that number or id: a send to a number never seen.
    UnknownContact,
    /// No such conversation.
    UnknownConversation,
    /// No such message.
    UnknownMessage,
    /// No campaign with that id.
    UnknownCampaign,
    /// A workflow definition does not check.
    InvalidWorkflow,
    /// An automation rule does not check, or shares its id with another.
    InvalidRule,
    /// The contact has a live run of the workflow already.
    AlreadyRunning,
    /// No workflow with that id.
    UnknownWorkflow,
    /// No automation rule with that id.
    UnknownRule,
    /// No API key with that id.
    UnknownApiKey,
    /// No webhook endpoint with that id.
    UnknownWebhook,
    /// No media file with that id.
    UnknownMedia,
    /// No media store is configured: the embedder has not given one.
    NoMediaStore,
    /// The request's API key is missing, invalid, revoked or expired.
    Unauthorized,
    /// The request's API key is valid but lacks the scope the request needs.
    Forbidden,
    /// An API key could not be made as asked (no name, no scope, a past expiry).
    InvalidApiKeyRequest,
    /// An API request was out of bounds (a page too deep, a page size over 100).
    InvalidRequest,
    /// The operating system's random source failed.
    Randomness,
    /// The store failed; a database failure may be transient.
    Store,
    /// Other writers kept changing the same contact, or the write queue is
    /// full; try again.
    Busy,
    /// A payment link was asked for, and the embedder gave no payment
    /// provider.
    NoPaymentLinks,
    /// The embedder's payment provider failed.
    PaymentProvider,
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
            ErrorKind::InvalidTransition => "invalid_transition",
            ErrorKind::InvalidConversationRecord => "invalid_conversation_record",
            ErrorKind::OutsideWindow => "outside_window",
            ErrorKind::InvalidContent => "invalid_content",
            ErrorKind::InvalidMedia => "invalid_media",
            ErrorKind::MediaTooLarge => "media_too_large",
            ErrorKind::InvalidStatus => "invalid_status",
            ErrorKind::QuietHours => "quiet_hours",
            ErrorKind::NoRecipientZone => "no_recipient_zone",
            ErrorKind::NoAllowedTime => "no_allowed_time",
            ErrorKind::InvalidQuietHoursPolicy => "invalid_quiet_hours_policy",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::InvalidQuota => "invalid_quota",
            ErrorKind::PlanLimit => "plan_limit",
            ErrorKind::InvalidCampaign => "invalid_campaign",
            ErrorKind::CampaignFinished => "campaign_finished",
            ErrorKind::InvalidImport => "invalid_import",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::UnknownTenant => "unknown_tenant",
            ErrorKind::UnknownContact => "unknown_contact",
            ErrorKind::UnknownConversation => "unknown_conversation",
            ErrorKind::UnknownMessage => "unknown_message",
            ErrorKind::UnknownCampaign => "unknown_campaign",
            ErrorKind::InvalidWorkflow => "invalid_workflow",
            ErrorKind::InvalidRule => "invalid_rule",
            ErrorKind::AlreadyRunning => "already_running",
            ErrorKind::UnknownWorkflow => "unknown_workflow",
            ErrorKind::UnknownRule => "unknown_rule",
            ErrorKind::UnknownApiKey => "unknown_api_key",
            ErrorKind::UnknownWebhook => "unknown_webhook",
            ErrorKind::UnknownMedia => "unknown_media",
            ErrorKind::NoMediaStore => "no_media_store",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::InvalidApiKeyRequest => "invalid_api_key_request",
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::Randomness => "randomness",
            ErrorKind::Store => "store",
            ErrorKind::Busy => "busy",
            ErrorKind::NoPaymentLinks => "no_payment_links",
            ErrorKind::PaymentProvider => "payment_provider",
        }
    }

    /// The HTTP status a server built on msgcore should answer with.
    ///
    /// Policy refusals (consent, the WhatsApp window, plan limits) are 403: the
    /// request is understood and will not be carried out as it stands. Refusals
    /// that lift with time (rate limits, quiet hours) are 429, so that a client
    /// honouring `Retry-After` comes back at the right moment. A request that
    /// conflicts with a record's state is 409; a media file over the size
    /// limit is 413; a fault in msgcore's own configuration or stored data is
    /// 500; a media store or payment provider the embedder never gave is
    /// 501, and a payment provider that failed is 502; everything else is a
    /// bad request.
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorKind::OptedOut
            | ErrorKind::OutsideWindow
            | ErrorKind::PlanLimit
            | ErrorKind::Forbidden => 403,
            ErrorKind::Conflict
            | ErrorKind::InvalidTransition
            | ErrorKind::CampaignFinished
            | ErrorKind::AlreadyRunning => 409,
            ErrorKind::RateLimited | ErrorKind::QuietHours => 429,
            ErrorKind::InvalidSignature | ErrorKind::Unauthorized => 401,
            ErrorKind::UnknownTenant
            | ErrorKind::UnknownContact
            | ErrorKind::UnknownConversation
            | ErrorKind::UnknownMessage
            | ErrorKind::UnknownCampaign
            | ErrorKind::UnknownWorkflow
            | ErrorKind::UnknownRule
            | ErrorKind::UnknownApiKey
            | ErrorKind::UnknownWebhook
            | ErrorKind::UnknownMedia => 404,
            ErrorKind::MediaTooLarge => 413,
            ErrorKind::NoMediaStore => 501,
            ErrorKind::Busy => 503,
            ErrorKind::NoPaymentLinks => 501,
            ErrorKind::PaymentProvider => 502,
            ErrorKind::Store | ErrorKind::Randomness => 500,
            ErrorKind::SignatureMisconfigured | ErrorKind::InvalidConversationRecord => 500,
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
            Error::Transition(_) => ErrorKind::InvalidTransition,
            Error::ConversationRecord(_) => ErrorKind::InvalidConversationRecord,
            Error::Window(_) => ErrorKind::OutsideWindow,
            Error::Content(_) => ErrorKind::InvalidContent,
            Error::Media(MediaError::TooLarge { .. }) => ErrorKind::MediaTooLarge,
            Error::Media(_) => ErrorKind::InvalidMedia,
            Error::DeliveryStatus(_) => ErrorKind::InvalidStatus,
            Error::QuietHours(_) => ErrorKind::QuietHours,
            Error::QuietHoursRecipient(QuietHoursError::NoRecipientZone { .. }) => {
                ErrorKind::NoRecipientZone
            }
            Error::QuietHoursRecipient(_) => ErrorKind::NoAllowedTime,
            Error::QuietHoursPolicy(_) => ErrorKind::InvalidQuietHoursPolicy,
            Error::RateLimited(_) => ErrorKind::RateLimited,
            Error::Quota(_) => ErrorKind::InvalidQuota,
            Error::PlanLimit(_) => ErrorKind::PlanLimit,
            Error::Campaign(_) => ErrorKind::InvalidCampaign,
            Error::CampaignFinished(_) => ErrorKind::CampaignFinished,
            Error::Import(ImportError::Cancelled { .. }) => ErrorKind::Cancelled,
            Error::Import(_) => ErrorKind::InvalidImport,
            Error::NotFound(NotFound::Tenant(_)) => ErrorKind::UnknownTenant,
            Error::NotFound(NotFound::Contact(_)) => ErrorKind::UnknownContact,
            Error::NotFound(NotFound::Conversation(_)) => ErrorKind::UnknownConversation,
            Error::NotFound(NotFound::Message(_)) => ErrorKind::UnknownMessage,
            Error::NotFound(NotFound::Campaign(_)) => ErrorKind::UnknownCampaign,
            Error::NotFound(NotFound::Workflow(_)) => ErrorKind::UnknownWorkflow,
            Error::NotFound(NotFound::Rule(_)) => ErrorKind::UnknownRule,
            Error::Workflow(_) => ErrorKind::InvalidWorkflow,
            Error::Rule(_) | Error::RuleSet(_) | Error::UnknownEndpoint { .. } => {
                ErrorKind::InvalidRule
            }
            Error::AlreadyRunning { .. } => ErrorKind::AlreadyRunning,
            Error::NotFound(NotFound::ApiKey(_)) => ErrorKind::UnknownApiKey,
            Error::NotFound(NotFound::Webhook(_)) => ErrorKind::UnknownWebhook,
            Error::NotFound(NotFound::Media(_)) => ErrorKind::UnknownMedia,
            Error::ApiKey(KeyRefusal::MissingScope { .. }) => ErrorKind::Forbidden,
            Error::ApiKey(_) => ErrorKind::Unauthorized,
            Error::NewApiKey(_) => ErrorKind::InvalidApiKeyRequest,
            Error::Request(
                RequestError::ContactExists { .. } | RequestError::TooManyWebhooks { .. },
            ) => ErrorKind::Conflict,
            Error::Request(_) => ErrorKind::InvalidRequest,
            Error::PaymentLink(PaymentLinkError::NotConfigured) => ErrorKind::NoPaymentLinks,
            Error::PaymentLink(PaymentLinkError::Provider(_)) => ErrorKind::PaymentProvider,
            Error::PaymentLink(_) => ErrorKind::InvalidRequest,
            Error::Randomness(_) => ErrorKind::Randomness,
            Error::Store(StoreError::Taken { .. }) => ErrorKind::Conflict,
            Error::Store(StoreError::Overloaded { .. }) => ErrorKind::Busy,
            Error::Store(_) => ErrorKind::Store,
            // Its messages name paths: the API says no more than for a database.
            Error::MediaStore(_) => ErrorKind::Store,
            Error::NoMediaStore => ErrorKind::NoMediaStore,
            Error::Busy { .. } => ErrorKind::Busy,
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

    /// Whether trying the same thing again later may succeed: refusals that lift
    /// with time (a rate limit, quiet hours), contention, and database failures.
    /// Everything else gives the same answer for the same input.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Busy { .. } => true,
            Error::PaymentLink(PaymentLinkError::Provider(_)) => true,
            Error::Store(error) => error.is_retryable(),
            _ => self.retry_after().is_some() || self.retry_at().is_some(),
        }
    }

    /// How long to wait before the same request would be allowed, for a rate limit.
    /// `RateLimited::retry_after_header` renders it for HTTP's `Retry-After`.
    pub fn retry_after(&self) -> Option<TimeDelta> {
        match self {
            Error::RateLimited(limited) => Some(limited.retry_after),
            _ => None,
        }
    }

    /// The instant from which the same send is allowed, for a quiet-hours hold.
    pub fn retry_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Error::QuietHours(hold) => Some(hold.until),
            _ => None,
        }
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

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
    }

    #[test]
    fn an_illegal_conversation_move_is_a_conflict() {
        use crate::core::conversation::{Event, Status, transition};
        let error = Error::from(transition(Status::Resolved, &Event::Resolve).unwrap_err());
        assert_eq!(
            (error.kind(), error.http_status()),
            (ErrorKind::InvalidTransition, 409)
        );
        assert!(!error.is_retryable());
    }

    #[test]
    fn free_text_outside_the_whatsapp_window_is_a_forbidden_outside_window() {
        use crate::core::message::ContentKind;
        use crate::core::window::{WindowState, may_send};
        let never_wrote = WindowState::default();
        let refused = may_send(
            crate::Channel::WhatsApp,
            ContentKind::Text,
            &never_wrote,
            at("2026-01-01T00:00:00Z"),
        );
        let error = Error::from(refused.unwrap_err());
        assert_eq!(
            (error.kind().as_str(), error.http_status()),
            ("outside_window", 403)
        );
    }

    #[test]
    fn a_rate_limit_is_retryable_after_its_delay() {
        use crate::core::ratelimit::{KeyedLimiter, Quota, RateScope};
        let mut sends = KeyedLimiter::new(RateScope::Sends, Quota::sends_per_recipient());
        let now = at("2026-01-01T12:00:00Z");
        for _ in 0..20 {
            sends.check("+14155550100", now).unwrap();
        }
        let error = Error::from(sends.check("+14155550100", now).unwrap_err());
        assert_eq!(
            (error.kind().as_str(), error.http_status()),
            ("rate_limited", 429)
        );
        assert!(error.is_retryable());
        assert_eq!(error.retry_after(), Some(TimeDelta::minutes(3)));
    }

    #[test]
    fn a_quiet_hours_hold_is_retryable_at_the_instant_it_lifts() {
        use crate::core::quiet_hours::{QuietHoursPolicy, SendKind};
        let miami = crate::E164::parse("+13055551234", None).unwrap();
        // 20:30 in Miami (EST, UTC-5): Florida's window closed at 20:00.
        let decision = QuietHoursPolicy::spec()
            .decide(&miami, SendKind::Marketing, at("2026-01-16T01:30:00Z"), &[])
            .unwrap();
        let error = Error::from(decision.into_result().unwrap_err());
        assert_eq!(
            (error.kind().as_str(), error.http_status()),
            ("quiet_hours", 429)
        );
        assert_eq!(error.retry_at(), Some(at("2026-01-16T13:00:00Z")));
        assert!(error.is_retryable());
    }

    #[test]
    fn a_broadcast_over_the_plan_is_forbidden_and_waiting_does_not_help() {
        use crate::core::plan::PlanLimits;
        let error = Error::from(PlanLimits::starter().check_broadcast(1001).unwrap_err());
        assert_eq!(
            (error.kind().as_str(), error.http_status()),
            ("plan_limit", 403)
        );
        assert!(!error.is_retryable());
    }

    #[test]
    fn media_over_the_limit_is_413_unknown_media_404_and_no_store_501() {
        use crate::core::message::media::check_upload;
        let big = vec![0xFF; crate::core::message::media::MAX_MEDIA_BYTES + 1];
        let too_large = Error::from(check_upload(&big).unwrap_err());
        assert_eq!(
            (too_large.kind().as_str(), too_large.http_status()),
            ("media_too_large", 413)
        );
        let text = Error::from(check_upload(b"plain text").unwrap_err());
        assert_eq!(
            (text.kind(), text.http_status()),
            (ErrorKind::InvalidMedia, 400)
        );
        let unknown = Error::from(NotFound::Media("x".into()));
        assert_eq!(
            (unknown.kind(), unknown.http_status()),
            (ErrorKind::UnknownMedia, 404)
        );
        assert_eq!(Error::NoMediaStore.http_status(), 501);
        let io = MediaStoreError::Io {
            action: "read",
            path: "/srv/media/x.json".into(),
            source: std::io::Error::other("disk"),
        };
        assert_eq!(Error::from(io).kind(), ErrorKind::Store);
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
            ErrorKind::InvalidTransition,
            ErrorKind::InvalidConversationRecord,
            ErrorKind::OutsideWindow,
            ErrorKind::InvalidContent,
            ErrorKind::InvalidMedia,
            ErrorKind::InvalidStatus,
            ErrorKind::QuietHours,
            ErrorKind::NoRecipientZone,
            ErrorKind::NoAllowedTime,
            ErrorKind::InvalidQuietHoursPolicy,
            ErrorKind::RateLimited,
            ErrorKind::InvalidQuota,
            ErrorKind::PlanLimit,
            ErrorKind::InvalidCampaign,
            ErrorKind::CampaignFinished,
            ErrorKind::UnknownCampaign,
            ErrorKind::InvalidWorkflow,
            ErrorKind::InvalidRule,
            ErrorKind::AlreadyRunning,
            ErrorKind::UnknownWorkflow,
            ErrorKind::UnknownRule,
            ErrorKind::MediaTooLarge,
            ErrorKind::UnknownMedia,
            ErrorKind::NoMediaStore,
        ];
        let names: std::collections::HashSet<_> = kinds.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), kinds.len());
        for kind in kinds {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
