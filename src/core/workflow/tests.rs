//! Definitions refused with their exact place, and every step kind and no-op
//! of the executor, one sentence each.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use super::*;
use crate::core::channel::Channel;
use crate::core::condition::Subject;

fn t0() -> DateTime<Utc> {
    "2026-03-02T09:00:00Z".parse().unwrap()
}

fn flow(steps: Value) -> Workflow {
    flow_on("whatsapp", steps)
}

fn flow_on(channel: &str, steps: Value) -> Workflow {
    let json = json!({"id": "w", "channel": channel, "steps": steps});
    Workflow::from_json(&json).unwrap_or_else(|e| panic!("{json} is refused: {e}"))
}

/// The path and message of the refusal of `steps`.
fn refused(steps: Value) -> (String, String) {
    refused_whole(json!({"id": "w", "channel": "whatsapp", "steps": steps}))
}

fn refused_whole(json: Value) -> (String, String) {
    let error = Workflow::from_json(&json).expect_err("refused");
    (error.path.clone(), error.to_string())
}

fn text(body: &str) -> Value {
    json!({"send": {"text": body}})
}

fn sent(body: &str) -> Effect {
    Effect::Send(StepSend::Text(body.parse().unwrap()))
}

/// Drives one run through events at given moments, keeping the effects.
struct Drive {
    workflow: Workflow,
    attributes: BTreeMap<String, Value>,
    tags: Vec<String>,
    run: Run,
}

impl Drive {
    fn new(workflow: Workflow) -> Drive {
        let run = Run::new(&workflow, 3, t0());
        Drive {
            workflow,
            attributes: BTreeMap::new(),
            tags: Vec::new(),
            run,
        }
    }

    fn on(&mut self, event: RunEvent<'_>, now: DateTime<Utc>) -> Vec<Effect> {
        let subject = Subject {
            name: Some("Ada Lovelace"),
            tags: &self.tags,
            attributes: Some(&self.attributes),
            ..Subject::default()
        };
        let (run, effects) = step(&self.workflow, self.run.clone(), &subject, event, now);
        self.run = run;
        effects
    }

    fn start(&mut self) -> Vec<Effect> {
        self.on(RunEvent::Started, t0())
    }

    fn queued(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        self.on(RunEvent::SendOutcome(SendResult::Queued), now)
    }
}

fn hours(n: i64) -> DateTime<Utc> {
    t0() + TimeDelta::hours(n)
}

// Definitions.

#[test]
fn the_three_typical_flows_read() {
    let confirm = flow(json!([
        text("Reply YES to confirm"),
        {"wait_reply": {"save_as": "answer", "timeout": "24h"}},
        {"if": {"field": "answer", "op": "equals", "value": "yes"},
         "then": [text("Thanks")], "else": [text("Call us")]}
    ]));
    assert_eq!(confirm.steps().len(), 3);
    let remind = flow(json!([
        {"wait_until": {"field": "attributes.appointment_at", "offset": "-24h"}},
        {"send": {"template": {"name": "reminder", "language": "en_US"}}}
    ]));
    assert_eq!(
        remind.steps()[0].kind,
        StepKind::WaitUntil(Moment::Attribute {
            name: "appointment_at".into(),
            offset: TimeDelta::hours(-24)
        })
    );
    let review = flow_on(
        "sms",
        json!([
            {"delay": "2d"},
            {"filter": {"field": "tags", "op": "contains", "value": "visited"}},
            {"send": {"text": "How was it, {first_name}?"}, "when": {"field": "email", "op": "is_absent"}}
        ]),
    );
    assert_eq!(review.channel(), Channel::Sms);
}

#[test]
fn a_workflow_serializes_as_its_json_and_reads_back_equal() {
    let json =
        json!({"id": " w ", "channel": "sms", "steps": [{"delay": "0s"}, text("Hi {name}")]});
    let workflow = Workflow::from_json(&json).unwrap();
    assert_eq!(workflow.id(), "w", "trimmed");
    assert_eq!(workflow.to_json(), &json);
    assert_eq!(serde_json::to_value(&workflow).unwrap(), json);
    assert_eq!(serde_json::from_value::<Workflow>(json).unwrap(), workflow);
    let bad = json!({"id": "w", "channel": "sms", "steps": [{"delay": "soon"}]});
    assert!(
        serde_json::from_value::<Workflow>(bad).is_err(),
        "through the same checks"
    );
}

