//! Step 10: the automation triggers of an inbound message (SPEC §14, §18).

use super::Draft;
use super::conversation::Thread;
use crate::core::channel::Channel;
use crate::model::{InboxEvent, MessageRecord};

/// `inbound_sms` or `inbound_whatsapp`, for an ordinary message: STOP, START,
/// HELP and survey answers were handled by the pipeline itself and fire nothing
/// (SPEC §18).
pub(super) fn fire_inbound_trigger(draft: &mut Draft, thread: &Thread, stored: &MessageRecord) {
    if draft.keyword().is_some() || thread.rating.is_some() {
        return;
    }
    let trigger = match draft.message.channel {
        Channel::Sms => "inbound_sms",
        Channel::WhatsApp => "inbound_whatsapp",
    };
    draft.events.push(InboxEvent::Trigger {
        trigger: trigger.to_owned(),
        message: stored.id,
        contact: draft.contact.id,
    });
}
