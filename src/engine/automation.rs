//! What the automation pass loads: the tenant's rules and the workflows its
//! runs follow, compiled once and kept, and the contact's live runs, read
//! after the contact on every decision that needs them.
//!
//! A workflow version never changes, so a compiled one is kept for good; the
//! rules and which version of a workflow is the latest are kept for the
//! tenant cache's lifetime, and forgotten at once when they change through
//! this `Inbox`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, TimeDelta, Utc};

use super::decide::automation::{
    AutomationContext, Prompt, WorkflowShelf, decide_automation, startable, wants_automation,
    wants_runs,
};
use super::inbox::Inbox;
use crate::core::automation::{Rule, RuleSet};
use crate::core::webhook_endpoint::UrlPolicy;
use crate::core::workflow::Workflow;
use crate::error::Error;
use crate::model::{ConversationRecord, RunRecord, Tenant, TenantId, TenantRef};
use crate::store::Changeset;

/// A value read from the store, and when.
type Kept<T> = (T, DateTime<Utc>);
/// A tenant's workflow, by id.
type WorkflowKey = (TenantId, String);

/// The compiled rules and workflows an `Inbox` keeps.
#[derive(Debug)]
pub(crate) struct AutomationCache {
    lifetime: TimeDelta,
    rules: Mutex<HashMap<TenantId, Kept<Arc<RuleSet>>>>,
    versions: Mutex<HashMap<(TenantId, String, u32), Arc<Workflow>>>,
    latest: Mutex<HashMap<WorkflowKey, Kept<Option<u32>>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AutomationCache {
    pub(crate) fn new(lifetime: std::time::Duration) -> AutomationCache {
        AutomationCache {
            lifetime: TimeDelta::from_std(lifetime).unwrap_or(TimeDelta::MAX),
            rules: Mutex::new(HashMap::new()),
            versions: Mutex::new(HashMap::new()),
            latest: Mutex::new(HashMap::new()),
        }
    }

    fn fresh(&self, read_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now >= read_at && now - read_at < self.lifetime
    }

    /// Forgets the tenant's rules: they changed.
    pub(crate) fn forget_rules(&self, tenant: TenantId) {
        lock(&self.rules).remove(&tenant);
    }

    /// Forgets which version of the tenant's workflow `id` is the latest.
    pub(crate) fn forget_latest(&self, tenant: TenantId, id: &str) {
        lock(&self.latest).remove(&(tenant, id.to_owned()));
    }
}

impl Inbox {
    /// The automation pass over a decision's changeset: what the tenant's
    /// workflows and rules add to it, loaded after the decision's contact.
    pub(crate) async fn automate(
        &self,
        changes: Changeset,
        prompt: &Prompt,
    ) -> Result<Changeset, Error> {
        let tenant = self.resolve_tenant(&TenantRef::Id(changes.tenant)).await?;
        let rules = self.rule_set(&tenant).await?;
        if !wants_automation(&changes, prompt, &rules) {
            return Ok(changes);
        }
        let runs = match wants_runs(&changes, prompt) {
            true => {
                self.store
                    .live_runs(tenant.id, changes.contact_id())
                    .await?
            }
            false => Vec::new(),
        };
        let starts = prompt.start.iter().map(|s| s.workflow.as_str());
        let shelf = self
            .shelf(&tenant, &runs, startable(&rules).into_iter().chain(starts))
            .await?;
        let latest = match changes.conversations.is_empty() {
            true => {
                self.store
                    .latest_conversation(tenant.id, changes.contact_id())
                    .await?
            }
            false => None,
        };
        let context = self.automation_context(&tenant, &rules, &shelf, &runs, latest.as_ref());
        Ok(decide_automation(&context, prompt, changes))
    }

