//! Outbound messages committed to the outbox the way the inbox would, for the
//! tests that drain it.

use chrono::{DateTime, Utc};
use msgcore::core::channel::Channel;
use msgcore::core::conversation::Conversation;
use msgcore::core::delivery::Delivery;
use msgcore::core::message::Content;
use msgcore::model::{
    ContactId, ConversationFlags, ConversationId, ConversationRecord, Direction, MessageBody,
    MessageId, MessageOrigin, MessageRecord, TenantId,
};
use uuid::Uuid;

/// A new open SMS conversation with `contact`.
pub fn conversation(tenant: TenantId, contact: ContactId, at: DateTime<Utc>) -> ConversationRecord {
    ConversationRecord {
        id: ConversationId::from_uuid(Uuid::now_v7()),
        tenant,
        contact,
        state: Conversation::start(at),
        channel: Channel::Sms,
        survey: None,
        responder_context: None,
        flags: ConversationFlags::default(),
        created_at: at,
    }
}

/// An agent's SMS in `conversation`, not yet sent.
pub fn agent_sms(
    conversation: &ConversationRecord,
    content: Content,
    at: DateTime<Utc>,
) -> MessageRecord {
    MessageRecord {
        id: MessageId::from_uuid(Uuid::now_v7()),
        tenant: conversation.tenant,
        conversation: conversation.id,
        contact: conversation.contact,
        direction: Direction::Outbound,
        channel: Channel::Sms,
        origin: MessageOrigin::Agent,
        provider: None,
        provider_message_id: None,
        client_id: None,
        body: MessageBody::Outbound(content),
        created_at: at,
        delivery: Delivery::default(),
        tags: Vec::new(),
    }
}
