//! The `Inbox`: the engine's entry point, and the load → decide → commit loop.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use super::automation::{AutomationCache, DEFAULT_RULE_URLS};
use super::clock::{Clock, SystemClock};
use super::decide::automation::Prompt;
use super::events::{EventSink, NoEvents};
use super::not_found::NotFound;
use super::responder::Responder;
use super::tenant_cache::{DEFAULT_TENANT_CACHE, TenantCache};
use super::tenant_rules::TenantRules;
use crate::core::delivery::Delivery;
use crate::core::quiet_hours::QuietHoursPolicy;
use crate::core::ratelimit::Quota;
use crate::core::webhook_endpoint::UrlPolicy;
use crate::error::Error;
use crate::model::{
    Contact, ContactId, ConversationId, ConversationRecord, EventRecord, IdSource, MessageRecord,
    RandomIds, Tenant, TenantId,
};
use crate::store::{
    BulkAction, Changeset, CommitError, ConversationQuery, ConversationSummary, StatusWrite, Store,
    StoreError,
};

/// How many times a decision is made again after losing its commit to another
/// writer before the engine gives up with [`Error::Busy`].
pub(crate) const MAX_ATTEMPTS: u32 = 16;

/// The inbox engine: inbound messages, sends, statuses and agent actions over a
/// [`Store`], with the ports it needs.
///
/// Cheap to share (`Arc<Inbox>`); every method takes `&self`. Several `Inbox`
/// instances, in one process or many, may share one store: the store's guards keep
/// them consistent.
pub struct Inbox {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) ids: Arc<dyn IdSource>,
    pub(crate) events: Arc<dyn EventSink>,
    pub(crate) bot: Option<Arc<dyn Responder>>,
    pub(crate) ai: Option<Arc<dyn Responder>>,
    pub(crate) quiet_hours: QuietHoursPolicy,
    pub(crate) send_quota: Quota,
    #[cfg(feature = "tokio")]
    pub(crate) responder_timeout: std::time::Duration,
    #[cfg(feature = "tokio")]
    group_commit: Option<super::group_commit::GroupCommit>,
    pub(crate) tenants: TenantCache,
    compiled: Mutex<HashMap<TenantId, Arc<TenantRules>>>,
    pub(crate) automation: AutomationCache,
    pub(crate) rule_urls: UrlPolicy,
}

/// How long a bot or AI agent may take to answer before the conversation goes to
/// a human (and a caller hears the team will call back): Twilio waits 15 seconds
/// for a voice webhook's answer.
#[cfg(feature = "tokio")]
pub const DEFAULT_RESPONDER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(12);

impl std::fmt::Debug for Inbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inbox")
            .field("quiet_hours", &self.quiet_hours)
            .field("send_quota", &self.send_quota)
            .finish_non_exhaustive()
    }
}

/// Builds an [`Inbox`]; every port but the store has a default.
pub struct InboxBuilder {
    inbox: Inbox,
}

impl InboxBuilder {
    /// Reads the time from `clock` (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.inbox.clock = clock;
        self
    }

    /// Makes ids with `ids` (default: [`RandomIds`]).
    pub fn ids(mut self, ids: Arc<dyn IdSource>) -> Self {
        self.inbox.ids = ids;
        self
    }

    /// Publishes events to `sink` (default: [`NoEvents`]).
    pub fn events(mut self, sink: Arc<dyn EventSink>) -> Self {
        self.inbox.events = sink;
        self
    }

    /// Routes `BOT_ACTIVE` conversations to `bot`.
    pub fn bot(mut self, bot: Arc<dyn Responder>) -> Self {
        self.inbox.bot = Some(bot);
        self
    }

    /// Routes `AI_ACTIVE` conversations to `ai`.
    pub fn ai(mut self, ai: Arc<dyn Responder>) -> Self {
        self.inbox.ai = Some(ai);
        self
    }

    /// Uses `policy` for marketing sends (default: SPEC §3).
    pub fn quiet_hours(mut self, policy: QuietHoursPolicy) -> Self {
        self.inbox.quiet_hours = policy;
        self
    }

    /// Limits sends per recipient with `quota` (default: 20 an hour, SPEC §10).
    pub fn send_quota(mut self, quota: Quota) -> Self {
        self.inbox.send_quota = quota;
        self
    }

    /// Gives a bot or AI agent `timeout` to answer (default
    /// [`DEFAULT_RESPONDER_TIMEOUT`]); after it, a conversation goes to a human
    /// and a caller hears the team will call back. Timing needs a tokio runtime
    /// with timers (`#[tokio::main]`'s default).
    #[cfg(feature = "tokio")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
    pub fn responder_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.inbox.responder_timeout = timeout;
        self
    }

    /// Lets concurrent decisions share store transactions, as `options` say
    /// (default: each commit is its own transaction). Many webhooks at once
    /// then pay for one durable write; each is still answered only once its
    /// own writes are durable. See [`GroupCommitOptions`](super::GroupCommitOptions).
    #[cfg(feature = "tokio")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
    pub fn group_commit(mut self, options: super::GroupCommitOptions) -> Self {
        self.inbox.group_commit = Some(super::group_commit::GroupCommit::new(options));
        self
    }

    /// Uses a tenant found by a webhook for `lifetime` before reading it from
    /// the store again (default [`DEFAULT_TENANT_CACHE`](super::DEFAULT_TENANT_CACHE),
    /// 5 seconds; zero reads it every time). A tenant changed through this
    /// `Inbox` is seen at once; one changed by another replica, within
    /// `lifetime`.
    pub fn tenant_cache(mut self, lifetime: std::time::Duration) -> Self {
        self.inbox.tenants = TenantCache::new(lifetime);
        self.inbox.automation = AutomationCache::new(lifetime);
        self
    }

    /// Checks the address of a rule's `webhook` action with `policy`
    /// (default [`UrlPolicy::PUBLIC`]: HTTPS, never an address inside your
    /// network).
    pub fn rule_urls(mut self, policy: UrlPolicy) -> Self {
        self.inbox.rule_urls = policy;
        self
    }

    /// The inbox.
    pub fn build(self) -> Inbox {
        self.inbox
    }
}