#[test]
fn the_top_level_is_refused_naming_id_channel_or_steps() {
    let cases = [
        (json!([]), "", "the workflow must be an object"),
        (
            json!({"id": " ", "channel": "sms", "steps": []}),
            "id",
            "`id` is empty once trimmed",
        ),
        (
            json!({"id": "x".repeat(65), "channel": "sms", "steps": []}),
            "id",
            "`id` is 65 characters long; at most 64 are allowed",
        ),
        (
            json!({"channel": "sms", "steps": []}),
            "id",
            "`id` is required",
        ),
        (
            json!({"id": "w", "channel": "SMS", "steps": []}),
            "channel",
            "`channel` is \"SMS\", not a channel: expected sms or whatsapp",
        ),
        (
            json!({"id": "w", "channel": "sms"}),
            "steps",
            "`steps` is required",
        ),
        (
            json!({"id": "w", "channel": "sms", "steps": {}}),
            "steps",
            "`steps` must be a list",
        ),
        (
            json!({"id": "w", "channel": "sms", "steps": [], "version": 2}),
            "version",
            "`version` is not a key this part takes: expected id, channel and steps",
        ),
    ];
    for (json, path, message) in cases {
        assert_eq!(refused_whole(json), (path.to_owned(), message.to_owned()));
    }
}

#[test]
fn a_bad_duration_is_refused_at_its_nested_path() {
    let (path, message) = refused(json!([
        text("a"), text("b"),
        {"if": {"field": "tags", "op": "contains", "value": "vip"}, "then": [{"delay": "90 min"}]}
    ]));
    assert_eq!(path, "steps[2].then[0].delay");
    assert_eq!(
        message,
        "`steps[2].then[0].delay` is not a duration like 90m (a whole number, then s, m, h or d)"
    );
    assert_eq!(
        refused(json!([{"delay": "366d"}])).1,
        "`steps[0].delay` is longer than 365 days"
    );
}

#[test]
fn a_condition_error_continues_the_step_path() {
    let (path, message) = refused(json!([
        {"wait_reply": {"save_as": "answer", "timeout": "1h"}},
        {"send": {"text": "x"}, "when": {"all": [{"field": "answer", "op": "eq", "value": "y"}]}}
    ]));
    assert_eq!(path, "steps[1].when.all[0].op");
    assert!(
        message.starts_with("`steps[1].when.all[0].op` is \"eq\", not one of equals"),
        "{message}"
    );
    let (path, _) = refused(json!([
        {"if": {"field": "tags", "op": "contains", "value": "vip"}, "then": [
            {"delay": "1h", "when": {"any": [{"field": "name", "op": "is_present"},
                                              {"field": "tags", "op": "in", "value": "vip"}]}}
        ]},
    ]));
    assert_eq!(path, "steps[0].then[0].when.any[1].value");
    assert_eq!(refused(json!([{"filter": "vip"}])).0, "steps[0].filter");
    assert_eq!(
        refused(json!([{"if": {"field": "nme", "op": "is_present"}, "then": []}])).0,
        "steps[0].if.field"
    );
    assert_eq!(
        refused(json!([{"if": {"field": "name", "op": "is_present"}, "then": [], "else": [{"filter": {"field": "x", "op": "is_present"}}]}])).0,
        "steps[0].else[0].filter.field"
    );
}

#[test]
fn conditions_may_read_a_reply_saved_by_any_wait_reply_even_a_later_one() {
    flow(json!([
        {"filter": {"field": "later", "op": "is_absent"}},
        {"if": {"field": "name", "op": "is_present"},
         "then": [{"wait_reply": {"save_as": "later", "timeout": "1h"}}]}
    ]));
    let (path, message) = refused(json!([{"filter": {"field": "never_saved", "op": "is_absent"}}]));
    assert_eq!(path, "steps[0].filter.field");
    assert!(
        message.contains("\"never_saved\", which is not a field"),
        "{message}"
    );
}

