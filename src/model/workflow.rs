//! Workflows, automation rules and workflow runs as a store keeps them (SPEC
//! §13, §14, §18).
//!
//! A store keeps definitions as the JSON they were written in, and a run as
//! the executor left it. What it indexes is beside them: a run's contact,
//! workflow, liveness and wake-up time, a definition's id and version, a
//! rule's place in its tenant's order. The engine checks a
//! definition before storing it and again when it reads one, so a stored
//! document that no longer checks is refused, never run.
//!
//! A run is written only in its contact's [`Changeset`](crate::store::Changeset),
//! under the contact's version: whoever decides about a run reads the contact
//! first and its runs after, so a run that moved on since makes the commit a
//! conflict, and a timer is never fired twice.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ids::{ContactId, TenantId};
use crate::core::id::uuid_id;
use crate::core::workflow::Run;

uuid_id!(
    /// One contact's run through a workflow.
    RunId
);

/// A version of a tenant's workflow. Defining a workflow again adds a
/// version; a run keeps to the version it started on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkflowRecord {
    /// The tenant.
    pub tenant: TenantId,
    /// The workflow's id, as its definition names it.
    pub id: String,
    /// 1 for the first definition, one more for each after it.
    pub version: u32,
    /// The definition, as SPEC §18 writes it.
    pub definition: Value,
    /// When this version was stored.
    pub created_at: DateTime<Utc>,
}

/// A tenant's automation rule. Rules run in the order they were first added;
/// defining one again replaces it in its place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleRecord {
    /// The tenant.
    pub tenant: TenantId,
    /// The rule's id, as its definition names it.
    pub id: String,
    /// The definition, as SPEC §18 writes it.
    pub definition: Value,
    /// When it was stored.
    pub created_at: DateTime<Utc>,
}

/// A contact's run through a workflow, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Its id.
    pub id: RunId,
    /// The tenant.
    pub tenant: TenantId,
    /// The contact running.
    pub contact: ContactId,
    /// Where it stands: the executor's state, whose workflow, status,
    /// wake-up and start the stores index.
    pub run: Run,
}