    /// The context of a pass over what was loaded, with this inbox's
    /// policies and the clock's now.
    pub(crate) fn automation_context<'a>(
        &'a self,
        tenant: &'a Tenant,
        rules: &'a RuleSet,
        workflows: &'a WorkflowShelf,
        runs: &'a [RunRecord],
        latest: Option<&'a ConversationRecord>,
    ) -> AutomationContext<'a> {
        AutomationContext {
            tenant,
            rules,
            workflows,
            runs,
            latest,
            quiet_hours: &self.quiet_hours,
            send_quota: &self.send_quota,
            now: self.clock.now(),
            ids: self.ids.as_ref(),
        }
    }

    /// The tenant's rules, compiled. A stored rule that no longer checks (a
    /// newer msgcore may check more) is left out and logged, never run.
    pub(crate) async fn rule_set(&self, tenant: &Tenant) -> Result<Arc<RuleSet>, Error> {
        let now = self.clock.now();
        let cache = &self.automation;
        if let Some((rules, read_at)) = lock(&cache.rules).get(&tenant.id)
            && cache.fresh(*read_at, now)
        {
            return Ok(Arc::clone(rules));
        }
        let stored = self.store.rules(tenant.id).await?;
        let rules = stored
            .iter()
            .filter_map(
                |record| match Rule::from_json(&record.definition, self.rule_urls) {
                    Ok(rule) => Some(rule),
                    Err(error) => {
                        tracing::warn!(rule = %record.id, %error, "a stored rule no longer checks");
                        None
                    }
                },
            )
            .collect();
        let rules = Arc::new(RuleSet::compile(rules)?);
        lock(&cache.rules).insert(tenant.id, (Arc::clone(&rules), now));
        Ok(rules)
    }

    /// The workflows the contact's runs follow, and the latest versions of
    /// those that may start.
    pub(crate) async fn shelf<'s>(
        &self,
        tenant: &Tenant,
        runs: &[RunRecord],
        starts: impl Iterator<Item = &'s str>,
    ) -> Result<WorkflowShelf, Error> {
        let mut shelf = WorkflowShelf::new();
        for record in runs {
            let run = &record.run;
            if let Some(workflow) = self
                .workflow_version(tenant.id, &run.workflow, run.version)
                .await?
            {
                shelf.add(run.version, workflow);
            }
        }
        for id in starts {
            if let Some((version, workflow)) = self.latest_workflow(tenant.id, id).await? {
                shelf.add_latest(version, workflow);
            }
        }
        Ok(shelf)
    }

    /// Workflow `id` at `version`, compiled; `None` when there is no such
    /// version or it no longer checks.
    pub(crate) async fn workflow_version(
        &self,
        tenant: TenantId,
        id: &str,
        version: u32,
    ) -> Result<Option<Arc<Workflow>>, Error> {
        let key = (tenant, id.to_owned(), version);
        if let Some(workflow) = lock(&self.automation.versions).get(&key) {
            return Ok(Some(Arc::clone(workflow)));
        }
        let Some(record) = self.store.workflow(tenant, id, Some(version)).await? else {
            return Ok(None);
        };
        let workflow = match Workflow::from_json(&record.definition) {
            Ok(workflow) => Arc::new(workflow),
            Err(error) => {
                tracing::warn!(workflow = id, version, %error, "a stored workflow no longer checks");
                return Ok(None);
            }
        };
        lock(&self.automation.versions).insert(key, Arc::clone(&workflow));
        Ok(Some(workflow))
    }

    /// The latest version of workflow `id`, compiled.
    pub(crate) async fn latest_workflow(
        &self,
        tenant: TenantId,
        id: &str,
    ) -> Result<Option<(u32, Arc<Workflow>)>, Error> {
        let now = self.clock.now();
        let cache = &self.automation;
        let key = (tenant, id.to_owned());
        let known = lock(&cache.latest)
            .get(&key)
            .filter(|(_, read_at)| cache.fresh(*read_at, now))
            .map(|(version, _)| *version);
        let version = match known {
            Some(version) => version,
            None => {
                let found = self.store.workflow(tenant, id, None).await?;
                let version = found.map(|record| record.version);
                lock(&cache.latest).insert(key, (version, now));
                version
            }
        };
        let Some(version) = version else {
            return Ok(None);
        };
        let workflow = self.workflow_version(tenant, id, version).await?;
        Ok(workflow.map(|workflow| (version, workflow)))
    }
}

/// How a rule's webhook address is checked (default: public HTTPS only).
pub(crate) const DEFAULT_RULE_URLS: UrlPolicy = UrlPolicy::PUBLIC;
