//! The inbound decision: SPEC §11 steps 5 to 11 for one message from a contact,
//! each step a function named for what it does, called in SPEC's order by
//! [`decide_inbound`].
//!
//! | step | function |
//! |---|---|
//! | 5. the contact, and its first opt-in | `contact::opt_in_on_first_message` |
//! | 6. Click-to-WhatsApp attribution, the WhatsApp windows | `contact::capture_referral`, `contact::refresh_whatsapp_window` |
//! | 7. continue, resume or start the conversation | `conversation::continue_resume_or_start` |
//! | 8. STOP / START / HELP, and CSAT answers | `keywords::handle_keyword` (STOP: `keywords::opt_out`), `conversation::answer_survey` |
//! | 9. auto-tagging | `tagging::tag_contact` |
//! | 10. automation triggers | `triggers::fire_inbound_trigger` |
//! | 11. bot and AI routing | `routing::route_to_responder` |
//!
//! Steps 1–4 (signature, parsing, deduplication, tenant) happen before: in the
//! provider adapters and in [`Inbox::handle_inbound`](crate::engine::Inbox::handle_inbound),
//! which also commits the plan (step 12's events included) in one transaction.

mod contact;
mod conversation;
mod keywords;
mod routing;
mod tagging;
mod triggers;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::queue::{Outgoing, queue_message, queued_event};
use super::reply::ResponseDue;
use crate::core::channel::Channel;
use crate::core::consent::{ConsentChange, ConsentEvent, ConsentSource, Proof};
use crate::core::conversation::Status;
use crate::core::csat::Rating;
use crate::core::keyword::{Classification, KeywordAction};
use crate::core::message::Content;
use crate::engine::TenantRules;
use crate::model::{
    Contact, ContactId, ConversationId, ConversationRecord, Direction, EventRecord, IdSource,
    InboundMessage, InboxEvent, MessageBody, MessageId, MessageOrigin, MessageRecord,
    QueuedMessage, ReplyTo, Tenant, TenantId,
};
use crate::store::{Changeset, ContactWrite};
use conversation::Thread;

/// Everything the inbound decision needs, loaded from the store.
#[derive(Debug, Clone, Copy)]
pub struct InboundContext<'a> {
    /// The tenant.
    pub tenant: &'a Tenant,
    /// Its compiled rules.
    pub rules: &'a TenantRules,
    /// The contact with the message's number, if there is one.
    pub contact: Option<&'a Contact>,
    /// The contact's latest conversation, if any.
    pub latest: Option<&'a ConversationRecord>,
    /// When the message is handled.
    pub now: DateTime<Utc>,
    /// Where new records get their ids.
    pub ids: &'a dyn IdSource,
}

/// What one inbound message writes, and what it was, decided.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundPlan {
    /// The tenant.
    pub tenant: TenantId,
    /// The contact, created or updated.
    pub contact: ContactWrite,
    /// The conversation the message belongs to, continued, resumed or new.
    pub conversation: ConversationRecord,
    /// The message, as stored.
    pub message: MessageRecord,
    /// What the library queued by itself in reply, in order (keyword
    /// confirmations, the help text).
    pub replies: Vec<QueuedMessage>,
    /// What happened, in order, for real-time clients and automations, stamped
    /// with the tenant and the time.
    pub events: Vec<EventRecord>,
    /// The compliance keyword it was, if any.
    pub keyword: Option<KeywordAction>,
    /// Whether it reads like a revocation of consent (flagged for an agent).
    pub possible_revocation: bool,
    /// The CSAT rating it answered with, if it was one.
    pub rating: Option<Rating>,
    /// The bot's or AI agent's turn to answer, once this is committed.
    pub respond: Option<ResponseDue>,
    /// When it was decided.
    pub now: DateTime<Utc>,
}

/// What handling an inbound message did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboundOutcome {
    /// The event was handled before (a webhook retry): nothing changed.
    pub duplicate: bool,
    /// The tenant.
    pub tenant: TenantId,
    /// The stored message.
    pub message: MessageId,
    /// Its contact.
    pub contact: ContactId,
    /// Its conversation.
    pub conversation: ConversationId,
    /// The conversation's status afterwards.
    pub status: Status,
    /// The compliance keyword it was, if any.
    pub keyword: Option<KeywordAction>,
    /// Whether it reads like a revocation of consent (flagged for an agent).
    pub possible_revocation: bool,
    /// The CSAT rating it answered with, if it was one.
    pub rating: Option<Rating>,
    /// The tags auto-tagging gave it.
    pub tags: Vec<String>,
    /// What the library queued by itself in reply, in order (keyword
    /// confirmations, the help text).
    pub replies: Vec<MessageRecord>,
    /// The conversation's bot or AI agent is to answer: pass this to
    /// [`Inbox::respond`](crate::engine::Inbox::respond) once the webhook is
    /// acknowledged (the router does it in a task of its own).
    pub respond: Option<ResponseDue>,
}

