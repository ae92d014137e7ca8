//! The inbound pipeline (SPEC §11 steps 3–12): one message from a contact, decided
//! purely and committed atomically with every reply it causes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::inbox::{Committed, Decided, Inbox};
use super::not_found::NotFound;
use super::reply::{Outgoing, queue};
use super::responder::{ResponderReply, ResponderRequest};
use super::tenant_rules::TenantRules;
use crate::core::channel::Channel;
use crate::core::consent::{
    ChannelConsent, ConsentChange, ConsentEvent, ConsentSource, Outcome, Proof,
};
use crate::core::conversation::{self, Event, InboundDecision, Status};
use crate::core::csat::{self, Rating, ReplyDecision};
use crate::core::keyword::KeywordAction;
use crate::core::message::Content;
use crate::core::phone::E164;
use crate::core::window::InboundKind;
use crate::error::Error;
use crate::model::contact::Attribution;
use crate::model::{
    Contact, ContactId, ConversationFlags, ConversationId, ConversationRecord, Direction,
    EventRecord, IdSource, InboundMessage, InboxEvent, MessageBody, MessageId, MessageOrigin,
    MessageRecord, Tenant, TenantId, TenantRef,
};
use crate::store::{Changeset, ContactWrite};

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
    /// What was queued in reply, in order (confirmations, help, the bot's answer).
    pub replies: Vec<MessageRecord>,
}

/// Everything the pure inbound decision needs, loaded from the store.
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
}

/// What one inbound message writes, decided.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundPlan {
    /// Everything to commit, in one transaction.
    pub changes: Changeset,
    /// What to tell the caller once committed.
    pub outcome: InboundOutcome,
    /// `Some(BOT_ACTIVE | AI_ACTIVE)` when the conversation's responder should
    /// answer before the commit.
    pub route: Option<Status>,
}

impl Inbox {
    /// Runs SPEC §11 steps 3–12 for one inbound message and commits everything it
    /// writes — contact, conversation, message, replies (outbox) and events — in
    /// one transaction. A retried webhook is acknowledged with `duplicate: true` and
    /// changes nothing.
    pub async fn handle_inbound(&self, message: &InboundMessage) -> Result<InboundOutcome, Error> {
        let tenant = self.resolve_tenant(&message.tenant).await?;
        if let Some(stored) = self
            .store
            .message_by_provider_id(tenant.id, &message.provider, &message.provider_message_id)
            .await?
        {
            return self.duplicate(&tenant, stored).await;
        }
        let compiled = self.compiled(&tenant)?;
        let committed = self
            .commit_loop(|| async {
                let contact = self
                    .store
                    .contact_by_phone(tenant.id, &message.from)
                    .await?;
                let latest = match &contact {
                    Some(c) => self.store.latest_conversation(tenant.id, c.id).await?,
                    None => None,
                };
                let context = InboundContext {
                    tenant: &tenant,
                    rules: &compiled,
                    contact: contact.as_ref(),
                    latest: latest.as_ref(),
                    now: self.clock.now(),
                };
                let mut plan = decide_inbound(context, message, self.ids.as_ref());
                self.route(&tenant, &mut plan).await;
                Ok(Decided::write(plan.changes, plan.outcome))
            })
            .await?;
        match committed {
            Committed::Done(outcome) => Ok(outcome),
            Committed::Duplicate(existing) => {
                let stored = self.store.message(tenant.id, existing).await?;
                let stored = stored.ok_or_else(|| NotFound::Message(existing.to_string()))?;
                self.duplicate(&tenant, stored).await
            }
        }
    }

    /// The tenant a reference names, or [`NotFound::Tenant`].
    pub(crate) async fn resolve_tenant(&self, reference: &TenantRef) -> Result<Tenant, Error> {
        let found = match reference {
            TenantRef::Id(id) => self.store.tenant(*id).await?,
            TenantRef::Slug(slug) => self.store.tenant_by_slug(slug).await?,
            TenantRef::Number(number) => self.store.tenant_by_number(number).await?,
        };
        found.ok_or_else(|| {
            let key = match reference {
                TenantRef::Id(id) => id.to_string(),
                TenantRef::Slug(slug) => format!("slug {slug}"),
                TenantRef::Number(number) => format!("number {number}"),
            };
            NotFound::Tenant(key).into()
        })
    }

