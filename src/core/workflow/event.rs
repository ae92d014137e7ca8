//! What happens to a run, and what it asks the engine to do.

use chrono::{DateTime, Utc};

use super::status::RunStatus;
use super::step::StepSend;

/// Something that happened to a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEvent<'a> {
    /// The run was just made: take its first steps.
    Started,
    /// The contact sent a message on the run's channel.
    Reply {
        /// The message.
        text: &'a str,
    },
    /// The scheduler woke the run (at or after its `wake_at`, or stale).
    TimerFired,
    /// The gates' answer to the send the run asked for.
    SendOutcome(SendResult),
}

/// What became of a send the run asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendResult {
    /// Queued for delivery: the run goes on.
    Queued,
    /// Held back (quiet hours) until a moment: the run asks again then.
    Held {
        /// When to ask again.
        until: DateTime<Utc>,
    },
    /// Refused by a gate: the run fails with the gate's error kind.
    Refused {
        /// `opted_out`, `outside_window`, `rate_limited`, `missing_variable`, … .
        kind: String,
    },
}

/// What a run asks the engine to do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Render this for the contact and send it on the run's channel, then
    /// report the outcome.
    Send(StepSend),
    /// Wake the run at this moment with [`RunEvent::TimerFired`].
    WakeAt(DateTime<Utc>),
    /// Store the contact's reply as their attribute `name`.
    Save {
        /// The attribute's name.
        name: String,
        /// The reply, trimmed.
        value: String,
    },
    /// The run is over, with this status.
    End(RunStatus),
}
