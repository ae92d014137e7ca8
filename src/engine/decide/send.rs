//! A send by an agent or the API (SPEC §12): the gates in SPEC's order, each a
//! function named for what it checks, then the outbox.
//!
//! | gate | function | refusal |
//! |---|---|---|
//! | content valid for the channel | `check_content` | `invalid_content` |
//! | consent on the channel | `check_consent` | `opted_out` |
//! | the WhatsApp window | `check_window` | `outside_window` |
//! | quiet hours (marketing only) | `check_quiet_hours` | `quiet_hours`, with when it may go |
//! | the per-recipient rate limit | `take_send_quota` | `rate_limited`, with `retry_after` |
//! | the SMS segment cap | `check_segment_cap` | `message_too_long` |
//!
//! A refused send writes nothing and says which gate refused it.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::queue::{Outgoing, queue_message, queued_event};
use crate::core::channel::Channel;
use crate::core::conversation::{Conversation, Status};
use crate::core::message::Content;
use crate::core::phone::E164;
use crate::core::quiet_hours::{Decision as QuietDecision, QuietHoursPolicy, SendKind};
use crate::core::ratelimit::{Decision as RateDecision, Quota, RateLimited, RateScope};
use crate::core::segments::check_body_cap;
use crate::core::window::may_send;
use crate::engine::NotFound;
use crate::error::Error;
use crate::model::{
    Contact, ConversationId, ConversationRecord, EventRecord, IdSource, MessageId, MessageOrigin,
    MessageRecord, QueuedMessage, ReplyTo, Tenant, TenantId,
};
use crate::store::{Changeset, ContactWrite};

/// How long marketing send times are kept on the contact for the quiet-hours
/// caps (the longest cap period SPEC §3 names).
const MARKETING_HISTORY: TimeDelta = TimeDelta::hours(24);

/// A message to send to a contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendRequest {
    /// The tenant sending.
    pub tenant: TenantId,
    /// The contact's number (the contact must exist, with consent).
    pub to: E164,
    /// The channel (the per-message channel switcher).
    pub channel: Channel,
    /// What to send, already validated ([`RawContent::validate`](crate::core::message::RawContent::validate)).
    pub content: Content,
    /// Marketing sends are held by quiet hours; the others never are.
    pub kind: SendKind,
    /// The caller's id for the message: sending the same id again returns the
    /// message queued the first time instead of queuing another.
    pub client_id: Option<String>,
    /// The contact's message this one answers: WhatsApp shows the reply quoting
    /// it.
    #[serde(default)]
    pub reply_to: Option<MessageId>,
}

impl SendRequest {
    /// A conversation reply of `content` to `to` on `channel`.
    pub fn reply(tenant: TenantId, to: E164, channel: Channel, content: Content) -> SendRequest {
        SendRequest {
            tenant,
            to,
            channel,
            content,
            kind: SendKind::ConversationReply,
            client_id: None,
            reply_to: None,
        }
    }
}

/// A queued message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendOutcome {
    /// The message, as queued (or as queued the first time, for a repeated client id).
    pub message: MessageRecord,
    /// Its conversation's status.
    pub status: Status,
    /// Whether the client id had been used already, so nothing new was queued.
    pub duplicate: bool,
}

/// Everything the send decision needs, loaded from the store.
#[derive(Debug, Clone, Copy)]
pub struct SendContext<'a> {
    /// The tenant.
    pub tenant: &'a Tenant,
    /// The contact sent to.
    pub contact: &'a Contact,
    /// The contact's latest conversation, if any.
    pub latest: Option<&'a ConversationRecord>,
    /// The message the send answers ([`SendRequest::reply_to`]), loaded.
    pub replying_to: Option<&'a MessageRecord>,
    /// The quiet hours marketing sends are held by.
    pub quiet_hours: &'a QuietHoursPolicy,
    /// The per-recipient send limit.
    pub send_quota: &'a Quota,
    /// When the send is made.
    pub now: DateTime<Utc>,
    /// Where new records get their ids.
    pub ids: &'a dyn IdSource,
}

/// What a send that passed its gates writes.
#[derive(Debug, Clone, PartialEq)]
pub struct SendPlan {
    /// The tenant.
    pub tenant: TenantId,
    /// The contact, with its rate-limit state and marketing history.
    pub contact: ContactWrite,
    /// The conversation the message goes into (the latest, or a new one).
    pub conversation: ConversationRecord,
    /// The message and its outbox item.
    pub queued: QueuedMessage,
    /// What happened.
    pub events: Vec<EventRecord>,
    /// When it was decided.
    pub now: DateTime<Utc>,
}

impl SendPlan {
    /// What to tell the caller once the plan is committed.
    pub fn outcome(&self) -> SendOutcome {
        SendOutcome {
            message: self.queued.message.clone(),
            status: self.conversation.status(),
            duplicate: false,
        }
    }

    /// Everything the plan writes, as one changeset.
    pub fn into_changeset(self) -> Changeset {
        let mut changes = Changeset::for_contact(self.tenant, self.contact);
        changes.conversations.push(self.conversation);
        changes.queue(self.queued);
        changes.events = self.events;
        changes
    }
}

