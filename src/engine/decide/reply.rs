//! A bot's or AI agent's answer (SPEC §11 step 11), decided after the message it
//! answers was committed: the webhook's acknowledgement never waits for it, and a
//! commit that must be retried never asks the responder again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::queue::{Outgoing, queue_message, queued_event};
use crate::core::conversation::{Event, Status};
use crate::engine::ResponderReply;
use crate::model::{
    Contact, ConversationId, ConversationRecord, EventRecord, IdSource, InboxEvent, MessageId,
    MessageOrigin, MessageRecord, QueuedMessage, ReplyTo, Tenant, TenantId,
};
use crate::store::{Changeset, ContactWrite};

/// Which responder a conversation is routed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Routed {
    /// The flow bot (`BOT_ACTIVE`).
    Bot,
    /// The AI agent (`AI_ACTIVE`).
    Ai,
}

impl Routed {
    /// The responder a conversation in `status` is routed to, if any.
    pub fn from_status(status: Status) -> Option<Routed> {
        match status {
            Status::BotActive => Some(Routed::Bot),
            Status::AiActive => Some(Routed::Ai),
            Status::Open | Status::Assigned | Status::Resolved => None,
        }
    }

    /// The status of a conversation routed to this responder.
    pub fn status(self) -> Status {
        match self {
            Routed::Bot => Status::BotActive,
            Routed::Ai => Status::AiActive,
        }
    }
}

/// A stored message that a bot or AI agent is to answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseDue {
    /// The tenant.
    pub tenant: TenantId,
    /// The conversation.
    pub conversation: ConversationId,
    /// The message to answer.
    pub message: MessageId,
    /// Who answers it.
    pub routed: Routed,
}

/// What a responder did with its turn.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// It answered.
    Replied(ResponderReply),
    /// It chose to say nothing.
    Silent,
    /// It did not answer in time: the conversation goes on to a human.
    TimedOut,
}

/// Everything the reply decision needs, loaded again after the responder answered.
#[derive(Debug, Clone, Copy)]
pub struct ReplyContext<'a> {
    /// The tenant.
    pub tenant: &'a Tenant,
    /// The contact, as stored now.
    pub contact: &'a Contact,
    /// The conversation, as stored now.
    pub conversation: &'a ConversationRecord,
    /// The message answered.
    pub answered: &'a MessageRecord,
    /// Who was asked.
    pub routed: Routed,
    /// When the answer is applied.
    pub now: DateTime<Utc>,
    /// Where new records get their ids.
    pub ids: &'a dyn IdSource,
}

/// What a responder's answer writes.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplyPlan {
    /// The tenant.
    pub tenant: TenantId,
    /// The contact (written back unchanged: its version guards the commit).
    pub contact: ContactWrite,
    /// The conversation, with the responder's context and any hand-off.
    pub conversation: ConversationRecord,
    /// The reply queued, if the responder gave one and the contact may get it.
    pub reply: Option<QueuedMessage>,
    /// What happened, in order.
    pub events: Vec<EventRecord>,
    /// Whether the responder ran out of time.
    pub timed_out: bool,
    /// When it was decided.
    pub now: DateTime<Utc>,
}

/// Why a responder's turn changed nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ResponseSkipped {
    /// The inbox has no responder of that kind.
    NoResponder,
    /// The conversation moved on before the answer came (an agent took it, it
    /// was resolved, or handed to the other responder): the answer is dropped.
    ConversationMovedOn,
    /// The responder said nothing.
    Silent,
    /// The message was answered before (the same turn taken twice).
    AlreadyAnswered,
}

/// What a responder's turn did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyOutcome {
    /// The reply queued, if any.
    pub reply: Option<MessageRecord>,
    /// The conversation's status afterwards.
    pub status: Status,
    /// Whether the responder ran out of time (the conversation went to a human).
    pub timed_out: bool,
    /// Why nothing changed, when nothing did.
    pub skipped: Option<ResponseSkipped>,
}

impl ReplyOutcome {
    /// A turn that changed nothing, for `why`, leaving the conversation in `status`.
    pub fn skipped(why: ResponseSkipped, status: Status) -> ReplyOutcome {
        ReplyOutcome {
            reply: None,
            status,
            timed_out: false,
            skipped: Some(why),
        }
    }
}