#[test]
fn unknown_keys_are_refused_with_their_own_path() {
    let cases = [
        (json!([{"sned": {"text": "x"}}]), "steps[0].sned"),
        (
            json!([{"send": {"text": "x", "media": "y"}}]),
            "steps[0].send.media",
        ),
        (json!([{"delay": "1h", "then": []}]), "steps[0].then"),
        (
            json!([{"wait_until": {"at": "2026-03-02T09:00:00Z", "offset": "1h"}}]),
            "steps[0].wait_until.offset",
        ),
        (
            json!([{"wait_reply": {"save_as": "a", "timeout": "1h", "retries": 2}}]),
            "steps[0].wait_reply.retries",
        ),
        (
            json!([{"send": {"template": {"name": "t", "language": "en", "lang": "en"}}}]),
            "steps[0].send.template.lang",
        ),
    ];
    for (steps, path) in cases {
        let (got, message) = refused(steps);
        assert_eq!(got, path);
        assert!(
            message.contains("is not a key this part takes"),
            "{message}"
        );
    }
}

#[test]
fn a_step_of_no_kind_or_of_two_kinds_is_refused() {
    assert_eq!(
        refused(json!([text("a"), {"when": {"field": "name", "op": "is_present"}}])),
        ("steps[1]".to_owned(), "`steps[1]` names no step: expected one of send, delay, wait_until, filter, if, wait_reply".to_owned())
    );
    assert_eq!(
        refused(json!([{"delay": "1h", "send": {"text": "x"}}])).1,
        "`steps[0]` is two steps at once, send and delay: write them as two steps"
    );
    assert_eq!(refused(json!([3])).1, "`steps[0]` must be an object");
}

#[test]
fn send_steps_are_checked_as_campaign_content_is() {
    assert_eq!(
        refused(json!([{"send": {}}])).1,
        "`steps[0].send` must hold exactly one of text and template"
    );
    let (path, message) = refused(json!([{"send": {"text": "Hi {{name"}}]));
    assert_eq!(path, "steps[0].send.text");
    assert!(
        message.starts_with("`steps[0].send.text` is not a valid text: "),
        "{message}"
    );
    assert_eq!(
        refused(json!([{"send": {"text": 3}}])).1,
        "`steps[0].send.text` must be a string"
    );
    let template = json!([{"send": {"template": {"name": "t", "language": "en"}}}]);
    let refusal = refused_whole(json!({"id": "w", "channel": "sms", "steps": template}));
    assert_eq!(
        refusal,
        (
            "steps[0].send.template".to_owned(),
            "`steps[0].send.template` is an approved WhatsApp template; an SMS workflow sends text"
                .to_owned()
        )
    );
    assert_eq!(
        refused(json!([{"send": {"template": {"name": " ", "language": "en"}}}])).0,
        "steps[0].send.template.name"
    );
    assert_eq!(
        refused(json!([{"send": {"template": {"name": "t"}}}])).1,
        "`steps[0].send.template.language` is required"
    );
    let (path, _) = refused(
        json!([{"send": {"template": {"name": "t", "language": "en", "components": [{"type": "body"}]}}}]),
    );
    assert!(
        path.starts_with("steps[0].send.template.components"),
        "{path}"
    );
}

#[test]
fn wait_steps_are_refused_naming_the_bad_part() {
    let cases = [
        (
            json!([{"wait_until": {}}]),
            "steps[0].wait_until",
            "must hold exactly one of at and field",
        ),
        (
            json!([{"wait_until": {"at": "tomorrow"}}]),
            "steps[0].wait_until.at",
            "is not an RFC 3339 moment like 2026-03-02T09:00:00Z",
        ),
        (
            json!([{"wait_until": {"field": "appointment_at"}}]),
            "steps[0].wait_until.field",
            "must name a contact attribute: attributes.NAME",
        ),
        (
            json!([{"wait_until": {"field": "attributes. "}}]),
            "steps[0].wait_until.field",
            "must name a contact attribute: attributes.NAME",
        ),
        (
            json!([{"wait_until": {"field": "attributes.at", "offset": "-1 day"}}]),
            "steps[0].wait_until.offset",
            "is not an offset like -24h (a sign, a whole number, then s, m, h or d)",
        ),
        (
            json!([{"wait_reply": {"timeout": "1h"}}]),
            "steps[0].wait_reply.save_as",
            "is required",
        ),
        (
            json!([{"wait_reply": {"save_as": "answer"}}]),
            "steps[0].wait_reply.timeout",
            "is required",
        ),
        (
            json!([{"wait_reply": {"save_as": "my answer", "timeout": "1h"}}]),
            "steps[0].wait_reply.save_as",
            "must be 1 to 64 letters, digits or `_`",
        ),
        (
            json!([{"wait_reply": {"save_as": "", "timeout": "1h"}}]),
            "steps[0].wait_reply.save_as",
            "must be 1 to 64 letters, digits or `_`",
        ),
        (
            json!([{"wait_reply": {"save_as": "x".repeat(65), "timeout": "1h"}}]),
            "steps[0].wait_reply.save_as",
            "must be 1 to 64 letters, digits or `_`",
        ),
        (
            json!([{"wait_reply": {"save_as": "email", "timeout": "1h"}}]),
            "steps[0].wait_reply.save_as",
            "is \"email\", a built-in condition field: a reply saved under it could not be read",
        ),
        (
            json!([{"wait_reply": {"save_as": "a", "timeout": "1y"}}]),
            "steps[0].wait_reply.timeout",
            "is not a duration like 90m (a whole number, then s, m, h or d)",
        ),
        (
            json!([{"if": {"field": "name", "op": "is_present"}}]),
            "steps[0].then",
            "is required",
        ),
    ];
    for (steps, path, problem) in cases {
        assert_eq!(
            refused(steps),
            (path.to_owned(), format!("`{path}` {problem}"))
        );
    }
}

