//! Step 9: auto-tagging (SPEC §8). The message was tagged when it was stored;
//! its tags are added to the contact, each new one an event.

use super::Draft;
use crate::model::{InboxEvent, MessageRecord};

/// Adds the message's tags to the contact, once each.
pub(super) fn tag_contact(draft: &mut Draft, stored: &MessageRecord) {
    for tag in &stored.tags {
        if draft.contact.add_tag(tag) {
            draft.event(InboxEvent::TagAdded {
                contact: draft.contact.id,
                tag: tag.clone(),
            });
        }
    }
}
