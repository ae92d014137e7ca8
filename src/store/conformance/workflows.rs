//! Checks of workflows, automation rules and workflow runs:
//! [`Store::put_workflow`], [`Store::workflow`], [`Store::put_rule`],
//! [`Store::rules`], [`Store::delete_rule`], runs written by
//! [`Store::commit`], [`Store::live_runs`], [`Store::latest_run`] and
//! [`Store::claim_due_runs`].

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;

use super::{contact, put, t0, tenant};
use crate::core::channel::Channel;
use crate::core::workflow::{Cursor, Run, RunStatus, Wait};
use crate::model::{
    Contact, IdSource, RandomIds, RuleRecord, RunId, RunRecord, TenantId, WorkflowRecord,
};
use crate::store::{Changeset, CommitError, ContactWrite, Store, StoreError};

const LEASE: TimeDelta = TimeDelta::seconds(30);

fn workflow(tenant: TenantId, id: &str, version: u32) -> WorkflowRecord {
    WorkflowRecord {
        tenant,
        id: id.to_owned(),
        version,
        definition: json!({"id": id, "channel": "sms", "steps": [{"delay": format!("{version}m")}]}),
        created_at: t0(),
    }
}

fn rule(tenant: TenantId, id: &str, tag: &str) -> RuleRecord {
    RuleRecord {
        tenant,
        id: id.to_owned(),
        definition: json!({"id": id, "trigger": "inbound_sms", "actions": [{"add_tag": tag}]}),
        created_at: t0(),
    }
}

/// A run of `contact` through `workflow`, started at `t0 + started` minutes:
/// waiting until `wake_at`, or completed without one.
fn run(
    contact: &Contact,
    workflow: &str,
    started: i64,
    wake_at: Option<DateTime<Utc>>,
) -> RunRecord {
    let at = t0() + TimeDelta::minutes(started);
    RunRecord {
        id: RunId::from_uuid(RandomIds.next_id()),
        tenant: contact.tenant,
        contact: contact.id,
        run: Run {
            workflow: workflow.to_owned(),
            version: 1,
            channel: Channel::Sms,
            status: match wake_at {
                Some(_) => RunStatus::Waiting,
                None => RunStatus::Completed,
            },
            at: Cursor::start(),
            wake_at,
            waiting: wake_at.map(|until| Wait::Timer { until }),
            saved: BTreeMap::from([("answer".to_owned(), "yes".to_owned())]),
            error: None,
            started_at: at,
            updated_at: at,
        },
    }
}

/// `record` as the executor leaves a run that `end`s with `status`.
fn ended(mut record: RunRecord, status: RunStatus) -> RunRecord {
    record.run = record.run.end(status, t0() + TimeDelta::hours(5));
    record
}

/// `record` waiting until `until` instead.
fn moved(mut record: RunRecord, until: DateTime<Utc>) -> RunRecord {
    record.run.wake_at = Some(until);
    record.run.waiting = Some(Wait::Timer { until });
    record
}

/// Commits `contact` (inserted when `version` is `None`) with `runs`; the
/// contact's new version.
async fn commit_runs<S: Store + ?Sized>(
    store: &S,
    contact: &Contact,
    version: Option<u64>,
    runs: Vec<RunRecord>,
) -> Result<u64, CommitError> {
    let write = match version {
        None => ContactWrite::Insert(contact.clone()),
        Some(loaded) => ContactWrite::update(loaded, contact.clone()),
    };
    let next = write.contact().version;
    let mut changes = Changeset::for_contact(contact.tenant, write);
    changes.runs = runs;
    store.commit(changes).await.map(|()| next)
}

/// `tenant`'s runs among those claimed at `at`.
async fn claim_of<S: Store + ?Sized>(
    store: &S,
    tenant: TenantId,
    at: DateTime<Utc>,
) -> Vec<RunRecord> {
    let claimed = store
        .claim_due_runs(at, LEASE, 100_000)
        .await
        .expect("claim_due_runs");
    claimed.into_iter().filter(|r| r.tenant == tenant).collect()
}