#[test]
fn at_most_a_hundred_steps_nesting_counted() {
    let ninety_nine: Vec<Value> = (0..99).map(|_| json!({"delay": "0s"})).collect();
    let nested = json!([{"if": {"field": "name", "op": "is_present"}, "then": ninety_nine}]);
    assert_eq!(flow(nested.clone()).steps().len(), 1, "100 steps in all");
    let mut steps = nested.as_array().unwrap().clone();
    steps.push(json!({"delay": "0s"}));
    assert_eq!(
        refused(Value::Array(steps)),
        (
            "steps[1]".to_owned(),
            "`steps[1]` is one step more than the 100 a workflow may have, nesting counted"
                .to_owned()
        )
    );
}

#[test]
fn ifs_nest_at_most_eight_deep() {
    let nest = |depth: usize| {
        (0..depth).fold(
            json!([]),
            |inner, _| json!([{"if": {"field": "name", "op": "is_present"}, "then": inner}]),
        )
    };
    flow(nest(8));
    let path = format!("steps[0]{}", ".then[0]".repeat(8));
    assert_eq!(
        refused(nest(9)),
        (
            path.clone(),
            format!("`{path}` is an `if` nested more than 8 deep")
        )
    );
}

// The executor.

#[test]
fn a_send_waits_for_its_outcome_and_queued_goes_on() {
    let mut drive = Drive::new(flow(json!([text("one"), text("two")])));
    assert_eq!(drive.start(), [sent("one")]);
    assert_eq!(drive.run.status, RunStatus::Active);
    assert_eq!(drive.run.waiting, Some(Wait::Outcome));
    assert_eq!(drive.run.wake_at, None);
    assert_eq!(drive.queued(hours(1)), [sent("two")]);
    assert_eq!(drive.run.updated_at, hours(1));
    assert_eq!(drive.queued(hours(1)), [Effect::End(RunStatus::Completed)]);
    assert_eq!(drive.run.status, RunStatus::Completed);
    assert_eq!(drive.run.version, 3);
}

#[test]
fn a_refused_send_fails_the_run_with_the_gates_kind() {
    let mut drive = Drive::new(flow(json!([text("one"), text("two")])));
    drive.start();
    let refused = SendResult::Refused {
        kind: "outside_window".into(),
    };
    assert_eq!(
        drive.on(RunEvent::SendOutcome(refused), t0()),
        [Effect::End(RunStatus::Failed)]
    );
    assert_eq!(drive.run.error.as_deref(), Some("outside_window"));
    assert_eq!(drive.run.waiting, None);
}

