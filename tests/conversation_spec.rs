//! `transition` agrees with SPEC §4's table, as `scripts/spec_transitions.py`
//! transcribes it from the SPEC text into `tests/fixtures/conversation_transitions.json`:
//! every status against every event, the inbound one within and after the
//! resumption window.

use std::path::Path;

use msgcore::core::conversation::{Event, Status, transition};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct Case {
    from: Status,
    event: String,
    within_resumption_window: Option<bool>,
    to: Option<Status>,
}

impl Case {
    /// The event, built through its serde form: the wire names are what the
    /// fixture names.
    fn event(&self) -> Event {
        let mut event = json!({ "event": self.event });
        if let Some(within) = self.within_resumption_window {
            event["within_resumption_window"] = json!(within);
        }
        if self.event == "assign" {
            event["agent"] = json!("ann");
        }
        serde_json::from_value(event).unwrap()
    }
}

#[test]
fn every_status_and_event_moves_exactly_as_the_spec_table_says() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conversation_transitions.json");
    let cases: Vec<Case> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(cases.len(), 5 * 9, "five statuses × nine events");
    for case in &cases {
        let event = case.event();
        let actual = transition(case.from, &event).map_err(|e| (e.from, e.event));
        let expected = case.to.ok_or((case.from, event.kind()));
        assert_eq!(actual, expected, "{} × {event:?}", case.from);
    }
}
