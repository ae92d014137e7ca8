//! A memory store that loses its next commits to an imaginary other writer: each
//! is refused as a conflict, as when another replica changed the contact first.
//! It can also fail its next batch alone (a database error), take its time over each commit, and
//! tells how many changesets (and status merges) each batch it was given held.
#![allow(dead_code, reason = "each test crate uses the part it needs")]

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use msgcore::E164;
use msgcore::core::campaign::CampaignCounts;
use msgcore::core::delivery::{Delivery, StatusUpdate};
use msgcore::core::ratelimit::{Decision, Quota};
use msgcore::core::usage::{Pricing, UsageLine};
use msgcore::core::webhook_retry::DeliveryState;
use msgcore::model::{
    ApiKeyId, ApiKeyRecord, CampaignRecipient, CampaignRecord, Contact, ContactId, ConversationId,
    ConversationRecord, EventRecord, MessageId, MessageRecord, OutboxItem, ProviderName,
    RecipientUpdate, RuleRecord, RunRecord, Tenant, TenantId, WebhookEndpoint, WebhookId,
    WorkflowRecord,
};
use msgcore::store::{
    BulkAction, Changeset, CommitError, ConversationQuery, ConversationSummary, DispatchOutcome,
    MemoryStore, Store, StoreError,
};

#[derive(Debug, Default)]
pub struct ConflictingStore {
    pub inner: MemoryStore,
    conflicts: AtomicUsize,
    commits: AtomicUsize,
    fail_next_batch: AtomicBool,
    batches: Mutex<Vec<usize>>,
    status_batches: Mutex<Vec<usize>>,
    delay: Mutex<Duration>,
}

impl ConflictingStore {
    /// The next `n` commits are refused as conflicts.
    pub fn conflict_next(&self, n: usize) {
        self.conflicts.store(n, Ordering::SeqCst);
    }

    /// Counts a commit; whether it is one of those to lose.
    fn loses_this_commit(&self) -> bool {
        self.commits.fetch_add(1, Ordering::SeqCst);
        self.conflicts
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }

    /// The next `commit_batch` fails with a database error, writing nothing.
    pub fn fail_next_batch(&self) {
        self.fail_next_batch.store(true, Ordering::SeqCst);
    }

    /// Every commit and batch takes `delay` before it is written.
    pub fn delay_commits(&self, delay: Duration) {
        *self.delay.lock().unwrap() = delay;
    }

    /// The size of every batch given to `commit_batch`, refused ones included.
    pub fn batches(&self) -> Vec<usize> {
        self.batches.lock().unwrap().clone()
    }

    /// The size of every batch given to `record_statuses`.
    pub fn status_batches(&self) -> Vec<usize> {
        self.status_batches.lock().unwrap().clone()
    }

    async fn take_time(&self) {
        let delay = *self.delay.lock().unwrap();
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
    }

