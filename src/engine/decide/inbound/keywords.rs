//! Step 8: STOP, START and HELP (SPEC §2), and replies that read like a
//! revocation of consent.
//!
//! Each consent keyword changes the consent of the message's channel only, with
//! the message as proof, and is confirmed once per change: a second STOP changes
//! nothing and confirms nothing. The confirmations and the help text are the
//! tenant's, and are not sent when the tenant's provider sends its own.

use super::Draft;
use super::contact::consent_changed;
use crate::core::consent::{ConsentChange, ConsentSource, Outcome};
use crate::core::keyword::KeywordAction;
use crate::model::{ConversationRecord, InboxEvent, MessageRecord};

/// Step 8: the keyword the message is, acted on.
pub(super) fn handle_keyword(draft: &mut Draft, conversation: &ConversationRecord) {
    match draft.keyword() {
        Some(KeywordAction::OptOut) => opt_out(draft, conversation),
        Some(KeywordAction::OptIn) => opt_in(draft, conversation),
        Some(KeywordAction::Help) => help(draft, conversation),
        None => {}
    }
}

/// STOP (and its synonyms, and a possible revocation the tenant treats as one):
/// the channel's consent is withdrawn and the opt-out confirmed. Every later
/// send on the channel, from every path, is refused by its consent gate.
pub(super) fn opt_out(draft: &mut Draft, conversation: &ConversationRecord) {
    change_consent(draft, conversation, ConsentChange::OptOut);
}

/// START (and its synonyms): consent on the channel is restored and confirmed.
pub(super) fn opt_in(draft: &mut Draft, conversation: &ConversationRecord) {
    change_consent(draft, conversation, ConsentChange::OptIn);
}

/// HELP: the tenant's help text (program name, contact, "Msg&data rates may
/// apply", "Reply STOP to cancel"). It changes no consent.
pub(super) fn help(draft: &mut Draft, conversation: &ConversationRecord) {
    let rules = draft.context.rules;
    draft.reply(conversation, &rules.replies.help);
}

/// Records `change` from the keyword; only a change that applied is confirmed.
fn change_consent(draft: &mut Draft, conversation: &ConversationRecord, change: ConsentChange) {
    let event = draft.consent_event(change, ConsentSource::Keyword);
    if draft.contact.consent.record(event, draft.context.now) != Outcome::Applied {
        return;
    }
    draft.event(consent_changed(draft, change));
    let replies = &draft.context.rules.replies;
    let text = match change {
        ConsentChange::OptOut => &replies.opt_out,
        ConsentChange::OptIn => &replies.opt_in,
    };
    draft.reply(conversation, text);
}

/// A longer reply that reads like a revocation ("please stop texting me") is
/// flagged for an agent, never ignored: the FCC judges those by the totality of
/// the circumstances.
pub(super) fn flag_possible_revocation(draft: &mut Draft, stored: &MessageRecord) {
    let flagged = draft
        .classification
        .as_ref()
        .is_some_and(|c| c.is_possible_revocation());
    if flagged && draft.keyword().is_none() {
        draft.event(InboxEvent::PossibleRevocation {
            message: stored.id,
            contact: draft.contact.id,
        });
    }
}