impl Inbox {
    /// An inbox over `store`, with default ports and SPEC's policies.
    pub fn builder(store: Arc<dyn Store>) -> InboxBuilder {
        InboxBuilder {
            inbox: Inbox {
                store,
                clock: Arc::new(SystemClock),
                ids: Arc::new(RandomIds),
                events: Arc::new(NoEvents),
                bot: None,
                ai: None,
                quiet_hours: QuietHoursPolicy::default(),
                send_quota: Quota::sends_per_recipient(),
                #[cfg(feature = "tokio")]
                responder_timeout: DEFAULT_RESPONDER_TIMEOUT,
                #[cfg(feature = "tokio")]
                group_commit: None,
                tenants: TenantCache::new(DEFAULT_TENANT_CACHE),
                compiled: Mutex::new(HashMap::new()),
                automation: AutomationCache::new(DEFAULT_TENANT_CACHE),
                rule_urls: DEFAULT_RULE_URLS,
            },
        }
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Whether the inbox can work: its store answers. For a server's health check.
    pub async fn health(&self) -> Result<(), Error> {
        Ok(self.store.health().await?)
    }

    /// Creates or updates a tenant, checking its keyword and tagging settings first.
    pub async fn put_tenant(&self, tenant: &Tenant) -> Result<(), Error> {
        TenantRules::compile(tenant)?;
        self.store.put_tenant(tenant).await?;
        self.tenants.clear();
        Ok(())
    }

    /// A tenant by id, or [`NotFound::Tenant`].
    pub async fn tenant(&self, id: TenantId) -> Result<Tenant, Error> {
        self.store
            .tenant(id)
            .await?
            .ok_or_else(|| NotFound::Tenant(id.to_string()).into())
    }

    /// The tenant's compiled keyword and tagging rules.
    pub(crate) fn compiled(&self, tenant: &Tenant) -> Result<Arc<TenantRules>, Error> {
        let mut cache = self
            .compiled
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let unchanged = |c: &&Arc<TenantRules>| c.is_for(tenant);
        if let Some(hit) = cache.get(&tenant.id).filter(unchanged) {
            return Ok(Arc::clone(hit));
        }
        let fresh = Arc::new(TenantRules::compile(tenant)?);
        cache.insert(tenant.id, Arc::clone(&fresh));
        Ok(fresh)
    }

    /// Runs `decide` on fresh data, then the automation pass (workflows and
    /// rules), and commits the changeset, again and again while another
    /// writer wins the race; publishes the events once committed.
    pub(crate) async fn commit_loop<T, F, Fut>(&self, mut decide: F) -> Result<Committed<T>, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Decided<T>, Error>>,
    {
        for _ in 0..MAX_ATTEMPTS {
            let Decided {
                changes,
                outcome,
                prompt,
            } = decide().await?;
            let Some(changes) = changes else {
                return Ok(Committed::Done(outcome));
            };
            let changes = self.automate(changes, &prompt).await?;
            if prompt.timer.is_some() && changes.runs.is_empty() {
                // A stale or early wake-up: the run did not move.
                return Ok(Committed::Done(outcome));
            }
            let events: Vec<EventRecord> = changes.events.clone();
            match self.commit(changes).await {
                Ok(()) => {
                    self.events.publish(&events).await;
                    return Ok(Committed::Done(outcome));
                }
                Err(CommitError::Conflict) => continue,
                Err(CommitError::Duplicate { existing }) => {
                    return Ok(Committed::Duplicate(existing));
                }
                Err(CommitError::DuplicateCallLog) => return Ok(Committed::AlreadyLogged),
                Err(CommitError::Store(error)) => return Err(error.into()),
            }
        }
        Err(Error::Busy {
            attempts: MAX_ATTEMPTS,
        })
    }

    /// Commits one decision: through the group commit when there is one.
    async fn commit(&self, changes: Changeset) -> Result<(), CommitError> {
        #[cfg(feature = "tokio")]
        if let Some(group) = &self.group_commit {
            return group.commit(&self.store, changes).await;
        }
        self.store.commit(changes).await
    }

    /// Merges a status update: through the group commit when there is one.
    pub(crate) async fn record_status(
        &self,
        write: StatusWrite,
    ) -> Result<Option<Delivery>, StoreError> {
        #[cfg(feature = "tokio")]
        if let Some(group) = &self.group_commit {
            return group.record_status(&self.store, write).await;
        }
        write.record_in(self.store.as_ref()).await
    }

    /// The contact with `id`, or [`NotFound::Contact`].
    pub(crate) async fn load_contact(
        &self,
        tenant: TenantId,
        id: ContactId,
    ) -> Result<Contact, Error> {
        self.store
            .contact(tenant, id)
            .await?
            .ok_or_else(|| NotFound::Contact(id.to_string()).into())
    }

    /// The conversation with `id`, or [`NotFound::Conversation`].
    pub(crate) async fn load_conversation(
        &self,
        tenant: TenantId,
        id: ConversationId,
    ) -> Result<ConversationRecord, Error> {
        self.store
            .conversation(tenant, id)
            .await?
            .ok_or_else(|| NotFound::Conversation(id.to_string()).into())
    }

    /// The inbox list: conversations by last activity, filtered.
    pub async fn conversations(
        &self,
        tenant: TenantId,
        query: &ConversationQuery,
    ) -> Result<Vec<ConversationSummary>, Error> {
        Ok(self.store.conversations(tenant, query).await?)
    }

    /// Contacts by name or number.
    pub async fn search_contacts(
        &self,
        tenant: TenantId,
        text: &str,
        limit: usize,
    ) -> Result<Vec<Contact>, Error> {
        let mut found = self.store.search_contacts(tenant, text, limit).await?;
        found.retain(|contact| !contact.is_deleted());
        Ok(found)
    }

    /// Marks read, stars, archives or deletes many conversations; how many changed.
    pub async fn bulk(
        &self,
        tenant: TenantId,
        ids: &[ConversationId],
        action: BulkAction,
    ) -> Result<usize, Error> {
        Ok(self.store.bulk_update(tenant, ids, action).await?)
    }

    /// The contact's timeline: their latest `limit` messages, oldest first.
    pub async fn timeline(
        &self,
        tenant: TenantId,
        contact: ContactId,
        limit: usize,
    ) -> Result<Vec<MessageRecord>, Error> {
        Ok(self.store.timeline(tenant, contact, limit).await?)
    }
}

/// What a decision produced: the writes (none when there is nothing to write) and
/// what to tell the caller once they are committed.
pub(crate) struct Decided<T> {
    pub(crate) changes: Option<Changeset>,
    pub(crate) outcome: T,
    /// What the automation pass is told beyond the changeset.
    pub(crate) prompt: Prompt,
}

impl<T> Decided<T> {
    /// A decision that writes `changes`.
    pub(crate) fn write(changes: Changeset, outcome: T) -> Decided<T> {
        Decided {
            changes: Some(changes),
            outcome,
            prompt: Prompt::default(),
        }
    }

    /// The same decision, telling the automation pass `prompt`.
    pub(crate) fn prompted(mut self, prompt: Prompt) -> Decided<T> {
        self.prompt = prompt;
        self
    }

    /// A decision that writes nothing.
    pub(crate) fn nothing(outcome: T) -> Decided<T> {
        Decided {
            changes: None,
            outcome,
            prompt: Prompt::default(),
        }
    }
}

/// How a commit loop ended.
pub(crate) enum Committed<T> {
    /// Committed (or nothing to commit).
    Done(T),
    /// The event was handled before: this message is already stored.
    Duplicate(crate::model::MessageId),
    /// The call log was stored before (the same call and status).
    AlreadyLogged,
}
