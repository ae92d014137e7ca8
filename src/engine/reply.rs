//! Queuing an outbound message inside a changeset: the message, its outbox item
//! and its event, written together.

use chrono::{DateTime, Utc};

use crate::core::channel::Channel;
use crate::core::delivery::Delivery;
use crate::core::message::Content;
use crate::model::{
    Contact, ConversationRecord, Direction, IdSource, InboxEvent, MessageBody, MessageId,
    MessageOrigin, MessageRecord, OutboxItem, Tenant,
};
use crate::store::Changeset;

/// What to queue.
pub(crate) struct Outgoing {
    pub(crate) channel: Channel,
    pub(crate) content: Content,
    pub(crate) origin: MessageOrigin,
    pub(crate) client_id: Option<String>,
}

/// Adds the message, its outbox item and a `MessageQueued` event to `changes`;
/// the message as queued.
pub(crate) fn queue(
    changes: &mut Changeset,
    ids: &dyn IdSource,
    tenant: &Tenant,
    contact: &Contact,
    conversation: &ConversationRecord,
    outgoing: Outgoing,
    now: DateTime<Utc>,
) -> MessageRecord {
    let id = MessageId::from_uuid(ids.next_id());
    let message = MessageRecord {
        id,
        tenant: tenant.id,
        conversation: conversation.id,
        contact: contact.id,
        direction: Direction::Outbound,
        channel: outgoing.channel,
        origin: outgoing.origin,
        provider: None,
        provider_message_id: None,
        client_id: outgoing.client_id,
        body: MessageBody::Outbound(outgoing.content.clone()),
        created_at: now,
        delivery: Delivery::default(),
        tags: Vec::new(),
    };
    changes.outbox.push(OutboxItem::pending(
        id,
        tenant.id,
        outgoing.channel,
        contact.phone,
        tenant.number_for(outgoing.channel).copied(),
        outgoing.content,
        now,
    ));
    changes.push_event(
        now,
        InboxEvent::MessageQueued {
            message: id,
            conversation: conversation.id,
        },
    );
    changes.messages.push(message.clone());
    message
}