#[test]
fn a_held_send_waits_and_is_sent_again_when_the_hold_ends() {
    let mut drive = Drive::new(flow(json!([text("one")])));
    drive.start();
    let held = SendResult::Held { until: hours(8) };
    assert_eq!(
        drive.on(RunEvent::SendOutcome(held), t0()),
        [Effect::WakeAt(hours(8))]
    );
    assert_eq!(drive.run.status, RunStatus::Waiting);
    assert_eq!(drive.run.wake_at, Some(hours(8)));
    assert_eq!(drive.on(RunEvent::TimerFired, hours(7)), [], "too early");
    assert_eq!(drive.on(RunEvent::TimerFired, hours(8)), [sent("one")]);
    assert_eq!(drive.run.status, RunStatus::Active);
    assert_eq!(drive.run.wake_at, None);
    assert_eq!(drive.queued(hours(8)), [Effect::End(RunStatus::Completed)]);
}

#[test]
fn a_delay_waits_and_a_zero_delay_goes_on_at_once() {
    let mut drive = Drive::new(flow(
        json!([{"delay": "0s"}, {"delay": "90m"}, {"delay": "0s"}, text("late")]),
    ));
    let at = t0() + TimeDelta::minutes(90);
    assert_eq!(drive.start(), [Effect::WakeAt(at)]);
    assert_eq!(drive.run.at.to_string(), "steps[1]");
    assert_eq!(drive.run.waiting, Some(Wait::Timer { until: at }));
    assert_eq!(
        drive.on(RunEvent::TimerFired, at + TimeDelta::seconds(5)),
        [sent("late")]
    );
}

#[test]
fn wait_until_a_fixed_moment_waits_unless_it_has_passed() {
    let at = "2026-03-03T09:00:00+01:00";
    let mut drive = Drive::new(flow(json!([{"wait_until": {"at": at}}, text("now")])));
    assert_eq!(drive.start(), [Effect::WakeAt(hours(23))]);
    let mut late = Drive::new(flow(
        json!([{"wait_until": {"at": "2026-03-01T09:00:00Z"}}, text("now")]),
    ));
    assert_eq!(late.start(), [sent("now")], "a moment already past");
}

#[test]
fn wait_until_a_field_reads_the_attribute_and_shifts_it() {
    let workflow = flow(json!([
        {"wait_until": {"field": "attributes.appointment_at", "offset": "-24h"}}, text("reminder")
    ]));
    let mut drive = Drive::new(workflow.clone());
    drive
        .attributes
        .insert("appointment_at".into(), json!("2026-03-05T10:00:00Z"));
    let at: DateTime<Utc> = "2026-03-04T10:00:00Z".parse().unwrap();
    assert_eq!(drive.start(), [Effect::WakeAt(at)]);
    assert_eq!(drive.on(RunEvent::TimerFired, at), [sent("reminder")]);

    let mut soon = Drive::new(workflow);
    soon.attributes
        .insert("appointment_at".into(), json!("2026-03-02T20:00:00Z"));
    assert_eq!(
        soon.start(),
        [sent("reminder")],
        "less than a day ahead: at once"
    );
}

#[test]
fn wait_until_a_missing_or_unreadable_field_fails_the_run() {
    for value in [
        None,
        Some(json!("next tuesday")),
        Some(json!(1_772_000_000)),
    ] {
        let mut drive = Drive::new(flow(json!([{"wait_until": {"field": "attributes.at"}}])));
        if let Some(value) = value {
            drive.attributes.insert("at".into(), value);
        }
        assert_eq!(drive.start(), [Effect::End(RunStatus::Failed)]);
        assert_eq!(drive.run.error.as_deref(), Some(MISSING_FIELD));
    }
}

#[test]
fn a_false_filter_ends_the_run_filtered_and_a_true_one_goes_on() {
    let workflow =
        flow(json!([{"filter": {"field": "tags", "op": "contains", "value": "vip"}}, text("hi")]));
    let mut drive = Drive::new(workflow.clone());
    assert_eq!(drive.start(), [Effect::End(RunStatus::Filtered)]);
    assert_eq!(drive.run.status, RunStatus::Filtered);
    let mut vip = Drive::new(workflow);
    vip.tags.push("VIP".into());
    assert_eq!(vip.start(), [sent("hi")]);
}

#[test]
fn a_false_when_skips_only_its_step() {
    let mut drive = Drive::new(flow(json!([
        {"send": {"text": "vip"}, "when": {"field": "tags", "op": "contains", "value": "vip"}},
        {"send": {"text": "all"}, "when": {"field": "name", "op": "is_present"}}
    ])));
    assert_eq!(drive.start(), [sent("all")]);
}