    async fn duplicate(
        &self,
        tenant: &Tenant,
        stored: MessageRecord,
    ) -> Result<InboundOutcome, Error> {
        let conversation = self
            .load_conversation(tenant.id, stored.conversation)
            .await?;
        Ok(InboundOutcome {
            duplicate: true,
            tenant: tenant.id,
            message: stored.id,
            contact: stored.contact,
            conversation: stored.conversation,
            status: conversation.status(),
            keyword: None,
            possible_revocation: false,
            rating: None,
            tags: stored.tags,
            replies: Vec::new(),
        })
    }

    /// Step 11: a bot or AI conversation gets its responder's answer into the plan.
    async fn route(&self, tenant: &Tenant, plan: &mut InboundPlan) {
        let responder = match plan.route {
            Some(Status::BotActive) => self.bot.as_ref(),
            Some(Status::AiActive) => self.ai.as_ref(),
            _ => None,
        };
        let Some(responder) = responder else { return };
        let (Some(conversation), Some(message)) = (
            plan.changes.conversations.first(),
            plan.changes.messages.first(),
        ) else {
            return;
        };
        let request = ResponderRequest {
            tenant,
            contact: plan.changes.contact.contact(),
            conversation,
            message,
        };
        if let Some(reply) = responder.respond(request).await {
            let now = message.created_at;
            apply_reply(plan, tenant, reply, self.ids.as_ref(), now);
        }
    }
}

