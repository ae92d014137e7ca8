//! The error every provider's webhook parser returns.

/// Why a webhook body could not be parsed: the parameter or field it concerns,
/// named as the provider names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A field the provider always sends is missing.
    #[error("the webhook has no `{0}`")]
    Missing(&'static str),
    /// A field has a value that cannot be what the provider sends.
    #[error("the webhook's `{field}` is invalid: {reason}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Why.
        reason: String,
    },
}
