//! Outbound messages committed to the outbox the way the inbox would, for the
//! tests that drain it.

use chrono::{DateTime, Utc};
use msgcore::E164;
use msgcore::core::channel::Channel;
use msgcore::core::conversation::Conversation;
use msgcore::core::delivery::Delivery;
use msgcore::core::message::Content;
use msgcore::model::{
    ContactId, ConversationFlags, ConversationId, ConversationRecord, Direction, MessageBody,
    MessageId, MessageOrigin, MessageRecord, OutboxItem, TenantId,
};
use msgcore::store::Changeset;
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
        billing: None,
    }
}

/// An agent's SMS in `conversation` to `phone`, queued in `changes` as the inbox
/// would: the message and its outbox item. Returns the message's id.
pub fn queue_agent_sms(
    changes: &mut Changeset,
    conversation: &ConversationRecord,
    phone: E164,
    content: Content,
    at: DateTime<Utc>,
) -> MessageId {
    let message = agent_sms(conversation, content.clone(), at);
    let id = message.id;
    changes.outbox.push(OutboxItem::pending(
        id,
        conversation.tenant,
        Channel::Sms,
        phone,
        None,
        content,
        at,
    ));
    changes.messages.push(message);
    id
}