impl InboundPlan {
    /// What to tell the caller once the plan is committed.
    pub fn outcome(&self) -> InboundOutcome {
        InboundOutcome {
            duplicate: false,
            tenant: self.tenant,
            message: self.message.id,
            contact: self.contact.contact().id,
            conversation: self.conversation.id,
            status: self.conversation.status(),
            keyword: self.keyword,
            possible_revocation: self.possible_revocation,
            rating: self.rating.clone(),
            tags: self.message.tags.clone(),
            replies: self.replies.iter().map(|q| q.message.clone()).collect(),
            respond: self.respond.clone(),
        }
    }

    /// The text a workflow run waiting for a reply on the message's channel
    /// may save (SPEC §18): an ordinary message's. STOP and HELP never reach
    /// a run, nor does a survey answer; a START that changed nothing is an
    /// ordinary reply.
    pub fn reply_for_runs(&self) -> Option<(Channel, String)> {
        let consent_changed = self
            .events
            .iter()
            .any(|e| matches!(e.event, InboxEvent::ConsentChanged { .. }));
        let ordinary = match self.keyword {
            None => true,
            Some(KeywordAction::OptIn) => !consent_changed,
            Some(_) => false,
        };
        let MessageBody::Inbound(content) = &self.message.body else {
            return None;
        };
        let text = content.text.as_deref().filter(|t| !t.trim().is_empty())?;
        (ordinary && self.rating.is_none()).then(|| (self.message.channel, text.to_owned()))
    }

    /// Everything the plan writes, as one changeset.
    pub fn into_changeset(self) -> Changeset {
        let mut changes = Changeset::for_contact(self.tenant, self.contact);
        // Sized once: this runs for every inbound message.
        changes.messages.reserve_exact(1 + self.replies.len());
        changes.outbox.reserve_exact(self.replies.len());
        changes.conversations = vec![self.conversation];
        changes.messages.push(self.message);
        self.replies.into_iter().for_each(|q| changes.queue(q));
        changes.events = self.events;
        changes
    }
}

/// SPEC §11 steps 5–11 for one message, as a pure function of what was loaded:
/// the writes, what the message was, and whether a bot or AI agent answers it
/// next. [`Inbox::handle_inbound`](crate::engine::Inbox::handle_inbound) loads,
/// calls this and commits; call it yourself to run the decision without a store.
pub fn decide_inbound(context: InboundContext<'_>, message: &InboundMessage) -> InboundPlan {
    let mut draft = Draft::new(context, message);
    contact::opt_in_on_first_message(&mut draft);
    contact::take_profile_name(&mut draft);
    contact::keep_whatsapp_ids(&mut draft);
    contact::capture_referral(&mut draft);
    contact::refresh_whatsapp_window(&mut draft);
    let thread = conversation::continue_resume_or_start(&mut draft);
    let stored = draft.stored_message(&thread);
    keywords::handle_keyword(&mut draft, &thread.conversation);
    keywords::flag_possible_revocation(&mut draft, &stored);
    tagging::tag_contact(&mut draft, &stored);
    triggers::fire_inbound_trigger(&mut draft, &thread, &stored);
    let respond = routing::route_to_responder(&draft, &thread, &stored);
    draft.into_plan(thread, stored, respond)
}

/// The message's text, empty when it has none (media, a reaction, a call).
fn text_of(message: &InboundMessage) -> &str {
    message.content.text.as_deref().unwrap_or_default()
}

/// The inbound decision as the steps make it.
struct Draft<'a> {
    context: InboundContext<'a>,
    message: &'a InboundMessage,
    /// The contact as the steps change it.
    contact: Contact,
    /// Its version when loaded; `None` for a contact seen for the first time.
    loaded_version: Option<u64>,
    /// The message as a compliance keyword; `None` when keywords do not apply
    /// (a reaction, a call, or a channel the tenant keeps them off).
    classification: Option<Classification<'a>>,
    events: Vec<EventRecord>,
    replies: Vec<QueuedMessage>,
}

