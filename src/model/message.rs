//! A message record, inbound or outbound.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{ContactId, ConversationId, MessageId, TenantId};
use super::tenant::ProviderName;
use crate::core::channel::Channel;
use crate::core::delivery::Delivery;
use crate::core::message::Content;
use crate::core::usage::Billing;

/// Which way a message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the contact.
    Inbound,
    /// To the contact.
    Outbound,
}

/// Who or what produced an outbound message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageOrigin {
    /// The contact (every inbound message).
    Contact,
    /// An agent or the tenant's API.
    Agent,
    /// A STOP/START/HELP confirmation the library sent by itself.
    KeywordReply,
    /// The CSAT survey the library sent when the conversation was resolved.
    CsatSurvey,
    /// The flow bot or AI agent ([`Responder`](crate::engine::Responder)).
    Responder,
    /// A campaign or automation.
    Automation,
}

impl MessageOrigin {
    /// Whether the library queued this message by itself (`msgctl simulate`'s
    /// `replies`).
    pub fn is_automatic_reply(self) -> bool {
        matches!(
            self,
            MessageOrigin::KeywordReply | MessageOrigin::CsatSurvey
        )
    }
}

/// A media attachment of an inbound message, as the provider describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRef {
    /// Where to fetch it (Twilio, Telnyx) or the media id (Meta).
    pub url: String,
    /// The MIME type the provider reported.
    pub content_type: Option<String>,
}

/// What a contact sent: provider content is whatever it is, so it is kept as
/// received rather than validated like outbound [`Content`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InboundContent {
    /// The text, or a caption.
    pub text: Option<String>,
    /// Attachments.
    pub media: Vec<MediaRef>,
    /// A type the parser does not know, with the provider's raw JSON (SPEC §11
    /// step 2: kept, never an error).
    pub unsupported: Option<serde_json::Value>,
}

/// A message's content, by direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "direction", rename_all = "snake_case")]
pub enum MessageBody {
    /// What the contact sent.
    Inbound(InboundContent),
    /// What is sent to the contact, validated.
    Outbound(Content),
}

/// One message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageRecord {
    /// Its id.
    pub id: MessageId,
    /// Its tenant.
    pub tenant: TenantId,
    /// Its conversation.
    pub conversation: ConversationId,
    /// Its contact.
    pub contact: ContactId,
    /// Which way it went.
    pub direction: Direction,
    /// Its channel.
    pub channel: Channel,
    /// Who or what produced it.
    pub origin: MessageOrigin,
    /// The provider it came through or left by, once known.
    pub provider: Option<ProviderName>,
    /// The provider's id for it, once known; (tenant, provider, provider message
    /// id) is unique, which is what makes webhook retries harmless.
    pub provider_message_id: Option<String>,
    /// The caller's id for an outbound message; (tenant, client id) is unique, so a
    /// retried API call queues one message.
    pub client_id: Option<String>,
    /// The content.
    pub body: MessageBody,
    /// When it was received or queued.
    pub created_at: DateTime<Utc>,
    /// Its delivery status (outbound), merged from every status callback.
    pub delivery: Delivery,
    /// Tags auto-tagging gave it (inbound).
    pub tags: Vec<String>,
    /// What an outbound message is billed as (SPEC §16), decided when it was
    /// queued and corrected by the provider's pricing; none for inbound ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<Billing>,
}

impl MessageRecord {
    /// The text of a text message or an inbound message's text or caption.
    pub fn text(&self) -> Option<&str> {
        match &self.body {
            MessageBody::Inbound(content) => content.text.as_deref(),
            MessageBody::Outbound(Content::Text(text)) => Some(text.as_str()),
            MessageBody::Outbound(_) => None,
        }
    }
}
