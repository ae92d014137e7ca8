//! Step 7, and the CSAT half of step 8: the conversation the message belongs
//! to — continued, resumed within the resumption window, or new (SPEC §4) — and a
//! survey answer recorded on the conversation it answers.

use super::Draft;
use crate::core::conversation::{self, InboundDecision};
use crate::core::csat::{self, Rating, ReplyDecision};
use crate::model::{ConversationId, ConversationRecord};

/// The conversation the message lands in.
pub(super) struct Thread {
    /// The conversation, with the message counted as unread.
    pub(super) conversation: ConversationRecord,
    /// Whether the message opened it (new, or resumed from `RESOLVED`).
    pub(super) opened: bool,
    /// The CSAT rating the message answered with, if it was one.
    pub(super) rating: Option<Rating>,
}

/// Step 7: a rating answers the survey of the latest conversation and reopens
/// nothing; any other message continues the latest conversation, resumes it, or
/// starts a new one. The conversation takes the message's channel and counts it
/// as unread.
pub(super) fn continue_resume_or_start(draft: &mut Draft) -> Thread {
    let mut thread = match answer_survey(draft) {
        Some(thread) => thread,
        None => land(draft),
    };
    thread.conversation.channel = draft.message.channel;
    let flags = &mut thread.conversation.flags;
    flags.unread = flags.unread.saturating_add(1);
    thread
}

/// Step 8's CSAT capture: a reply that is a rating ("5", "4/5", "⭐⭐⭐⭐") to the
/// latest conversation's survey is stored on it, with any comment.
pub(super) fn answer_survey(draft: &Draft) -> Option<Thread> {
    let latest = draft.context.latest?;
    let settings = &draft.context.tenant.settings;
    let decision = csat::on_reply(
        latest.survey.as_ref(),
        latest.status(),
        super::text_of(draft.message),
        draft.context.now,
        &settings.resumption,
    );
    let ReplyDecision::RecordRating { survey } = decision else {
        return None;
    };
    let rating = survey.answer.as_ref().map(|a| a.rating.clone());
    let mut conversation = latest.clone();
    conversation.survey = Some(survey);
    Some(Thread {
        conversation,
        opened: false,
        rating,
    })
}

/// The conversation any other message lands in: the latest one continued or
/// resumed, or a new one.
fn land(draft: &Draft) -> Thread {
    let context = &draft.context;
    let latest = context.latest;
    let resumption = &context.tenant.settings.resumption;
    let decision = conversation::on_inbound(latest.map(|c| &c.state), context.now, resumption);
    let (conversation, opened) = match (latest, decision) {
        (Some(latest), InboundDecision::Continue(state)) => (with_state(latest, state), false),
        (Some(latest), InboundDecision::Resume(state)) => (with_state(latest, state), true),
        (_, decision) => {
            let id = ConversationId::from_uuid(context.ids.next_id());
            let (tenant, contact) = (context.tenant.id, draft.contact.id);
            let state = decision.into_conversation();
            let channel = draft.message.channel;
            let conversation =
                ConversationRecord::new(id, tenant, contact, state, channel, context.now);
            (conversation, true)
        }
    };
    Thread {
        conversation,
        opened,
        rating: None,
    }
}

fn with_state(
    record: &ConversationRecord,
    state: conversation::Conversation,
) -> ConversationRecord {
    ConversationRecord {
        state,
        ..record.clone()
    }
}
