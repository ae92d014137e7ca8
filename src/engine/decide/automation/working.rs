//! The changeset the automation pass extends: its contact and latest
//! conversation as the pass changes them, and sends through every gate.

use chrono::{DateTime, Utc};

use super::super::action::{ActionContext, decide_action};
use super::super::send::{SendContext, SendRequest, decide_send};
use super::AutomationContext;
use crate::core::channel::Channel;
use crate::core::conversation::Event;
use crate::core::message::Content;
use crate::core::quiet_hours::SendKind;
use crate::engine::NotFound;
use crate::error::Error;
use crate::model::{Contact, ConversationRecord, EventRecord, InboxEvent, MessageOrigin};
use crate::store::{Changeset, ContactWrite};

/// A decision's changeset while rules and runs add to it.
pub(super) struct Working<'a> {
    pub(super) context: &'a AutomationContext<'a>,
    pub(super) changes: Changeset,
}

impl<'a> Working<'a> {
    pub(super) fn new(context: &'a AutomationContext<'a>, changes: Changeset) -> Working<'a> {
        Working { context, changes }
    }

    pub(super) fn now(&self) -> DateTime<Utc> {
        self.context.now
    }

    /// The contact as the decision and the pass left it.
    pub(super) fn contact(&self) -> &Contact {
        self.changes.contact.contact()
    }

    pub(super) fn contact_mut(&mut self) -> &mut Contact {
        match &mut self.changes.contact {
            ContactWrite::Insert(contact) | ContactWrite::Update { contact, .. } => contact,
        }
    }

    /// The contact's latest conversation: the one the decision wrote last,
    /// else the one loaded.
    fn latest(&self) -> Option<&ConversationRecord> {
        self.changes.conversations.last().or(self.context.latest)
    }

    /// Records `event` as happening now.
    pub(super) fn event(&mut self, event: InboxEvent) {
        let record = EventRecord::new(self.changes.tenant, self.context.now, event);
        self.changes.events.push(record);
    }

    /// Queues `content` to the contact on `channel` through SPEC §12's gates,
    /// as an automation's message; the refusal of the gate that refused it.
    pub(super) fn send(
        &mut self,
        channel: Channel,
        content: Content,
        kind: SendKind,
    ) -> Result<(), Error> {
        let context = self.context;
        let request = SendRequest {
            tenant: context.tenant.id,
            to: self.contact().phone,
            channel,
            content,
            kind,
            client_id: None,
            reply_to: None,
        };
        let send = SendContext {
            tenant: context.tenant,
            contact: self.contact(),
            latest: self.latest(),
            replying_to: None,
            quiet_hours: context.quiet_hours,
            send_quota: context.send_quota,
            now: context.now,
            ids: context.ids,
        };
        let mut plan = decide_send(send, &request)?;
        plan.queued.message.origin = MessageOrigin::Automation;
        self.take_contact(plan.contact.contact().clone());
        self.put_conversation(plan.conversation);
        self.changes.queue(plan.queued);
        self.changes.events.extend(plan.events);
        Ok(())
    }

    /// Moves the contact's latest conversation through `event`, as an agent's
    /// request would (a resolution sends the CSAT survey).
    pub(super) fn act(&mut self, event: &Event) -> Result<(), Error> {
        let context = self.context;
        let Some(conversation) = self.latest() else {
            let contact = self.contact().id.to_string();
            return Err(NotFound::Conversation(format!("of contact {contact}")).into());
        };
        let action = ActionContext {
            tenant: context.tenant,
            contact: self.contact(),
            conversation,
            now: context.now,
            ids: context.ids,
        };
        let plan = decide_action(action, event)?;
        self.put_conversation(plan.conversation);
        if let Some(survey) = plan.survey {
            self.changes.queue(survey);
        }
        self.changes.events.extend(plan.events);
        Ok(())
    }

    /// Keeps a decision's contact, at the version the changeset writes.
    fn take_contact(&mut self, mut decided: Contact) {
        let contact = self.contact_mut();
        decided.version = contact.version;
        *contact = decided;
    }

    /// Writes `conversation` in the changeset, replacing its earlier write.
    fn put_conversation(&mut self, conversation: ConversationRecord) {
        let conversations = &mut self.changes.conversations;
        conversations.retain(|c| c.id != conversation.id);
        conversations.push(conversation);
    }

    pub(super) fn finish(self) -> Changeset {
        self.changes
    }
}
