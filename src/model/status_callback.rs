//! A delivery status callback as every provider's webhook parser produces it:
//! provider-neutral, ready for [`Inbox::on_status`](crate::engine::Inbox::on_status).

use serde::{Deserialize, Serialize};

use super::ids::MessageId;
use super::inbound::TenantRef;
use super::tenant::ProviderName;
use crate::core::delivery::StatusUpdate;

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

/// What a WhatsApp message is billed as (Meta's `pricing` object on statuses),
/// for usage records by category (SPEC §16).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pricing {
    /// Whether the message is charged.
    pub billable: Option<bool>,
    /// Its pricing category.
    pub category: PricingCategory,
    /// Meta's pricing model (`PMP`, per-message pricing; `CBP` before it).
    pub model: Option<String>,
}

/// A WhatsApp pricing category.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PricingCategory {
    /// Marketing templates.
    Marketing,
    /// Utility templates (order updates, reminders).
    Utility,
    /// Authentication templates (one-time codes).
    Authentication,
    /// Authentication templates to some countries, priced apart.
    AuthenticationInternational,
    /// Free-form messages in the customer-service window.
    Service,
    /// Messages in a conversation a Click-to-WhatsApp ad opened (free).
    ReferralConversion,
    /// A category Meta added after this was written, by its name.
    Other(String),
}

impl PricingCategory {
    /// The category Meta names `name`.
    pub fn from_meta(name: &str) -> PricingCategory {
        match name {
            "marketing" => PricingCategory::Marketing,
            "utility" => PricingCategory::Utility,
            "authentication" => PricingCategory::Authentication,
            "authentication_international" | "authentication-international" => {
                PricingCategory::AuthenticationInternational
            }
            "service" => PricingCategory::Service,
            "referral_conversion" => PricingCategory::ReferralConversion,
            other => PricingCategory::Other(other.to_owned()),
        }
    }
}
