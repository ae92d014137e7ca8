//! Contacts with a run of a real workflow waiting on its timer, for the
//! workflow tests and benches: the demo tenant, the `remind` workflow (an
//! hour's wait, then one SMS), and runs written as the engine decides them —
//! a new contact opted in on SMS, the workflow started for it — many
//! contacts to a commit, where starting them one by one would be too slow.
#![allow(dead_code, reason = "each test crate uses the part it needs")]

#[path = "demo_tenant.rs"]
mod demo_tenant;

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use msgcore::E164;
use msgcore::core::automation::RuleSet;
use msgcore::core::consent::ConsentSource;
use msgcore::core::plan::PlanLimits;
use msgcore::core::quiet_hours::QuietHoursPolicy;
use msgcore::core::ratelimit::Quota;
use msgcore::core::workflow::Workflow;
use msgcore::engine::decide::{
    AutomationContext, ContactEditContext, WorkflowShelf, decide_contact_edit, decide_start,
};
use msgcore::engine::{Inbox, ManualClock};
use msgcore::model::{ContactEdit, ContactId, RandomIds, Tenant, TenantSettings};
use msgcore::store::Store;

pub use demo_tenant::t0;

/// The workflow every contact runs, and the one text it sends.
pub const WORKFLOW: &str = "remind";
pub const REMINDER: &str = "Reminder";

/// How many contacts [`seed_waiting_runs`] commits at a time.
const BATCH: usize = 500;

/// An hour's wait, then one reminder.
pub fn definition() -> serde_json::Value {
    serde_json::json!({"id": WORKFLOW, "channel": "sms", "steps": [
        {"delay": "1h"}, {"send": {"text": REMINDER}}
    ]})
}

/// The demo tenant (an SMS number), on the pro plan so thousands of sends
/// fit its limits.
pub fn tenant() -> Tenant {
    demo_tenant::tenant(TenantSettings {
        plan: PlanLimits::pro(),
        ..TenantSettings::default()
    })
}

/// When a run started at `started` wakes.
pub fn wake_at(started: DateTime<Utc>) -> DateTime<Utc> {
    started + TimeDelta::hours(1)
}

/// Contact `n`'s number, in San Francisco: `+1415` then ten thousand lines
/// to an exchange from 200.
pub fn phone(n: usize) -> E164 {
    let (exchange, line) = (200 + n / 10_000, n % 10_000);
    format!("+1415{exchange:03}{line:04}").parse().unwrap()
}

/// An inbox on `store` whose clock stands at `now`.
pub fn inbox_at(store: Arc<dyn Store>, now: DateTime<Utc>) -> Inbox {
    Inbox::builder(store)
        .clock(Arc::new(ManualClock::new(now)))
        .build()
}

/// Stores the tenant and the workflow (its version 1).
pub async fn define(store: Arc<dyn Store>) {
    let inbox = inbox_at(store, t0());
    inbox.put_tenant(&tenant()).await.unwrap();
    inbox
        .define_workflow(tenant().id, &definition())
        .await
        .unwrap();
}

/// New contacts `first..first + count`, opted in on SMS, each with a run of
/// the workflow started at `started` (waiting until [`wake_at`]): the
/// engine's own decisions, committed [`BATCH`] contacts at a time. The
/// contacts, in order.
pub async fn seed_waiting_runs(
    store: &dyn Store,
    first: usize,
    count: usize,
    started: DateTime<Utc>,
) -> Vec<ContactId> {
    let tenant = tenant();
    let workflow = Arc::new(Workflow::from_json(&definition()).unwrap());
    let mut shelf = WorkflowShelf::new();
    shelf.add_latest(1, workflow);
    let rules = RuleSet::compile(vec![]).unwrap();
    let (quiet_hours, send_quota) = (QuietHoursPolicy::default(), Quota::sends_per_recipient());
    let context = AutomationContext {
        tenant: &tenant,
        rules: &rules,
        workflows: &shelf,
        runs: &[],
        latest: None,
        quiet_hours: &quiet_hours,
        send_quota: &send_quota,
        now: started,
        ids: &RandomIds,
    };
    let opted_in = ContactEdit {
        sms_opted_in: Some(true),
        ..ContactEdit::default()
    };
    let (end, mut contacts) = (first + count, Vec::with_capacity(count));
    for from in (first..end).step_by(BATCH) {
        let batch = (from..end.min(from + BATCH))
            .map(|n| {
                let edit = ContactEditContext {
                    tenant: tenant.id,
                    contact: None,
                    source: ConsentSource::Api,
                    proof: None,
                    now: started,
                    ids: &RandomIds,
                };
                let plan = decide_contact_edit(edit, phone(n), &opted_in);
                let changes = plan.into_changeset().expect("a new contact");
                let (changes, _) = decide_start(&context, changes, WORKFLOW).unwrap();
                let [run] = changes.runs.as_slice() else {
                    panic!("one run started: {:?}", changes.runs)
                };
                assert_eq!(run.run.wake_at, Some(wake_at(started)));
                contacts.push(run.contact);
                changes
            })
            .collect();
        store.commit_batch(batch).await.unwrap();
    }
    contacts
}
