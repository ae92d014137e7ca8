//! Workflows (SPEC §13, §18): a list of steps a contact runs through, one run
//! per (workflow, contact), persisted between events.
//!
//! A definition is `{"id": ID, "channel": "sms"|"whatsapp", "steps": [STEP..]}`.
//! [`Workflow::from_json`] checks it once and refuses it with a
//! [`WorkflowError`] naming the exact place (`steps[2].then[0].delay`,
//! `steps[1].when.all[0].op`). Steps, any of which may carry `"when":
//! CONDITION` (skipped when false):
//!
//! | step | what the run does |
//! |---|---|
//! | `{"send": {"text": T}}`, `{"send": {"template": {..}}}` | asks the engine to send, waits for the outcome |
//! | `{"delay": "90m"}` (`s` `m` `h` `d`; `0s` goes on at once) | waits that long |
//! | `{"wait_until": {"at": RFC3339}}` | waits for the moment (a past one goes on at once) |
//! | `{"wait_until": {"field": "attributes.X", "offset": "-24h"}}` | the same, the moment read from the contact |
//! | `{"filter": CONDITION}` | ends the run `filtered` when false |
//! | `{"if": CONDITION, "then": [..], "else": [..]}` | takes one list, then goes on after the `if` |
//! | `{"wait_reply": {"save_as": NAME, "timeout": "24h"}}` | saves the next reply, or goes on at the timeout |
//!
//! Conditions are the shared [condition language](crate::core::condition),
//! and may read the replies any `wait_reply` of the workflow saves, by name.
//! Limits: [`MAX_STEPS`] steps, nesting counted; `if`s [`MAX_IF_DEPTH`] deep;
//! waits and offsets of at most [`MAX_DAYS`] days.
//!
//! # Running
//!
//! A [`Run`] is one contact's place in a workflow; the engine stores it as
//! JSON. [`step`] is a pure function `(run, event, now) -> (run, effects)`:
//! no clock, no I/O. The engine performs the [`Effect`]s (sends, wake-ups,
//! saved attributes) and feeds back what happened as [`RunEvent`]s. An event
//! the run does not wait for changes nothing, so duplicated deliveries are
//! harmless. A STOP ends a run from outside with [`Run::end`].
//!
//! - A `send` emits [`Effect::Send`] and waits, `active`, for its
//!   [`SendResult`]: queued goes on, refused fails the run with the gate's
//!   kind, held waits until the hold ends and then asks for the same send again.
//! - A reply counts only strictly before its timeout; at or after it, the
//!   reply is ignored and the timeout's wake-up moves the run on without it.
//! - Conditions read the contact, the run's saved replies over any the subject
//!   brings, and the run's channel when the subject names none.
//! - A run whose place is not in the workflow given (stored under another
//!   definition) fails with [`NO_SUCH_STEP`] rather than guessing.
//!
//! ```
//! use chrono::{DateTime, TimeDelta, Utc};
//! use msgcore::core::condition::Subject;
//! use msgcore::core::workflow::{self, Effect, Run, RunEvent, RunStatus, SendResult, Workflow};
//! use serde_json::json;
//!
//! let confirm = Workflow::from_json(&json!({
//!     "id": "confirm", "channel": "sms",
//!     "steps": [
//!         {"send": {"text": "Hi {first_name}, reply YES to confirm Tuesday 10:00."}},
//!         {"wait_reply": {"save_as": "confirmation", "timeout": "24h"}},
//!         {"if": {"field": "confirmation", "op": "equals", "value": "yes"},
//!          "then": [{"send": {"text": "See you Tuesday!"}}],
//!          "else": [{"send": {"text": "Call us to find another time."}}]}
//!     ]
//! }))?;
//! let now: DateTime<Utc> = "2026-03-02T09:00:00Z".parse()?;
//! let mut ada = Subject::default();
//! ada.name = Some("Ada Lovelace");
//!
//! let run = Run::new(&confirm, 1, now);
//! let (run, effects) = workflow::step(&confirm, run, &ada, RunEvent::Started, now);
//! assert!(matches!(effects.as_slice(), [Effect::Send(_)]));
//!
//! let queued = RunEvent::SendOutcome(SendResult::Queued);
//! let (run, effects) = workflow::step(&confirm, run, &ada, queued, now);
//! assert_eq!(effects, [Effect::WakeAt(now + TimeDelta::hours(24))]);
//! assert_eq!(run.status, RunStatus::Waiting);
//!
//! let later = now + TimeDelta::hours(1);
//! let reply = RunEvent::Reply { text: " Yes " };
//! let (run, effects) = workflow::step(&confirm, run, &ada, reply, later);
//! assert_eq!(effects[0], Effect::Save { name: "confirmation".into(), value: "Yes".into() });
//! assert_eq!(run.at.to_string(), "steps[2].then[0]", "the reply chose the branch");
//!
//! // A STOP: the run is over, and nothing it is sent later does anything.
//! let run = run.end(RunStatus::OptedOut, later);
//! let (_, effects) = workflow::step(&confirm, run, &ada, RunEvent::SendOutcome(SendResult::Queued), later);
//! assert!(effects.is_empty());
//!
//! let error = Workflow::from_json(&json!({
//!     "id": "remind", "channel": "sms",
//!     "steps": [{"if": {"field": "tags", "op": "contains", "value": "vip"},
//!                "then": [{"delay": "1 week"}]}]
//! })).unwrap_err();
//! assert_eq!(error.path, "steps[0].then[0].delay");
//! assert_eq!(error.to_string(),
//!     "`steps[0].then[0].delay` is not a duration like 90m (a whole number, then s, m, h or d)");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cursor;
mod definition;
mod error;
mod event;
mod execute;
mod read;
mod run;
mod span;
mod status;
mod step;

pub use cursor::{Branch, Cursor, CursorError};
pub use definition::{MAX_ID_LEN, MAX_IF_DEPTH, MAX_NAME_LEN, MAX_STEPS, Workflow};
pub use error::{WorkflowError, WorkflowProblem};
pub use event::{Effect, RunEvent, SendResult};
pub use execute::{MISSING_FIELD, NO_SUCH_STEP, step};
pub use run::{Run, Wait};
pub use span::MAX_DAYS;
pub use status::RunStatus;
pub use step::{Moment, Step, StepKind, StepSend};

#[cfg(test)]
mod laws;

#[cfg(test)]
mod tests;
