//! Queuing an outbound message: the message the inbox keeps and the outbox item
//! the dispatcher sends, made together.

use chrono::{DateTime, Utc};

use crate::core::channel::Channel;
use crate::core::delivery::Delivery;
use crate::core::message::Content;
use crate::core::usage::Billing;
use crate::model::{
    Contact, ConversationRecord, Direction, IdSource, InboxEvent, MessageBody, MessageId,
    MessageOrigin, MessageRecord, OutboxItem, QueuedMessage, ReplyTo, Tenant,
};

/// What to queue.
pub(crate) struct Outgoing {
    pub(crate) channel: Channel,
    pub(crate) content: Content,
    pub(crate) origin: MessageOrigin,
    pub(crate) client_id: Option<String>,
    pub(crate) reply_to: Option<ReplyTo>,
}

impl Outgoing {
    /// `content` on `channel` from `origin`, with no client id and no thread.
    pub(crate) fn new(channel: Channel, content: Content, origin: MessageOrigin) -> Outgoing {
        Outgoing {
            channel,
            content,
            origin,
            client_id: None,
            reply_to: None,
        }
    }
}

/// The message to `contact` in `conversation`, sent from the tenant's number for
/// the channel, with its outbox item.
pub(crate) fn queue_message(
    ids: &dyn IdSource,
    tenant: &Tenant,
    contact: &Contact,
    conversation: &ConversationRecord,
    outgoing: Outgoing,
    now: DateTime<Utc>,
) -> QueuedMessage {
    let id = MessageId::from_uuid(ids.next_id());
    let item = OutboxItem::pending(
        id,
        tenant.id,
        outgoing.channel,
        contact.phone,
        tenant.number_for(outgoing.channel).copied(),
        outgoing.content.clone(),
        now,
    )
    .replying_to(outgoing.reply_to)
    .to_wa_id(contact.whatsapp.wa_id.clone());
    let free_entry = contact.whatsapp_window.is_free(now);
    let billing = Billing::of(
        outgoing.channel,
        &contact.phone,
        &outgoing.content,
        free_entry,
    );
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
        body: MessageBody::Outbound(outgoing.content),
        created_at: now,
        delivery: Delivery::default(),
        tags: Vec::new(),
        billing: Some(billing),
    };
    QueuedMessage { message, item }
}

/// The event that says `queued` is on its way.
pub(crate) fn queued_event(queued: &QueuedMessage) -> InboxEvent {
    InboxEvent::MessageQueued {
        message: queued.message.id,
        conversation: queued.message.conversation,
    }
}
