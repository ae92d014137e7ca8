//! Why a carrier did not take a message: what the provider said, and whether
//! trying again can help.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::tenant::ProviderName;

/// Why a carrier did not take a message.
///
/// The [`kind`](CarrierError::kind) decides what happens next: a transient
/// refusal is retried with backoff (no sooner than `retry_after`), a permanent one
/// fails the message, and an opt-out fails it and withdraws the recipient's
/// consent on the channel.
///
/// ```
/// use chrono::TimeDelta;
/// use msgcore::model::{CarrierError, ProviderName};
///
/// let busy = CarrierError::transient(ProviderName::TWILIO, "Too Many Requests", Some(TimeDelta::seconds(30)))
///     .with_code("20429");
/// assert!(busy.is_transient());
/// assert_eq!(busy.retry_after(), Some(TimeDelta::seconds(30)));
/// assert_eq!(busy.to_string(), "twilio refused the message (20429): Too Many Requests");
///
/// let stop = CarrierError::opted_out(ProviderName::TELNYX, "recipient opted out").with_code("40300");
/// assert!(stop.is_permanent() && stop.is_opted_out());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{provider} refused the message{}: {message}", code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default())]
pub struct CarrierError {
    /// The provider.
    pub provider: ProviderName,
    /// The provider's error code (`"21610"`, `"131047"`), if it gave one.
    pub code: Option<String>,
    /// The provider's message.
    pub message: String,
    /// Whether trying again can help.
    pub kind: CarrierErrorKind,
}

/// Whether trying a refused message again can help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CarrierErrorKind {
    /// Trying again later may succeed: a rate limit, a timeout, a 5xx.
    Transient {
        /// How long the provider asked to wait, if it said.
        retry_after: Option<TimeDelta>,
    },
    /// It would fail again: a bad number, bad credentials, content the provider
    /// will not carry.
    Permanent,
    /// The recipient opted out (Twilio 21610, Telnyx 40300): never retried, and
    /// recorded as an opt-out on the channel (SPEC §2: provider signals count as
    /// keywords).
    OptedOut,
}

impl CarrierError {
    /// A refusal of `kind`, without a provider code.
    pub fn new(
        provider: ProviderName,
        kind: CarrierErrorKind,
        message: impl Into<String>,
    ) -> CarrierError {
        CarrierError {
            provider,
            code: None,
            message: message.into(),
            kind,
        }
    }

    /// A refusal that trying again later may overcome.
    pub fn transient(
        provider: ProviderName,
        message: impl Into<String>,
        retry_after: Option<TimeDelta>,
    ) -> CarrierError {
        CarrierError::new(
            provider,
            CarrierErrorKind::Transient { retry_after },
            message,
        )
    }

    /// A refusal that trying again will not overcome.
    pub fn permanent(provider: ProviderName, message: impl Into<String>) -> CarrierError {
        CarrierError::new(provider, CarrierErrorKind::Permanent, message)
    }

    /// A refusal because the recipient opted out.
    pub fn opted_out(provider: ProviderName, message: impl Into<String>) -> CarrierError {
        CarrierError::new(provider, CarrierErrorKind::OptedOut, message)
    }

    /// The same refusal, with the provider's error code.
    pub fn with_code(mut self, code: impl Into<String>) -> CarrierError {
        self.code = Some(code.into());
        self
    }

    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self.kind, CarrierErrorKind::Transient { .. })
    }

    /// Whether trying again would fail again (an opt-out included).
    pub fn is_permanent(&self) -> bool {
        !self.is_transient()
    }

    /// Whether the recipient opted out.
    pub fn is_opted_out(&self) -> bool {
        self.kind == CarrierErrorKind::OptedOut
    }

    /// How long the provider asked to wait before a retry, if it said (only a
    /// transient refusal has one).
    pub fn retry_after(&self) -> Option<TimeDelta> {
        match self.kind {
            CarrierErrorKind::Transient { retry_after } => retry_after,
            CarrierErrorKind::Permanent | CarrierErrorKind::OptedOut => None,
        }
    }
}
