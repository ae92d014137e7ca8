use std::collections::{BTreeSet, HashMap, VecDeque};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;

use super::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

fn at(seconds: i64) -> DateTime<Utc> {
    t0() + TimeDelta::seconds(seconds)
}

fn ann() -> AgentId {
    AgentId::new("ann")
}

/// One event of every kind, the inbound one both within and after the window.
fn every_event() -> Vec<Event> {
    vec![
        Event::Inbound {
            within_resumption_window: true,
        },
        Event::Inbound {
            within_resumption_window: false,
        },
        Event::Assign { agent: ann() },
        Event::Unassign,
        Event::Resolve,
        Event::Reopen,
        Event::HandToBot,
        Event::HandToAi,
        Event::HandToHuman,
    ]
}

/// The transition table as the module docs write it: for each (status, index into
/// [`every_event`]) the documented next status. Pairs missing are invalid.
fn documented_table() -> HashMap<(Status, usize), Status> {
    let source = include_str!("../conversation.rs");
    let rows: Vec<Vec<&str>> = source
        .lines()
        .filter_map(|line| line.strip_prefix("//! | `"))
        .map(|row| row.split('|').map(str::trim).collect())
        .collect();
    // The SPEC rows, with "hand to bot / to AI" written as two.
    assert_eq!(rows.len(), 9, "rows found: {rows:?}");
    let events = every_event();
    let mut table = HashMap::new();
    for row in rows {
        let [event, from, to, ..] = row[..] else {
            panic!("malformed row {row:?}")
        };
        let kind = EventKind::ALL
            .into_iter()
            .find(|k| event.trim_end_matches('`') == k.as_str())
            .unwrap_or_else(|| panic!("unknown event {event:?}"));
        let cases: Vec<usize> = (0..events.len())
            .filter(|&i| events[i].kind() == kind)
            .filter(|&i| {
                !from.contains("within the resumption window")
                    || events[i]
                        == Event::Inbound {
                            within_resumption_window: true,
                        }
            })
            .collect();
        let statuses: Vec<Status> = if from == "any other" {
            Status::ALL.to_vec()
        } else {
            let named = backticked(from);
            assert!(!named.is_empty(), "no status in {from:?}");
            named.iter().map(|name| status_named(name)).collect()
        };
        for status in statuses {
            for &case in &cases {
                let next = if to == "unchanged" {
                    status
                } else {
                    status_named(backticked(to).first().unwrap())
                };
                if from == "any other" {
                    table.entry((status, case)).or_insert(next);
                } else {
                    let earlier = table.insert((status, case), next);
                    assert!(
                        earlier.is_none(),
                        "{status} × {:?} listed twice",
                        events[case]
                    );
                }
            }
        }
    }
    table
}

fn backticked(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

fn status_named(name: &str) -> Status {
    Status::ALL
        .into_iter()
        .find(|s| s.as_str() == name)
        .unwrap_or_else(|| panic!("unknown status {name:?}"))
}

#[test]
fn transition_agrees_with_the_table_in_the_module_docs_for_every_status_and_event() {
    let table = documented_table();
    let events = every_event();
    for status in Status::ALL {
        for (case, event) in events.iter().enumerate() {
            let expected = table
                .get(&(status, case))
                .copied()
                .ok_or(InvalidTransition {
                    from: status,
                    event: event.kind(),
                });
            assert_eq!(transition(status, event), expected, "{status} × {event:?}");
        }
    }
}

#[test]
fn the_documented_table_spells_out_the_spec_rows() {
    let table = documented_table();
    let inbound_within = 0;
    let inbound_after = 1;
    assert_eq!(
        table.get(&(Status::Resolved, inbound_within)),
        Some(&Status::Open)
    );
    assert_eq!(
        table.get(&(Status::Resolved, inbound_after)),
        Some(&Status::Resolved)
    );
    // 5 statuses × 2 inbound cases, 4 assign, 1 unassign, 4 × 2 hand to bot/AI,
    // 2 hand to human, 4 resolve, 1 reopen.
    assert_eq!(table.len(), 10 + 4 + 1 + 8 + 2 + 4 + 1);
}

#[test]
fn an_inbound_message_is_never_refused() {
    for status in Status::ALL {
        for within_resumption_window in [true, false] {
            let event = Event::Inbound {
                within_resumption_window,
            };
            assert!(transition(status, &event).is_ok());
        }
    }
}

#[test]
fn a_refusal_names_the_status_and_the_event() {
    let error = transition(Status::Open, &Event::Unassign).unwrap_err();
    assert_eq!(
        error,
        InvalidTransition {
            from: Status::Open,
            event: EventKind::Unassign
        }
    );
    assert_eq!(
        error.to_string(),
        "cannot unassign a conversation that is OPEN"
    );
    let error = transition(Status::Assigned, &Event::HandToHuman).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot hand to a human a conversation that is ASSIGNED"
    );
}

