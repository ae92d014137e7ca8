//! Workflows and automation rules through the `Inbox` (SPEC §13, §14, §18):
//! defining them, starting a run, reading where it stands, and waking the
//! runs whose time has come.

use std::collections::HashSet;

use chrono::TimeDelta;
use serde_json::Value;

use super::decide::automation::{Prompt, StartRefused, decide_start};
use super::inbox::{Committed, Decided, Inbox, MAX_ATTEMPTS};
use super::not_found::NotFound;
use crate::core::automation::{Action, Rule, RuleSet};
use crate::core::workflow::Workflow;
use crate::error::Error;
use crate::model::{ContactId, EventRecord, RuleRecord, RunRecord, TenantId, WorkflowRecord};
use crate::store::{Changeset, CommitError, ContactWrite, StoreError};

/// How long a scheduler holds the runs it claimed: another takes them over
/// if it has not committed them by then.
pub const RUN_LEASE: TimeDelta = TimeDelta::seconds(60);

/// How many due runs one wake-up claims at a time.
const RUN_BATCH: usize = 500;

impl Inbox {
    /// Checks and stores a workflow definition (SPEC §18) as the workflow's
    /// next version: runs already under way keep to the version they
    /// started on, new ones start on this one. The stored version.
    pub async fn define_workflow(
        &self,
        tenant: TenantId,
        definition: &Value,
    ) -> Result<WorkflowRecord, Error> {
        let tenant = self.tenant(tenant).await?;
        let workflow = Workflow::from_json(definition)?;
        for _ in 0..MAX_ATTEMPTS {
            let latest = self.store.workflow(tenant.id, workflow.id(), None).await?;
            let record = WorkflowRecord {
                tenant: tenant.id,
                id: workflow.id().to_owned(),
                version: latest.map_or(1, |w| w.version.saturating_add(1)),
                definition: workflow.to_json().clone(),
                created_at: self.clock.now(),
            };
            match self.store.put_workflow(&record).await {
                Ok(()) => {
                    self.automation.forget_latest(tenant.id, workflow.id());
                    return Ok(record);
                }
                // Another writer stored the same version first: the next one.
                Err(StoreError::Taken { .. }) => continue,
                Err(error) => return Err(error.into()),
            }
        }
        Err(Error::Busy {
            attempts: MAX_ATTEMPTS,
        })
    }

    /// The latest version of the tenant's workflow `id`.
    pub async fn workflow(&self, tenant: TenantId, id: &str) -> Result<Workflow, Error> {
        match self.latest_workflow(tenant, id).await? {
            Some((_, workflow)) => Ok(Workflow::clone(&workflow)),
            None => Err(NotFound::Workflow(id.to_owned()).into()),
        }
    }

    /// Checks and stores an automation rule (SPEC §18): a new id runs after
    /// the tenant's other rules, a known one is replaced in its place. A
    /// `webhook` action must name one of the tenant's outgoing endpoints
    /// (registered first, so the tenant holds its secret). The rule as
    /// checked.
    pub async fn put_rule(&self, tenant: TenantId, definition: &Value) -> Result<Rule, Error> {
        let tenant = self.tenant(tenant).await?;
        let rule = Rule::from_json(definition, self.rule_urls)?;
        self.check_webhook_actions(tenant.id, &rule).await?;
        let record = RuleRecord {
            tenant: tenant.id,
            id: rule.id().to_owned(),
            definition: rule.to_json(),
            created_at: self.clock.now(),
        };
        self.store.put_rule(&record).await?;
        self.automation.forget_rules(tenant.id);
        Ok(rule)
    }

    /// Each `webhook` action of `rule` must name one of the tenant's outgoing
    /// endpoints: its deliveries are signed with that endpoint's secret, go
    /// through its retries, and keep its order.
    async fn check_webhook_actions(&self, tenant: TenantId, rule: &Rule) -> Result<(), Error> {
        let endpoints = self.store.webhooks(tenant).await?;
        for (index, action) in rule.actions().iter().enumerate() {
            if let Action::Webhook(url) = action
                && !endpoints.iter().any(|e| e.url.as_str() == url.as_str())
            {
                return Err(Error::UnknownEndpoint {
                    path: format!("actions[{index}].webhook"),
                });
            }
        }
        Ok(())
    }

    /// Deletes the tenant's rule `id`, or [`NotFound::Rule`].
    pub async fn delete_rule(&self, tenant: TenantId, id: &str) -> Result<(), Error> {
        let deleted = self.store.delete_rule(tenant, id).await?;
        self.automation.forget_rules(tenant);
        match deleted {
            true => Ok(()),
            false => Err(NotFound::Rule(id.to_owned()).into()),
        }
    }

    /// The tenant's rules, compiled, in the order they run.
    pub async fn rules(&self, tenant: TenantId) -> Result<RuleSet, Error> {
        let tenant = self.tenant(tenant).await?;
        Ok(RuleSet::clone(&*self.rule_set(&tenant).await?))
    }

