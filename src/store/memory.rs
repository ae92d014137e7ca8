//! [`MemoryStore`]: the whole inbox in one process's memory, behind one lock.
//!
//! For tests, `msgctl simulate`, the quickstart and single-process tools. It
//! implements every guard of the [`Store`] contract (versions, unique keys, tenant
//! scoping, outbox leases) exactly as the SQL stores do, and runs the same
//! [`conformance`](super::conformance) suite.

mod campaigns;
mod webhooks;
mod workflows;

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};

use super::contract::{self, OutcomeEffect, Search, UsageRecord};
use super::{
    AudienceQuery, BulkAction, Changeset, CommitError, ContactCursor, ContactWrite,
    ConversationQuery, ConversationSummary, DispatchOutcome, Store, StoreError,
};
use crate::core::analytics::Analytics;
use crate::core::campaign::CampaignCounts;
use crate::core::consent::ConsentChange;
use crate::core::delivery::{Delivery, StatusUpdate};
use crate::core::phone::E164;
use crate::core::ratelimit::{Decision, GcraState, Quota};
use crate::core::usage::{Pricing, UsageLine};
use crate::core::webhook_retry::DeliveryState;
use crate::model::{
    ApiKeyId, ApiKeyRecord, CallLog, CampaignRecipient, CampaignRecord, Contact, ContactId,
    ConversationId, ConversationRecord, EventRecord, InboxEvent, MessageId, MessageRecord,
    OutboxItem, ProviderName, RecipientUpdate, RuleRecord, RunRecord, Tenant, TenantId,
    WebhookEndpoint, WebhookId, WorkflowRecord,
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
    /// (tenant, provider, call, status) of every call log.
    call_logs: HashSet<(TenantId, ProviderName, String, String)>,
    campaigns: campaigns::Campaigns,
    /// Each sent message's usage record.
    usage: HashMap<(TenantId, MessageId), UsageRecord>,
    api_keys: HashMap<ApiKeyId, ApiKeyRecord>,
    webhooks: webhooks::Webhooks,
    workflows: workflows::Workflows,
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
    /// Each tenant's messages in insertion order.
    tenant_messages: HashMap<TenantId, Vec<MessageId>>,
    /// Each contact's timeline events, as indexes into `events`.
    contact_events: HashMap<(TenantId, ContactId), Vec<usize>>,
}