/// SPEC §12's gates in order, then the message queued in the contact's latest
/// conversation (or a new one).
pub fn decide_send(context: SendContext<'_>, request: &SendRequest) -> Result<SendPlan, Error> {
    let mut contact = context.contact.clone();
    check_content(request)?;
    check_consent(&contact, request.channel)?;
    check_window(&contact, request, context.now)?;
    check_quiet_hours(&context, &contact, request)?;
    take_send_quota(&context, &mut contact)?;
    check_segment_cap(request)?;
    remember_marketing_send(&mut contact, request, context.now);
    let reply_to = thread(&context, request)?;
    let mut conversation = match context.latest {
        Some(latest) => latest.clone(),
        None => new_conversation(&context, request.channel),
    };
    conversation.channel = request.channel;
    let outgoing = Outgoing {
        client_id: request.client_id.clone(),
        reply_to,
        ..Outgoing::new(
            request.channel,
            request.content.clone(),
            MessageOrigin::Agent,
        )
    };
    let (ids, tenant, now) = (context.ids, context.tenant, context.now);
    let queued = queue_message(ids, tenant, &contact, &conversation, outgoing, now);
    Ok(SendPlan {
        tenant: tenant.id,
        contact: ContactWrite::update(context.contact.version, contact),
        conversation,
        events: vec![EventRecord::new(tenant.id, now, queued_event(&queued))],
        queued,
        now,
    })
}

/// The text of an SMS text send: checked against the body cap as SPEC §12's
/// segment-cap gate, last, rather than with the rest of the content.
fn sms_text(request: &SendRequest) -> Option<&str> {
    match (request.channel, &request.content) {
        (Channel::Sms, Content::Text(text)) => Some(text.as_str()),
        _ => None,
    }
}

/// Gate 1: the content can go on the channel (SMS carries text and media only).
fn check_content(request: &SendRequest) -> Result<(), Error> {
    if sms_text(request).is_none() {
        request.content.check_channel(request.channel)?;
    }
    Ok(())
}

/// Gate 2: the contact consents on the channel.
fn check_consent(contact: &Contact, channel: Channel) -> Result<(), Error> {
    Ok(contact.consent.state().check(channel)?)
}

/// Gate 3: on WhatsApp, anything but a template needs the 24-hour window open.
fn check_window(contact: &Contact, request: &SendRequest, now: DateTime<Utc>) -> Result<(), Error> {
    let kind = request.content.kind();
    Ok(may_send(
        request.channel,
        kind,
        &contact.whatsapp_window,
        now,
    )?)
}

/// Gate 4: a marketing send outside the recipient's allowed hours (or over a
/// state's cap) is held, with the instant it may go.
fn check_quiet_hours(
    context: &SendContext,
    contact: &Contact,
    request: &SendRequest,
) -> Result<(), Error> {
    if !request.kind.is_held_by_quiet_hours() {
        return Ok(());
    }
    let recent = &contact.marketing_sends;
    match context
        .quiet_hours
        .decide(&request.to, request.kind, context.now, recent)?
    {
        QuietDecision::HoldUntil(hold) => Err(hold.into()),
        QuietDecision::SendNow => Ok(()),
    }
}

/// Gate 5: the per-recipient rate limit (20 an hour by default) takes this send.
fn take_send_quota(context: &SendContext, contact: &mut Contact) -> Result<(), Error> {
    let quota = *context.send_quota;
    match quota.check(contact.send_limit, context.now) {
        RateDecision::Allow(state) => {
            contact.send_limit = Some(state);
            Ok(())
        }
        RateDecision::Deny { retry_after } => Err(RateLimited {
            scope: RateScope::Sends,
            quota,
            retry_after,
        }
        .into()),
    }
}

/// Gate 6: an SMS body within the 1,600-character cap.
fn check_segment_cap(request: &SendRequest) -> Result<(), Error> {
    if let Some(text) = sms_text(request) {
        check_body_cap(text)?;
    }
    Ok(())
}

/// Keeps the last 24 hours of marketing sends on the contact, for the caps.
fn remember_marketing_send(contact: &mut Contact, request: &SendRequest, now: DateTime<Utc>) {
    if request.kind.is_held_by_quiet_hours() {
        let sends = &mut contact.marketing_sends;
        sends.retain(|at| *at > now - MARKETING_HISTORY);
        sends.push(now);
    }
}

/// The provider reference of the message the send answers: it must be one of
/// this contact's messages.
fn thread(context: &SendContext, request: &SendRequest) -> Result<Option<ReplyTo>, Error> {
    let Some(id) = request.reply_to else {
        return Ok(None);
    };
    match context.replying_to {
        Some(message) if message.id == id && message.contact == context.contact.id => {
            Ok(ReplyTo::of(message))
        }
        _ => Err(NotFound::Message(id.to_string()).into()),
    }
}

fn new_conversation(context: &SendContext, channel: Channel) -> ConversationRecord {
    let id = ConversationId::from_uuid(context.ids.next_id());
    let state = Conversation::start(context.now);
    let (tenant, contact, now) = (context.tenant.id, context.contact.id, context.now);
    ConversationRecord::new(id, tenant, contact, state, channel, now)
}