/// SPEC §11 steps 5–12 for one message, as a pure function of what was loaded
/// (ids come from `ids`, the time from `context.now`): the writes, the outcome,
/// and whether a bot or AI agent should answer. [`Inbox::handle_inbound`] loads,
/// calls this, asks the responder and commits; call it yourself to run the
/// decision without a store.
pub fn decide_inbound(
    context: InboundContext<'_>,
    message: &InboundMessage,
    ids: &dyn IdSource,
) -> InboundPlan {
    let InboundContext {
        tenant,
        rules: compiled,
        contact,
        latest,
        now,
    } = context;
    let (contact, latest) = (contact.cloned(), latest.cloned());
    let settings = &tenant.settings;
    let mut events = Vec::with_capacity(8);
    let event = |event| EventRecord {
        tenant: tenant.id,
        at: now,
        event,
    };
    let (mut contact, loaded_version) = match contact {
        Some(contact) => {
            let version = contact.version;
            (contact, Some(version))
        }
        None => (new_contact(ids, tenant.id, message.from, now), None),
    };
    let text = message.content.text.as_deref().unwrap_or_default();
    let keywords_apply =
        message.kind == InboundKind::Message && compiled.keywords.applies_to(message.channel);
    let classification = keywords_apply.then(|| compiled.keywords.classify(text));
    let keyword = classification.as_ref().and_then(|c| c.action());
    let proof = Proof::MessageId(message.provider_message_id.clone());

    // Step 5: the first message on a channel opts the contact in on it, unless the
    // message is itself a consent keyword, which decides instead.
    let is_consent_keyword = matches!(keyword, Some(KeywordAction::OptOut | KeywordAction::OptIn));
    if !is_consent_keyword
        && *contact.consent.state().channel(message.channel) == ChannelConsent::Unknown
    {
        let change = consent_event(
            message.channel,
            ConsentChange::OptIn,
            ConsentSource::Automatic,
            &proof,
        );
        if contact.consent.record(change, now) == Outcome::Applied {
            events.push(event(consent_changed(
                &contact,
                message.channel,
                ConsentChange::OptIn,
            )));
        }
    }
    if contact.name.is_none() {
        contact.name.clone_from(&message.profile_name);
    }
    // Step 6, and the WhatsApp windows.
    if let Some(referral) = &message.referral {
        contact.attribution = Some(Attribution {
            referral: referral.clone(),
            at: now,
        });
    }
    if message.channel == Channel::WhatsApp {
        let entry = message.referral.as_ref().map(|r| r.entry_point);
        contact.whatsapp_window =
            contact
                .whatsapp_window
                .on_inbound(message.kind, entry, now, &settings.window);
    }

    // Steps 7 and 8: a survey answer, else continue, resume or start a conversation.
    let rating_decision = latest.as_ref().map(|c| {
        csat::on_reply(
            c.survey.as_ref(),
            c.status(),
            text,
            now,
            &settings.resumption,
        )
    });
    let (mut conversation, opened, rating) = match (latest, rating_decision) {
        (Some(mut latest), Some(ReplyDecision::RecordRating { survey })) => {
            let rating = survey.answer.as_ref().map(|a| a.rating.clone());
            latest.survey = Some(survey);
            (latest, false, rating)
        }
        (latest, _) => {
            let decision = conversation::on_inbound(
                latest.as_ref().map(|c| &c.state),
                now,
                &settings.resumption,
            );
            match (latest, decision) {
                (Some(mut record), InboundDecision::Continue(state)) => {
                    record.state = state;
                    (record, false, None)
                }
                (Some(mut record), InboundDecision::Resume(state)) => {
                    record.state = state;
                    (record, true, None)
                }
                (_, decision) => (
                    new_conversation(
                        ids,
                        &contact,
                        message.channel,
                        decision.into_conversation(),
                        now,
                    ),
                    true,
                    None,
                ),
            }
        }
    };
    conversation.channel = message.channel;
    conversation.flags.unread = conversation.flags.unread.saturating_add(1);

    let stored = MessageRecord {
        id: MessageId::from_uuid(ids.next_id()),
        tenant: tenant.id,
        conversation: conversation.id,
        contact: contact.id,
        direction: Direction::Inbound,
        channel: message.channel,
        origin: MessageOrigin::Contact,
        provider: Some(message.provider.clone()),
        provider_message_id: Some(message.provider_message_id.clone()),
        client_id: None,
        body: MessageBody::Inbound(message.content.clone()),
        created_at: now,
        delivery: Default::default(),
        tags: compiled
            .tags
            .tags(text)
            .into_iter()
            .map(str::to_owned)
            .collect(),
    };
    events.push(event(InboxEvent::MessageReceived {
        message: stored.id,
        conversation: conversation.id,
        contact: contact.id,
        channel: message.channel,
    }));
    if opened {
        events.push(event(InboxEvent::ConversationOpened {
            conversation: conversation.id,
            contact: contact.id,
        }));
    }
    if let Some(rating) = &rating {
        events.push(event(InboxEvent::CsatRecorded {
            conversation: conversation.id,
            score: rating.score.get(),
        }));
    }

    // Step 8: keywords, with one confirmation per change of consent.
    let mut reply_texts = Vec::new();
    let provider_replies = settings.provider_sends_keyword_replies;
    match keyword {
        Some(action @ (KeywordAction::OptOut | KeywordAction::OptIn)) => {
            let change = if action == KeywordAction::OptOut {
                ConsentChange::OptOut
            } else {
                ConsentChange::OptIn
            };
            let recorded = contact.consent.record(
                consent_event(message.channel, change, ConsentSource::Keyword, &proof),
                now,
            );
            if recorded == Outcome::Applied {
                events.push(event(consent_changed(&contact, message.channel, change)));
                if !provider_replies {
                    let text = if change == ConsentChange::OptOut {
                        &compiled.replies.opt_out
                    } else {
                        &compiled.replies.opt_in
                    };
                    reply_texts.push(text.clone());
                }
            }
        }
        Some(KeywordAction::Help) if !provider_replies => {
            reply_texts.push(compiled.replies.help.clone())
        }
        Some(KeywordAction::Help) | None => {}
    }
    let possible_revocation = classification
        .as_ref()
        .is_some_and(|c| c.is_possible_revocation());
    if possible_revocation && keyword.is_none() {
        events.push(event(InboxEvent::PossibleRevocation {
            message: stored.id,
            contact: contact.id,
        }));
    }

    // Step 9: tags on the contact; step 10: the automation trigger.
    for tag in &stored.tags {
        if contact.add_tag(tag) {
            events.push(event(InboxEvent::TagAdded {
                contact: contact.id,
                tag: tag.clone(),
            }));
        }
    }
    let trigger = match message.channel {
        Channel::Sms => "inbound_sms",
        Channel::WhatsApp => "inbound_whatsapp",
    };
    events.push(event(InboxEvent::Trigger {
        trigger: trigger.to_owned(),
        message: stored.id,
        contact: contact.id,
    }));

    let write = match loaded_version {
        Some(version) => ContactWrite::update(version, contact),
        None => ContactWrite::Insert(contact),
    };
    let (message_id, tags) = (stored.id, stored.tags.clone());
    let mut changes = Changeset {
        tenant: tenant.id,
        contact: write,
        conversations: Vec::with_capacity(1),
        messages: vec![stored],
        outbox: Vec::new(),
        events,
    };
    let replies = reply_texts
        .into_iter()
        .filter_map(|text| Content::text(text).ok())
        .map(|content| {
            let outgoing = Outgoing {
                channel: message.channel,
                content,
                origin: MessageOrigin::KeywordReply,
                client_id: None,
            };
            let contact = changes.contact.contact().clone();
            queue(
                &mut changes,
                ids,
                tenant,
                &contact,
                &conversation,
                outgoing,
                now,
            )
        })
        .collect();
    // Step 11: keywords and survey answers are handled here; other messages in a
    // bot's or AI's conversation go to it.
    let (status, conversation_id) = (conversation.status(), conversation.id);
    let route = (keyword.is_none() && rating.is_none())
        .then_some(status)
        .filter(|s| matches!(s, Status::BotActive | Status::AiActive));
    changes.conversations.push(conversation);
    InboundPlan {
        outcome: InboundOutcome {
            duplicate: false,
            tenant: tenant.id,
            message: message_id,
            contact: changes.contact.contact().id,
            conversation: conversation_id,
            status,
            keyword,
            possible_revocation,
            rating,
            tags,
            replies,
        },
        changes,
        route,
    }
}

