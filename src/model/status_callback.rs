//! A delivery status callback as every provider's webhook parser produces it:
//! provider-neutral, ready for [`Inbox::on_status`](crate::engine::Inbox::on_status).

use serde::{Deserialize, Serialize};

use super::ids::MessageId;
use super::inbound::TenantRef;
use super::tenant::ProviderName;
use crate::core::delivery::StatusUpdate;
pub use crate::core::usage::{Pricing, PricingCategory};

/// Which message a status callback is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageRef {
    /// By msgcore's id.
    Id(MessageId),
    /// By the provider's id for it.
    Provider {
        /// The provider.
        provider: ProviderName,
        /// Its id for the message.
        id: String,
    },
    /// By the caller's client id.
    Client(String),
}

/// A status callback, provider-neutral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusCallback {
    /// The tenant.
    pub tenant: TenantRef,
    /// The message.
    pub message: MessageRef,
    /// The status, its time and any error code.
    pub update: StatusUpdate,
    /// Whether the provider says the recipient has opted out (Twilio 21610,
    /// Telnyx 40300): consent is withdrawn on the message's channel.
    pub opted_out: bool,
    /// How the provider bills the message, when it says (Meta's `pricing`).
    #[serde(default)]
    pub pricing: Option<Pricing>,
}