#[test]
fn an_if_takes_one_branch_then_goes_on_after_the_if() {
    let workflow = flow(json!([
        {"if": {"field": "tags", "op": "contains", "value": "vip"},
         "then": [text("vip")], "else": [{"delay": "0s"}, text("regular")]},
        text("after")
    ]));
    let mut regular = Drive::new(workflow.clone());
    assert_eq!(regular.start(), [sent("regular")]);
    assert_eq!(regular.run.at.to_string(), "steps[0].else[1]");
    assert_eq!(regular.queued(t0()), [sent("after")]);
    let mut vip = Drive::new(workflow);
    vip.tags.push("vip".into());
    assert_eq!(vip.start(), [sent("vip")]);
    assert_eq!(vip.queued(t0()), [sent("after")]);
    assert_eq!(vip.queued(t0()), [Effect::End(RunStatus::Completed)]);
}

#[test]
fn an_if_without_else_goes_straight_on_when_false() {
    let mut drive = Drive::new(flow(json!([
        {"if": {"field": "tags", "op": "contains", "value": "vip"}, "then": [text("vip")]}
    ])));
    assert_eq!(drive.start(), [Effect::End(RunStatus::Completed)]);
}

#[test]
fn a_reply_is_saved_trimmed_and_read_by_later_conditions() {
    let mut drive = Drive::new(flow(json!([
        {"wait_reply": {"save_as": "answer", "timeout": "24h"}},
        {"filter": {"field": "answer", "op": "equals", "value": "yes"}},
        text("confirmed")
    ])));
    assert_eq!(drive.start(), [Effect::WakeAt(hours(24))]);
    assert_eq!(
        drive.run.waiting,
        Some(Wait::Reply {
            save_as: "answer".into(),
            until: hours(24)
        })
    );
    let effects = drive.on(RunEvent::Reply { text: "  YES \n" }, hours(2));
    assert_eq!(
        effects,
        [
            Effect::Save {
                name: "answer".into(),
                value: "YES".into()
            },
            sent("confirmed")
        ]
    );
    assert_eq!(
        drive.run.saved.get("answer").map(String::as_str),
        Some("YES")
    );
}

#[test]
fn a_reply_timeout_goes_on_without_the_reply() {
    let mut drive = Drive::new(flow(json!([
        {"wait_reply": {"save_as": "answer", "timeout": "24h"}},
        {"filter": {"field": "answer", "op": "is_absent"}},
        text("no answer")
    ])));
    drive.start();
    assert_eq!(
        drive.on(RunEvent::TimerFired, hours(24)),
        [sent("no answer")]
    );
    assert!(drive.run.saved.is_empty());
}

#[test]
fn a_reply_at_or_after_the_timeout_is_not_saved() {
    let mut drive = Drive::new(flow(
        json!([{"wait_reply": {"save_as": "answer", "timeout": "1h"}}]),
    ));
    drive.start();
    let before = drive.run.clone();
    assert_eq!(drive.on(RunEvent::Reply { text: "yes" }, hours(1)), []);
    assert_eq!(drive.run, before);
    assert_eq!(
        drive.on(RunEvent::TimerFired, hours(1)),
        [Effect::End(RunStatus::Completed)]
    );
}

#[test]
fn the_subjects_own_saved_replies_are_read_under_the_runs() {
    let workflow = flow(json!([
        {"wait_reply": {"save_as": "answer", "timeout": "1h"}},
        {"filter": {"field": "answer", "op": "equals", "value": "mine"}},
        text("ok")
    ]));
    let theirs = BTreeMap::from([("answer".to_owned(), "theirs".to_owned())]);
    let subject = Subject::default().with_saved_replies(&theirs);
    let run = Run::new(&workflow, 1, t0());
    let (run, _) = step(&workflow, run, &subject, RunEvent::Started, t0());
    let (_, effects) = step(
        &workflow,
        run,
        &subject,
        RunEvent::Reply { text: "mine" },
        t0(),
    );
    assert_eq!(effects[1], sent("ok"));
}

#[test]
fn a_stale_or_duplicate_wake_up_changes_nothing() {
    let mut drive = Drive::new(flow(json!([{"delay": "1h"}, text("once")])));
    drive.start();
    let waiting = drive.run.clone();
    assert_eq!(drive.on(RunEvent::TimerFired, t0()), []);
    assert_eq!(drive.run, waiting, "not even updated_at");
    assert_eq!(drive.on(RunEvent::TimerFired, hours(1)), [sent("once")]);
    let sending = drive.run.clone();
    assert_eq!(
        drive.on(RunEvent::TimerFired, hours(2)),
        [],
        "the same wake-up again"
    );
    assert_eq!(drive.run, sending);
}

