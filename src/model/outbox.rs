//! The outbox: outbound messages waiting for a dispatcher.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{MessageId, TenantId};
use super::message::MessageRecord;
use super::tenant::ProviderName;
use crate::core::channel::Channel;
use crate::core::message::Content;
use crate::core::phone::E164;

/// Where an outbox item is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting to be claimed at or after `available_at`.
    Pending,
    /// Claimed by a dispatcher until `lease_until`; if that passes without an
    /// outcome (the dispatcher died), the item is claimable again and is sent
    /// with the same idempotency key.
    InFlight {
        /// When the claim lapses.
        lease_until: DateTime<Utc>,
    },
    /// The carrier accepted it.
    Sent {
        /// The provider's id for the message.
        provider_message_id: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The carrier refused it for good, or retries ran out.
    Failed {
        /// The carrier's error, as text.
        error: String,
        /// When.
        at: DateTime<Utc>,
    },
}

/// One outbound message to hand to a carrier; written in the same transaction as
/// the message it sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// The message it sends (one outbox item per message).
    pub message: MessageId,
    /// Its tenant.
    pub tenant: TenantId,
    /// The channel.
    pub channel: Channel,
    /// The recipient.
    pub to: E164,
    /// The tenant's number to send from, if it has one for the channel.
    pub from: Option<E164>,
    /// What to send.
    pub content: Content,
    /// Sent with every attempt so the carrier (or a test carrier) can drop a
    /// repeat: the message id, as text.
    pub idempotency_key: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// Not to be claimed before this instant (retry backoff).
    pub available_at: DateTime<Utc>,
    /// Its state.
    pub state: OutboxState,
    /// The message this one answers, for providers that thread replies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<ReplyTo>,
    /// The recipient's WhatsApp id when it is not `to`'s digits
    /// ([`WhatsAppIds::wa_id`](super::WhatsAppIds::wa_id)): WhatsApp sends go to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
}

/// The message a reply answers, as its provider knows it: WhatsApp shows the
/// reply quoting it (Meta's `context.message_id`), where the reply goes through
/// the same provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTo {
    /// The provider that carried the message answered.
    pub provider: ProviderName,
    /// Its id for that message (a `wamid.…` on Meta).
    pub message_id: String,
}

impl ReplyTo {
    /// The provider reference of `message`, if a provider carried it.
    pub fn of(message: &MessageRecord) -> Option<ReplyTo> {
        Some(ReplyTo {
            provider: message.provider.clone()?,
            message_id: message.provider_message_id.clone()?,
        })
    }
}

/// An outbound message and its outbox item, written together.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedMessage {
    /// The message, as the inbox keeps it.
    pub message: MessageRecord,
    /// What the dispatcher sends.
    pub item: OutboxItem,
}

impl OutboxItem {
    /// A new pending item for `message`, available at `now`.
    pub fn pending(
        message: MessageId,
        tenant: TenantId,
        channel: Channel,
        to: E164,
        from: Option<E164>,
        content: Content,
        now: DateTime<Utc>,
    ) -> OutboxItem {
        OutboxItem {
            message,
            tenant,
            channel,
            to,
            from,
            content,
            idempotency_key: message.to_string(),
            attempts: 0,
            available_at: now,
            state: OutboxState::Pending,
            reply_to: None,
            wa_id: None,
        }
    }

    /// The same item, answering `reply_to`.
    pub fn replying_to(mut self, reply_to: Option<ReplyTo>) -> OutboxItem {
        self.reply_to = reply_to;
        self
    }

    /// The item sent on WhatsApp to `wa_id` rather than to `to`'s digits.
    pub fn to_wa_id(mut self, wa_id: Option<String>) -> OutboxItem {
        self.wa_id = wa_id;
        self
    }

    /// The WhatsApp id the item goes to: its own, or `to`'s digits.
    pub fn whatsapp_recipient(&self) -> &str {
        self.wa_id.as_deref().unwrap_or(self.to.wa_id())
    }
}
