//! Laws of the executor, on random valid workflows (nested `if`s, zero and
//! non-zero delays, sends, waits, filters) and random event sequences whose
//! `now` never goes back: a STOP silences a run for good, a stored run behaves
//! as one never stored, zero delays never stall, and a live run always waits
//! for something.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

use super::*;
use crate::core::condition::Subject;

fn t0() -> DateTime<Utc> {
    "2026-03-02T09:00:00Z".parse().unwrap()
}

const CONDITIONS: &[&str] = &[
    r#"{"field": "tags", "op": "contains", "value": "vip"}"#,
    r#"{"field": "answer", "op": "equals", "value": "yes"}"#,
    r#"{"field": "answer", "op": "is_absent"}"#,
    r#"{"field": "name", "op": "is_present"}"#,
    r#"{"any": [{"field": "channel", "op": "equals", "value": "whatsapp"}, {"field": "answer", "op": "is_present"}]}"#,
];

fn condition() -> impl Strategy<Value = Value> {
    select(CONDITIONS).prop_map(|text| serde_json::from_str(text).unwrap())
}

fn duration() -> impl Strategy<Value = &'static str> {
    select(&["0s", "0m", "30s", "90m", "2h", "1d", "7d"][..])
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        select(&["hello", "Hi {name}", "bye"][..]).prop_map(|t| json!({"send": {"text": t}})),
        duration().prop_map(|d| json!({"delay": d})),
        (-48i64..48)
            .prop_map(|h| json!({"wait_until": {"at": (t0() + TimeDelta::hours(h)).to_rfc3339()}})),
        (
            select(
                &[
                    "attributes.appointment_at",
                    "attributes.nothing",
                    "attributes.garbage"
                ][..]
            ),
            select(&["-24h", "+1h", "0s", "-3d"][..])
        )
            .prop_map(|(f, o)| json!({"wait_until": {"field": f, "offset": o}})),
        condition().prop_map(|c| json!({"filter": c})),
        duration().prop_map(|d| json!({"wait_reply": {"save_as": "answer", "timeout": d}})),
    ]
}

/// A step, perhaps guarded, perhaps an `if` of steps.
fn step_json() -> impl Strategy<Value = Value> {
    let guarded = |step: BoxedStrategy<Value>| {
        (step, proptest::option::weighted(0.3, condition())).prop_map(|(mut step, when)| {
            if let (Some(when), Some(object)) = (when, step.as_object_mut()) {
                object.insert("when".into(), when);
            }
            step
        })
    };
    guarded(leaf().boxed()).prop_recursive(3, 24, 4, move |inner| {
        prop_oneof![
            2 => inner.clone(),
            1 => (condition(), vec(inner.clone(), 0..4), proptest::option::of(vec(inner, 0..4)))
                .prop_map(|(c, then, otherwise)| match otherwise {
                    Some(otherwise) => json!({"if": c, "then": then, "else": otherwise}),
                    None => json!({"if": c, "then": then}),
                }),
        ]
    })
}

/// A valid workflow; its last step, never taken, declares the `answer` the
/// conditions read.
fn workflow() -> impl Strategy<Value = Workflow> {
    (select(&["sms", "whatsapp"][..]), vec(step_json(), 0..6)).prop_filter_map(
        "within the limits",
        |(channel, mut steps)| {
            steps.push(json!({"wait_reply": {"save_as": "answer", "timeout": "1h"},
                              "when": {"field": "name", "op": "is_absent"}}));
            Workflow::from_json(&json!({"id": "law", "channel": channel, "steps": steps})).ok()
        },
    )
}

/// An event as data, so that sequences can be generated and shown.
#[derive(Debug, Clone)]
enum Event {
    Started,
    Reply(&'static str),
    TimerFired,
    Queued,
    Held(i64),
    Refused(&'static str),
}

impl Event {
    fn at(&self, now: DateTime<Utc>) -> RunEvent<'static> {
        match self {
            Event::Started => RunEvent::Started,
            Event::Reply(text) => RunEvent::Reply { text },
            Event::TimerFired => RunEvent::TimerFired,
            Event::Queued => RunEvent::SendOutcome(SendResult::Queued),
            Event::Held(hours) => RunEvent::SendOutcome(SendResult::Held {
                until: now + TimeDelta::hours(*hours),
            }),
            Event::Refused(kind) => RunEvent::SendOutcome(SendResult::Refused {
                kind: (*kind).to_owned(),
            }),
        }
    }
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        1 => Just(Event::Started),
        2 => select(&["yes", " YES ", "no"][..]).prop_map(Event::Reply),
        4 => Just(Event::TimerFired),
        4 => Just(Event::Queued),
        1 => (0i64..12).prop_map(Event::Held),
        1 => select(&["outside_window", "rate_limited"][..]).prop_map(Event::Refused),
    ]
}

/// Events, each after a step forward in time (often none, sometimes days);
/// the engine always starts a run first.
fn events() -> impl Strategy<Value = Vec<(i64, Event)>> {
    vec(
        (
            select(&[0i64, 0, 60, 3_600, 86_400, 3 * 86_400][..]),
            event(),
        ),
        0..30,
    )
    .prop_map(|mut events| {
        events.insert(0, (0, Event::Started));
        events
    })
}

/// The contact the runs are about.
struct Contact {
    tags: Vec<String>,
    attributes: BTreeMap<String, Value>,
}

