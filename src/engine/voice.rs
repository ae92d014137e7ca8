//! Voice calls, provider-neutral: a caller's speech put to a responder, and the
//! call log a status callback leaves for automations.
//!
//! A call is not a conversation: what the caller says is shown to the responder
//! as a transient message in a transient conversation, and neither is stored —
//! transcripts do not become SMS messages, and the responder's answer is spoken on
//! the call, never queued as a text. Only the call log is stored.

use super::decide::{CallLogContext, decide_call_log};
use super::inbox::{Committed, Decided, Inbox};
use super::responder::{Responder, ResponderReply, ResponderRequest};
use super::responding::Answer;
use crate::core::channel::Channel;
use crate::core::conversation::Conversation;
use crate::error::Error;
use crate::model::{
    CallLog, CallSpeech, Contact, ContactId, ConversationId, ConversationRecord, Direction,
    InboundContent, MessageBody, MessageId, MessageOrigin, MessageRecord, TenantRef,
};

impl Inbox {
    /// Shows `responder` what the caller said — from the caller's contact if the
    /// tenant has one, else from a contact made up for the question and not
    /// stored — and returns its answer, or `None` when it stayed silent or ran out
    /// of time. Nothing is stored or queued.
    pub async fn respond_to_speech(
        &self,
        responder: &dyn Responder,
        speech: &CallSpeech,
    ) -> Result<Option<ResponderReply>, Error> {
        let tenant = self.resolve_tenant(&speech.tenant).await?;
        let now = self.clock.now();
        let contact = match self.store.contact_by_phone(tenant.id, &speech.from).await? {
            Some(contact) => contact.revived(now),
            None => {
                let id = ContactId::from_uuid(self.ids.next_id());
                Contact::new(id, tenant.id, speech.from, now)
            }
        };
        // There is no voice channel: a call comes from a phone number, whose
        // channel is SMS, so a responder's channel rules see what fits a phone.
        let id = ConversationId::from_uuid(self.ids.next_id());
        let state = Conversation::start(now);
        let conversation =
            ConversationRecord::new(id, tenant.id, contact.id, state, Channel::Sms, now);
        let id = MessageId::from_uuid(self.ids.next_id());
        let message = spoken_message(id, &conversation, speech);
        let request = ResponderRequest {
            tenant: &tenant,
            contact: &contact,
            conversation: &conversation,
            message: &message,
        };
        Ok(match self.ask(responder, request).await {
            Answer::Replied(reply) => Some(reply),
            Answer::Silent | Answer::TimedOut => None,
        })
    }

    /// Stores the call log as an [`InboxEvent::CallLogged`](crate::model::InboxEvent::CallLogged)
    /// and publishes it; a caller the tenant has never seen becomes a contact.
    /// Whether it was stored: `false` when this call was already logged with this
    /// status (a retried callback), which the store's unique key on (tenant,
    /// provider, call, status) decides whatever the number of replicas.
    pub async fn log_call(&self, tenant: &TenantRef, call: &CallLog) -> Result<bool, Error> {
        let tenant = self.resolve_tenant(tenant).await?;
        let committed = self
            .commit_loop(|| async {
                let contact = self.store.contact_by_phone(tenant.id, &call.from).await?;
                let context = CallLogContext {
                    tenant: tenant.id,
                    contact: contact.as_ref(),
                    now: self.clock.now(),
                    ids: self.ids.as_ref(),
                };
                let plan = decide_call_log(context, call);
                Ok(Decided::write(plan.into_changeset(), ()))
            })
            .await?;
        Ok(matches!(committed, Committed::Done(())))
    }
}

/// The caller's words as the inbound message a responder expects.
fn spoken_message(
    id: MessageId,
    conversation: &ConversationRecord,
    speech: &CallSpeech,
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
        created_at: conversation.created_at,
        delivery: Default::default(),
        tags: Vec::new(),
        billing: None,
    }
}
