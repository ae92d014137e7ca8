//! Step 11: who answers (SPEC §11): a `BOT_ACTIVE` conversation's flow bot, an
//! `AI_ACTIVE` one's AI agent, or else the agents in the inbox.

use super::Draft;
use super::conversation::Thread;
use crate::engine::decide::{ResponseDue, Routed};
use crate::model::MessageRecord;

/// The responder's turn, for a message in a bot's or AI agent's conversation
/// that the pipeline did not answer itself (keywords and survey answers are its
/// own). The responder is asked after the commit: the webhook's acknowledgement
/// never waits for it.
pub(super) fn route_to_responder(
    draft: &Draft,
    thread: &Thread,
    stored: &MessageRecord,
) -> Option<ResponseDue> {
    if draft.keyword().is_some() || thread.rating.is_some() {
        return None;
    }
    let routed = Routed::from_status(thread.conversation.status())?;
    Some(ResponseDue {
        tenant: draft.context.tenant.id,
        conversation: thread.conversation.id,
        message: stored.id,
        routed,
    })
}