impl Contact {
    fn new(vip: bool) -> Contact {
        let attributes = [
            ("appointment_at", json!("2026-03-04T10:00:00Z")),
            ("garbage", json!("soon")),
        ];
        Contact {
            tags: if vip { vec!["VIP".into()] } else { Vec::new() },
            attributes: attributes
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        }
    }

    fn subject(&self) -> Subject<'_> {
        Subject {
            name: Some("Ada"),
            tags: &self.tags,
            attributes: Some(&self.attributes),
            ..Subject::default()
        }
    }
}

/// Feeds `events` to a new run, calling `check` after each call with the run
/// before it, the event's time, and what the call gave.
fn drive(
    workflow: &Workflow,
    contact: &Contact,
    events: &[(i64, Event)],
    mut check: impl FnMut(&Run, DateTime<Utc>, &Run, &[Effect]),
) {
    let mut run = Run::new(workflow, 1, t0());
    let mut now = t0();
    for (gap, event) in events {
        now += TimeDelta::seconds(*gap);
        let (next, effects) = step(
            workflow,
            run.clone(),
            &contact.subject(),
            event.at(now),
            now,
        );
        check(&run, now, &next, &effects);
        run = next;
    }
}

fn stored(run: &Run) -> Run {
    serde_json::from_str(&serde_json::to_string(run).unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_run_sends_after_a_stop(
        workflow in workflow(), vip in any::<bool>(), events in events(), stop in 0usize..32,
    ) {
        let contact = Contact::new(vip);
        let mut run = Run::new(&workflow, 1, t0());
        let mut now = t0();
        for (index, (gap, event)) in events.iter().enumerate() {
            now += TimeDelta::seconds(*gap);
            if index == stop {
                run = run.end(RunStatus::OptedOut, now);
            }
            let (next, effects) = step(&workflow, run, &contact.subject(), event.at(now), now);
            if index >= stop {
                prop_assert!(!effects.iter().any(|e| matches!(e, Effect::Send(_))), "{effects:?}");
                prop_assert!(!next.status.is_live());
            }
            run = next;
        }
    }

    #[test]
    fn a_stored_run_behaves_as_one_never_stored(
        workflow in workflow(), vip in any::<bool>(), events in events(),
    ) {
        let contact = Contact::new(vip);
        let mut kept = Run::new(&workflow, 1, t0());
        let mut read = kept.clone();
        let mut now = t0();
        for (gap, event) in &events {
            now += TimeDelta::seconds(*gap);
            read = stored(&read);
            prop_assert_eq!(&read, &kept);
            let (k, kept_effects) = step(&workflow, kept, &contact.subject(), event.at(now), now);
            let (r, read_effects) = step(&workflow, read, &contact.subject(), event.at(now), now);
            prop_assert_eq!(&k, &r);
            prop_assert_eq!(kept_effects, read_effects);
            (kept, read) = (k, r);
        }
    }

    #[test]
    fn chains_of_zero_delays_never_stall(
        steps in vec(prop_oneof![
            select(&["0s", "0m", "0h", "0d"][..]).prop_map(|d| json!({"delay": d})),
            Just(json!({"send": {"text": "hi"}})),
        ], 0..40),
    ) {
        let sends = steps.iter().filter(|s| s.get("send").is_some()).count();
        let workflow = Workflow::from_json(&json!({"id": "z", "channel": "sms", "steps": steps})).unwrap();
        let contact = Contact::new(false);
        let events: Vec<(i64, Event)> = std::iter::once((0, Event::Started))
            .chain(std::iter::repeat_n((0, Event::Queued), sends))
            .collect();
        let mut all = Vec::new();
        let mut last = None;
        drive(&workflow, &contact, &events, |_, _, next, effects| {
            all.extend_from_slice(effects);
            last = Some(next.status);
        });
        prop_assert_eq!(all.iter().filter(|e| matches!(e, Effect::Send(_))).count(), sends);
        prop_assert!(!all.iter().any(|e| matches!(e, Effect::WakeAt(_))));
        prop_assert_eq!(all.last(), Some(&Effect::End(RunStatus::Completed)));
        prop_assert_eq!(last, Some(RunStatus::Completed));
    }

    #[test]
    fn a_live_run_always_waits_for_something(
        workflow in workflow(), vip in any::<bool>(), events in events(),
    ) {
        let contact = Contact::new(vip);
        drive(&workflow, &contact, &events, |before, now, run, effects| {
            match (&run.waiting, run.status) {
                (Some(Wait::Outcome), RunStatus::Active) => assert_eq!(run.wake_at, None),
                (Some(wait), RunStatus::Waiting) => {
                    assert!(wait.until().is_some());
                    assert_eq!(run.wake_at, wait.until());
                }
                (None, status) => {
                    assert!(!status.is_live(), "{run:?}");
                    assert_eq!(run.wake_at, None);
                }
                _ => panic!("inconsistent: {run:?}"),
            }
            // What a call asks for is consistent with the run after it.
            match effects.last() {
                Some(Effect::End(status)) => assert_eq!(*status, run.status),
                Some(Effect::Send(_)) => assert_eq!(run.waiting, Some(Wait::Outcome)),
                Some(Effect::WakeAt(at)) => assert_eq!(run.wake_at, Some(*at)),
                Some(Effect::Save { .. }) => panic!("a save is always followed by what comes next"),
                None => assert_eq!(run, before, "no effect, no change"),
            }
            if effects.is_empty() {
                return;
            }
            assert_eq!(run.updated_at, now);
            let sends = effects.iter().filter(|e| matches!(e, Effect::Send(_))).count();
            assert!(sends <= 1, "{effects:?}");
        });
    }
}
