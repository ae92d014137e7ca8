//! A call's status, logged (SPEC §15, voice): the caller becomes a contact if the
//! tenant has never seen them, and the log is an event for automations.

use chrono::{DateTime, Utc};

use crate::model::{CallLog, Contact, ContactId, EventRecord, IdSource, InboxEvent, TenantId};
use crate::store::{Changeset, ContactWrite};

/// Everything the call-log decision needs, loaded from the store.
#[derive(Debug, Clone, Copy)]
pub struct CallLogContext<'a> {
    /// The tenant called.
    pub tenant: TenantId,
    /// The caller's contact, if the tenant has one.
    pub contact: Option<&'a Contact>,
    /// When the status came.
    pub now: DateTime<Utc>,
    /// Where new records get their ids.
    pub ids: &'a dyn IdSource,
}

/// What a call log writes.
#[derive(Debug, Clone, PartialEq)]
pub struct CallLogPlan {
    /// The tenant.
    pub tenant: TenantId,
    /// The caller's contact, created or written back.
    pub contact: ContactWrite,
    /// The call log it keeps: one per call and status.
    pub call: CallLog,
    /// What happened: the call log event.
    pub events: Vec<EventRecord>,
    /// When it was decided.
    pub now: DateTime<Utc>,
}

impl CallLogPlan {
    /// Everything the plan writes, as one changeset.
    pub fn into_changeset(self) -> Changeset {
        let mut changes = Changeset::for_contact(self.tenant, self.contact);
        changes.call_logs.push(self.call);
        changes.events = self.events;
        changes
    }
}

/// Logs `call` on the caller's contact, made for the call if the tenant has
/// never seen the caller.
pub fn decide_call_log(context: CallLogContext<'_>, call: &CallLog) -> CallLogPlan {
    let contact = match context.contact {
        Some(contact) => {
            let revived = contact.clone().revived(context.now);
            ContactWrite::update(contact.version, revived)
        }
        None => {
            let id = ContactId::from_uuid(context.ids.next_id());
            ContactWrite::Insert(Contact::new(id, context.tenant, call.from, context.now))
        }
    };
    let event = InboxEvent::CallLogged {
        provider: call.provider.clone(),
        call: call.call.clone(),
        contact: contact.contact().id,
        from: call.from,
        to: call.to,
        status: call.status.clone(),
        duration_seconds: call.duration_seconds,
    };
    CallLogPlan {
        tenant: context.tenant,
        contact,
        call: call.clone(),
        events: vec![EventRecord::new(context.tenant, context.now, event)],
        now: context.now,
    }
}
