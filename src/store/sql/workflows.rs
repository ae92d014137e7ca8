//! Workflows, automation rules and workflow runs on the SQL stores. A run's
//! row is written by a commit ([`run_values`]); `due_at` is its wake-up, or
//! its lease's end once claimed, so a claim is one index range scan whatever
//! number of runs wait.

use chrono::{DateTime, TimeDelta, Utc};

use super::ops::{finish, id, read_all, read_one};
use super::rows::RowStatement;
use super::{Backend, Session, Value, count, db, decode, encode, nanos};
use crate::model::{ContactId, RuleRecord, RunRecord, TenantId, WorkflowRecord};
use crate::store::StoreError;

const INSERT_WORKFLOW: &str = "INSERT INTO workflows (tenant, id, version, created_at, doc) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant, id, version) DO NOTHING";
const WORKFLOW_VERSION: &str =
    "SELECT doc FROM workflows WHERE tenant = $1 AND id = $2 AND version = $3";
const LATEST_WORKFLOW: &str = "SELECT doc FROM workflows WHERE tenant = $1 AND id = $2 \
     ORDER BY version DESC LIMIT 1";
/// A new rule goes after the tenant's others; a known one keeps its place.
const PUT_RULE: &str = "INSERT INTO automation_rules (tenant, id, position, created_at, doc) \
     VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM automation_rules \
     WHERE tenant = $1), $3, $4) \
     ON CONFLICT (tenant, id) DO UPDATE SET doc = excluded.doc";
const RULES: &str = "SELECT doc FROM automation_rules WHERE tenant = $1 ORDER BY position, id";
const DELETE_RULE: &str = "DELETE FROM automation_rules WHERE tenant = $1 AND id = $2";
const LIVE_RUNS: &str = "SELECT doc FROM workflow_runs \
     WHERE tenant = $1 AND contact = $2 AND live ORDER BY started_at, id";
const LATEST_RUN: &str = "SELECT doc FROM workflow_runs \
     WHERE tenant = $1 AND contact = $2 AND workflow = $3 \
     ORDER BY started_at DESC, id DESC LIMIT 1";
/// Runs written by a commit: inserted, or replaced by id (never another
/// contact's: that row is left alone, and counts as not written), claimable
/// again at their wake-up.
pub(super) static UPSERT_RUNS: RowStatement = RowStatement::around(
    "INSERT INTO workflow_runs (id, tenant, contact, workflow, live, due_at, started_at, doc) \
     VALUES ",
    8,
    " ON CONFLICT (id) DO UPDATE SET live = excluded.live, due_at = excluded.due_at, \
     doc = excluded.doc WHERE workflow_runs.tenant = excluded.tenant \
     AND workflow_runs.contact = excluded.contact",
);

/// The claim statement: the runs due at `$2`, the earliest first, at most
/// `$3`, leased until `$1`. The inner select is written between `$open` and
/// `$close`: a database that locks rows skips those others hold, and finds
/// the runs it leases by their key (`= ANY (ARRAY (…))` keeps PostgreSQL's
/// plan an index lookup, where `IN (…)` became a hash join over the table).
macro_rules! claim_runs {
    ($open:literal, $close:literal) => {
        concat!(
            "UPDATE workflow_runs SET due_at = $1 WHERE id ",
            $open,
            "SELECT id FROM workflow_runs WHERE due_at <= $2 ORDER BY due_at LIMIT $3",
            $close,
            " RETURNING doc"
        )
    };
}
pub(crate) use claim_runs;

/// A run's columns, in [`UPSERT_RUNS`]'s order.
pub(super) fn run_values(run: &RunRecord) -> Result<Vec<Value>, StoreError> {
    Ok(vec![
        Value::Id(run.id.as_uuid()),
        id(run.tenant),
        Value::Id(run.contact.as_uuid()),
        Value::Text(run.run.workflow.clone()),
        Value::Flag(run.run.status.is_live()),
        Value::OptInt(run.run.wake_at.map(nanos)),
        Value::Int(nanos(run.run.started_at)),
        Value::Text(encode(run)?),
    ])
}

