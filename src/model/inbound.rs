//! An inbound message as every provider's webhook parser produces it:
//! provider-neutral, ready for [`Inbox::handle_inbound`](crate::engine::Inbox::handle_inbound).

use serde::{Deserialize, Serialize};

use super::contact::{Referral, WhatsAppIds};
use super::ids::TenantId;
use super::message::InboundContent;
use super::tenant::ProviderName;
use crate::core::channel::Channel;
use crate::core::phone::E164;
use crate::core::window::InboundKind;

/// Which tenant an inbound message is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantRef {
    /// By id.
    Id(TenantId),
    /// By the slug in the webhook URL (`/twilio/{slug}/sms`).
    Slug(String),
    /// By the number the message was sent to.
    Number(E164),
}

impl std::fmt::Display for TenantRef {
    /// `id …`, `slug demo` or `number +14155550199`: for logs and errors.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TenantRef::Id(id) => write!(f, "id {id}"),
            TenantRef::Slug(slug) => write!(f, "slug {slug}"),
            TenantRef::Number(number) => write!(f, "number {number}"),
        }
    }
}

/// A message from a contact, as every provider's webhook parser produces it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboundMessage {
    /// The tenant it is for.
    pub tenant: TenantRef,
    /// The provider it came through.
    pub provider: ProviderName,
    /// The provider's id for it: with the tenant and provider, the deduplication key.
    pub provider_message_id: String,
    /// The channel.
    pub channel: Channel,
    /// The contact's number.
    pub from: E164,
    /// A message, a reaction or a call.
    pub kind: InboundKind,
    /// What it carries.
    pub content: InboundContent,
    /// The ad or button that brought the contact, if any.
    pub referral: Option<Referral>,
    /// The name in the contact's WhatsApp profile, if the provider sent it.
    pub profile_name: Option<String>,
    /// How WhatsApp knows the sender beyond `from`, if the provider said.
    #[serde(default, skip_serializing_if = "WhatsAppIds::is_empty")]
    pub whatsapp: WhatsAppIds,
}

impl InboundMessage {
    /// A plain text message, without referral or profile name: what most tests,
    /// simulations and hand-written integrations send. Set the other fields with
    /// struct update syntax.
    pub fn text(
        tenant: TenantRef,
        provider: ProviderName,
        provider_message_id: impl Into<String>,
        channel: Channel,
        from: E164,
        text: impl Into<String>,
    ) -> InboundMessage {
        InboundMessage {
            tenant,
            provider,
            provider_message_id: provider_message_id.into(),
            channel,
            from,
            kind: InboundKind::Message,
            content: InboundContent {
                text: Some(text.into()),
                ..InboundContent::default()
            },
            referral: None,
            profile_name: None,
            whatsapp: WhatsAppIds::default(),
        }
    }
}