#[test]
fn every_status_is_reachable_from_a_new_conversation_so_every_table_row_can_fire() {
    let mut seen = BTreeSet::from([Status::Open]);
    let mut queue = VecDeque::from([Status::Open]);
    while let Some(status) = queue.pop_front() {
        for event in every_event() {
            if let Ok(next) = transition(status, &event)
                && seen.insert(next)
            {
                queue.push_back(next);
            }
        }
    }
    assert_eq!(seen, Status::ALL.into_iter().collect());
    let froms: BTreeSet<Status> = documented_table().keys().map(|(s, _)| *s).collect();
    assert!(froms.is_subset(&seen));
}

#[test]
fn statuses_and_event_kinds_serialize_as_their_wire_names() {
    for status in Status::ALL {
        assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        assert_eq!(status.to_string(), status.as_str());
    }
    assert_eq!(serde_json::to_value(Status::AiActive).unwrap(), "AI_ACTIVE");
    for kind in EventKind::ALL {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
    for event in every_event() {
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["event"], event.kind().as_str());
        assert_eq!(serde_json::from_value::<Event>(json).unwrap(), event);
    }
    assert_eq!(
        serde_json::to_string(&Event::Assign { agent: ann() }).unwrap(),
        r#"{"event":"assign","agent":"ann"}"#
    );
}

#[test]
fn assigning_records_the_agent_and_every_other_status_lets_them_go() {
    let assigned = Conversation::start(at(0))
        .apply(&Event::Assign { agent: ann() }, at(1))
        .unwrap();
    assert_eq!(assigned.status(), Status::Assigned);
    assert_eq!(assigned.assignee(), Some(&ann()));

    let bob = AgentId::new("bob");
    let reassigned = assigned
        .apply(&Event::Assign { agent: bob.clone() }, at(2))
        .unwrap();
    assert_eq!(reassigned.assignee(), Some(&bob));

    let still = reassigned.receive(true, at(3));
    assert_eq!(
        (still.status(), still.assignee()),
        (Status::Assigned, Some(&bob))
    );

    for event in [
        Event::Unassign,
        Event::Resolve,
        Event::HandToBot,
        Event::HandToAi,
    ] {
        let next = reassigned.apply(&event, at(4)).unwrap();
        assert_eq!(next.assignee(), None, "{event:?}");
    }
}

#[test]
fn a_refused_event_leaves_the_conversation_untouched() {
    let open = Conversation::start(at(0));
    assert_eq!(
        open.apply(&Event::Reopen, at(5)),
        Err(InvalidTransition {
            from: Status::Open,
            event: EventKind::Reopen
        })
    );
    assert_eq!(open.last_activity_at(), at(0));
}

#[test]
fn last_activity_never_moves_backwards() {
    let conversation = Conversation::start(at(100));
    assert_eq!(conversation.touch(at(50)).last_activity_at(), at(100));
    assert_eq!(conversation.touch(at(150)).last_activity_at(), at(150));
    let resolved = conversation.apply(&Event::Resolve, at(10)).unwrap();
    assert_eq!(resolved.last_activity_at(), at(100));
}

#[test]
fn restoring_refuses_an_assignee_that_does_not_fit_the_status() {
    assert!(Conversation::restore(Status::Assigned, Some(ann()), at(0)).is_ok());
    assert!(Conversation::restore(Status::Open, None, at(0)).is_ok());
    let stray = Conversation::restore(Status::Resolved, Some(ann()), at(0)).unwrap_err();
    assert_eq!(
        stray.to_string(),
        "a conversation that is RESOLVED cannot be assigned to \"ann\": only an ASSIGNED one has an assignee"
    );
    let missing = Conversation::restore(Status::Assigned, None, at(0)).unwrap_err();
    assert_eq!(
        missing.to_string(),
        "a conversation that is ASSIGNED must name its assignee"
    );
}

