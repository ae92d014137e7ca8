//! The workflow definitions one automation pass may need, checked.

use std::collections::HashMap;
use std::sync::Arc;

use crate::core::workflow::Workflow;

/// The workflows a pass may step or start: the versions its live runs follow,
/// and the latest version of each workflow it may start.
#[derive(Debug, Clone, Default)]
pub struct WorkflowShelf {
    versions: HashMap<(String, u32), Arc<Workflow>>,
    latest: HashMap<String, u32>,
}

impl WorkflowShelf {
    /// An empty shelf: no run can be stepped or started.
    pub fn new() -> WorkflowShelf {
        WorkflowShelf::default()
    }

    /// Puts `workflow` at `version` on the shelf.
    pub fn add(&mut self, version: u32, workflow: Arc<Workflow>) {
        let id = workflow.id().to_owned();
        self.versions.insert((id, version), workflow);
    }

    /// Puts `workflow` on the shelf as the version to start new runs on.
    pub fn add_latest(&mut self, version: u32, workflow: Arc<Workflow>) {
        self.latest.insert(workflow.id().to_owned(), version);
        self.add(version, workflow);
    }

    /// Workflow `id` at `version`.
    pub fn version(&self, id: &str, version: u32) -> Option<&Arc<Workflow>> {
        self.versions.get(&(id.to_owned(), version))
    }

    /// The version new runs of `id` start on, and the workflow.
    pub fn latest(&self, id: &str) -> Option<(u32, &Arc<Workflow>)> {
        let version = *self.latest.get(id)?;
        Some((version, self.version(id, version)?))
    }
}