    /// Commits asked for so far, refused ones included.
    pub fn commits(&self) -> usize {
        self.commits.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Store for ConflictingStore {
    async fn commit(&self, changes: Changeset) -> Result<(), CommitError> {
        self.take_time().await;
        if self.loses_this_commit() {
            return Err(CommitError::Conflict);
        }
        self.inner.commit(changes).await
    }

    async fn commit_batch(&self, batch: Vec<Changeset>) -> Result<(), CommitError> {
        self.take_time().await;
        self.batches.lock().unwrap().push(batch.len());
        if self.fail_next_batch.swap(false, Ordering::SeqCst) {
            let failure = std::io::Error::other("the disk is full, this once");
            return Err(StoreError::backend(failure).into());
        }
        if self.loses_this_commit() {
            return Err(CommitError::Conflict);
        }
        self.inner.commit_batch(batch).await
    }

    async fn audience(
        &self,
        tenant: TenantId,
        query: &msgcore::store::AudienceQuery,
    ) -> Result<Vec<Contact>, StoreError> {
        self.inner.audience(tenant, query).await
    }

    async fn contact_events(
        &self,
        tenant: TenantId,
        contact: ContactId,
        limit: usize,
    ) -> Result<Vec<(u64, EventRecord)>, StoreError> {
        self.inner.contact_events(tenant, contact, limit).await
    }

    async fn contacts_by_phones(
        &self,
        tenant: TenantId,
        phones: &[E164],
    ) -> Result<Vec<Contact>, StoreError> {
        self.inner.contacts_by_phones(tenant, phones).await
    }

    async fn put_tenant(&self, tenant: &Tenant) -> Result<(), StoreError> {
        self.inner.put_tenant(tenant).await
    }
    async fn tenant(&self, id: TenantId) -> Result<Option<Tenant>, StoreError> {
        self.inner.tenant(id).await
    }
    async fn tenant_by_slug(&self, slug: &str) -> Result<Option<Tenant>, StoreError> {
        self.inner.tenant_by_slug(slug).await
    }
    async fn tenant_by_number(&self, number: &E164) -> Result<Option<Tenant>, StoreError> {
        self.inner.tenant_by_number(number).await
    }
    async fn contact(
        &self,
        tenant: TenantId,
        id: ContactId,
    ) -> Result<Option<Contact>, StoreError> {
        self.inner.contact(tenant, id).await
    }
    async fn contact_by_phone(
        &self,
        tenant: TenantId,
        phone: &E164,
    ) -> Result<Option<Contact>, StoreError> {
        self.inner.contact_by_phone(tenant, phone).await
    }
    async fn search_contacts(
        &self,
        tenant: TenantId,
        text: &str,
        limit: usize,
    ) -> Result<Vec<Contact>, StoreError> {
        self.inner.search_contacts(tenant, text, limit).await
    }
    async fn conversation(
        &self,
        tenant: TenantId,
        id: ConversationId,
    ) -> Result<Option<ConversationRecord>, StoreError> {
        self.inner.conversation(tenant, id).await
    }
    async fn latest_conversation(
        &self,
        tenant: TenantId,
        contact: ContactId,
    ) -> Result<Option<ConversationRecord>, StoreError> {
        self.inner.latest_conversation(tenant, contact).await
    }
    async fn conversations(
        &self,
        tenant: TenantId,
        query: &ConversationQuery,
    ) -> Result<Vec<ConversationSummary>, StoreError> {
        self.inner.conversations(tenant, query).await
    }
    async fn bulk_update(
        &self,
        tenant: TenantId,
        ids: &[ConversationId],
        action: BulkAction,
    ) -> Result<usize, StoreError> {
        self.inner.bulk_update(tenant, ids, action).await
    }
    async fn message(
        &self,
        tenant: TenantId,
        id: MessageId,
    ) -> Result<Option<MessageRecord>, StoreError> {
        self.inner.message(tenant, id).await
    }
    async fn message_by_provider_id(
        &self,
        tenant: TenantId,
        provider: &ProviderName,
        provider_message_id: &str,
    ) -> Result<Option<MessageRecord>, StoreError> {
        let found = self
            .inner
            .message_by_provider_id(tenant, provider, provider_message_id);
        found.await
    }
    async fn message_by_client_id(
        &self,
        tenant: TenantId,
        client_id: &str,
    ) -> Result<Option<MessageRecord>, StoreError> {
        self.inner.message_by_client_id(tenant, client_id).await
    }
    async fn timeline(
        &self,
        tenant: TenantId,
        contact: ContactId,
        limit: usize,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        self.inner.timeline(tenant, contact, limit).await
    }
    async fn record_status(
        &self,
        tenant: TenantId,
        message: MessageId,
        update: &StatusUpdate,
        pricing: Option<&Pricing>,
    ) -> Result<Option<Delivery>, StoreError> {
        self.take_time().await;
        self.inner
            .record_status(tenant, message, update, pricing)
            .await
    }
    async fn record_statuses(
        &self,
        writes: &[msgcore::store::StatusWrite],
    ) -> Result<Vec<Option<Delivery>>, StoreError> {
        self.take_time().await;
        self.status_batches.lock().unwrap().push(writes.len());
        self.inner.record_statuses(writes).await
    }
    async fn usage(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<UsageLine>, StoreError> {
        self.inner.usage(tenant, from, until).await
    }
    async fn analytics(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<msgcore::core::analytics::Analytics, StoreError> {
        self.inner.analytics(tenant, from, until).await
    }
    async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        self.inner.claim_outbox(now, lease, limit).await
    }
    async fn finish_outbox(
        &self,
        tenant: TenantId,
        message: MessageId,
        attempt: u32,
        outcome: &DispatchOutcome,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.inner
            .finish_outbox(tenant, message, attempt, outcome, now)
            .await
    }
    async fn outbox_item(
        &self,
        tenant: TenantId,
        message: MessageId,
    ) -> Result<Option<OutboxItem>, StoreError> {
        self.inner.outbox_item(tenant, message).await
    }
    async fn events(
        &self,
        tenant: TenantId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<(u64, EventRecord)>, StoreError> {
        self.inner.events(tenant, after, limit).await
    }
    async fn check_rate(
        &self,
        key: &str,
        quota: &Quota,
        now: DateTime<Utc>,
    ) -> Result<Decision, StoreError> {
        self.inner.check_rate(key, quota, now).await
    }
    async fn create_campaign(
        &self,
        campaign: &CampaignRecord,
        recipients: &[CampaignRecipient],
    ) -> Result<(), StoreError> {
        self.inner.create_campaign(campaign, recipients).await
    }
    async fn campaign(
        &self,
        tenant: TenantId,
        id: &str,
    ) -> Result<Option<CampaignRecord>, StoreError> {
        self.inner.campaign(tenant, id).await
    }
    async fn update_campaign(
        &self,
        campaign: &CampaignRecord,
        expected_version: u64,
    ) -> Result<(), CommitError> {
        self.inner.update_campaign(campaign, expected_version).await
    }
    async fn claim_recipients(
        &self,
        tenant: TenantId,
        campaign: &str,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Result<Vec<CampaignRecipient>, StoreError> {
        let inner = &self.inner;
        inner
            .claim_recipients(tenant, campaign, now, lease, limit)
            .await
    }
    async fn settle_recipients(
        &self,
        tenant: TenantId,
        updates: &[RecipientUpdate],
    ) -> Result<(), StoreError> {
        self.inner.settle_recipients(tenant, updates).await
    }
    async fn campaign_recipients(
        &self,
        tenant: TenantId,
        campaign: &str,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<CampaignRecipient>, StoreError> {
        let inner = &self.inner;
        inner
            .campaign_recipients(tenant, campaign, after, limit)
            .await
    }
    async fn campaign_counts(
        &self,
        tenant: TenantId,
        campaign: &str,
    ) -> Result<Option<CampaignCounts>, StoreError> {
        self.inner.campaign_counts(tenant, campaign).await
    }
    async fn running_campaigns(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(TenantId, String)>, StoreError> {
        self.inner.running_campaigns(now, limit).await
    }
    async fn campaigns(
        &self,
        tenant: TenantId,
        limit: usize,
    ) -> Result<Vec<CampaignRecord>, StoreError> {
        self.inner.campaigns(tenant, limit).await
    }
    async fn create_api_key(&self, key: &ApiKeyRecord) -> Result<(), StoreError> {
        self.inner.create_api_key(key).await
    }
    async fn api_key(&self, id: ApiKeyId) -> Result<Option<ApiKeyRecord>, StoreError> {
        self.inner.api_key(id).await
    }
    async fn api_keys(&self, tenant: TenantId) -> Result<Vec<ApiKeyRecord>, StoreError> {
        self.inner.api_keys(tenant).await
    }
    async fn revoke_api_key(
        &self,
        tenant: TenantId,
        id: ApiKeyId,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.inner.revoke_api_key(tenant, id, at).await
    }
    async fn record_api_key_use(&self, id: ApiKeyId, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.inner.record_api_key_use(id, at).await
    }
    async fn recent_messages(
        &self,
        tenant: TenantId,
        limit: usize,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        self.inner.recent_messages(tenant, limit).await
    }
    async fn latest_event(&self, tenant: TenantId) -> Result<u64, StoreError> {
        self.inner.latest_event(tenant).await
    }
    async fn create_webhook(&self, e: &WebhookEndpoint) -> Result<WebhookEndpoint, StoreError> {
        self.inner.create_webhook(e).await
    }
    async fn webhooks(&self, tenant: TenantId) -> Result<Vec<WebhookEndpoint>, StoreError> {
        self.inner.webhooks(tenant).await
    }
    async fn webhook(
        &self,
        tenant: TenantId,
        id: WebhookId,
    ) -> Result<Option<WebhookEndpoint>, StoreError> {
        self.inner.webhook(tenant, id).await
    }
    async fn delete_webhook(&self, tenant: TenantId, id: WebhookId) -> Result<bool, StoreError> {
        self.inner.delete_webhook(tenant, id).await
    }
    async fn enable_webhook(
        &self,
        tenant: TenantId,
        id: WebhookId,
        now: DateTime<Utc>,
    ) -> Result<Option<WebhookEndpoint>, StoreError> {
        self.inner.enable_webhook(tenant, id, now).await
    }
    async fn claim_webhooks(
        &self,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Result<Vec<WebhookEndpoint>, StoreError> {
        self.inner.claim_webhooks(now, lease, limit).await
    }
    async fn settle_webhook(
        &self,
        tenant: TenantId,
        id: WebhookId,
        claim: u32,
        state: &DeliveryState,
    ) -> Result<bool, StoreError> {
        self.inner.settle_webhook(tenant, id, claim, state).await
    }
    async fn put_workflow(&self, workflow: &WorkflowRecord) -> Result<(), StoreError> {
        self.inner.put_workflow(workflow).await
    }
    async fn workflow(
        &self,
        tenant: TenantId,
        id: &str,
        version: Option<u32>,
    ) -> Result<Option<WorkflowRecord>, StoreError> {
        self.inner.workflow(tenant, id, version).await
    }
    async fn put_rule(&self, rule: &RuleRecord) -> Result<(), StoreError> {
        self.inner.put_rule(rule).await
    }
    async fn rules(&self, tenant: TenantId) -> Result<Vec<RuleRecord>, StoreError> {
        self.inner.rules(tenant).await
    }
    async fn delete_rule(&self, tenant: TenantId, id: &str) -> Result<bool, StoreError> {
        self.inner.delete_rule(tenant, id).await
    }
    async fn live_runs(
        &self,
        tenant: TenantId,
        contact: ContactId,
    ) -> Result<Vec<RunRecord>, StoreError> {
        self.inner.live_runs(tenant, contact).await
    }
    async fn latest_run(
        &self,
        tenant: TenantId,
        workflow: &str,
        contact: ContactId,
    ) -> Result<Option<RunRecord>, StoreError> {
        self.inner.latest_run(tenant, workflow, contact).await
    }
    async fn claim_due_runs(
        &self,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Result<Vec<RunRecord>, StoreError> {
        self.inner.claim_due_runs(now, lease, limit).await
    }
    async fn health(&self) -> Result<(), StoreError> {
        self.inner.health().await
    }
}