/// Every version of a workflow is kept; without a version the latest is
/// found; a version stored already is refused; another tenant sees none.
pub async fn workflow_versions_are_kept_and_the_latest_is_found<S: Store + ?Sized>(store: &S) {
    let (a, b) = (tenant(), tenant());
    put(store, &a).await;
    put(store, &b).await;
    let (first, second) = (workflow(a.id, "confirm", 1), workflow(a.id, "confirm", 2));
    store.put_workflow(&first).await.expect("put_workflow");
    store.put_workflow(&second).await.expect("put_workflow");
    let found = |tenant, version| store.workflow(tenant, "confirm", version);
    assert_eq!(found(a.id, None).await.expect("workflow"), Some(second));
    assert_eq!(
        found(a.id, Some(1)).await.expect("workflow"),
        Some(first.clone())
    );
    assert_eq!(found(a.id, Some(3)).await.expect("workflow"), None);
    assert_eq!(found(b.id, None).await.expect("workflow"), None);
    assert_eq!(
        store.workflow(a.id, "other", None).await.expect("workflow"),
        None
    );
    let mut again = first;
    again.definition = json!({"changed": true});
    assert!(
        matches!(
            store.put_workflow(&again).await,
            Err(StoreError::Taken { .. })
        ),
        "a stored version is refused"
    );
    let kept = found(a.id, Some(1)).await.expect("workflow");
    assert_ne!(kept.map(|w| w.definition), Some(json!({"changed": true})));
}

/// Rules keep the order they were first added; one defined again is replaced
/// in its place; deleting removes it; a tenant sees and deletes only its own.
pub async fn rules_keep_the_order_they_were_first_added<S: Store + ?Sized>(store: &S) {
    let (a, b) = (tenant(), tenant());
    put(store, &a).await;
    put(store, &b).await;
    for (id, tag) in [("first", "one"), ("second", "two"), ("third", "three")] {
        store
            .put_rule(&rule(a.id, id, tag))
            .await
            .expect("put_rule");
    }
    store
        .put_rule(&rule(b.id, "theirs", "x"))
        .await
        .expect("put_rule");
    let replaced = rule(a.id, "first", "uno");
    store.put_rule(&replaced).await.expect("put_rule");
    let ids = |rules: Vec<RuleRecord>| rules.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let rules = store.rules(a.id).await.expect("rules");
    assert_eq!(rules.first(), Some(&replaced), "replaced in its place");
    assert_eq!(ids(rules), ["first", "second", "third"]);
    assert!(
        !store
            .delete_rule(b.id, "second")
            .await
            .expect("delete_rule")
    );
    assert!(
        store
            .delete_rule(a.id, "second")
            .await
            .expect("delete_rule")
    );
    assert!(
        !store
            .delete_rule(a.id, "second")
            .await
            .expect("delete_rule")
    );
    assert_eq!(
        ids(store.rules(a.id).await.expect("rules")),
        ["first", "third"]
    );
    store
        .put_rule(&rule(a.id, "fourth", "four"))
        .await
        .expect("put_rule");
    let order = ids(store.rules(a.id).await.expect("rules"));
    assert_eq!(order, ["first", "third", "fourth"], "a new rule goes last");
    assert_eq!(ids(store.rules(b.id).await.expect("rules")), ["theirs"]);
}

