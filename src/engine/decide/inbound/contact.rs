//! Steps 5 and 6: who the contact is — opted in by their first message on a
//! channel, named by their WhatsApp profile, attributed to the ad that brought
//! them — and their WhatsApp windows (SPEC §5).

use super::Draft;
use crate::core::channel::Channel;
use crate::core::consent::{ChannelConsent, ConsentChange, ConsentSource, Outcome};
use crate::core::keyword::KeywordAction;
use crate::model::InboxEvent;
use crate::model::contact::Attribution;

/// Step 5: the first message on a channel opts the contact in on it (source:
/// automatic), unless the message is itself STOP or START, which decides instead.
pub(super) fn opt_in_on_first_message(draft: &mut Draft) {
    let channel = draft.message.channel;
    let is_consent_keyword = matches!(
        draft.keyword(),
        Some(KeywordAction::OptOut | KeywordAction::OptIn)
    );
    let unknown = *draft.contact.consent.state().channel(channel) == ChannelConsent::Unknown;
    if is_consent_keyword || !unknown {
        return;
    }
    let change = draft.consent_event(ConsentChange::OptIn, ConsentSource::Automatic);
    if draft.contact.consent.record(change, draft.context.now) == Outcome::Applied {
        draft.event(consent_changed(draft, ConsentChange::OptIn));
    }
}

/// A contact without a name takes the one in their WhatsApp profile.
pub(super) fn take_profile_name(draft: &mut Draft) {
    if draft.contact.name.is_none() {
        draft.contact.name.clone_from(&draft.message.profile_name);
    }
}

/// The contact keeps how WhatsApp knows them (SPEC §1): a `wa_id` that is
/// not their number's digits is where their messages must go.
pub(super) fn keep_whatsapp_ids(draft: &mut Draft) {
    draft.contact.whatsapp.update(&draft.message.whatsapp);
}

/// Step 6: the Click-to-WhatsApp ad or Page button that brought the contact is
/// kept whole on the contact at `attributes.ctwa`, with when it did.
pub(super) fn capture_referral(draft: &mut Draft) {
    if let Some(referral) = &draft.message.referral {
        let attribution = Attribution {
            referral: referral.clone(),
            at: draft.context.now,
        };
        draft.contact.set_attribution(&attribution);
    }
}

/// SPEC §5: a WhatsApp message (or call) opens the 24-hour customer-service
/// window again, and one from an ad opens the 72-hour free entry point.
pub(super) fn refresh_whatsapp_window(draft: &mut Draft) {
    let message = draft.message;
    if message.channel != Channel::WhatsApp {
        return;
    }
    let entry = message.referral.as_ref().map(|r| r.entry_point);
    let policy = &draft.context.tenant.settings.window;
    draft.contact.whatsapp_window =
        draft
            .contact
            .whatsapp_window
            .on_inbound(message.kind, entry, draft.context.now, policy);
}

/// The event of a consent change on the message's channel.
pub(super) fn consent_changed(draft: &Draft, change: ConsentChange) -> InboxEvent {
    InboxEvent::ConsentChanged {
        contact: draft.contact.id,
        channel: draft.message.channel,
        change,
    }
}