pub(crate) async fn put_workflow<B: Backend>(
    backend: &B,
    workflow: &WorkflowRecord,
) -> Result<(), StoreError> {
    let args = vec![
        id(workflow.tenant),
        Value::Text(workflow.id.clone()),
        Value::Int(i64::from(workflow.version)),
        Value::Int(nanos(workflow.created_at)),
        Value::Text(encode(workflow)?),
    ];
    let mut session = backend.write().await.map_err(db)?;
    let inserted = session.execute(INSERT_WORKFLOW, args).await.map_err(db);
    match finish(session, inserted).await? {
        0 => Err(StoreError::Taken {
            what: format!("workflow {} version {}", workflow.id, workflow.version),
        }),
        _ => Ok(()),
    }
}

pub(crate) async fn workflow<B: Backend>(
    backend: &B,
    tenant: TenantId,
    workflow: &str,
    version: Option<u32>,
) -> Result<Option<WorkflowRecord>, StoreError> {
    let mut args = vec![id(tenant), Value::Text(workflow.to_owned())];
    let sql = match version {
        Some(version) => {
            args.push(Value::Int(i64::from(version)));
            WORKFLOW_VERSION
        }
        None => LATEST_WORKFLOW,
    };
    read_one(backend, sql, args, "workflow").await
}

pub(crate) async fn put_rule<B: Backend>(backend: &B, rule: &RuleRecord) -> Result<(), StoreError> {
    let args = vec![
        id(rule.tenant),
        Value::Text(rule.id.clone()),
        Value::Int(nanos(rule.created_at)),
        Value::Text(encode(rule)?),
    ];
    let mut session = backend.write().await.map_err(db)?;
    let put = session.execute(PUT_RULE, args).await.map_err(db);
    finish(session, put).await.map(drop)
}

pub(crate) async fn rules<B: Backend>(
    backend: &B,
    tenant: TenantId,
) -> Result<Vec<RuleRecord>, StoreError> {
    read_all(backend, RULES, vec![id(tenant)], "automation rule").await
}

pub(crate) async fn delete_rule<B: Backend>(
    backend: &B,
    tenant: TenantId,
    rule: &str,
) -> Result<bool, StoreError> {
    let args = vec![id(tenant), Value::Text(rule.to_owned())];
    let mut session = backend.write().await.map_err(db)?;
    let deleted = session.execute(DELETE_RULE, args).await.map_err(db);
    Ok(finish(session, deleted).await? > 0)
}

pub(crate) async fn live_runs<B: Backend>(
    backend: &B,
    tenant: TenantId,
    contact: ContactId,
) -> Result<Vec<RunRecord>, StoreError> {
    let args = vec![id(tenant), Value::Id(contact.as_uuid())];
    read_all(backend, LIVE_RUNS, args, "workflow run").await
}

pub(crate) async fn latest_run<B: Backend>(
    backend: &B,
    tenant: TenantId,
    workflow: &str,
    contact: ContactId,
) -> Result<Option<RunRecord>, StoreError> {
    let args = vec![
        id(tenant),
        Value::Id(contact.as_uuid()),
        Value::Text(workflow.to_owned()),
    ];
    read_one(backend, LATEST_RUN, args, "workflow run").await
}

pub(crate) async fn claim_due_runs<B: Backend>(
    backend: &B,
    now: DateTime<Utc>,
    lease: TimeDelta,
    limit: usize,
) -> Result<Vec<RunRecord>, StoreError> {
    let until = now
        .checked_add_signed(lease)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let args = vec![
        Value::Int(nanos(until)),
        Value::Int(nanos(now)),
        Value::Int(count(limit)),
    ];
    let mut session = backend.write().await.map_err(db)?;
    let docs = session.texts(B::DIALECT.claim_runs, args).await.map_err(db);
    let docs = finish(session, docs).await?;
    let mut runs = docs
        .iter()
        .map(|doc| decode::<RunRecord>(doc, "workflow run"))
        .collect::<Result<Vec<_>, _>>()?;
    // RETURNING keeps no order.
    runs.sort_by_key(|record| (record.run.wake_at, record.id));
    Ok(runs)
}
