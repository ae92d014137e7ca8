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

use super::{
    BulkAction, Changeset, CommitError, ContactWrite, ConversationQuery, ConversationSummary,
    DispatchOutcome, Store, StoreError,
};
use crate::core::delivery::{Delivery, DeliveryStatus, StatusUpdate};
use crate::core::phone::E164;
use crate::core::ratelimit::{Decision, GcraState, Quota};
use crate::model::{
    Contact, ContactId, ConversationId, ConversationRecord, EventRecord, MessageId, MessageRecord,
    OutboxItem, OutboxState, ProviderName, Tenant, TenantId,
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
    /// The unique keys and lookups a database would index.
    index: Index,
    /// Outbox items by message, and their order of insertion (claims go oldest first).
    outbox: HashMap<(TenantId, MessageId), OutboxItem>,
    outbox_order: Vec<(TenantId, MessageId)>,
    events: Vec<(u64, EventRecord)>,
    rates: HashMap<String, GcraState>,
}

/// What a database would keep as unique indexes and foreign-key indexes.
#[derive(Debug, Default)]
struct Index {
    phones: HashMap<(TenantId, E164), ContactId>,
    provider_ids: HashMap<(TenantId, ProviderName, String), MessageId>,
    client_ids: HashMap<(TenantId, String), MessageId>,
    /// Each contact's latest conversation: the greatest (created_at, id).
    latest: HashMap<(TenantId, ContactId), (DateTime<Utc>, ConversationId)>,
    /// Each contact's messages in insertion order.
    timelines: HashMap<(TenantId, ContactId), Vec<MessageId>>,
}

