//! The automation pass's laws under random event sequences, end to end:
//! after a contact's STOP, nothing automated is sent to them on that channel
//! until they opt in again, and their run stays over whatever comes after
//! (replies, timers, START, HELP); every run is live and waiting for a
//! moment, or over.

use chrono::TimeDelta;
use msgcore::core::channel::Channel;
use msgcore::core::workflow::RunStatus;
use msgcore::model::MessageOrigin;
use msgcore::store::Store;
use proptest::prelude::*;
use serde_json::json;

use crate::harness::*;

#[derive(Debug, Clone)]
enum Step {
    Text(&'static str),
    Advance(i64),
    Wake,
}

fn step() -> impl Strategy<Value = Step> {
    let texts = prop::sample::select(vec![
        "STOP", "START", "HELP", "yes", "no", "hi", "Stop all", "price?",
    ]);
    prop_oneof![
        3 => texts.prop_map(Step::Text),
        2 => (0i64..600).prop_map(Step::Advance),
        2 => Just(Step::Wake),
    ]
}

/// A workflow of every kind of step that can send: sends, zero and non-zero
/// delays, a saved reply with its timeout, a branch on it.
fn workflow() -> serde_json::Value {
    json!({"id": "flow", "channel": "sms", "steps": [
        {"send": {"text": "first"}},
        {"delay": "0s"},
        {"wait_reply": {"save_as": "answer", "timeout": "2h"}},
        {"if": {"field": "answer", "op": "equals", "value": "yes"},
         "then": [{"send": {"text": "glad"}}, {"delay": "3h"}, {"send": {"text": "later"}}],
         "else": [{"delay": "1h"}, {"send": {"text": "follow-up"}}]},
        {"send": {"text": "last"}}
    ]})
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn after_a_stop_no_run_or_rule_ever_sends_and_every_run_waits_or_ends(
        steps in prop::collection::vec(step(), 1..30),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let h = Harness::new().await;
            h.inbox.define_workflow(h.tenant.id, &workflow()).await.unwrap();
            let rule = json!({"id": "price", "trigger": "inbound_sms",
                "conditions": {"field": "text", "op": "contains", "value": "price"},
                "actions": [{"send": {"text": "our prices"}}]});
            h.inbox.put_rule(h.tenant.id, &rule).await.unwrap();
            h.text_in(Channel::Sms, "hello").await;
            let contact = h.contact().await.id;
            h.inbox.start_workflow(h.tenant.id, "flow", contact).await.unwrap();
            // What was sent when the contact last opted out, while they stay
            // out; and whether the run was ever stopped.
            let (mut silenced, mut stopped) = (None, false);
            for step in steps {
                match step {
                    Step::Text(text) => {
                        h.text_in(Channel::Sms, text).await;
                        let contact = h.contact().await;
                        if contact.consent.state().check(Channel::Sms).is_err() {
                            silenced.get_or_insert(automated(&h).await);
                            stopped = true;
                        } else {
                            silenced = None;
                        }
                    }
                    Step::Advance(minutes) => h.advance(TimeDelta::minutes(minutes)),
                    Step::Wake => { h.inbox.wake_due_runs().await.unwrap(); }
                }
                let run = h.inbox.latest_run(h.tenant.id, "flow", contact).await.unwrap();
                let run = run.expect("started").run;
                let waits = run.status == RunStatus::Waiting && run.wake_at.is_some();
                prop_assert!(waits || !run.status.is_live(), "{run:?}");
                if let Some(before) = silenced {
                    prop_assert_eq!(automated(&h).await, before, "nothing sent after STOP");
                }
                if stopped {
                    prop_assert!(!run.status.is_live(), "a stopped run stays over: {run:?}");
                }
            }
            Ok(())
        })?;
    }
}

/// How many messages automations queued for the contact.
async fn automated(h: &Harness) -> usize {
    let contact = h.contact().await;
    let timeline = h
        .store
        .timeline(h.tenant.id, contact.id, 1_000)
        .await
        .unwrap();
    timeline
        .iter()
        .filter(|m| m.origin == MessageOrigin::Automation)
        .count()
}
