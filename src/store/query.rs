//! Inbox queries and the outcomes a dispatcher records.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::channel::Channel;
use crate::core::conversation::{AgentId, Status};
use crate::core::phone::E164;
use crate::model::{Contact, ConversationRecord, MessageRecord, ProviderName};

/// A filter over a tenant's conversations; empty fields match everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConversationQuery {
    /// Only this status.
    pub status: Option<Status>,
    /// Only conversations assigned to this agent.
    pub assignee: Option<AgentId>,
    /// Only conversations whose latest message used this channel.
    pub channel: Option<Channel>,
    /// Only contacts whose name contains this text (case-insensitively) or whose
    /// number contains its digits.
    pub search: Option<String>,
    /// Only starred conversations.
    pub starred_only: bool,
    /// Include archived conversations (deleted ones are never listed).
    pub include_archived: bool,
    /// At most this many.
    pub limit: usize,
}

impl Default for ConversationQuery {
    fn default() -> Self {
        ConversationQuery {
            status: None,
            assignee: None,
            channel: None,
            search: None,
            starred_only: false,
            include_archived: false,
            limit: 50,
        }
    }
}

/// A row of the inbox list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationSummary {
    /// The conversation.
    pub conversation: ConversationRecord,
    /// Its contact's name.
    pub contact_name: Option<String>,
    /// Its contact's number.
    pub contact_phone: E164,
}

/// An inbox action on many conversations at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    /// Clear the unread count.
    MarkRead,
    /// Star.
    Star,
    /// Remove the star.
    Unstar,
    /// Archive.
    Archive,
    /// Bring back from the archive.
    Unarchive,
    /// Delete (hidden from every list; messages are kept for audit and dedupe).
    Delete,
}

/// What happened when a dispatcher handed an outbox item to a carrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum DispatchOutcome {
    /// The carrier accepted it.
    Sent {
        /// The carrier.
        provider: ProviderName,
        /// Its id for the message.
        provider_message_id: String,
    },
    /// A retryable failure: claimable again from `at`.
    Retry {
        /// When to try again.
        at: DateTime<Utc>,
        /// The carrier's error.
        error: String,
    },
    /// A permanent failure (or retries ran out).
    Failed {
        /// The carrier's error code, if it gave one.
        code: Option<String>,
        /// The carrier's error.
        error: String,
    },
}

/// What deciding about an inbound message reads before anything else, from
/// [`Store::inbound_reads`](super::Store::inbound_reads).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InboundReads {
    /// The message stored already with the same provider message id: the
    /// webhook is a retry.
    pub stored: Option<MessageRecord>,
    /// The contact with the sender's number.
    pub contact: Option<Contact>,
    /// That contact's most recently created conversation.
    pub latest: Option<ConversationRecord>,
}

/// One status callback's write, for
/// [`Store::record_statuses`](super::Store::record_statuses).
#[derive(Debug, Clone, PartialEq)]
pub struct StatusWrite {
    /// The message's tenant.
    pub tenant: crate::model::TenantId,
    /// The message.
    pub message: crate::model::MessageId,
    /// What the provider reported.
    pub update: crate::core::delivery::StatusUpdate,
    /// The provider's pricing, if it gave one.
    pub pricing: Option<crate::core::usage::Pricing>,
}

/// One send's outcome to record, for
/// [`Store::finish_outboxes`](super::Store::finish_outboxes): the arguments of
/// [`Store::finish_outbox`](super::Store::finish_outbox).
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxFinish {
    /// The message's tenant.
    pub tenant: crate::model::TenantId,
    /// The message.
    pub message: crate::model::MessageId,
    /// The item's `attempts` when it was claimed.
    pub attempt: u32,
    /// What the carrier's answer led to.
    pub outcome: DispatchOutcome,
    /// When.
    pub now: DateTime<Utc>,
}

impl StatusWrite {
    /// Merges it with [`Store::record_status`](super::Store::record_status),
    /// in a transaction of its own.
    pub(crate) async fn record_in<S: super::Store + ?Sized>(
        &self,
        store: &S,
    ) -> Result<Option<crate::core::delivery::Delivery>, super::StoreError> {
        let pricing = self.pricing.as_ref();
        store
            .record_status(self.tenant, self.message, &self.update, pricing)
            .await
    }
}

impl OutboxFinish {
    /// Records it with [`Store::finish_outbox`](super::Store::finish_outbox),
    /// in a transaction of its own.
    pub(crate) async fn record_in<S: super::Store + ?Sized>(
        &self,
        store: &S,
    ) -> Result<bool, super::StoreError> {
        store
            .finish_outbox(
                self.tenant,
                self.message,
                self.attempt,
                &self.outcome,
                self.now,
            )
            .await
    }
}