#[test]
fn a_conversation_round_trips_through_json_and_bad_records_are_refused() {
    let assigned = Conversation::start(at(0))
        .apply(&Event::Assign { agent: ann() }, at(1))
        .unwrap();
    let json = serde_json::to_value(&assigned).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "status": "ASSIGNED",
            "assignee": "ann",
            "last_activity_at": "2026-03-01T09:00:01Z",
        })
    );
    assert_eq!(
        serde_json::from_value::<Conversation>(json).unwrap(),
        assigned
    );
    let open = serde_json::json!({"status": "OPEN", "last_activity_at": "2026-03-01T09:00:00Z"});
    assert_eq!(
        serde_json::from_value::<Conversation>(open).unwrap(),
        Conversation::start(at(0))
    );
    let bad = serde_json::json!({"status": "ASSIGNED", "last_activity_at": "2026-03-01T09:00:00Z"});
    let error = serde_json::from_value::<Conversation>(bad).unwrap_err();
    assert!(
        error.to_string().contains("must name its assignee"),
        "{error}"
    );
}

#[test]
fn the_first_message_from_a_contact_starts_an_open_conversation() {
    let decision = on_inbound(None, at(0), &ResumptionPolicy::default());
    assert_eq!(
        decision,
        InboundDecision::StartNew(Conversation::start(at(0)))
    );
}

#[test]
fn a_resolved_conversation_resumes_until_exactly_thirty_days_after_its_last_activity() {
    let policy = ResumptionPolicy::default();
    let resolved = Conversation::start(at(0))
        .apply(&Event::Resolve, at(0))
        .unwrap();
    let deadline = t0() + TimeDelta::days(30);

    let just_in_time = on_inbound(
        Some(&resolved),
        deadline - TimeDelta::nanoseconds(1),
        &policy,
    );
    assert_eq!(
        just_in_time,
        InboundDecision::Resume(
            Conversation::restore(Status::Open, None, deadline - TimeDelta::nanoseconds(1))
                .unwrap()
        )
    );
    assert_eq!(
        on_inbound(Some(&resolved), deadline, &policy),
        InboundDecision::StartNew(Conversation::start(deadline))
    );
}

#[test]
fn an_unresolved_conversation_continues_however_old_it_is() {
    let policy = ResumptionPolicy::default();
    let long_after = at(0) + TimeDelta::days(400);
    for event in [
        Event::HandToBot,
        Event::HandToAi,
        Event::Assign { agent: ann() },
    ] {
        let conversation = Conversation::start(at(0)).apply(&event, at(0)).unwrap();
        let decision = on_inbound(Some(&conversation), long_after, &policy);
        assert_eq!(
            decision,
            InboundDecision::Continue(conversation.touch(long_after))
        );
    }
}

#[test]
fn the_resumption_window_is_configurable_and_a_zero_window_never_resumes() {
    let resolved = Conversation::start(at(0))
        .apply(&Event::Resolve, at(0))
        .unwrap();
    let week = ResumptionPolicy {
        window: TimeDelta::days(7),
    };
    let eight_days = at(0) + TimeDelta::days(8);
    assert!(matches!(
        on_inbound(Some(&resolved), eight_days, &week),
        InboundDecision::StartNew(_)
    ));
    for window in [TimeDelta::zero(), TimeDelta::days(-1)] {
        let never = ResumptionPolicy { window };
        assert!(matches!(
            on_inbound(Some(&resolved), at(0), &never),
            InboundDecision::StartNew(_)
        ));
    }
}

#[test]
fn a_late_webhook_older_than_the_last_activity_still_resumes() {
    let resolved = Conversation::start(at(100))
        .apply(&Event::Resolve, at(100))
        .unwrap();
    let decision = on_inbound(Some(&resolved), at(40), &ResumptionPolicy::default());
    assert_eq!(
        decision.into_conversation(),
        Conversation::restore(Status::Open, None, at(100)).unwrap()
    );
}

