//! A contact created or changed by an agent, the API or a CSV import row (SPEC
//! §1, §2, §18): a new number creates the contact, a known one is updated;
//! consent is recorded with the editor's source, and no opt-in by an agent
//! without evidence, the API or an import ever undoes an opt-out.

use chrono::{DateTime, Utc};

use crate::core::channel::Channel;
use crate::core::consent::{
    ChannelConsent, ConsentChange, ConsentEvent, ConsentSource, Outcome, Proof,
};
use crate::core::phone::E164;
use crate::model::{Contact, ContactEdit, ContactId, EventRecord, IdSource, InboxEvent, TenantId};
use crate::store::{Changeset, ContactWrite};

/// Everything one edit's decision needs, loaded from the store.
#[derive(Debug, Clone, Copy)]
pub struct ContactEditContext<'a> {
    /// The tenant.
    pub tenant: TenantId,
    /// The contact with the edit's number, if the tenant has one.
    pub contact: Option<&'a Contact>,
    /// Who edits: `manual` (an agent), `api` or `csv_import`.
    pub source: ConsentSource,
    /// The evidence an agent gives for a consent change ("signed form #1234");
    /// without it, consent changes carry the time as their proof.
    pub proof: Option<&'a str>,
    /// When the edit is made.
    pub now: DateTime<Utc>,
    /// Where a new contact gets its id.
    pub ids: &'a dyn IdSource,
}

/// The contact an edit leaves: written, or as it was.
#[derive(Debug, Clone, PartialEq)]
pub enum EditedContact {
    /// Created or changed, as the store will hold it.
    Written(ContactWrite),
    /// The edit changed nothing, so nothing is written (importing a file twice
    /// writes nothing the second time).
    Unchanged(Contact),
}

impl EditedContact {
    /// The contact, as stored once the plan is committed.
    pub fn contact(&self) -> &Contact {
        match self {
            EditedContact::Written(write) => write.contact(),
            EditedContact::Unchanged(contact) => contact,
        }
    }
}

/// What an edit writes and what it did.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactEditPlan {
    /// The tenant.
    pub tenant: TenantId,
    /// The contact, written or as it was.
    pub contact: EditedContact,
    /// Whether the edit created the contact.
    pub created: bool,
    /// What each consent change asked for did, per channel.
    pub consent: Vec<(Channel, Outcome)>,
    /// What happened: tags added and removed, consent changed.
    pub events: Vec<EventRecord>,
}

impl ContactEditPlan {
    /// Whether the edit opted at least one channel in.
    pub fn opted_in(&self) -> bool {
        self.consent.iter().any(|(channel, outcome)| {
            *outcome == Outcome::Applied && self.contact.contact().consent.state().allows(*channel)
        })
    }

    /// Whether a standing opt-out refused an opt-in of the edit.
    pub fn opt_in_refused(&self) -> bool {
        self.consent
            .iter()
            .any(|(_, outcome)| matches!(outcome, Outcome::Ignored { .. }))
    }

    /// Everything the plan writes, as one changeset; `None` when it writes nothing.
    pub fn into_changeset(self) -> Option<Changeset> {
        let EditedContact::Written(write) = self.contact else {
            return None;
        };
        let mut changes = Changeset::for_contact(self.tenant, write);
        changes.events = self.events;
        Some(changes)
    }
}

/// Deletes `contact` at `now`: its [tombstone](Contact::tombstone) keeps the
/// number and the consent ledger, so a STOP outlives it. `None` when it was
/// deleted already.
pub fn decide_contact_delete(contact: &Contact, now: DateTime<Utc>) -> Option<Changeset> {
    if contact.is_deleted() {
        return None;
    }
    let write = ContactWrite::update(contact.version, contact.tombstone(now));
    let mut changes = Changeset::for_contact(contact.tenant, write);
    let deleted = InboxEvent::ContactDeleted {
        contact: contact.id,
    };
    changes.events = vec![EventRecord::new(contact.tenant, now, deleted)];
    Some(changes)
}

