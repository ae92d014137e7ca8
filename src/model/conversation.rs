//! A conversation record: the core's status machine plus what an inbox shows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{ContactId, ConversationId, TenantId};
use crate::core::channel::Channel;
use crate::core::conversation::{Conversation, Status};
use crate::core::csat::Survey;

/// The inbox's per-conversation flags, changed in bulk by agents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationFlags {
    /// Inbound messages no agent has read.
    pub unread: u32,
    /// Starred by an agent.
    pub starred: bool,
    /// Archived (hidden from the default list).
    pub archived: bool,
    /// Deleted (hidden everywhere; kept for the audit trail and deduplication).
    pub deleted: bool,
}

/// One thread with one contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationRecord {
    /// Its id.
    pub id: ConversationId,
    /// Its tenant.
    pub tenant: TenantId,
    /// Its contact.
    pub contact: ContactId,
    /// Status, assignee and last activity, moved only by the core's transition
    /// table (deserializing re-checks its rule: an assignee exactly when `ASSIGNED`).
    pub state: Conversation,
    /// The channel of the latest message, where a reply goes by default.
    pub channel: Channel,
    /// The CSAT survey sent when it was resolved, if any.
    pub survey: Option<Survey>,
    /// The bot's or AI agent's guide and memory for this conversation.
    pub responder_context: Option<String>,
    /// The inbox flags.
    pub flags: ConversationFlags,
    /// When it started.
    pub created_at: DateTime<Utc>,
}

impl ConversationRecord {
    /// A conversation `id` of `contact` at `tenant`, started at `now` on
    /// `channel` in `state`, with no survey, guide or flags yet.
    pub fn new(
        id: ConversationId,
        tenant: TenantId,
        contact: ContactId,
        state: Conversation,
        channel: Channel,
        now: DateTime<Utc>,
    ) -> ConversationRecord {
        ConversationRecord {
            id,
            tenant,
            contact,
            state,
            channel,
            survey: None,
            responder_context: None,
            flags: ConversationFlags::default(),
            created_at: now,
        }
    }

    /// The status.
    pub fn status(&self) -> Status {
        self.state.status()
    }

    /// When the conversation last saw activity.
    pub fn last_activity_at(&self) -> DateTime<Utc> {
        self.state.last_activity_at()
    }
}