/// Adds a responder's answer to the plan: its reply (if the contact may receive
/// it), its context, and a hand-off to a human.
fn apply_reply(
    plan: &mut InboundPlan,
    tenant: &Tenant,
    reply: ResponderReply,
    ids: &dyn IdSource,
    now: DateTime<Utc>,
) {
    let Some(mut conversation) = plan.changes.conversations.first().cloned() else {
        return;
    };
    if let Some(context) = reply.context {
        conversation.responder_context = Some(context);
    }
    let handed_off = reply
        .hand_off
        .then(|| conversation.state.apply(&Event::HandToHuman, now));
    if let Some(Ok(state)) = handed_off {
        conversation.state = state;
        plan.changes.push_event(
            now,
            InboxEvent::ConversationStatus {
                conversation: conversation.id,
                status: conversation.status(),
                assignee: None,
            },
        );
    }
    let contact = plan.changes.contact.contact().clone();
    if let Some(content) = reply
        .content
        .filter(|_| contact.consent.state().allows(conversation.channel))
    {
        let outgoing = Outgoing {
            channel: conversation.channel,
            content,
            origin: MessageOrigin::Responder,
            client_id: None,
        };
        let queued = queue(
            &mut plan.changes,
            ids,
            tenant,
            &contact,
            &conversation,
            outgoing,
            now,
        );
        plan.outcome.replies.push(queued);
    }
    plan.outcome.status = conversation.status();
    plan.changes.conversations = vec![conversation];
}

fn new_contact(ids: &dyn IdSource, tenant: TenantId, phone: E164, now: DateTime<Utc>) -> Contact {
    Contact::new(ContactId::from_uuid(ids.next_id()), tenant, phone, now)
}

pub(crate) fn new_conversation(
    ids: &dyn IdSource,
    contact: &Contact,
    channel: Channel,
    state: conversation::Conversation,
    now: DateTime<Utc>,
) -> ConversationRecord {
    ConversationRecord {
        id: ConversationId::from_uuid(ids.next_id()),
        tenant: contact.tenant,
        contact: contact.id,
        state,
        channel,
        survey: None,
        responder_context: None,
        flags: ConversationFlags::default(),
        created_at: now,
    }
}

pub(crate) fn consent_event(
    channel: Channel,
    change: ConsentChange,
    source: ConsentSource,
    proof: &Proof,
) -> ConsentEvent {
    ConsentEvent {
        channel,
        change,
        source,
        proof: proof.clone(),
    }
}

pub(crate) fn consent_changed(
    contact: &Contact,
    channel: Channel,
    change: ConsentChange,
) -> InboxEvent {
    InboxEvent::ConsentChanged {
        contact: contact.id,
        channel,
        change,
    }
}