/// Runs are written with their contact and read back as written: the live
/// ones oldest first, the latest of a workflow whatever its status; a run
/// naming another contact, or reusing another contact's run id, is refused.
pub async fn runs_are_written_with_their_contact_and_found_live_or_latest<S: Store + ?Sized>(
    store: &S,
) {
    let (a, b) = (tenant(), tenant());
    put(store, &a).await;
    put(store, &b).await;
    let ann = contact(a.id, "+14155550171");
    let waiting = run(&ann, "confirm", 2, Some(t0() + TimeDelta::hours(1)));
    let older = run(&ann, "remind", 1, Some(t0() + TimeDelta::hours(2)));
    let done = run(&ann, "review", 0, None);
    let runs = vec![waiting.clone(), older.clone(), done.clone()];
    let version = commit_runs(store, &ann, None, runs).await.expect("commit");
    let live = store.live_runs(a.id, ann.id).await.expect("live_runs");
    assert_eq!(
        live,
        vec![older.clone(), waiting.clone()],
        "live, oldest first"
    );
    let latest = store
        .latest_run(a.id, "review", ann.id)
        .await
        .expect("latest_run");
    assert_eq!(latest, Some(done));
    assert_eq!(
        store.live_runs(b.id, ann.id).await.expect("live_runs"),
        vec![]
    );
    assert_eq!(
        store
            .latest_run(b.id, "confirm", ann.id)
            .await
            .expect("latest_run"),
        None
    );

    let finished = ended(waiting.clone(), RunStatus::OptedOut);
    let again = run(&ann, "confirm", 3, Some(t0() + TimeDelta::hours(3)));
    let runs = vec![finished.clone(), again.clone()];
    commit_runs(store, &ann, Some(version), runs)
        .await
        .expect("commit");
    let live = store.live_runs(a.id, ann.id).await.expect("live_runs");
    assert_eq!(live, vec![older.clone(), again.clone()]);
    let latest = store
        .latest_run(a.id, "confirm", ann.id)
        .await
        .expect("latest_run");
    assert_eq!(latest, Some(again), "the latest start");

    let bob = contact(a.id, "+14155550172");
    let mut stray = run(&bob, "confirm", 0, None);
    stray.contact = ann.id;
    let refused = commit_runs(store, &bob, None, vec![stray]).await;
    assert!(
        matches!(
            refused,
            Err(CommitError::Store(StoreError::InconsistentChangeset))
        ),
        "a run of another contact: {refused:?}"
    );
    let mut taken = run(&bob, "confirm", 0, None);
    taken.id = older.id;
    let refused = commit_runs(store, &bob, None, vec![taken]).await;
    assert!(matches!(refused, Err(CommitError::Conflict)), "{refused:?}");
    assert_eq!(
        store
            .contact_by_phone(a.id, &bob.phone)
            .await
            .expect("contact"),
        None
    );
    let live = store.live_runs(a.id, ann.id).await.expect("live_runs");
    assert_eq!(live.first(), Some(&older), "left as it was");
}

/// Due runs are claimed earliest first, once while their lease holds and
/// again once it lapses; a run committed since is claimable at its new
/// wake-up, not before, whatever its lease; runs not due are never claimed.
pub async fn due_runs_are_claimed_once_per_lease_and_again_when_written<S: Store + ?Sized>(
    store: &S,
) {
    let a = tenant();
    put(store, &a).await;
    let minutes = |m| t0() + TimeDelta::minutes(m);
    let (ann, bob) = (contact(a.id, "+14155550173"), contact(a.id, "+14155550174"));
    let later = run(&ann, "remind", 0, Some(minutes(2)));
    let sooner = run(&bob, "remind", 0, Some(minutes(1)));
    let not_yet = run(&ann, "review", 0, Some(minutes(60)));
    let over = run(&bob, "confirm", 0, None);
    let ann_version = commit_runs(store, &ann, None, vec![later.clone(), not_yet.clone()])
        .await
        .expect("commit");
    let bob_version = commit_runs(store, &bob, None, vec![sooner.clone(), over])
        .await
        .expect("commit");

    let ids = |runs: Vec<RunRecord>| runs.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let claimed = claim_of(store, a.id, minutes(5)).await;
    assert_eq!(
        claimed,
        vec![sooner.clone(), later.clone()],
        "earliest first"
    );
    assert_eq!(
        ids(claim_of(store, a.id, minutes(5)).await),
        vec![],
        "leased"
    );
    let lapsed = minutes(5) + LEASE;
    assert_eq!(
        ids(claim_of(store, a.id, lapsed).await),
        vec![sooner.id, later.id]
    );

    let moved = moved(later.clone(), minutes(30));
    commit_runs(store, &ann, Some(ann_version), vec![moved.clone()])
        .await
        .expect("commit");
    let finished = ended(sooner.clone(), RunStatus::Completed);
    commit_runs(store, &bob, Some(bob_version), vec![finished])
        .await
        .expect("commit");
    assert_eq!(
        ids(claim_of(store, a.id, minutes(29)).await),
        vec![],
        "leases are gone"
    );
    assert_eq!(
        claim_of(store, a.id, minutes(30)).await,
        vec![moved.clone()]
    );
    let last = ids(claim_of(store, a.id, minutes(61)).await);
    assert_eq!(
        last,
        vec![moved.id, not_yet.id],
        "a finished run is never claimed"
    );
}
