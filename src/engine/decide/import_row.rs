//! One CSV import row applied to its contact (SPEC §18): a new number creates a
//! contact, a known one is updated; opt-ins are recorded with source
//! `csv_import` and never undo an opt-out.

use chrono::{DateTime, Utc};

use crate::core::channel::Channel;
use crate::core::consent::{ConsentChange, ConsentEvent, ConsentSource, Outcome, Proof};
use crate::core::import::ImportRow;
use crate::core::phone::E164;
use crate::model::{Contact, ContactId, EventRecord, IdSource, InboxEvent, TenantId};
use crate::store::{Changeset, ContactWrite};

/// Everything one row's decision needs, loaded from the store.
#[derive(Debug, Clone, Copy)]
pub struct ImportRowContext<'a> {
    /// The tenant importing.
    pub tenant: TenantId,
    /// The contact with the row's number, if the tenant has one.
    pub contact: Option<&'a Contact>,
    /// When the import runs.
    pub now: DateTime<Utc>,
    /// Where a new contact gets its id.
    pub ids: &'a dyn IdSource,
}

/// What one row writes and how it counts in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRowPlan {
    /// The tenant.
    pub tenant: TenantId,
    /// The contact created or updated; `None` when the row changes nothing
    /// (the same file imported again writes nothing).
    pub contact: Option<ContactWrite>,
    /// Whether the row created the contact.
    pub created: bool,
    /// Whether the row opted at least one channel in.
    pub opted_in: bool,
    /// Whether an opt-in of the row was refused by a standing opt-out.
    pub opt_in_refused: bool,
    /// What happened: tags added, consent changed.
    pub events: Vec<EventRecord>,
}

impl ImportRowPlan {
    /// Everything the plan writes, as one changeset; `None` when it writes nothing.
    pub fn into_changeset(self) -> Option<Changeset> {
        let mut changes = Changeset::for_contact(self.tenant, self.contact?);
        changes.events = self.events;
        Some(changes)
    }
}

/// Applies `row` to the contact with number `phone`, made for it if the tenant
/// has none.
pub fn decide_import_row(
    context: ImportRowContext<'_>,
    phone: E164,
    row: &ImportRow,
) -> ImportRowPlan {
    let now = context.now;
    let mut contact = match context.contact {
        Some(contact) => contact.clone(),
        None => Contact::new(
            ContactId::from_uuid(context.ids.next_id()),
            context.tenant,
            phone,
            now,
        ),
    };
    let mut events = Vec::new();
    let fields_changed = set_fields(&mut contact, row);
    let tags_added = add_tags(&mut contact, row, &mut events);
    let consent = opt_in(&mut contact, row, now, &mut events);
    let changed = fields_changed || tags_added || consent.recorded;
    let events = events
        .into_iter()
        .map(|event| EventRecord::new(context.tenant, now, event))
        .collect();
    let write = match context.contact {
        None => Some(ContactWrite::Insert(contact)),
        Some(_) if !changed => None,
        Some(loaded) => {
            contact.updated_at = now;
            Some(ContactWrite::update(loaded.version, contact))
        }
    };
    ImportRowPlan {
        tenant: context.tenant,
        contact: write,
        created: context.contact.is_none(),
        opted_in: consent.opted_in,
        opt_in_refused: consent.refused,
        events,
    }
}

/// Sets the name, e-mail, company and attributes the row gives; whether any
/// changed.
fn set_fields(contact: &mut Contact, row: &ImportRow) -> bool {
    let mut changed = false;
    for (slot, value) in [
        (&mut contact.name, &row.name),
        (&mut contact.email, &row.email),
        (&mut contact.company, &row.company),
    ] {
        if value.is_some() && slot != value {
            slot.clone_from(value);
            changed = true;
        }
    }
    for (name, value) in &row.attributes {
        let value = serde_json::Value::String(value.clone());
        if contact.attributes.get(name) != Some(&value) {
            contact.attributes.insert(name.clone(), value);
            changed = true;
        }
    }
    changed
}

fn add_tags(contact: &mut Contact, row: &ImportRow, events: &mut Vec<InboxEvent>) -> bool {
    let mut added = false;
    for tag in &row.tags {
        if contact.add_tag(tag) {
            events.push(InboxEvent::TagAdded {
                contact: contact.id,
                tag: tag.clone(),
            });
            added = true;
        }
    }
    added
}

/// What the row's opt-ins did.
#[derive(Debug, Default)]
struct OptIns {
    recorded: bool,
    opted_in: bool,
    refused: bool,
}

/// Opts in the channels the row says, with source `csv_import`. A channel opted
/// in already is left as it is (its proof is the better one), so importing a
/// file twice records nothing the second time; a refusal is recorded, as every
/// consent request is, for the audit trail.
fn opt_in(
    contact: &mut Contact,
    row: &ImportRow,
    now: DateTime<Utc>,
    events: &mut Vec<InboxEvent>,
) -> OptIns {
    let mut result = OptIns::default();
    let asked = [
        (Channel::WhatsApp, row.whatsapp_opt_in),
        (Channel::Sms, row.sms_opt_in),
    ];
    for (channel, _) in asked.into_iter().filter(|(_, asked)| *asked) {
        if contact.consent.state().allows(channel) {
            continue;
        }
        let event = ConsentEvent {
            channel,
            change: ConsentChange::OptIn,
            source: ConsentSource::CsvImport,
            proof: Proof::Timestamp(now),
        };
        result.recorded = true;
        match contact.consent.record(event, now) {
            Outcome::Applied => {
                result.opted_in = true;
                events.push(InboxEvent::ConsentChanged {
                    contact: contact.id,
                    channel,
                    change: ConsentChange::OptIn,
                });
            }
            Outcome::Ignored { .. } => result.refused = true,
            Outcome::Unchanged => {}
        }
    }
    result
}
