//! A provider's opt-out signal (SPEC §2): Twilio's 21610 or Telnyx's 40300, in a
//! status callback or a send's refusal, counts as the contact's STOP on the
//! message's channel.

use chrono::{DateTime, Utc};

use crate::core::consent::{ConsentChange, ConsentEvent, ConsentSource, Outcome, Proof};
use crate::model::{Contact, EventRecord, InboxEvent, MessageRecord, TenantId};
use crate::store::{Changeset, ContactWrite};

/// Everything the opt-out decision needs, loaded from the store.
#[derive(Debug, Clone, Copy)]
pub struct OptOutContext<'a> {
    /// The tenant.
    pub tenant: TenantId,
    /// The recipient.
    pub contact: &'a Contact,
    /// When the signal came.
    pub now: DateTime<Utc>,
}

/// What an opt-out signal writes.
#[derive(Debug, Clone, PartialEq)]
pub struct OptOutPlan {
    /// The tenant.
    pub tenant: TenantId,
    /// The contact, opted out on the channel.
    pub contact: ContactWrite,
    /// What happened.
    pub events: Vec<EventRecord>,
    /// When it was decided.
    pub now: DateTime<Utc>,
}

impl OptOutPlan {
    /// Everything the plan writes, as one changeset.
    pub fn into_changeset(self) -> Changeset {
        let mut changes = Changeset::for_contact(self.tenant, self.contact);
        changes.events = self.events;
        changes
    }
}

/// Withdraws consent on the channel of `message` because its provider said the
/// recipient opted out, with the message's provider id as proof; `None` when the
/// contact had opted out already (nothing to write, nothing to confirm).
pub fn decide_provider_opt_out(
    context: OptOutContext<'_>,
    message: &MessageRecord,
) -> Option<OptOutPlan> {
    let proof = Proof::MessageId(
        message
            .provider_message_id
            .clone()
            .unwrap_or_else(|| message.id.to_string()),
    );
    let change = ConsentEvent {
        channel: message.channel,
        change: ConsentChange::OptOut,
        source: ConsentSource::ProviderSignal,
        proof,
    };
    let mut contact = context.contact.clone();
    if contact.consent.record(change, context.now) != Outcome::Applied {
        return None;
    }
    let event = InboxEvent::ConsentChanged {
        contact: contact.id,
        channel: message.channel,
        change: ConsentChange::OptOut,
    };
    Some(OptOutPlan {
        tenant: context.tenant,
        contact: ContactWrite::update(context.contact.version, contact),
        events: vec![EventRecord::new(context.tenant, context.now, event)],
        now: context.now,
    })
}