    /// Starts the latest version of workflow `workflow` for `contact` and
    /// takes its first steps, committed with the contact: the run as
    /// committed. A contact with a live run of it already is refused with
    /// [`Error::AlreadyRunning`].
    pub async fn start_workflow(
        &self,
        tenant: TenantId,
        workflow: &str,
        contact: ContactId,
    ) -> Result<RunRecord, Error> {
        let tenant = self.tenant(tenant).await?;
        let committed = self
            .commit_loop(|| async {
                let loaded = self.load_contact(tenant.id, contact).await?;
                let rules = self.rule_set(&tenant).await?;
                let runs = self.store.live_runs(tenant.id, contact).await?;
                let starts = std::iter::once(workflow);
                let shelf = self.shelf(&tenant, &runs, starts).await?;
                let latest = self.store.latest_conversation(tenant.id, contact).await?;
                let context =
                    self.automation_context(&tenant, &rules, &shelf, &runs, latest.as_ref());
                let unchanged = ContactWrite::update(loaded.version, loaded);
                let changes = Changeset::for_contact(tenant.id, unchanged);
                match decide_start(&context, changes, workflow) {
                    Ok((changes, id)) => {
                        let run = changes.runs.iter().find(|r| r.id == id).cloned();
                        Ok(Decided::write(changes, run))
                    }
                    Err(StartRefused::AlreadyRunning) => Err(Error::AlreadyRunning {
                        workflow: workflow.to_owned(),
                    }),
                    Err(StartRefused::UnknownWorkflow) => {
                        Err(NotFound::Workflow(workflow.to_owned()).into())
                    }
                }
            })
            .await?;
        match committed {
            Committed::Done(Some(run)) => Ok(run),
            _ => Err(StoreError::InconsistentChangeset.into()),
        }
    }

    /// The contact's latest run of `workflow`, live or over.
    pub async fn latest_run(
        &self,
        tenant: TenantId,
        workflow: &str,
        contact: ContactId,
    ) -> Result<Option<RunRecord>, Error> {
        Ok(self.store.latest_run(tenant, workflow, contact).await?)
    }

    /// Wakes every run whose time has come at the clock's now (a delay's
    /// end, a reply's timeout, a held send's retry), each under a lease of
    /// [`RUN_LEASE`], and commits what each does, a batch of runs per
    /// transaction: how many were claimed. Run
    /// it from as many processes as you like: a run is claimed by one at a
    /// time, and its commit is guarded by its contact's version, so a timer
    /// fires once.
    pub async fn wake_due_runs(&self) -> Result<usize, Error> {
        let mut woken = 0;
        loop {
            let now = self.clock.now();
            let claimed = self.store.claim_due_runs(now, RUN_LEASE, RUN_BATCH).await?;
            self.wake_batch(&claimed).await?;
            woken += claimed.len();
            if claimed.len() < RUN_BATCH {
                return Ok(woken);
            }
        }
    }

    /// Wakes claimed runs, one run of each contact decided and committed with
    /// the others in one transaction (a durable write for hundreds of runs);
    /// each on its own on fresh data if the batch loses to another writer, and
    /// so a contact's second due run.
    async fn wake_batch(&self, claimed: &[RunRecord]) -> Result<(), Error> {
        let mut contacts = HashSet::new();
        let (first, again): (Vec<&RunRecord>, Vec<&RunRecord>) = claimed
            .iter()
            .partition(|run| contacts.insert((run.tenant, run.contact)));
        let mut batch = Vec::with_capacity(first.len());
        for run in first {
            match self.woken(run).await? {
                Some(changes) => batch.push((run, changes)),
                None => continue,
            }
        }
        let (runs, changesets): (Vec<&RunRecord>, Vec<Changeset>) = batch.into_iter().unzip();
        let events: Vec<EventRecord> = changesets.iter().flat_map(|c| c.events.clone()).collect();
        match self.store.commit_batch(changesets).await {
            Ok(()) => self.events.publish(&events).await,
            Err(CommitError::Store(error)) => return Err(error.into()),
            Err(_) => {
                for run in runs {
                    self.wake(run).await?;
                }
            }
        }
        for run in again {
            self.wake(run).await?;
        }
        Ok(())
    }

    /// What waking `claimed` writes, decided on its contact as stored now:
    /// `None` when the run did not move (a stale claim) or its contact is gone.
    async fn woken(&self, claimed: &RunRecord) -> Result<Option<Changeset>, Error> {
        let Some(contact) = self.store.contact(claimed.tenant, claimed.contact).await? else {
            tracing::warn!(run = %claimed.id, "a due run's contact is gone");
            return Ok(None);
        };
        let unchanged = ContactWrite::update(contact.version, contact);
        let prompt = Prompt {
            timer: Some(claimed.id),
            ..Prompt::default()
        };
        let changes = Changeset::for_contact(claimed.tenant, unchanged);
        let changes = self.automate(changes, &prompt).await?;
        Ok((!changes.runs.is_empty()).then_some(changes))
    }

    /// Wakes one claimed run: the executor decides whether its time has come
    /// (a claim made on a run that moved on since changes nothing).
    async fn wake(&self, claimed: &RunRecord) -> Result<(), Error> {
        let (tenant, id) = (claimed.tenant, claimed.id);
        let committed = self
            .commit_loop(|| async {
                let contact = self.load_contact(tenant, claimed.contact).await?;
                let unchanged = ContactWrite::update(contact.version, contact);
                let prompt = Prompt {
                    timer: Some(id),
                    ..Prompt::default()
                };
                let changes = Changeset::for_contact(tenant, unchanged);
                Ok(Decided::write(changes, ()).prompted(prompt))
            })
            .await;
        match committed {
            Ok(_) => Ok(()),
            // A contact gone from the store cannot be written: its run stays
            // as it is, and is claimed again only when its lease lapses.
            Err(Error::NotFound(NotFound::Contact(contact))) => {
                tracing::warn!(run = %id, %contact, "a due run's contact is gone");
                Ok(())
            }
            Err(error) => Err(error),
        }
    }
}