/// A message's provider key, if it has one.
fn provider_key(
    tenant: TenantId,
    message: &MessageRecord,
) -> Option<(TenantId, ProviderName, String)> {
    let provider = message.provider.clone()?;
    Some((tenant, provider, message.provider_message_id.clone()?))
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
        let id = self.index.phones.get(&(tenant, *phone))?;
        self.contacts.get(&(tenant, *id))
    }

    fn message_by_provider_id(
        &self,
        tenant: TenantId,
        provider: &ProviderName,
        id: &str,
    ) -> Option<&MessageRecord> {
        let key = (tenant, provider.clone(), id.to_owned());
        let id = self.index.provider_ids.get(&key)?;
        self.messages.get(&(tenant, *id))
    }

    fn message_by_client_id(&self, tenant: TenantId, client_id: &str) -> Option<&MessageRecord> {
        let id = self.index.client_ids.get(&(tenant, client_id.to_owned()))?;
        self.messages.get(&(tenant, *id))
    }

    fn check_contact(&self, tenant: TenantId, write: &ContactWrite) -> Result<(), CommitError> {
        let stored = self.contacts.get(&(tenant, write.contact().id));
        let ok = match write {
            ContactWrite::Insert(contact) => {
                stored.is_none() && self.contact_by_phone(tenant, &contact.phone).is_none()
            }
            ContactWrite::Update {
                expected_version, ..
            } => stored.is_some_and(|c| c.version == *expected_version),
        };
        if ok {
            Ok(())
        } else {
            Err(CommitError::Conflict)
        }
    }

    fn check_messages(&self, changes: &Changeset) -> Result<(), CommitError> {
        for (i, message) in changes.messages.iter().enumerate() {
            let tenant = changes.tenant;
            let earlier = changes.messages.get(..i).unwrap_or_default();
            let stored = self
                .messages
                .get(&(tenant, message.id))
                .map(|m| m.id)
                .or_else(|| {
                    let key = provider_key(tenant, message)?;
                    self.index.provider_ids.get(&key).copied()
                })
                .or_else(|| {
                    let client_id = message.client_id.clone()?;
                    self.index.client_ids.get(&(tenant, client_id)).copied()
                });
            let existing = stored.or_else(|| {
                earlier
                    .iter()
                    .find(|other| same_key(message, other))
                    .map(|m| m.id)
            });
            if let Some(existing) = existing {
                return Err(CommitError::Duplicate { existing });
            }
        }
        Ok(())
    }

    fn index_message(&mut self, tenant: TenantId, message: &MessageRecord) {
        if let Some(key) = provider_key(tenant, message) {
            self.index.provider_ids.insert(key, message.id);
        }
        if let Some(client_id) = message.client_id.clone() {
            self.index
                .client_ids
                .insert((tenant, client_id), message.id);
        }
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

/// Whether two messages of one changeset share a unique key: the same id, the
/// same provider message id from the same provider, or the same client id.
fn same_key(a: &MessageRecord, b: &MessageRecord) -> bool {
    let key = |m| provider_key(a.tenant, m);
    a.id == b.id
        || key(a).is_some_and(|k| Some(k) == key(b))
        || a.client_id.is_some() && a.client_id == b.client_id
}

/// Whether `contact` matches an inbox search: name contains the text
/// (case-insensitively) or the number contains its digits.
pub(crate) fn contact_matches(contact: &Contact, text: &str) -> bool {
    let needle = text.trim().to_lowercase();
    let digits: String = needle.chars().filter(char::is_ascii_digit).collect();
    let by_name = contact
        .name
        .as_ref()
        .is_some_and(|name| name.to_lowercase().contains(&needle));
    let by_phone = !digits.is_empty() && contact.phone.as_str().contains(&digits);
    by_name || by_phone
}

/// Whether `record` passes the filters of `query` other than the search.
pub(crate) fn conversation_matches(record: &ConversationRecord, query: &ConversationQuery) -> bool {
    let flags = record.flags;
    !flags.deleted
        && (query.include_archived || !flags.archived)
        && (!query.starred_only || flags.starred)
        && query.status.is_none_or(|s| record.status() == s)
        && query.channel.is_none_or(|c| record.channel == c)
        && query
            .assignee
            .as_ref()
            .is_none_or(|a| record.state.assignee() == Some(a))
}

/// Applies a bulk action's flag change; whether anything changed.
pub(crate) fn apply_bulk(record: &mut ConversationRecord, action: BulkAction) -> bool {
    let flags = &mut record.flags;
    let before = *flags;
    match action {
        BulkAction::MarkRead => flags.unread = 0,
        BulkAction::Star => flags.starred = true,
        BulkAction::Unstar => flags.starred = false,
        BulkAction::Archive => flags.archived = true,
        BulkAction::Unarchive => flags.archived = false,
        BulkAction::Delete => flags.deleted = true,
    }
    *flags != before
}

/// Whether an outbox item may be claimed at `now`.
pub(crate) fn is_claimable(item: &OutboxItem, now: DateTime<Utc>) -> bool {
    match item.state {
        OutboxState::Pending => item.available_at <= now,
        OutboxState::InFlight { lease_until } => lease_until <= now,
        OutboxState::Sent { .. } | OutboxState::Failed { .. } => false,
    }
}

/// Whether the claim made at `attempt` is still the item's current claim.
pub(crate) fn claim_stands(item: &OutboxItem, attempt: u32) -> bool {
    matches!(item.state, OutboxState::InFlight { .. }) && item.attempts == attempt
}

/// The outbox item's new state for an outcome, and the status update it makes.
pub(crate) fn outcome_effect(
    outcome: &DispatchOutcome,
    now: DateTime<Utc>,
) -> (OutboxState, Option<DateTime<Utc>>, Option<StatusUpdate>) {
    match outcome {
        DispatchOutcome::Sent {
            provider_message_id,
            ..
        } => (
            OutboxState::Sent {
                provider_message_id: provider_message_id.clone(),
                at: now,
            },
            None,
            Some(StatusUpdate::new(DeliveryStatus::Sent, now)),
        ),
        DispatchOutcome::Retry { at, .. } => (OutboxState::Pending, Some(*at), None),
        DispatchOutcome::Failed { code, error } => (
            OutboxState::Failed {
                error: error.clone(),
                at: now,
            },
            None,
            Some(match code {
                Some(code) => StatusUpdate::failed(DeliveryStatus::Failed, now, code.clone()),
                None => StatusUpdate::new(DeliveryStatus::Failed, now),
            }),
        ),
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
        let mut found: Vec<Contact> = data
            .contacts
            .values()
            .filter(|c| c.tenant == tenant && contact_matches(c, text))
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
        let data = self.lock();
        let latest = data.index.latest.get(&(tenant, contact));
        Ok(latest.and_then(|(_, id)| data.conversations.get(&(tenant, *id)).cloned()))
    }

    async fn conversations(
        &self,
        tenant: TenantId,
        query: &ConversationQuery,
    ) -> Result<Vec<ConversationSummary>, StoreError> {
        let data = self.lock();
        let mut rows: Vec<ConversationSummary> = data
            .conversations
            .values()
            .filter(|c| c.tenant == tenant && conversation_matches(c, query))
            .filter_map(|c| data.conversation_summary(c))
            .filter(|row| {
                query.search.as_deref().is_none_or(|text| {
                    data.contacts
                        .get(&(tenant, row.conversation.contact))
                        .is_some_and(|c| contact_matches(c, text))
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
                changed += usize::from(apply_bulk(record, action));
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
        let ids = data.index.timelines.get(&(tenant, contact));
        let ids = ids.map_or(&[][..], Vec::as_slice);
        let newest = ids
            .get(ids.len().saturating_sub(limit)..)
            .unwrap_or_default();
        Ok(newest
            .iter()
            .filter_map(|id| data.messages.get(&(tenant, *id)).cloned())
            .collect())
    }

    async fn commit(&self, changes: Changeset) -> Result<(), CommitError> {
        if !changes.is_consistent() {
            return Err(StoreError::InconsistentChangeset.into());
        }
        let mut data = self.lock();
        data.check_contact(changes.tenant, &changes.contact)?;
        data.check_messages(&changes)?;
        let tenant = changes.tenant;
        let contact = match changes.contact {
            ContactWrite::Insert(contact) | ContactWrite::Update { contact, .. } => contact,
        };
        data.index
            .phones
            .insert((tenant, contact.phone), contact.id);
        data.contacts.insert((tenant, contact.id), contact);
        for conversation in changes.conversations {
            let key = (conversation.created_at, conversation.id);
            let latest = data
                .index
                .latest
                .entry((tenant, conversation.contact))
                .or_insert(key);
            *latest = key.max(*latest);
            data.conversations
                .insert((tenant, conversation.id), conversation);
        }
        for message in changes.messages {
            data.index_message(tenant, &message);
            let timeline = data
                .index
                .timelines
                .entry((tenant, message.contact))
                .or_default();
            timeline.push(message.id);
            data.messages.insert((tenant, message.id), message);
        }
        for item in changes.outbox {
            data.outbox_order.push((tenant, item.message));
            data.outbox.insert((tenant, item.message), item);
        }
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
        let Data {
            outbox,
            outbox_order,
            ..
        } = &mut *data;
        let mut claimed = Vec::new();
        for key in outbox_order.iter() {
            if claimed.len() == limit {
                break;
            }
            let Some(item) = outbox.get_mut(key).filter(|i| is_claimable(i, now)) else {
                continue;
            };
            item.state = OutboxState::InFlight {
                lease_until: now + lease,
            };
            item.attempts += 1;
            claimed.push(item.clone());
        }
        Ok(claimed)
    }

    async fn finish_outbox(
        &self,
        tenant: TenantId,
        message: MessageId,
        attempt: u32,
        outcome: &DispatchOutcome,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut data = self.lock();
        let (state, available_at, update) = outcome_effect(outcome, now);
        let Some(item) = data
            .outbox
            .get_mut(&(tenant, message))
            .filter(|item| claim_stands(item, attempt))
        else {
            return Ok(false);
        };
        item.state = state;
        if let Some(at) = available_at {
            item.available_at = at;
        }
        let Some(record) = data.messages.get_mut(&(tenant, message)) else {
            return Ok(true);
        };
        if let DispatchOutcome::Sent {
            provider,
            provider_message_id,
        } = outcome
        {
            record.provider = Some(provider.clone());
            record.provider_message_id = Some(provider_message_id.clone());
        }
        if let Some(update) = update {
            record.delivery.apply(update);
        }
        let record = record.clone();
        data.index_message(tenant, &record);
        Ok(true)
    }

    async fn outbox_item(
        &self,
        tenant: TenantId,
        message: MessageId,
    ) -> Result<Option<OutboxItem>, StoreError> {
        Ok(self.lock().outbox.get(&(tenant, message)).cloned())
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