impl<'a> Draft<'a> {
    /// The contact the message is from, loaded or new, and what the message is as
    /// a keyword (the first-message opt-in of step 5 depends on it).
    fn new(context: InboundContext<'a>, message: &'a InboundMessage) -> Draft<'a> {
        let (contact, loaded_version) = match context.contact {
            Some(contact) => (contact.clone().revived(context.now), Some(contact.version)),
            None => {
                let id = ContactId::from_uuid(context.ids.next_id());
                let contact = Contact::new(id, context.tenant.id, message.from, context.now);
                (contact, None)
            }
        };
        let keywords = &context.rules.keywords;
        let classification = (message.kind == crate::core::window::InboundKind::Message
            && keywords.applies_to(message.channel))
        .then(|| keywords.classify(text_of(message)));
        Draft {
            context,
            message,
            contact,
            loaded_version,
            classification,
            // Most messages cause four events or fewer; five records stay within
            // the allocator's small-size cache.
            events: Vec::with_capacity(5),
            replies: Vec::new(),
        }
    }

    /// Records `event` as happening now.
    fn event(&mut self, event: InboxEvent) {
        let (tenant, at) = (self.context.tenant.id, self.context.now);
        self.events.push(EventRecord::new(tenant, at, event));
    }

    /// The compliance keyword the message is, if any.
    fn keyword(&self) -> Option<KeywordAction> {
        self.classification.as_ref().and_then(|c| c.action())
    }

    /// The message itself: the consent ledger's proof of what it caused.
    fn proof(&self) -> Proof {
        Proof::MessageId(self.message.provider_message_id.clone())
    }

    /// A consent change on the message's channel from `source`, proved by it.
    fn consent_event(&self, change: ConsentChange, source: ConsentSource) -> ConsentEvent {
        ConsentEvent {
            channel: self.message.channel,
            change,
            source,
            proof: self.proof(),
        }
    }

    /// The message as stored in `thread`, with the tags auto-tagging gives it,
    /// and the events of its arrival.
    fn stored_message(&mut self, thread: &Thread) -> MessageRecord {
        let message = self.message;
        let tags = self.context.rules.tags.tags(text_of(message));
        let stored = MessageRecord {
            id: MessageId::from_uuid(self.context.ids.next_id()),
            tenant: self.context.tenant.id,
            conversation: thread.conversation.id,
            contact: self.contact.id,
            direction: Direction::Inbound,
            channel: message.channel,
            origin: MessageOrigin::Contact,
            provider: Some(message.provider.clone()),
            provider_message_id: Some(message.provider_message_id.clone()),
            client_id: None,
            body: MessageBody::Inbound(message.content.clone()),
            created_at: self.context.now,
            delivery: Default::default(),
            tags: tags.into_iter().map(str::to_owned).collect(),
            billing: None,
        };
        self.event(InboxEvent::MessageReceived {
            message: stored.id,
            conversation: thread.conversation.id,
            contact: self.contact.id,
            channel: message.channel,
        });
        if thread.opened {
            self.event(InboxEvent::ConversationOpened {
                conversation: thread.conversation.id,
                contact: self.contact.id,
            });
        }
        if let Some(rating) = &thread.rating {
            self.event(InboxEvent::CsatRecorded {
                conversation: thread.conversation.id,
                score: rating.score.get(),
            });
        }
        stored
    }

    /// Queues `text` as the library's own reply in `conversation`, threaded to
    /// the message — unless the tenant's provider sends its own keyword replies
    /// (Twilio's default STOP filtering), so the contact never gets two.
    fn reply(&mut self, conversation: &ConversationRecord, text: &str) {
        let settings = &self.context.tenant.settings;
        let Some(content) = Content::text(text)
            .ok()
            .filter(|_| !settings.provider_sends_keyword_replies)
        else {
            return;
        };
        let outgoing = Outgoing {
            reply_to: Some(ReplyTo {
                provider: self.message.provider.clone(),
                message_id: self.message.provider_message_id.clone(),
            }),
            ..Outgoing::new(self.message.channel, content, MessageOrigin::KeywordReply)
        };
        let context = &self.context;
        let queued = queue_message(
            context.ids,
            context.tenant,
            &self.contact,
            conversation,
            outgoing,
            context.now,
        );
        self.event(queued_event(&queued));
        self.replies.push(queued);
    }

    fn into_plan(
        self,
        thread: Thread,
        message: MessageRecord,
        respond: Option<ResponseDue>,
    ) -> InboundPlan {
        let keyword = self.keyword();
        let possible_revocation = self
            .classification
            .as_ref()
            .is_some_and(|c| c.is_possible_revocation());
        let contact = match self.loaded_version {
            Some(version) => ContactWrite::update(version, self.contact),
            None => ContactWrite::Insert(self.contact),
        };
        InboundPlan {
            tenant: self.context.tenant.id,
            contact,
            conversation: thread.conversation,
            message,
            replies: self.replies,
            events: self.events,
            keyword,
            possible_revocation,
            rating: thread.rating,
            respond,
            now: self.context.now,
        }
    }
}
