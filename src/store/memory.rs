//! [`MemoryStore`]: the whole inbox in one process's memory, behind one lock.
//!
//! For tests, `msgctl simulate`, the quickstart and single-process tools. It
//! implements every guard of the [`Store`] contract (versions, unique keys, tenant
//! scoping, outbox leases) exactly as the SQL stores do, and runs the same
//! [`conformance`](super::conformance) suite.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};

use super::rules::{self, OutcomeEffect, Search};
use super::{
    BulkAction, Changeset, CommitError, ContactWrite, ConversationQuery, ConversationSummary,
    DispatchOutcome, Store, StoreError,
};
use crate::core::delivery::{Delivery, StatusUpdate};
use crate::core::phone::E164;
use crate::core::ratelimit::{Decision, GcraState, Quota};
use crate::model::{
    Contact, ContactId, ConversationId, ConversationRecord, EventRecord, MessageId, MessageRecord,
    OutboxItem, ProviderName, Tenant, TenantId,
};

/// An in-memory [`Store`].
#[derive(Debug, Default)]
pub struct MemoryStore {
    data: Mutex<Data>,
}

#[derive(Debug, Default)]
struct Data {
    tenants: HashMap<TenantId, Tenant>,
    contacts: HashMap<(TenantId, ContactId), Contact>,
    conversations: HashMap<(TenantId, ConversationId), ConversationRecord>,
    messages: HashMap<(TenantId, MessageId), MessageRecord>,
    /// Insertion order of messages, for timelines.
    message_order: Vec<(TenantId, MessageId)>,
    outbox: Vec<OutboxItem>,
    events: Vec<(u64, EventRecord)>,
    rates: HashMap<String, GcraState>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn lock(&self) -> MutexGuard<'_, Data> {
        // A panic while holding the lock cannot leave `Data` half-written: every
        // mutation below is checked first and applied after, so the data is usable.
        self.data
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Data {
    fn contact_by_phone(&self, tenant: TenantId, phone: &E164) -> Option<&Contact> {
        self.contacts
            .values()
            .find(|c| c.tenant == tenant && &c.phone == phone)
    }

    fn message_by_provider_id(
        &self,
        tenant: TenantId,
        provider: &ProviderName,
        id: &str,
    ) -> Option<&MessageRecord> {
        self.messages.values().find(|m| {
            m.tenant == tenant
                && m.provider.as_ref() == Some(provider)
                && m.provider_message_id.as_deref() == Some(id)
        })
    }

    fn message_by_client_id(&self, tenant: TenantId, client_id: &str) -> Option<&MessageRecord> {
        self.messages
            .values()
            .find(|m| m.tenant == tenant && m.client_id.as_deref() == Some(client_id))
    }

    fn check_contact(&self, tenant: TenantId, write: &ContactWrite) -> Result<(), CommitError> {
        let contact = write.contact();
        let stored = self.contacts.get(&(tenant, contact.id));
        let phone_owner = self.contact_by_phone(tenant, &contact.phone);
        match write {
            ContactWrite::Insert(_) if stored.is_some() || phone_owner.is_some() => {
                Err(CommitError::Conflict)
            }
            ContactWrite::Insert(_) => Ok(()),
            ContactWrite::Update {
                expected_version, ..
            } => {
                if stored.is_none_or(|c| c.version != *expected_version) {
                    Err(CommitError::Conflict)
                } else if phone_owner.is_some_and(|owner| owner.id != contact.id) {
                    Err(StoreError::Taken {
                        what: format!("phone {}", contact.phone),
                    }
                    .into())
                } else {
                    Ok(())
                }
            }
        }
    }

    fn check_keys(&self, changes: &Changeset) -> Result<(), CommitError> {
        for (i, message) in changes.messages.iter().enumerate() {
            let earlier = changes.messages.get(..i).unwrap_or_default();
            let clash = |other: &MessageRecord| rules::same_key(message, other);
            let existing = self
                .messages
                .values()
                .find(|m| m.tenant == changes.tenant && clash(m))
                .or_else(|| earlier.iter().find(|m| clash(m)));
            if let Some(existing) = existing {
                return Err(CommitError::Duplicate {
                    existing: existing.id,
                });
            }
        }
        for (i, item) in changes.outbox.iter().enumerate() {
            let earlier = changes.outbox.get(..i).unwrap_or_default();
            let queued = |other: &OutboxItem| other.message == item.message;
            let stored = self
                .outbox
                .iter()
                .any(|o| o.tenant == changes.tenant && queued(o));
            if stored || earlier.iter().any(queued) {
                return Err(CommitError::Duplicate {
                    existing: item.message,
                });
            }
        }
        Ok(())
    }

    fn conversation_summary(&self, record: &ConversationRecord) -> Option<ConversationSummary> {
        let contact = self.contacts.get(&(record.tenant, record.contact))?;
        Some(ConversationSummary {
            conversation: record.clone(),
            contact_name: contact.name.clone(),
            contact_phone: contact.phone,
        })
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn put_tenant(&self, tenant: &Tenant) -> Result<(), StoreError> {
        let mut data = self.lock();
        for other in data.tenants.values().filter(|t| t.id != tenant.id) {
            if other.slug == tenant.slug {
                return Err(StoreError::Taken {
                    what: format!("slug {}", tenant.slug),
                });
            }
            if let Some(n) = tenant
                .numbers
                .iter()
                .find(|n| other.numbers.iter().any(|o| o.number == n.number))
            {
                return Err(StoreError::Taken {
                    what: format!("number {}", n.number),
                });
            }
        }
        data.tenants.insert(tenant.id, tenant.clone());
        Ok(())
    }

    async fn tenant(&self, id: TenantId) -> Result<Option<Tenant>, StoreError> {
        Ok(self.lock().tenants.get(&id).cloned())
    }

    async fn tenant_by_slug(&self, slug: &str) -> Result<Option<Tenant>, StoreError> {
        Ok(self
            .lock()
            .tenants
            .values()
            .find(|t| t.slug == slug)
            .cloned())
    }

    async fn tenant_by_number(&self, number: &E164) -> Result<Option<Tenant>, StoreError> {
        Ok(self
            .lock()
            .tenants
            .values()
            .find(|t| t.numbers.iter().any(|n| &n.number == number))
            .cloned())
    }

    async fn contact(
        &self,
        tenant: TenantId,
        id: ContactId,
    ) -> Result<Option<Contact>, StoreError> {
        Ok(self.lock().contacts.get(&(tenant, id)).cloned())
    }

    async fn contact_by_phone(
        &self,
        tenant: TenantId,
        phone: &E164,
    ) -> Result<Option<Contact>, StoreError> {
        Ok(self.lock().contact_by_phone(tenant, phone).cloned())
    }

    async fn search_contacts(
        &self,
        tenant: TenantId,
        text: &str,
        limit: usize,
    ) -> Result<Vec<Contact>, StoreError> {
        let data = self.lock();
        let search = Search::new(text);
        let mut found: Vec<Contact> = data
            .contacts
            .values()
            .filter(|c| c.tenant == tenant && search.matches(c))
            .cloned()
            .collect();
        found.sort_by(|a, b| (&a.name, a.phone.as_str()).cmp(&(&b.name, b.phone.as_str())));
        found.truncate(limit);
        Ok(found)
    }

    async fn conversation(
        &self,
        tenant: TenantId,
        id: ConversationId,
    ) -> Result<Option<ConversationRecord>, StoreError> {
        Ok(self.lock().conversations.get(&(tenant, id)).cloned())
    }

    async fn latest_conversation(
        &self,
        tenant: TenantId,
        contact: ContactId,
    ) -> Result<Option<ConversationRecord>, StoreError> {
        Ok(self
            .lock()
            .conversations
            .values()
            .filter(|c| c.tenant == tenant && c.contact == contact)
            .max_by_key(|c| (c.created_at, c.id))
            .cloned())
    }

    async fn conversations(
        &self,
        tenant: TenantId,
        query: &ConversationQuery,
    ) -> Result<Vec<ConversationSummary>, StoreError> {
        let data = self.lock();
        let search = query.search.as_deref().map(Search::new);
        let mut rows: Vec<ConversationSummary> = data
            .conversations
            .values()
            .filter(|c| c.tenant == tenant && rules::conversation_matches(c, query))
            .filter_map(|c| data.conversation_summary(c))
            .filter(|row| {
                search.as_ref().is_none_or(|search| {
                    data.contacts
                        .get(&(tenant, row.conversation.contact))
                        .is_some_and(|c| search.matches(c))
                })
            })
            .collect();
        rows.sort_by(|a, b| {
            let key =
                |r: &ConversationSummary| (r.conversation.last_activity_at(), r.conversation.id);
            key(b).cmp(&key(a))
        });
        rows.truncate(query.limit);
        Ok(rows)
    }

    async fn bulk_update(
        &self,
        tenant: TenantId,
        ids: &[ConversationId],
        action: BulkAction,
    ) -> Result<usize, StoreError> {
        let mut data = self.lock();
        let mut changed = 0;
        for id in ids {
            if let Some(record) = data.conversations.get_mut(&(tenant, *id)) {
                changed += usize::from(rules::apply_bulk(record, action));
            }
        }
        Ok(changed)
    }

    async fn message(
        &self,
        tenant: TenantId,
        id: MessageId,
    ) -> Result<Option<MessageRecord>, StoreError> {
        Ok(self.lock().messages.get(&(tenant, id)).cloned())
    }

    async fn message_by_provider_id(
        &self,
        tenant: TenantId,
        provider: &ProviderName,
        provider_message_id: &str,
    ) -> Result<Option<MessageRecord>, StoreError> {
        Ok(self
            .lock()
            .message_by_provider_id(tenant, provider, provider_message_id)
            .cloned())
    }

    async fn message_by_client_id(
        &self,
        tenant: TenantId,
        client_id: &str,
    ) -> Result<Option<MessageRecord>, StoreError> {
        Ok(self.lock().message_by_client_id(tenant, client_id).cloned())
    }

    async fn timeline(
        &self,
        tenant: TenantId,
        contact: ContactId,
        limit: usize,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let data = self.lock();
        let mine: Vec<&MessageRecord> = data
            .message_order
            .iter()
            .filter_map(|key| data.messages.get(key))
            .filter(|m| m.tenant == tenant && m.contact == contact)
            .collect();
        let skip = mine.len().saturating_sub(limit);
        Ok(mine.into_iter().skip(skip).cloned().collect())
    }

    async fn commit(&self, changes: Changeset) -> Result<(), CommitError> {
        if !changes.is_consistent() {
            return Err(StoreError::InconsistentChangeset.into());
        }
        let mut data = self.lock();
        data.check_contact(changes.tenant, &changes.contact)?;
        data.check_keys(&changes)?;
        let tenant = changes.tenant;
        let contact = match changes.contact {
            ContactWrite::Insert(contact) | ContactWrite::Update { contact, .. } => contact,
        };
        data.contacts.insert((tenant, contact.id), contact);
        for conversation in changes.conversations {
            data.conversations
                .insert((tenant, conversation.id), conversation);
        }
        for message in changes.messages {
            data.message_order.push((tenant, message.id));
            data.messages.insert((tenant, message.id), message);
        }
        data.outbox.extend(changes.outbox);
        for event in changes.events {
            let seq = data.events.len() as u64 + 1;
            data.events.push((seq, event));
        }
        Ok(())
    }

    async fn record_status(
        &self,
        tenant: TenantId,
        message: MessageId,
        update: &StatusUpdate,
    ) -> Result<Option<Delivery>, StoreError> {
        let mut data = self.lock();
        Ok(data.messages.get_mut(&(tenant, message)).map(|m| {
            m.delivery.apply(update.clone());
            m.delivery.clone()
        }))
    }

    async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let mut data = self.lock();
        let mut claimed = Vec::new();
        for item in data
            .outbox
            .iter_mut()
            .filter(|i| rules::is_claimable(i, now))
        {
            if claimed.len() == limit {
                break;
            }
            rules::claim(item, now, lease);
            claimed.push(item.clone());
        }
        Ok(claimed)
    }

    async fn finish_outbox(
        &self,
        tenant: TenantId,
        message: MessageId,
        outcome: &DispatchOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut data = self.lock();
        if let DispatchOutcome::Sent {
            provider,
            provider_message_id,
        } = outcome
        {
            let known = data.messages.contains_key(&(tenant, message));
            let taken = data
                .message_by_provider_id(tenant, provider, provider_message_id)
                .is_some_and(|other| other.id != message);
            if known && taken {
                return Err(StoreError::Taken {
                    what: format!("provider message id {provider} {provider_message_id}"),
                });
            }
        }
        let effect = OutcomeEffect::of(outcome, now);
        if let Some(item) = data
            .outbox
            .iter_mut()
            .find(|i| i.tenant == tenant && i.message == message)
        {
            effect.apply_to_item(item);
        }
        if let Some(record) = data.messages.get_mut(&(tenant, message)) {
            effect.apply_to_message(outcome, record);
        }
        Ok(())
    }

    async fn outbox_item(
        &self,
        tenant: TenantId,
        message: MessageId,
    ) -> Result<Option<OutboxItem>, StoreError> {
        Ok(self
            .lock()
            .outbox
            .iter()
            .find(|i| i.tenant == tenant && i.message == message)
            .cloned())
    }

    async fn events(
        &self,
        tenant: TenantId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<(u64, EventRecord)>, StoreError> {
        Ok(self
            .lock()
            .events
            .iter()
            .filter(|(seq, e)| *seq > after && e.tenant == tenant)
            .take(limit)
            .cloned()
            .collect())
    }

    async fn check_rate(
        &self,
        key: &str,
        quota: &Quota,
        now: DateTime<Utc>,
    ) -> Result<Decision, StoreError> {
        let mut data = self.lock();
        let decision = quota.check(data.rates.get(key).copied(), now);
        if let Decision::Allow(state) = decision {
            data.rates.insert(key.to_owned(), state);
        }
        Ok(decision)
    }
}
