//! The storage port: what the engine needs from a database, and the stores that
//! provide it.
//!
//! The engine never holds a transaction open while it thinks. It **loads** what a
//! decision needs (a contact with its version, its latest conversation), asks the
//! pure core to **decide**, and hands the store one [`Changeset`] to **commit**
//! atomically: the contact, its conversations, the new messages, the outbox items
//! and the events, all or nothing. Two guards make that safe with many writers:
//!
//! - the contact's `version` is checked and bumped on every commit, so when two
//!   replicas decide about the same person at once, one commit wins and the other
//!   gets [`CommitError::Conflict`] and decides again on fresh data;
//! - (tenant, provider, provider message id) and (tenant, client id) are unique, so
//!   a retried webhook or API call gets [`CommitError::Duplicate`] and writes
//!   nothing, however many replicas received it.
//!
//! Every method takes the tenant and touches only that tenant's rows; the
//! `conformance` suite (feature `conformance`) checks it for any implementation,
//! including yours.
//!
//! Three implementations ship: [`MemoryStore`] for tests and single-process
//! tools, `SqliteStore` (feature `sqlite`) as the embedded default, and
//! `PostgresStore` (feature `postgres`) for many processes on many machines,
//! where the database's unique keys and row locks keep the guards across
//! replicas.

pub mod audience;
pub mod changeset;
#[cfg(feature = "conformance")]
#[cfg_attr(docsrs, doc(cfg(feature = "conformance")))]
pub mod conformance;
pub(crate) mod contract;
pub mod error;
pub mod memory;
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub mod postgres;
pub mod query;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub mod sqlite;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};

pub use audience::{AudienceQuery, ContactCursor};
pub use changeset::{Changeset, ContactWrite};
pub use error::{CommitError, StoreError};
pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use postgres::PostgresStore;
pub use query::{
    BulkAction, ConversationQuery, ConversationSummary, DispatchOutcome, InboundReads,
    OutboxFinish, StatusWrite,
};
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub use sqlite::SqliteStore;

use crate::core::analytics::Analytics;
use crate::core::campaign::CampaignCounts;
use crate::core::delivery::{Delivery, StatusUpdate};
use crate::core::phone::E164;
use crate::core::ratelimit::{Decision, Quota};
use crate::core::usage::{Pricing, UsageLine};
use crate::core::webhook_retry::DeliveryState;
use crate::model::{
    ApiKeyId, ApiKeyRecord, CampaignRecipient, CampaignRecord, Contact, ContactId, ConversationId,
    ConversationRecord, EventRecord, MessageId, MessageRecord, OutboxItem, ProviderName,
    RecipientUpdate, RuleRecord, RunRecord, Tenant, TenantId, WebhookEndpoint, WebhookId,
    WorkflowRecord,
};

/// Everything the inbox keeps, behind one trait so memory, SQLite, PostgreSQL or
/// your own database can hold it.
#[async_trait]
pub trait Store: Send + Sync {
    /// Creates or replaces a tenant. A slug or a number another tenant already has
    /// is [`StoreError::Taken`].
    async fn put_tenant(&self, tenant: &Tenant) -> Result<(), StoreError>;
    /// A tenant by id.
    async fn tenant(&self, id: TenantId) -> Result<Option<Tenant>, StoreError>;
    /// A tenant by the slug in its webhook URLs.
    async fn tenant_by_slug(&self, slug: &str) -> Result<Option<Tenant>, StoreError>;
    /// The tenant that receives on `number`.
    async fn tenant_by_number(&self, number: &E164) -> Result<Option<Tenant>, StoreError>;