impl ReplyPlan {
    fn record(&mut self, event: InboxEvent) {
        self.events
            .push(EventRecord::new(self.tenant, self.now, event));
    }

    /// What to tell the caller once the plan is committed.
    pub fn outcome(&self) -> ReplyOutcome {
        ReplyOutcome {
            reply: self.reply.as_ref().map(|q| q.message.clone()),
            status: self.conversation.status(),
            timed_out: self.timed_out,
            skipped: None,
        }
    }

    /// Everything the plan writes, as one changeset.
    pub fn into_changeset(self) -> Changeset {
        let mut changes = Changeset::for_contact(self.tenant, self.contact);
        changes.conversations.push(self.conversation);
        if let Some(reply) = self.reply {
            changes.queue(reply);
        }
        changes.events = self.events;
        changes
    }
}

/// Applies a responder's answer to the conversation as it is now: its reply
/// (threaded to the message it answers, and only if the contact still consents on
/// the channel), its guide or memory, and a hand-off to a human — which is also
/// what a responder that ran out of time gets. A conversation that is no longer
/// the responder's (an agent took it meanwhile) keeps the answer out.
///
/// The reply's client id is derived from the message it answers, so the same
/// turn committed twice queues one reply.
pub fn decide_reply(
    context: ReplyContext<'_>,
    answer: &Answer,
) -> Result<ReplyPlan, ResponseSkipped> {
    if context.conversation.status() != context.routed.status() {
        return Err(ResponseSkipped::ConversationMovedOn);
    }
    let (reply, timed_out) = match answer {
        Answer::Replied(reply) => (reply.clone(), false),
        Answer::Silent => return Err(ResponseSkipped::Silent),
        Answer::TimedOut => (hand_off(), true),
    };
    let mut plan = ReplyPlan {
        tenant: context.tenant.id,
        contact: ContactWrite::update(context.contact.version, context.contact.clone()),
        conversation: context.conversation.clone(),
        reply: None,
        events: Vec::new(),
        timed_out,
        now: context.now,
    };
    if timed_out {
        let timed_out = InboxEvent::ResponderTimedOut {
            conversation: plan.conversation.id,
            message: context.answered.id,
        };
        plan.record(timed_out);
    }
    if let Some(guide) = reply.context {
        plan.conversation.responder_context = Some(guide);
    }
    if reply.hand_off {
        hand_to_human(&mut plan);
    }
    if let Some(content) = reply.content {
        queue_reply(&mut plan, &context, content);
    }
    Ok(plan)
}

/// What a responder that ran out of time answers: nothing, and a hand-off.
fn hand_off() -> ResponderReply {
    ResponderReply {
        content: None,
        context: None,
        hand_off: true,
    }
}

/// The conversation goes to the inbox (`OPEN`).
fn hand_to_human(plan: &mut ReplyPlan) {
    let conversation = &mut plan.conversation;
    let Ok(state) = conversation.state.apply(&Event::HandToHuman, plan.now) else {
        return;
    };
    conversation.state = state;
    let handed_off = InboxEvent::ConversationStatus {
        conversation: conversation.id,
        status: conversation.status(),
        assignee: None,
    };
    plan.record(handed_off);
}

/// Queues the responder's reply, if the contact may receive it on the channel.
fn queue_reply(
    plan: &mut ReplyPlan,
    context: &ReplyContext,
    content: crate::core::message::Content,
) {
    let channel = plan.conversation.channel;
    if !context.contact.consent.state().allows(channel) {
        return;
    }
    let outgoing = Outgoing {
        client_id: Some(format!("reply:{}", context.answered.id)),
        reply_to: ReplyTo::of(context.answered),
        ..Outgoing::new(channel, content, MessageOrigin::Responder)
    };
    let queued = queue_message(
        context.ids,
        context.tenant,
        context.contact,
        &plan.conversation,
        outgoing,
        plan.now,
    );
    plan.record(queued_event(&queued));
    plan.reply = Some(queued);
}
