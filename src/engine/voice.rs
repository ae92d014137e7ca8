//! Voice calls, provider-neutral: a caller's speech put to a responder, and the
//! call log a status callback leaves for automations.
//!
//! A call is not a conversation: what the caller says is shown to the responder
//! as a transient message in a transient conversation, and neither is stored —
//! transcripts do not become SMS messages, and the responder's answer is spoken on
//! the call, never queued as a text. Only the call log is stored.

use chrono::{DateTime, Utc};

use super::inbound::new_conversation;
use super::inbox::{Committed, Decided, Inbox};
use super::responder::{Responder, ResponderReply, ResponderRequest};
use crate::core::channel::Channel;
use crate::core::conversation::Conversation;
use crate::core::phone::E164;
use crate::error::Error;
use crate::model::{
    CallLog, CallSpeech, Contact, ContactId, ConversationRecord, Direction, InboundContent,
    InboxEvent, MessageBody, MessageId, MessageOrigin, MessageRecord, TenantId, TenantRef,
};
use crate::store::{Changeset, ContactWrite};

/// How many events one page of the duplicate check reads.
const EVENT_PAGE: usize = 500;

impl Inbox {
    /// Shows `responder` what the caller said — from the caller's contact if the
    /// tenant has one, else from a contact made up for the question and not
    /// stored — and returns its answer. Nothing is stored or queued.
    pub async fn respond_to_speech(
        &self,
        responder: &dyn Responder,
        speech: &CallSpeech,
    ) -> Result<Option<ResponderReply>, Error> {
        let tenant = self.resolve_tenant(&speech.tenant).await?;
        let now = self.clock.now();
        let contact = match self.store.contact_by_phone(tenant.id, &speech.from).await? {
            Some(contact) => contact,
            None => self.new_caller(tenant.id, speech.from, now),
        };
        // There is no voice channel: a call comes from a phone number, whose
        // channel is SMS, so a responder's channel rules see what fits a phone.
        let conversation = new_conversation(
            self.ids.as_ref(),
            &contact,
            Channel::Sms,
            Conversation::start(now),
            now,
        );
        let id = MessageId::from_uuid(self.ids.next_id());
        let message = spoken_message(id, &conversation, speech, now);
        let request = ResponderRequest {
            tenant: &tenant,
            contact: &contact,
            conversation: &conversation,
            message: &message,
        };
        Ok(responder.respond(request).await)
    }

    /// Stores the call log as an [`InboxEvent::CallLogged`] and publishes it; a
    /// caller the tenant has never seen becomes a contact. Whether it was stored:
    /// `false` when this call was already logged with this status (a retried
    /// callback).
    ///
    /// The repeat check reads the tenant's events, so its cost grows with them.
    pub async fn log_call(&self, tenant: &TenantRef, call: &CallLog) -> Result<bool, Error> {
        let tenant = self.resolve_tenant(tenant).await?;
        let committed = self
            .commit_loop(|| async {
                let found = self.store.contact_by_phone(tenant.id, &call.from).await?;
                // Read after the contact: its version guards the commit, so a log
                // committed meanwhile by another writer makes this one conflict.
                if self.is_logged(tenant.id, call).await? {
                    return Ok(Decided::nothing(false));
                }
                let now = self.clock.now();
                let write = match found {
                    Some(contact) => ContactWrite::update(contact.version, contact),
                    None => ContactWrite::Insert(self.new_caller(tenant.id, call.from, now)),
                };
                let mut changes = Changeset::for_contact(tenant.id, write);
                let event = call_logged(call, changes.contact_id());
                changes.push_event(now, event);
                Ok(Decided::write(changes, true))
            })
            .await?;
        Ok(matches!(committed, Committed::Done(true)))
    }

    /// Whether the tenant's events hold this call's log with this status.
    async fn is_logged(&self, tenant: TenantId, call: &CallLog) -> Result<bool, Error> {
        let mut after = 0;
        loop {
            let page = self.store.events(tenant, after, EVENT_PAGE).await?;
            if page
                .iter()
                .any(|(_, record)| is_log_of(&record.event, call))
            {
                return Ok(true);
            }
            match page.last() {
                Some((seq, _)) if page.len() == EVENT_PAGE => after = *seq,
                _ => return Ok(false),
            }
        }
    }

    fn new_caller(&self, tenant: TenantId, phone: E164, now: DateTime<Utc>) -> Contact {
        Contact::new(ContactId::from_uuid(self.ids.next_id()), tenant, phone, now)
    }
}

fn is_log_of(event: &InboxEvent, call: &CallLog) -> bool {
    matches!(
        event,
        InboxEvent::CallLogged { provider, call: id, status, .. }
            if *provider == call.provider && *id == call.call && *status == call.status
    )
}

fn call_logged(call: &CallLog, contact: ContactId) -> InboxEvent {
    InboxEvent::CallLogged {
        provider: call.provider.clone(),
        call: call.call.clone(),
        contact,
        from: call.from,
        to: call.to,
        status: call.status.clone(),
        duration_seconds: call.duration_seconds,
    }
}

/// The caller's words as the inbound message a responder expects.
fn spoken_message(
    id: MessageId,
    conversation: &ConversationRecord,
    speech: &CallSpeech,
    now: DateTime<Utc>,
) -> MessageRecord {
    MessageRecord {
        id,
        tenant: conversation.tenant,
        conversation: conversation.id,
        contact: conversation.contact,
        direction: Direction::Inbound,
        channel: conversation.channel,
        origin: MessageOrigin::Contact,
        provider: Some(speech.provider.clone()),
        provider_message_id: Some(speech.call.clone()),
        client_id: None,
        body: MessageBody::Inbound(InboundContent {
            text: Some(speech.text.clone()),
            media: Vec::new(),
            unsupported: None,
        }),
        created_at: now,
        delivery: Default::default(),
        tags: Vec::new(),
    }
}
