//! One decision's writes, committed all or nothing.

use chrono::{DateTime, Utc};

use crate::model::{
    CallLog, Contact, ContactId, ConversationRecord, EventRecord, InboxEvent, MessageRecord,
    OutboxItem, QueuedMessage, RecipientUpdate, RunRecord, TenantId,
};

/// How the contact is written.
#[derive(Debug, Clone, PartialEq)]
pub enum ContactWrite {
    /// A contact seen for the first time (its version is 1). If another writer
    /// created the same (tenant, phone) first, the commit is a conflict.
    Insert(Contact),
    /// A contact loaded at `expected_version`, written back with `version`
    /// `expected_version + 1`. If it changed meanwhile, the commit is a conflict.
    Update {
        /// The contact as decided, with its new version.
        contact: Contact,
        /// The version it was loaded at.
        expected_version: u64,
    },
}

impl ContactWrite {
    /// The contact being written.
    pub fn contact(&self) -> &Contact {
        match self {
            ContactWrite::Insert(contact) | ContactWrite::Update { contact, .. } => contact,
        }
    }

    /// An update of `loaded`, taken to `decided`: bumps the version.
    pub fn update(loaded_version: u64, mut decided: Contact) -> ContactWrite {
        decided.version = loaded_version + 1;
        ContactWrite::Update {
            contact: decided,
            expected_version: loaded_version,
        }
    }
}

/// Everything one decision writes for one contact, committed in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Changeset {
    /// The tenant; every record in the changeset belongs to it.
    pub tenant: TenantId,
    /// The contact, always written (its version guards the whole changeset).
    pub contact: ContactWrite,
    /// Conversations to insert or replace (by id).
    pub conversations: Vec<ConversationRecord>,
    /// Messages to insert; a duplicate provider or client id fails the commit.
    pub messages: Vec<MessageRecord>,
    /// Outbox items to insert, one per outbound message.
    pub outbox: Vec<OutboxItem>,
    /// Events to append.
    pub events: Vec<EventRecord>,
    /// Call logs to keep: each (provider, call, status) once per tenant, so a
    /// retried status callback is [`CommitError::DuplicateCallLog`](super::CommitError::DuplicateCallLog).
    pub call_logs: Vec<CallLog>,
    /// Campaign recipients of this contact whose message this changeset queues
    /// (or who are skipped with it): each must still be pending, or the commit
    /// is [`CommitError::Conflict`](super::CommitError::Conflict) and writes
    /// nothing, so a recipient is never queued twice nor after a cancellation.
    pub recipients: Vec<RecipientUpdate>,
    /// The contact's workflow runs to insert or replace (by id). A run is
    /// written only here, under its contact's version, so a run that moved
    /// on since it was loaded makes the commit a conflict.
    pub runs: Vec<RunRecord>,
}

impl Changeset {
    /// Appends `event`, for the changeset's tenant, as happening at `at`.
    pub fn push_event(&mut self, at: DateTime<Utc>, event: InboxEvent) {
        self.events.push(EventRecord {
            tenant: self.tenant,
            at,
            event,
        });
    }

    /// Appends the queued message and its outbox item.
    pub fn queue(&mut self, queued: QueuedMessage) {
        self.messages.push(queued.message);
        self.outbox.push(queued.item);
    }

    /// A changeset that writes only the contact.
    pub fn for_contact(tenant: TenantId, contact: ContactWrite) -> Changeset {
        Changeset {
            tenant,
            contact,
            conversations: Vec::new(),
            messages: Vec::new(),
            outbox: Vec::new(),
            events: Vec::new(),
            call_logs: Vec::new(),
            recipients: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// The contact's id.
    pub fn contact_id(&self) -> ContactId {
        self.contact.contact().id
    }

    /// Whether every record names the changeset's tenant (and the contact's
    /// conversations and messages name the contact); stores refuse a changeset
    /// that does not, so a bug upstream cannot write across tenants.
    pub fn is_consistent(&self) -> bool {
        let contact = self.contact.contact();
        contact.tenant == self.tenant
            && self
                .conversations
                .iter()
                .all(|c| c.tenant == self.tenant && c.contact == contact.id)
            && self
                .messages
                .iter()
                .all(|m| m.tenant == self.tenant && m.contact == contact.id)
            && self.outbox.iter().all(|o| o.tenant == self.tenant)
            && self.events.iter().all(|e| e.tenant == self.tenant)
            && self.recipients.iter().all(|r| r.contact == contact.id)
            && self
                .runs
                .iter()
                .all(|r| r.tenant == self.tenant && r.contact == contact.id)
    }
}
