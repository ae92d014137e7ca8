//! The memory store's workflows, automation rules and workflow runs.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use crate::model::{ContactId, RuleRecord, RunId, RunRecord, TenantId, WorkflowRecord};
use crate::store::{CommitError, StoreError};

/// Workflow versions, rules and runs, with what a database would index.
#[derive(Debug, Default)]
pub(super) struct Workflows {
    versions: HashMap<(TenantId, String, u32), WorkflowRecord>,
    /// Each tenant's rules in the order they were first added.
    rules: HashMap<TenantId, Vec<RuleRecord>>,
    runs: HashMap<RunId, Run>,
}

/// A stored run and when it may be claimed: its wake-up, or its lease's end
/// once claimed.
#[derive(Debug)]
struct Run {
    record: RunRecord,
    due_at: Option<DateTime<Utc>>,
}

impl Workflows {
    pub(super) fn put_workflow(&mut self, workflow: &WorkflowRecord) -> Result<(), StoreError> {
        let key = (workflow.tenant, workflow.id.clone(), workflow.version);
        if self.versions.contains_key(&key) {
            return Err(StoreError::Taken {
                what: format!("workflow {} version {}", workflow.id, workflow.version),
            });
        }
        self.versions.insert(key, workflow.clone());
        Ok(())
    }

    pub(super) fn workflow(
        &self,
        tenant: TenantId,
        id: &str,
        version: Option<u32>,
    ) -> Option<WorkflowRecord> {
        self.versions
            .values()
            .filter(|w| w.tenant == tenant && w.id == id)
            .filter(|w| version.is_none_or(|v| w.version == v))
            .max_by_key(|w| w.version)
            .cloned()
    }

    pub(super) fn put_rule(&mut self, rule: &RuleRecord) {
        let rules = self.rules.entry(rule.tenant).or_default();
        match rules.iter_mut().find(|r| r.id == rule.id) {
            Some(stored) => *stored = rule.clone(),
            None => rules.push(rule.clone()),
        }
    }

    pub(super) fn rules(&self, tenant: TenantId) -> Vec<RuleRecord> {
        self.rules.get(&tenant).cloned().unwrap_or_default()
    }

    pub(super) fn delete_rule(&mut self, tenant: TenantId, id: &str) -> bool {
        let Some(rules) = self.rules.get_mut(&tenant) else {
            return false;
        };
        let before = rules.len();
        rules.retain(|r| r.id != id);
        rules.len() < before
    }

    /// Whether `runs` may be written: none has the id of another contact's run.
    pub(super) fn check_runs(&self, runs: &[RunRecord]) -> Result<(), CommitError> {
        let foreign = runs.iter().any(|run| {
            self.runs.get(&run.id).is_some_and(|stored| {
                stored.record.tenant != run.tenant || stored.record.contact != run.contact
            })
        });
        if foreign {
            Err(CommitError::Conflict)
        } else {
            Ok(())
        }
    }

    /// Writes runs committed with their contact: each claimable again at its
    /// own wake-up, whatever lease it had.
    pub(super) fn write_runs(&mut self, runs: Vec<RunRecord>) {
        for record in runs {
            let due_at = record.run.wake_at;
            self.runs.insert(record.id, Run { record, due_at });
        }
    }

    pub(super) fn live_runs(&self, tenant: TenantId, contact: ContactId) -> Vec<RunRecord> {
        let mut live: Vec<RunRecord> = self
            .of_contact(tenant, contact)
            .filter(|r| r.run.status.is_live())
            .cloned()
            .collect();
        live.sort_by_key(|r| (r.run.started_at, r.id));
        live
    }

    pub(super) fn latest_run(
        &self,
        tenant: TenantId,
        workflow: &str,
        contact: ContactId,
    ) -> Option<RunRecord> {
        self.of_contact(tenant, contact)
            .filter(|r| r.run.workflow == workflow)
            .max_by_key(|r| (r.run.started_at, r.id))
            .cloned()
    }

    fn of_contact(
        &self,
        tenant: TenantId,
        contact: ContactId,
    ) -> impl Iterator<Item = &RunRecord> + '_ {
        self.runs
            .values()
            .map(|run| &run.record)
            .filter(move |r| r.tenant == tenant && r.contact == contact)
    }

    pub(super) fn claim_due(
        &mut self,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Vec<RunRecord> {
        let mut due: Vec<(DateTime<Utc>, RunId)> = self
            .runs
            .iter()
            .filter_map(|(id, run)| run.due_at.filter(|at| *at <= now).map(|at| (at, *id)))
            .collect();
        due.sort_unstable();
        let until = now
            .checked_add_signed(lease)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let mut claimed: Vec<RunRecord> = due
            .into_iter()
            .take(limit)
            .filter_map(|(_, id)| {
                let run = self.runs.get_mut(&id)?;
                run.due_at = Some(until);
                Some(run.record.clone())
            })
            .collect();
        claimed.sort_by_key(|record| (record.run.wake_at, record.id));
        claimed
    }
}