    /// A contact by id.
    async fn contact(&self, tenant: TenantId, id: ContactId)
    -> Result<Option<Contact>, StoreError>;
    /// A contact by phone number.
    async fn contact_by_phone(
        &self,
        tenant: TenantId,
        phone: &E164,
    ) -> Result<Option<Contact>, StoreError>;
    /// The contacts with any of `phones`, in no particular order (numbers the
    /// tenant has no contact for are left out). An import loads a batch of rows'
    /// contacts with it in one round trip.
    async fn contacts_by_phones(
        &self,
        tenant: TenantId,
        phones: &[E164],
    ) -> Result<Vec<Contact>, StoreError>;
    /// A page of the audience: the contacts with any of the query's tags (all
    /// of them when it names none), in creation order (then by id), after the
    /// cursor, at most `limit`. Page on with
    /// [`ContactCursor::after`] of the last one.
    async fn audience(
        &self,
        tenant: TenantId,
        query: &AudienceQuery,
    ) -> Result<Vec<Contact>, StoreError>;
    /// Contacts whose name contains `text` (case-insensitively) or whose number
    /// contains its digits, by name.
    async fn search_contacts(
        &self,
        tenant: TenantId,
        text: &str,
        limit: usize,
    ) -> Result<Vec<Contact>, StoreError>;

    /// A conversation by id.
    async fn conversation(
        &self,
        tenant: TenantId,
        id: ConversationId,
    ) -> Result<Option<ConversationRecord>, StoreError>;
    /// The contact's most recently created conversation.
    async fn latest_conversation(
        &self,
        tenant: TenantId,
        contact: ContactId,
    ) -> Result<Option<ConversationRecord>, StoreError>;
    /// Conversations by last activity, newest first, filtered.
    async fn conversations(
        &self,
        tenant: TenantId,
        query: &ConversationQuery,
    ) -> Result<Vec<ConversationSummary>, StoreError>;
    /// Applies an inbox action to the listed conversations of `tenant` (ids of
    /// other tenants are ignored); how many were changed.
    async fn bulk_update(
        &self,
        tenant: TenantId,
        ids: &[ConversationId],
        action: BulkAction,
    ) -> Result<usize, StoreError>;

    /// A message by id.
    async fn message(
        &self,
        tenant: TenantId,
        id: MessageId,
    ) -> Result<Option<MessageRecord>, StoreError>;
    /// A message by the provider's id for it.
    async fn message_by_provider_id(
        &self,
        tenant: TenantId,
        provider: &ProviderName,
        provider_message_id: &str,
    ) -> Result<Option<MessageRecord>, StoreError>;
    /// What deciding about an inbound message from `phone` reads: the message
    /// stored already with its provider message id (a retried webhook), the
    /// contact with that number, and the contact's latest conversation. The
    /// default asks [`message_by_provider_id`](Store::message_by_provider_id),
    /// [`contact_by_phone`](Store::contact_by_phone) and
    /// [`latest_conversation`](Store::latest_conversation) in turn; the SQL
    /// stores answer in one statement, one round trip per webhook instead of
    /// three.
    async fn inbound_reads(
        &self,
        tenant: TenantId,
        provider: &ProviderName,
        provider_message_id: &str,
        phone: &E164,
    ) -> Result<InboundReads, StoreError> {
        let stored = self
            .message_by_provider_id(tenant, provider, provider_message_id)
            .await?;
        let contact = self.contact_by_phone(tenant, phone).await?;
        let latest = match &contact {
            Some(contact) => self.latest_conversation(tenant, contact.id).await?,
            None => None,
        };
        Ok(InboundReads {
            stored,
            contact,
            latest,
        })
    }
    /// An outbound message by the caller's id for it.
    async fn message_by_client_id(
        &self,
        tenant: TenantId,
        client_id: &str,
    ) -> Result<Option<MessageRecord>, StoreError>;
    /// The contact's messages, oldest first, at most `limit` of the newest.
    async fn timeline(
        &self,
        tenant: TenantId,
        contact: ContactId,
        limit: usize,
    ) -> Result<Vec<MessageRecord>, StoreError>;

    /// The tenant's newest `limit` messages, of every contact and
    /// conversation, newest (last stored) first.
    async fn recent_messages(
        &self,
        tenant: TenantId,
        limit: usize,
    ) -> Result<Vec<MessageRecord>, StoreError>;