/// A call log's unique key.
fn call_log_key(tenant: TenantId, call: &CallLog) -> (TenantId, ProviderName, String, String) {
    (
        tenant,
        call.provider.clone(),
        call.call.clone(),
        call.status.clone(),
    )
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
    /// The sequence number of the tenant's latest event (0 before any).
    fn latest_event(&self, tenant: TenantId) -> u64 {
        self.events
            .iter()
            .rev()
            .find(|(_, e)| e.tenant == tenant)
            .map_or(0, |(seq, _)| *seq)
    }

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

    /// Whether `changes` may be committed as the data stands.
    fn check(&self, changes: &Changeset) -> Result<(), CommitError> {
        self.check_contact(changes.tenant, &changes.contact)?;
        self.check_keys(changes)?;
        self.campaigns.check(changes.tenant, &changes.recipients)?;
        self.workflows.check_runs(&changes.runs)
    }

    /// Writes a checked changeset.
    fn apply(&mut self, changes: Changeset) {
        let data = self;
        let tenant = changes.tenant;
        let contact_id = changes.contact_id();
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
            let of_tenant = data.index.tenant_messages.entry(tenant).or_default();
            of_tenant.push(message.id);
            data.messages.insert((tenant, message.id), message);
        }
        for call in &changes.call_logs {
            data.call_logs.insert(call_log_key(tenant, call));
        }
        for item in changes.outbox {
            data.outbox_order.push((tenant, item.message));
            data.outbox.insert((tenant, item.message), item);
        }
        data.campaigns.settle(tenant, &changes.recipients);
        data.workflows.write_runs(changes.runs);
        for event in changes.events {
            let seq = data.events.len() as u64 + 1;
            if event.event.is_on_timeline() {
                let position = data.events.len();
                let timeline = data
                    .index
                    .contact_events
                    .entry((tenant, contact_id))
                    .or_default();
                timeline.push(position);
            }
            data.events.push((seq, event));
        }
    }

    fn check_keys(&self, changes: &Changeset) -> Result<(), CommitError> {
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
                    .find(|other| contract::same_key(message, other))
                    .map(|m| m.id)
            });
            if let Some(existing) = existing {
                return Err(CommitError::Duplicate { existing });
            }
        }
        for (i, item) in changes.outbox.iter().enumerate() {
            let earlier = changes.outbox.get(..i).unwrap_or_default();
            let queued = |other: &OutboxItem| other.message == item.message;
            let stored = self.outbox.contains_key(&(changes.tenant, item.message));
            if stored || earlier.iter().any(queued) {
                return Err(CommitError::Duplicate {
                    existing: item.message,
                });
            }
        }
        let mut logged = HashSet::new();
        for call in &changes.call_logs {
            let key = call_log_key(changes.tenant, call);
            if self.call_logs.contains(&key) || !logged.insert(key) {
                return Err(CommitError::DuplicateCallLog);
            }
        }
        Ok(())
    }

    /// Writes the usage record a message that was `before` calls for now, if
    /// it changed.
    fn record_usage(&mut self, tenant: TenantId, before: &MessageRecord, message: &MessageRecord) {
        if let Some(record) = contract::usage_change(before, message) {
            self.usage.insert((tenant, message.id), record);
        }
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

    async fn contacts_by_phones(
        &self,
        tenant: TenantId,
        phones: &[E164],
    ) -> Result<Vec<Contact>, StoreError> {
        let data = self.lock();
        let mut found: Vec<Contact> = phones
            .iter()
            .filter_map(|phone| data.contact_by_phone(tenant, phone).cloned())
            .collect();
        found.sort_by_key(|contact| contact.id);
        found.dedup_by_key(|contact| contact.id);
        Ok(found)
    }

    async fn audience(
        &self,
        tenant: TenantId,
        query: &AudienceQuery,
    ) -> Result<Vec<Contact>, StoreError> {
        let data = self.lock();
        let mut page: Vec<Contact> = data
            .contacts
            .values()
            .filter(|contact| contact.tenant == tenant && query.matches(contact))
            .cloned()
            .collect();
        page.sort_by_key(ContactCursor::after);
        page.truncate(query.limit);
        Ok(page)
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
        let search = query.search.as_deref().map(Search::new);
        let mut rows: Vec<ConversationSummary> = data
            .conversations
            .values()
            .filter(|c| c.tenant == tenant && contract::conversation_matches(c, query))
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
                changed += usize::from(contract::apply_bulk(record, action));
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

    async fn recent_messages(
        &self,
        tenant: TenantId,
        limit: usize,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let data = self.lock();
        let ids = data.index.tenant_messages.get(&tenant);
        let ids = ids.map_or(&[][..], Vec::as_slice);
        Ok(ids
            .iter()
            .rev()
            .take(limit)
            .filter_map(|id| data.messages.get(&(tenant, *id)).cloned())
            .collect())
    }

    async fn commit(&self, changes: Changeset) -> Result<(), CommitError> {
        if !changes.is_consistent() {
            return Err(StoreError::InconsistentChangeset.into());
        }
        let mut data = self.lock();
        data.check(&changes)?;
        data.apply(changes);
        Ok(())
    }

    async fn commit_batch(&self, batch: Vec<Changeset>) -> Result<(), CommitError> {
        if !contract::batch_is_consistent(&batch) {
            return Err(StoreError::InconsistentChangeset.into());
        }
        let mut data = self.lock();
        // The changesets share no contact, phone or key, so checking each against
        // the data before any is applied is checking them one after another.
        for changes in &batch {
            data.check(changes)?;
        }
        for changes in batch {
            data.apply(changes);
        }
        Ok(())
    }

    async fn record_status(
        &self,
        tenant: TenantId,
        message: MessageId,
        update: &StatusUpdate,
        pricing: Option<&Pricing>,
    ) -> Result<Option<Delivery>, StoreError> {
        let mut data = self.lock();
        let Some(record) = data.messages.get_mut(&(tenant, message)) else {
            return Ok(None);
        };
        let before = record.clone();
        contract::merge_status(record, update, pricing);
        let record = record.clone();
        data.record_usage(tenant, &before, &record);
        Ok(Some(record.delivery))
    }

    async fn usage(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<UsageLine>, StoreError> {
        let data = self.lock();
        let records = data
            .usage
            .iter()
            .filter(|((t, _), r)| *t == tenant && r.at >= from && r.at < until)
            .map(|(_, r)| &r.billing);
        Ok(contract::usage_lines(records))
    }

    async fn analytics(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Analytics, StoreError> {
        let data = self.lock();
        let within = |t: TenantId, at: DateTime<Utc>| t == tenant && at >= from && at < until;
        let mut seen = Analytics::default();
        data.conversations
            .values()
            .filter(|c| within(c.tenant, c.created_at) && !c.flags.deleted)
            .for_each(|c| seen.conversations.add(c.status(), 1));
        data.messages
            .values()
            .filter(|m| within(m.tenant, m.created_at))
            .for_each(|m| seen.messages.add(m.direction, m.channel, 1));
        for (_, record) in data.events.iter().filter(|(_, e)| within(e.tenant, e.at)) {
            match &record.event {
                InboxEvent::CsatRecorded { score, .. } => seen.csat.add(u64::from(*score), 1),
                InboxEvent::ConsentChanged {
                    channel,
                    change: ConsentChange::OptOut,
                    ..
                } => seen.opt_outs.add(*channel, 1),
                _ => {}
            }
        }
        data.campaigns
            .created(tenant)
            .filter(|c| c.created_at >= from && c.created_at < until)
            .for_each(|c| seen.campaigns.add(c.status, 1));
        Ok(seen)
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
        // The queues whose first unfinished item has been seen: their later
        // items wait for it.
        let mut held = HashSet::new();
        for key in outbox_order.iter() {
            if claimed.len() == limit {
                break;
            }
            let Some(item) = outbox.get_mut(key).filter(|i| contract::is_unfinished(i)) else {
                continue;
            };
            if !held.insert((item.tenant, contract::queue_of(item))) {
                continue;
            }
            if contract::is_claimable(item, now) {
                contract::claim(item, now, lease);
                claimed.push(item.clone());
            }
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
        let stands = data
            .outbox
            .get(&(tenant, message))
            .is_some_and(|item| contract::claim_stands(item, attempt));
        if !stands {
            return Ok(false);
        }
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
        if let Some(item) = data.outbox.get_mut(&(tenant, message)) {
            effect.apply_to_item(item);
        }
        if let Some(record) = data.messages.get_mut(&(tenant, message)) {
            let before = record.clone();
            effect.apply_to_message(outcome, record);
            let record = record.clone();
            data.index_message(tenant, &record);
            data.record_usage(tenant, &before, &record);
        }
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

    async fn latest_event(&self, tenant: TenantId) -> Result<u64, StoreError> {
        Ok(self.lock().latest_event(tenant))
    }

    async fn contact_events(
        &self,
        tenant: TenantId,
        contact: ContactId,
        limit: usize,
    ) -> Result<Vec<(u64, EventRecord)>, StoreError> {
        let data = self.lock();
        let positions = data
            .index
            .contact_events
            .get(&(tenant, contact))
            .map_or(&[][..], Vec::as_slice);
        let newest = positions.get(positions.len().saturating_sub(limit)..);
        Ok(newest
            .unwrap_or_default()
            .iter()
            .filter_map(|position| data.events.get(*position).cloned())
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

    /// Always healthy: there is no database to lose.
    async fn create_campaign(
        &self,
        campaign: &CampaignRecord,
        recipients: &[CampaignRecipient],
    ) -> Result<(), StoreError> {
        self.lock().campaigns.create(campaign, recipients)
    }

    async fn campaign(
        &self,
        tenant: TenantId,
        id: &str,
    ) -> Result<Option<CampaignRecord>, StoreError> {
        Ok(self.lock().campaigns.get(tenant, id).cloned())
    }

    async fn campaigns(
        &self,
        tenant: TenantId,
        limit: usize,
    ) -> Result<Vec<CampaignRecord>, StoreError> {
        Ok(self.lock().campaigns.list(tenant, limit))
    }

    async fn update_campaign(
        &self,
        campaign: &CampaignRecord,
        expected_version: u64,
    ) -> Result<(), CommitError> {
        self.lock().campaigns.update(campaign, expected_version)
    }

    async fn claim_recipients(
        &self,
        tenant: TenantId,
        campaign: &str,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Result<Vec<CampaignRecipient>, StoreError> {
        let mut data = self.lock();
        Ok(data.campaigns.claim(tenant, campaign, now, lease, limit))
    }

    async fn settle_recipients(
        &self,
        tenant: TenantId,
        updates: &[RecipientUpdate],
    ) -> Result<(), StoreError> {
        self.lock().campaigns.settle(tenant, updates);
        Ok(())
    }

    async fn campaign_recipients(
        &self,
        tenant: TenantId,
        campaign: &str,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<CampaignRecipient>, StoreError> {
        Ok(self.lock().campaigns.page(tenant, campaign, after, limit))
    }

    async fn campaign_counts(
        &self,
        tenant: TenantId,
        campaign: &str,
    ) -> Result<Option<CampaignCounts>, StoreError> {
        let data = self.lock();
        let status_of = |id| data.messages.get(&(tenant, id))?.delivery.status();
        Ok(data.campaigns.counts(tenant, campaign, status_of))
    }

    async fn running_campaigns(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(TenantId, String)>, StoreError> {
        Ok(self.lock().campaigns.running(now, limit))
    }

    async fn create_api_key(&self, key: &ApiKeyRecord) -> Result<(), StoreError> {
        let mut data = self.lock();
        if data.api_keys.contains_key(&key.id) {
            return Err(StoreError::Taken {
                what: format!("API key {}", key.id),
            });
        }
        data.api_keys.insert(key.id, key.clone());
        Ok(())
    }

    async fn api_key(&self, id: ApiKeyId) -> Result<Option<ApiKeyRecord>, StoreError> {
        Ok(self.lock().api_keys.get(&id).cloned())
    }

    async fn api_keys(&self, tenant: TenantId) -> Result<Vec<ApiKeyRecord>, StoreError> {
        let data = self.lock();
        let mut keys: Vec<ApiKeyRecord> = data
            .api_keys
            .values()
            .filter(|key| key.tenant == tenant)
            .cloned()
            .collect();
        keys.sort_by_key(|key| (key.created_at, key.id));
        Ok(keys)
    }

    async fn revoke_api_key(
        &self,
        tenant: TenantId,
        id: ApiKeyId,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut data = self.lock();
        match data.api_keys.get_mut(&id) {
            Some(key) if key.tenant == tenant => {
                key.grant.revoked_at.get_or_insert(at);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn create_webhook(
        &self,
        endpoint: &WebhookEndpoint,
    ) -> Result<WebhookEndpoint, StoreError> {
        let mut data = self.lock();
        let latest = data.latest_event(endpoint.tenant);
        data.webhooks.create(endpoint, latest)
    }

    async fn webhooks(&self, tenant: TenantId) -> Result<Vec<WebhookEndpoint>, StoreError> {
        Ok(self.lock().webhooks.of_tenant(tenant))
    }

    async fn webhook(
        &self,
        tenant: TenantId,
        id: WebhookId,
    ) -> Result<Option<WebhookEndpoint>, StoreError> {
        Ok(self.lock().webhooks.get_mut(tenant, id).map(|e| e.clone()))
    }

    async fn delete_webhook(&self, tenant: TenantId, id: WebhookId) -> Result<bool, StoreError> {
        Ok(self.lock().webhooks.delete(tenant, id))
    }

    async fn enable_webhook(
        &self,
        tenant: TenantId,
        id: WebhookId,
        now: DateTime<Utc>,
    ) -> Result<Option<WebhookEndpoint>, StoreError> {
        let mut data = self.lock();
        Ok(data.webhooks.get_mut(tenant, id).map(|endpoint| {
            endpoint.delivery.enable(now);
            endpoint.clone()
        }))
    }

    async fn claim_webhooks(
        &self,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Result<Vec<WebhookEndpoint>, StoreError> {
        let mut data = self.lock();
        let Data {
            webhooks, events, ..
        } = &mut *data;
        // Sequence numbers count events from 1, so those after `cursor` start at its index.
        let has_events = |tenant: TenantId, cursor: u64| {
            let from = usize::try_from(cursor).unwrap_or(usize::MAX);
            events
                .get(from..)
                .is_some_and(|later| later.iter().any(|(_, e)| e.tenant == tenant))
        };
        Ok(webhooks.claim(now, lease, limit, has_events))
    }

    async fn settle_webhook(
        &self,
        tenant: TenantId,
        id: WebhookId,
        claim: u32,
        state: &DeliveryState,
    ) -> Result<bool, StoreError> {
        Ok(self.lock().webhooks.settle(tenant, id, claim, state))
    }

    async fn record_api_key_use(&self, id: ApiKeyId, at: DateTime<Utc>) -> Result<(), StoreError> {
        if let Some(key) = self.lock().api_keys.get_mut(&id) {
            key.last_used_at = key.last_used_at.max(Some(at));
        }
        Ok(())
    }

    async fn put_workflow(&self, workflow: &WorkflowRecord) -> Result<(), StoreError> {
        self.lock().workflows.put_workflow(workflow)
    }

    async fn workflow(
        &self,
        tenant: TenantId,
        id: &str,
        version: Option<u32>,
    ) -> Result<Option<WorkflowRecord>, StoreError> {
        Ok(self.lock().workflows.workflow(tenant, id, version))
    }

    async fn put_rule(&self, rule: &RuleRecord) -> Result<(), StoreError> {
        self.lock().workflows.put_rule(rule);
        Ok(())
    }

    async fn rules(&self, tenant: TenantId) -> Result<Vec<RuleRecord>, StoreError> {
        Ok(self.lock().workflows.rules(tenant))
    }

    async fn delete_rule(&self, tenant: TenantId, id: &str) -> Result<bool, StoreError> {
        Ok(self.lock().workflows.delete_rule(tenant, id))
    }

    async fn live_runs(
        &self,
        tenant: TenantId,
        contact: ContactId,
    ) -> Result<Vec<RunRecord>, StoreError> {
        Ok(self.lock().workflows.live_runs(tenant, contact))
    }

    async fn latest_run(
        &self,
        tenant: TenantId,
        workflow: &str,
        contact: ContactId,
    ) -> Result<Option<RunRecord>, StoreError> {
        Ok(self.lock().workflows.latest_run(tenant, workflow, contact))
    }

    async fn claim_due_runs(
        &self,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Result<Vec<RunRecord>, StoreError> {
        Ok(self.lock().workflows.claim_due(now, lease, limit))
    }

    async fn health(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
