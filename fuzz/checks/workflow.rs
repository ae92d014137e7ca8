//! Workflows: any JSON gives a checked workflow or an error naming a place in
//! that JSON, never a panic. An error's path, walked through the input, ends
//! at the part it blames (for an unknown key, the key itself; for a missing
//! part, the object that lacks it). An accepted workflow serializes to JSON
//! that reads back as the same workflow, and a run of it, fed a fixed round
//! of events for a fixed contact, never panics, stores and reads back as
//! itself, and never waits for nothing.
//!
//! Input: the workflow's JSON.

use chrono::{DateTime, TimeDelta, Utc};
use std::collections::BTreeMap;

use msgcore::Channel;
use msgcore::core::condition::{ConditionProblem, Subject};
use msgcore::core::workflow::{
    self, Effect, Run, RunEvent, RunStatus, SendResult, Wait, Workflow, WorkflowError,
    WorkflowProblem,
};
use serde_json::{Value, json};

use super::json_path;

/// The keys a path may name, besides an unknown key at its very end: only the
/// wire form's own, never one from the input.
const PATH_KEYS: [&str; 26] = [
    "id",
    "channel",
    "steps",
    "when",
    "send",
    "text",
    "template",
    "name",
    "language",
    "components",
    "delay",
    "wait_until",
    "at",
    "field",
    "offset",
    "filter",
    "if",
    "then",
    "else",
    "wait_reply",
    "save_as",
    "timeout",
    "all",
    "any",
    "op",
    "value",
];

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let Ok(json) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    match Workflow::from_json(&json) {
        Ok(workflow) => check_workflow(&workflow),
        Err(error) => check_error(&json, &error),
    }
}

fn check_workflow(workflow: &Workflow) {
    let json = serde_json::to_value(workflow).expect("a workflow serializes");
    let again = Workflow::from_json(&json).expect("a serialized workflow reads back");
    assert_eq!(&again, workflow, "{json}");
    let ada = Ada::new();
    let start: DateTime<Utc> = "2026-03-02T09:00:00Z".parse().expect("a moment");
    let mut run = Run::new(workflow, 1, start);
    for (hours, event) in events(start) {
        let now = start + TimeDelta::hours(hours);
        let subject = ada.subject(workflow.channel());
        let stored: Run = serde_json::from_str(&serde_json::to_string(&run).expect("serializes"))
            .expect("a stored run reads back");
        assert_eq!(stored, run);
        let effects;
        (run, effects) = workflow::step(workflow, run, &subject, event, now);
        check_run(&run, &effects);
    }
    let run = run.end(RunStatus::OptedOut, start + TimeDelta::days(30));
    assert!(!run.status.is_live());
}

/// Every kind of event, in an order that takes most runs far.
fn events(start: DateTime<Utc>) -> Vec<(i64, RunEvent<'static>)> {
    let queued = || RunEvent::SendOutcome(SendResult::Queued);
    let mut events = vec![(0, RunEvent::Started), (0, queued())];
    events.push((
        0,
        RunEvent::SendOutcome(SendResult::Held {
            until: start + TimeDelta::hours(2),
        }),
    ));
    for hours in [1, 2, 2, 30, 60, 24 * 400] {
        events.extend([
            (hours, RunEvent::Reply { text: " yes " }),
            (hours, RunEvent::TimerFired),
            (hours, queued()),
        ]);
    }
    events.push((
        24 * 400,
        RunEvent::SendOutcome(SendResult::Refused {
            kind: "rate_limited".to_owned(),
        }),
    ));
    events
}

fn check_run(run: &Run, effects: &[Effect]) {
    match (&run.waiting, run.status) {
        (Some(Wait::Outcome), RunStatus::Active) => assert_eq!(run.wake_at, None),
        (Some(wait), RunStatus::Waiting) => assert_eq!(run.wake_at, wait.until()),
        (None, status) => assert!(!status.is_live(), "{run:?}"),
        _ => panic!("a run waiting for the wrong thing: {run:?}"),
    }
    if let Some(Effect::End(status)) = effects.last() {
        assert_eq!(*status, run.status);
    }
}

fn check_error(json: &Value, error: &WorkflowError) {
    json_path::assert_opens_with_place(&error.to_string(), &error.path, "the workflow", " ");
    match &error.problem {
        WorkflowProblem::Missing | WorkflowProblem::Condition(ConditionProblem::Missing) => {
            json_path::assert_leads_in(json, &error.path, true, &PATH_KEYS, &error.to_string());
        }
        WorkflowProblem::UnexpectedKey { key, .. } => {
            let parent = error
                .path
                .strip_suffix(key.as_str())
                .expect("the path ends with the key");
            let parent = parent.strip_suffix('.').unwrap_or(parent);
            let object = walk(json, parent).expect("the path leads to the object with the key");
            assert!(object.get(key).is_some(), "{error} in {json}");
        }
        WorkflowProblem::TemplateContent(_) => {
            // The content's own path goes on where the input may stop.
            let (template, _) = error
                .path
                .split_once(".template.")
                .expect("inside a template");
            assert!(walk(json, template).is_some(), "{error} in {json}");
        }
        _ => assert!(walk(json, &error.path).is_some(), "{error} in {json}"),
    }
}

/// The part of `json` at `path` (`steps[2].then[0].when.any[1].value`).
fn walk<'j>(json: &'j Value, path: &str) -> Option<&'j Value> {
    json_path::walk(json, path, &PATH_KEYS)
}

/// The contact: the attributes the seeds' `wait_until` steps read, one of
/// them not a moment, and a tag the seeds' conditions test.
struct Ada {
    tags: Vec<String>,
    attributes: BTreeMap<String, Value>,
}

impl Ada {
    fn new() -> Ada {
        let attributes = [
            ("appointment_at", json!("2026-03-04T10:00:00Z")),
            ("visited_at", json!("2026-03-01T18:30:00+01:00")),
            ("garbage", json!("next tuesday")),
            ("number", json!(12)),
        ];
        Ada {
            tags: vec!["vip".to_owned()],
            attributes: attributes
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        }
    }

    fn subject(&self, channel: Channel) -> Subject<'_> {
        let mut subject = Subject::default();
        subject.name = Some("Ada Lovelace");
        subject.phone = Some("+14155550100");
        subject.channel = Some(channel);
        subject.tags = &self.tags;
        subject.attributes = Some(&self.attributes);
        subject
    }
}