    /// Commits one decision atomically; see the module docs for the guards.
    ///
    /// Nothing is written when it fails: [`CommitError::Conflict`] when the contact
    /// changed (or, for an insert, exists by id or phone); [`CommitError::Duplicate`]
    /// when a message's id, provider message id or client id is stored already (or
    /// repeats within the changeset), or an outbox item names a message that is
    /// queued already; [`StoreError::Taken`] when an update moves the contact to a
    /// phone another contact has; [`StoreError::InconsistentChangeset`] when the
    /// changeset mixes tenants or contacts.
    async fn commit(&self, changes: Changeset) -> Result<(), CommitError>;

    /// Commits several changesets in one transaction, all or nothing, with the
    /// guards and errors of [`commit`](Store::commit) for each (the first that
    /// fails decides the error). The changesets must concern distinct contacts,
    /// with distinct phones, and share no message, provider or client id; a
    /// batch that does not is [`StoreError::InconsistentChangeset`]. An import
    /// or a campaign commits hundreds of contacts in one transaction with it,
    /// paying for one durable write instead of hundreds.
    async fn commit_batch(&self, batch: Vec<Changeset>) -> Result<(), CommitError>;

    /// Merges a status update into a message's delivery, atomically (the merge is
    /// a join, so concurrent updates in any order agree), and the provider's
    /// `pricing`, if any, into its billing; the merged delivery, or `None` for
    /// an unknown message. A billed message first reported sent (or beyond)
    /// gets its usage record in the same write (see [`usage`](Store::usage)).
    async fn record_status(
        &self,
        tenant: TenantId,
        message: MessageId,
        update: &StatusUpdate,
        pricing: Option<&Pricing>,
    ) -> Result<Option<Delivery>, StoreError>;

    /// Merges several status updates, each exactly as
    /// [`record_status`](Store::record_status) would, in order, in one
    /// transaction where the store can: many callbacks pay for one durable
    /// write. Their merged deliveries, in order (`None` for an unknown
    /// message). A failure writes none of them. The default records them one
    /// by one.
    async fn record_statuses(
        &self,
        writes: &[StatusWrite],
    ) -> Result<Vec<Option<Delivery>>, StoreError> {
        let mut merged = Vec::with_capacity(writes.len());
        for write in writes {
            merged.push(write.record_in(self).await?);
        }
        Ok(merged)
    }

