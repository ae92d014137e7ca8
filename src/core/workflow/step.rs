//! The steps of a checked workflow (SPEC §18).

use chrono::{DateTime, TimeDelta, Utc};

use crate::core::campaign::TemplateRef;
use crate::core::condition::Condition;
use crate::core::template::Template;

/// One step: what it does, and the condition under which it is taken.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// When present and false for the contact, the step is skipped.
    pub when: Option<Condition>,
    /// What the step does.
    pub kind: StepKind,
}

/// What a step does.
#[derive(Debug, Clone, PartialEq)]
pub enum StepKind {
    /// Send a message and wait to hear whether it was queued.
    Send(StepSend),
    /// Wait this long (zero goes on at once).
    Delay(TimeDelta),
    /// Wait until a moment.
    WaitUntil(Moment),
    /// Go on only if the condition holds; otherwise the run ends `filtered`.
    Filter(Condition),
    /// Take one of two lists of steps, then go on after the `if`.
    If {
        /// Which list.
        condition: Condition,
        /// The steps taken when it holds.
        then: Vec<Step>,
        /// The steps taken when it does not (often none).
        otherwise: Vec<Step>,
    },
    /// Wait for the contact's next message, for at most `timeout`.
    WaitReply {
        /// The name the reply is saved under, on the run and as a contact attribute.
        save_as: String,
        /// How long to wait before going on without one.
        timeout: TimeDelta,
    },
}

/// What a `send` step asks the engine to send; the engine renders it for the
/// contact and puts it through the gates.
#[derive(Debug, Clone, PartialEq)]
pub enum StepSend {
    /// A text with variables (`{name}`, `{{contact.name}}`), as campaigns use.
    Text(Template),
    /// An approved WhatsApp template.
    Template(TemplateRef),
}

/// The moment a `wait_until` step waits for.
#[derive(Debug, Clone, PartialEq)]
pub enum Moment {
    /// A fixed moment.
    At(DateTime<Utc>),
    /// A moment read from a contact attribute (an RFC 3339 string), shifted.
    Attribute {
        /// The attribute's name, without `attributes.`.
        name: String,
        /// Added to the attribute's moment (`-24h`: a day before).
        offset: TimeDelta,
    },
}

/// The step kinds' wire names, in the order SPEC §18 lists them.
pub(super) const KINDS: [&str; 6] = ["send", "delay", "wait_until", "filter", "if", "wait_reply"];