/// Applies `edit` to the contact with number `phone`, made for it if the
/// tenant has none.
pub fn decide_contact_edit(
    context: ContactEditContext<'_>,
    phone: E164,
    edit: &ContactEdit,
) -> ContactEditPlan {
    let now = context.now;
    // A deleted contact's number comes back as a new contact that keeps the
    // tombstone's consent ledger.
    let revived = context.contact.is_some_and(Contact::is_deleted);
    let mut contact = match context.contact {
        Some(contact) => contact.clone().revived(now),
        None => Contact::new(
            ContactId::from_uuid(context.ids.next_id()),
            context.tenant,
            phone,
            now,
        ),
    };
    let mut events = Vec::new();
    let mut changed = set_fields(&mut contact, edit);
    changed |= change_tags(&mut contact, edit, &mut events);
    let consent = record_consent(&mut contact, edit, &context, &mut events);
    changed |= !consent.is_empty();
    let edited = match context.contact {
        None => EditedContact::Written(ContactWrite::Insert(contact)),
        Some(_) if !changed && !revived => EditedContact::Unchanged(contact),
        Some(loaded) => {
            contact.updated_at = now;
            EditedContact::Written(ContactWrite::update(loaded.version, contact))
        }
    };
    ContactEditPlan {
        tenant: context.tenant,
        contact: edited,
        created: context.contact.is_none() || revived,
        consent,
        events: events
            .into_iter()
            .map(|event| EventRecord::new(context.tenant, now, event))
            .collect(),
    }
}

/// Sets the name, e-mail, company and attributes the edit gives; whether any
/// changed.
fn set_fields(contact: &mut Contact, edit: &ContactEdit) -> bool {
    let mut changed = false;
    for (slot, value) in [
        (&mut contact.name, &edit.name),
        (&mut contact.email, &edit.email),
        (&mut contact.company, &edit.company),
    ] {
        if value.is_some() && slot != value {
            slot.clone_from(value);
            changed = true;
        }
    }
    for (name, value) in &edit.attributes {
        changed |= if value.is_null() {
            contact.attributes.remove(name).is_some()
        } else if contact.attributes.get(name) == Some(value) {
            false
        } else {
            contact.attributes.insert(name.clone(), value.clone());
            true
        };
    }
    changed
}

/// Adds, then removes, the edit's tags; whether any changed.
fn change_tags(contact: &mut Contact, edit: &ContactEdit, events: &mut Vec<InboxEvent>) -> bool {
    let mut changed = false;
    for tag in &edit.add_tags {
        if contact.add_tag(tag) {
            events.push(InboxEvent::TagAdded {
                contact: contact.id,
                tag: tag.clone(),
            });
            changed = true;
        }
    }
    for tag in &edit.remove_tags {
        if contact.remove_tag(tag) {
            events.push(InboxEvent::TagRemoved {
                contact: contact.id,
                tag: tag.clone(),
            });
            changed = true;
        }
    }
    changed
}

/// Records the consent the edit asks for. A channel that already has the
/// asked-for status is left as it is (its record is the better one), so an
/// edit repeated records nothing; a refusal is recorded, as every consent
/// request is, for the audit trail.
fn record_consent(
    contact: &mut Contact,
    edit: &ContactEdit,
    context: &ContactEditContext<'_>,
    events: &mut Vec<InboxEvent>,
) -> Vec<(Channel, Outcome)> {
    let mut outcomes = Vec::new();
    for (channel, opted_in) in edit.consent() {
        let current = contact.consent.state().channel(channel);
        let already = match current {
            ChannelConsent::OptedIn { .. } => opted_in,
            ChannelConsent::OptedOut { .. } => !opted_in,
            ChannelConsent::Unknown => false,
        };
        if already {
            continue;
        }
        let change = if opted_in {
            ConsentChange::OptIn
        } else {
            ConsentChange::OptOut
        };
        let proof = context
            .proof
            .map_or(Proof::Timestamp(context.now), |record| {
                Proof::Record(record.to_owned())
            });
        let event = ConsentEvent {
            channel,
            change,
            source: context.source,
            proof,
        };
        let outcome = contact.consent.record(event, context.now);
        if outcome == Outcome::Applied {
            events.push(InboxEvent::ConsentChanged {
                contact: contact.id,
                channel,
                change,
            });
        }
        outcomes.push((channel, outcome));
    }
    outcomes
}