    /// The tenant's usage (SPEC §16): the billed messages first sent from
    /// `from` until `until` (excluded), added up by channel, country and
    /// pricing category, in that order. A message is counted once, from the
    /// first time it was reported sent, undelivered, delivered or read,
    /// whichever path said so ([`finish_outbox`](Store::finish_outbox) or
    /// [`record_status`](Store::record_status)); a later pricing changes its
    /// category, not its count.
    async fn usage(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<UsageLine>, StoreError>;

    /// The tenant's activity from `from` until `until` (excluded), as
    /// [`Analytics`] describes it: conversations created in the range (not
    /// deleted) by their status now; messages created in the range by
    /// direction and channel; `csat_recorded` events in the range, counted
    /// and their scores added up; `consent_changed` opt-out events in the
    /// range by channel; campaigns created in the range by their status now.
    async fn analytics(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Analytics, StoreError>;

    /// Claims up to `limit` outbox items that are pending and available at `now`,
    /// or in flight with a lapsed lease, oldest first, leasing them until
    /// `now + lease` and counting an attempt. No item is claimed by two callers
    /// while its lease holds.
    ///
    /// One recipient's items on one channel leave in the order they were queued
    /// (SPEC §18): an item is claimed only when every earlier item to the same
    /// recipient on the same channel is sent or failed, so a claim holds at most
    /// one item per recipient and channel, and a retry waiting for its backoff
    /// holds back the messages queued after it — never those of other recipients.
    async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StoreError>;
    /// Records what the carrier said about the claim of an item whose `attempts`
    /// was `attempt` when claimed; a `Sent` outcome also stores the provider's
    /// message id and merges `sent` into the delivery, a `Failed` one merges
    /// `failed` with the error. Only a claim that still stands is recorded: if the
    /// item was finished already, or claimed again after this claim's lease lapsed,
    /// nothing changes and the answer is `false`.
    /// A provider message id another of the tenant's messages has is
    /// [`StoreError::Taken`], and nothing is written.
    async fn finish_outbox(
        &self,
        tenant: TenantId,
        message: MessageId,
        attempt: u32,
        outcome: &DispatchOutcome,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Records several sends' outcomes, each exactly as
    /// [`finish_outbox`](Store::finish_outbox) would, in order, in one
    /// transaction where the store can: whether each claim still stood. A
    /// failure (a provider message id another message has, say) writes none of
    /// them. The default records them one by one.
    async fn finish_outboxes(&self, finishes: &[OutboxFinish]) -> Result<Vec<bool>, StoreError> {
        let mut recorded = Vec::with_capacity(finishes.len());
        for finish in finishes {
            recorded.push(finish.record_in(self).await?);
        }
        Ok(recorded)
    }
    /// An outbox item by its message.
    async fn outbox_item(
        &self,
        tenant: TenantId,
        message: MessageId,
    ) -> Result<Option<OutboxItem>, StoreError>;

    /// The tenant's events after sequence number `after`, in order, with their
    /// sequence numbers.
    async fn events(
        &self,
        tenant: TenantId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<(u64, EventRecord)>, StoreError>;

    /// The sequence number of the tenant's latest event; 0 before any.
    async fn latest_event(&self, tenant: TenantId) -> Result<u64, StoreError>;

    /// The contact's timeline events (consent and tag changes, conversations
    /// opened and changed, CSAT, possible revocations, calls: see
    /// [`InboxEvent::is_on_timeline`](crate::model::InboxEvent::is_on_timeline)),
    /// oldest first, at most `limit` of the newest, with their sequence numbers.
    /// An event belongs to the contact whose changeset wrote it.
    async fn contact_events(
        &self,
        tenant: TenantId,
        contact: ContactId,
        limit: usize,
    ) -> Result<Vec<(u64, EventRecord)>, StoreError>;

    /// Creates a campaign with its frozen recipients, all or nothing. A campaign
    /// id the tenant has already is [`StoreError::Taken`], and nothing is
    /// written.
    async fn create_campaign(
        &self,
        campaign: &CampaignRecord,
        recipients: &[CampaignRecipient],
    ) -> Result<(), StoreError>;

    /// A campaign by id.
    async fn campaign(
        &self,
        tenant: TenantId,
        id: &str,
    ) -> Result<Option<CampaignRecord>, StoreError>;

    /// The tenant's campaigns, newest first (by creation, then id), at most
    /// `limit`.
    async fn campaigns(
        &self,
        tenant: TenantId,
        limit: usize,
    ) -> Result<Vec<CampaignRecord>, StoreError>;

    /// Writes a campaign loaded at `expected_version` (its `version` one more);
    /// [`CommitError::Conflict`] if it changed meanwhile, and nothing is written.
    /// A campaign written as cancelled has every pending recipient skipped
    /// `cancelled` in the same transaction.
    async fn update_campaign(
        &self,
        campaign: &CampaignRecord,
        expected_version: u64,
    ) -> Result<(), CommitError>;

    /// Takes up to `limit` of a running campaign's claimable recipients
    /// ([`CampaignRecipient::is_claimable`]) at `now`, in audience order, as many
    /// as its throttle allows ([`CampaignRecord::budget`]), leasing them until
    /// `now + lease` and counting them in `released`. A campaign that is not
    /// active gives none; one with no pending recipient left becomes
    /// completed. No recipient is taken up by two callers while its lease
    /// holds (on PostgreSQL a campaign another caller is claiming from is
    /// skipped, not waited for).
    async fn claim_recipients(
        &self,
        tenant: TenantId,
        campaign: &str,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Result<Vec<CampaignRecipient>, StoreError>;

    /// Writes outcomes that queue nothing (holds and skips) to recipients that
    /// are still pending; the others are left as they are.
    async fn settle_recipients(
        &self,
        tenant: TenantId,
        updates: &[RecipientUpdate],
    ) -> Result<(), StoreError>;

    /// A page of a campaign's recipients after position `after` (none: from the
    /// first), in audience order, at most `limit`.
    async fn campaign_recipients(
        &self,
        tenant: TenantId,
        campaign: &str,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<CampaignRecipient>, StoreError>;

    /// A campaign's counts, from its recipient rows and their messages'
    /// statuses ([`CampaignCounts::tally`]); `None` for an unknown campaign.
    async fn campaign_counts(
        &self,
        tenant: TenantId,
        campaign: &str,
    ) -> Result<Option<CampaignCounts>, StoreError>;

    /// Active campaigns of every tenant whose start has come, oldest first, at
    /// most `limit`: what a scheduler visits.
    async fn running_campaigns(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(TenantId, String)>, StoreError>;

    /// Runs the GCRA for `key` against the shared limiter state (API requests per
    /// IP, SPEC §10), atomically, storing the new state when allowed.
    async fn check_rate(
        &self,
        key: &str,
        quota: &Quota,
        now: DateTime<Utc>,
    ) -> Result<Decision, StoreError>;

    /// [`check_rate`](Store::check_rate) for each of `keys` in order, each
    /// against `quota`, stopping at the first refusal: the keys before it are
    /// charged, it and those after are not. `None` when every key allowed
    /// the request, else how long until the refusing key would. One API
    /// request checks its IP and its key this way, in one write where the
    /// store can.
    async fn check_rates(
        &self,
        keys: &[&str],
        quota: &Quota,
        now: DateTime<Utc>,
    ) -> Result<Option<TimeDelta>, StoreError> {
        for key in keys {
            if let Decision::Deny { retry_after } = self.check_rate(key, quota, now).await? {
                return Ok(Some(retry_after));
            }
        }
        Ok(None)
    }

    /// Stores a new API key ([SPEC §16]). An id that is taken is
    /// [`StoreError::Taken`], and the stored key is left as it was.
    ///
    /// [SPEC §16]: crate::core::api_key
    async fn create_api_key(&self, key: &ApiKeyRecord) -> Result<(), StoreError>;
    /// The key with `id`, whichever tenant's: a request's token names its key,
    /// and the key its tenant, so this is the one read that no tenant scopes.
    async fn api_key(&self, id: ApiKeyId) -> Result<Option<ApiKeyRecord>, StoreError>;
    /// The tenant's keys, revoked ones included, oldest first.
    async fn api_keys(&self, tenant: TenantId) -> Result<Vec<ApiKeyRecord>, StoreError>;
    /// Revokes the tenant's key `id` at `at`; a key revoked before keeps its
    /// first revocation's time. Whether the tenant has a key `id` (another
    /// tenant's key is left alone and answers `false`).
    async fn revoke_api_key(
        &self,
        tenant: TenantId,
        id: ApiKeyId,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Records that key `id` opened a request at `at`; an earlier time than the
    /// one recorded changes nothing, and nothing else of the key changes (a
    /// use racing a revocation never undoes it).
    async fn record_api_key_use(&self, id: ApiKeyId, at: DateTime<Utc>) -> Result<(), StoreError>;

    /// Registers an outgoing webhook endpoint (SPEC §18). It hears the
    /// tenant's events from now on: its cursor is set to the tenant's latest
    /// event, whatever `endpoint.delivery.cursor` says, taken so that an
    /// event committing at the same moment is either before the cursor or
    /// delivered. The endpoint as stored; an id that is taken is
    /// [`StoreError::Taken`], and nothing is written.
    async fn create_webhook(
        &self,
        endpoint: &WebhookEndpoint,
    ) -> Result<WebhookEndpoint, StoreError>;
    /// The tenant's endpoints, oldest first.
    async fn webhooks(&self, tenant: TenantId) -> Result<Vec<WebhookEndpoint>, StoreError>;
    /// The tenant's endpoint `id` (another tenant's is `None`).
    async fn webhook(
        &self,
        tenant: TenantId,
        id: WebhookId,
    ) -> Result<Option<WebhookEndpoint>, StoreError>;
    /// Deletes the tenant's endpoint `id`: whether there was one. Its
    /// deliveries stop; a settlement of a claim on it is not recorded.
    async fn delete_webhook(&self, tenant: TenantId, id: WebhookId) -> Result<bool, StoreError>;
    /// Enables the tenant's endpoint `id` at `now` ([`DeliveryState::enable`]):
    /// it resumes with the first event it did not deliver. The endpoint, or
    /// `None` when the tenant has no such endpoint.
    ///
    /// [`DeliveryState::enable`]: crate::core::webhook_retry::DeliveryState::enable
    async fn enable_webhook(
        &self,
        tenant: TenantId,
        id: WebhookId,
        now: DateTime<Utc>,
    ) -> Result<Option<WebhookEndpoint>, StoreError>;
    /// Claims up to `limit` endpoints, of any tenant, that are due at `now`
    /// ([`DeliveryState::is_due`]) and have events after their cursor, each
    /// leased until `now + lease`; the earliest due first. Replicas claiming
    /// at once get different endpoints, so each endpoint's events go out one
    /// at a time, in order.
    ///
    /// [`DeliveryState::is_due`]: crate::core::webhook_retry::DeliveryState::is_due
    async fn claim_webhooks(
        &self,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Result<Vec<WebhookEndpoint>, StoreError>;
    /// Records `state` as where the endpoint's deliveries stand after claim
    /// number `claim`, if that claim still stands (no later claim, and the
    /// endpoint not deleted): whether it was recorded.
    async fn settle_webhook(
        &self,
        tenant: TenantId,
        id: WebhookId,
        claim: u32,
        state: &DeliveryState,
    ) -> Result<bool, StoreError>;

    /// Stores a version of a tenant's workflow. A (tenant, id, version) that
    /// is stored already is [`StoreError::Taken`], and nothing is written:
    /// two writers defining the same workflow at once get distinct versions.
    async fn put_workflow(&self, workflow: &WorkflowRecord) -> Result<(), StoreError>;
    /// The tenant's workflow `id` at `version`, or at its latest version
    /// when `version` is `None`.
    async fn workflow(
        &self,
        tenant: TenantId,
        id: &str,
        version: Option<u32>,
    ) -> Result<Option<WorkflowRecord>, StoreError>;
    /// Stores an automation rule: a new id goes after the tenant's other
    /// rules, a known one is replaced in its place.
    async fn put_rule(&self, rule: &RuleRecord) -> Result<(), StoreError>;
    /// The tenant's rules, in the order they were first added.
    async fn rules(&self, tenant: TenantId) -> Result<Vec<RuleRecord>, StoreError>;
    /// Deletes the tenant's rule `id`: whether there was one.
    async fn delete_rule(&self, tenant: TenantId, id: &str) -> Result<bool, StoreError>;
    /// The contact's live runs ([`RunStatus::is_live`]), oldest first.
    ///
    /// [`RunStatus::is_live`]: crate::core::workflow::RunStatus::is_live
    async fn live_runs(
        &self,
        tenant: TenantId,
        contact: ContactId,
    ) -> Result<Vec<RunRecord>, StoreError>;
    /// The contact's latest run of workflow `workflow`, live or over.
    async fn latest_run(
        &self,
        tenant: TenantId,
        workflow: &str,
        contact: ContactId,
    ) -> Result<Option<RunRecord>, StoreError>;
    /// Claims up to `limit` runs, of any tenant, whose `wake_at` has come at
    /// `now`, each leased until `now + lease`, in wake-up order (then by id): no run is
    /// claimed twice while its lease holds, and a run written since (by a
    /// [`commit`](Store::commit)) is claimable again at its new `wake_at`,
    /// whatever its lease. Replicas claiming at once get different runs.
    async fn claim_due_runs(
        &self,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Result<Vec<RunRecord>, StoreError>;

    /// Whether the store answers: a round trip to the database (a health check's
    /// question). An error says why not.
    async fn health(&self) -> Result<(), StoreError>;
}