#[test]
fn a_reply_nobody_waits_for_changes_nothing() {
    let mut drive = Drive::new(flow(json!([{"delay": "1h"}])));
    drive.start();
    let before = drive.run.clone();
    assert_eq!(drive.on(RunEvent::Reply { text: "hello" }, t0()), []);
    assert_eq!(drive.run, before);
}

#[test]
fn an_outcome_of_no_send_changes_nothing() {
    let mut drive = Drive::new(flow(json!([{"delay": "1h"}])));
    drive.start();
    let before = drive.run.clone();
    assert_eq!(drive.queued(t0()), []);
    assert_eq!(
        drive.on(
            RunEvent::SendOutcome(SendResult::Refused {
                kind: "opted_out".into()
            }),
            t0()
        ),
        []
    );
    assert_eq!(drive.run, before);
}

#[test]
fn a_second_start_changes_nothing() {
    let mut drive = Drive::new(flow(json!([text("once")])));
    drive.start();
    let before = drive.run.clone();
    assert_eq!(drive.start(), []);
    assert_eq!(drive.run, before);
}

#[test]
fn a_run_that_is_over_ignores_every_event() {
    let mut drive = Drive::new(flow(
        json!([{"wait_reply": {"save_as": "a", "timeout": "1h"}}, text("x")]),
    ));
    drive.start();
    drive.run = drive.run.clone().end(RunStatus::OptedOut, hours(1));
    assert_eq!(drive.run.status, RunStatus::OptedOut);
    assert_eq!((drive.run.wake_at, &drive.run.waiting), (None, &None));
    let over = drive.run.clone();
    for event in [
        RunEvent::Started,
        RunEvent::TimerFired,
        RunEvent::Reply { text: "yes" },
        RunEvent::SendOutcome(SendResult::Queued),
    ] {
        assert_eq!(drive.on(event, hours(5)), []);
        assert_eq!(drive.run, over);
    }
    assert_eq!(
        drive.run.clone().end(RunStatus::Failed, hours(6)),
        over,
        "ends once"
    );
}

#[test]
fn ending_with_a_live_status_changes_nothing() {
    let drive = Drive::new(flow(json!([text("x")])));
    assert_eq!(
        drive.run.clone().end(RunStatus::Waiting, hours(1)),
        drive.run
    );
}

#[test]
fn an_empty_workflow_completes_at_once() {
    let mut drive = Drive::new(flow(json!([])));
    assert_eq!(drive.start(), [Effect::End(RunStatus::Completed)]);
}

#[test]
fn a_run_whose_place_is_not_in_the_workflow_fails_rather_than_panics() {
    let mut drive = Drive::new(flow(json!([text("x")])));
    drive.run.at = "steps[0].then[3]".parse().unwrap();
    assert_eq!(drive.start(), [Effect::End(RunStatus::Failed)]);
    assert_eq!(drive.run.error.as_deref(), Some(NO_SUCH_STEP));
}

#[test]
fn a_run_is_stored_with_stable_snake_case_fields() {
    let mut drive = Drive::new(flow(
        json!([{"wait_reply": {"save_as": "answer", "timeout": "1h"}}]),
    ));
    drive.start();
    let json = serde_json::to_value(&drive.run).unwrap();
    assert_eq!(
        json,
        json!({
            "workflow": "w", "version": 3, "channel": "whatsapp", "status": "waiting",
            "at": "steps[0]", "wake_at": "2026-03-02T10:00:00Z",
            "waiting": {"for": "reply", "save_as": "answer", "until": "2026-03-02T10:00:00Z"},
            "saved": {}, "error": null,
            "started_at": "2026-03-02T09:00:00Z", "updated_at": "2026-03-02T09:00:00Z"
        })
    );
    assert_eq!(serde_json::from_value::<Run>(json).unwrap(), drive.run);
    let mut garbage = serde_json::to_value(&drive.run).unwrap();
    garbage["at"] = json!("steps[0].when");
    assert!(serde_json::from_value::<Run>(garbage).is_err());
}