#[test]
fn the_policy_serializes_its_window_in_whole_seconds() {
    let policy = ResumptionPolicy::default();
    let json = serde_json::to_string(&policy).unwrap();
    assert_eq!(json, r#"{"window_seconds":2592000}"#);
    assert_eq!(
        serde_json::from_str::<ResumptionPolicy>(&json).unwrap(),
        policy
    );
    let huge =
        serde_json::from_str::<ResumptionPolicy>(r#"{"window_seconds":-9223372036854775808}"#);
    assert!(huge.unwrap_err().to_string().contains("out of range"));
}

fn any_status() -> impl Strategy<Value = Status> {
    proptest::sample::select(Status::ALL.to_vec())
}

fn any_event() -> impl Strategy<Value = Event> {
    prop_oneof![
        any::<bool>().prop_map(|within_resumption_window| Event::Inbound {
            within_resumption_window
        }),
        "[a-c]".prop_map(|agent| Event::Assign {
            agent: AgentId::new(agent)
        }),
        Just(Event::Unassign),
        Just(Event::Resolve),
        Just(Event::Reopen),
        Just(Event::HandToBot),
        Just(Event::HandToAi),
        Just(Event::HandToHuman),
    ]
}

/// The index of `event`'s case in [`every_event`] (agents do not matter).
fn case_of(event: &Event) -> usize {
    every_event()
        .iter()
        .position(|e| match (e, event) {
            (Event::Assign { .. }, Event::Assign { .. }) => true,
            _ => e == event,
        })
        .unwrap()
}

fn any_conversation() -> impl Strategy<Value = Conversation> {
    (any_status(), "[a-c]", -1_000_000_000i64..1_000_000_000).prop_map(
        |(status, agent, seconds)| {
            let assignee = (status == Status::Assigned).then(|| AgentId::new(agent));
            Conversation::restore(status, assignee, at(seconds)).unwrap()
        },
    )
}

proptest! {
    #[test]
    fn every_step_of_any_event_sequence_is_a_row_of_the_documented_table(
        start in any_status(),
        events in proptest::collection::vec(any_event(), 0..40),
    ) {
        let table = documented_table();
        let mut status = start;
        for event in &events {
            let documented = table.get(&(status, case_of(event))).copied();
            match transition(status, event) {
                Ok(next) => {
                    prop_assert_eq!(Some(next), documented);
                    status = next;
                }
                Err(error) => {
                    prop_assert_eq!(documented, None);
                    prop_assert_eq!((error.from, error.event), (status, event.kind()));
                }
            }
        }
    }

    #[test]
    fn applying_events_follows_transition_and_keeps_an_assignee_exactly_while_assigned(
        events in proptest::collection::vec((any_event(), 0i64..1_000), 0..40),
    ) {
        let mut conversation = Conversation::start(at(0));
        let mut latest = at(0);
        for (event, seconds) in &events {
            let expected = transition(conversation.status(), event);
            match conversation.apply(event, at(*seconds)) {
                Ok(next) => {
                    latest = latest.max(at(*seconds));
                    prop_assert_eq!(Ok(next.status()), expected);
                    prop_assert_eq!(next.last_activity_at(), latest);
                    if let Event::Assign { agent } = event {
                        prop_assert_eq!(next.assignee(), Some(agent));
                    }
                    conversation = next;
                }
                Err(error) => prop_assert_eq!(Err(error), expected),
            }
            prop_assert_eq!(
                conversation.assignee().is_some(),
                conversation.status() == Status::Assigned
            );
        }
    }

    #[test]
    fn on_inbound_moves_the_status_exactly_as_an_inbound_transition_does(
        latest in any_conversation(),
        seconds in -1_000_000_000i64..5_000_000_000,
        window_days in -2i64..60,
    ) {
        let policy = ResumptionPolicy { window: TimeDelta::days(window_days) };
        let now = at(seconds);
        let within = policy.is_within(latest.last_activity_at(), now);
        let decision = on_inbound(Some(&latest), now, &policy);
        let inbound = Event::Inbound { within_resumption_window: within };
        let expected = transition(latest.status(), &inbound).unwrap();
        match &decision {
            InboundDecision::StartNew(new) => {
                prop_assert_eq!(latest.status(), Status::Resolved);
                prop_assert_eq!(expected, Status::Resolved);
                prop_assert_eq!(new, &Conversation::start(now));
            }
            InboundDecision::Resume(resumed) => {
                prop_assert_eq!(latest.status(), Status::Resolved);
                prop_assert_eq!(resumed, &latest.apply(&inbound, now).unwrap());
            }
            InboundDecision::Continue(continued) => {
                prop_assert_ne!(latest.status(), Status::Resolved);
                prop_assert_eq!(continued, &latest.apply(&inbound, now).unwrap());
            }
        }
        prop_assert_eq!(decision.conversation().last_activity_at() >= now, true);
    }
}
