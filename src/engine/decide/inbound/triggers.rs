//! Step 10: the automation triggers of an inbound message (SPEC §14, §18).

use super::Draft;
use super::conversation::Thread;
use crate::core::trigger::Trigger;
use crate::model::{InboxEvent, MessageRecord};

/// `inbound_sms` or `inbound_whatsapp`, for an ordinary message: STOP, START,
/// HELP and survey answers were handled by the pipeline itself and fire nothing
/// (SPEC §18).
pub(super) fn fire_inbound_trigger(draft: &mut Draft, thread: &Thread, stored: &MessageRecord) {
    if draft.keyword().is_some() || thread.rating.is_some() {
        return;
    }
    draft.event(InboxEvent::Trigger {
        trigger: Trigger::inbound(draft.message.channel).as_str().to_owned(),
        message: stored.id,
        contact: draft.contact.id,
    });
}
