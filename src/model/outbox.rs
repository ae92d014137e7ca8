//! The outbox: outbound messages waiting for a dispatcher.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{MessageId, TenantId};
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
        }
    }
}
