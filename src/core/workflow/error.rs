//! Why a workflow definition was refused, and where in its JSON.

use crate::core::condition::{ConditionError, ConditionProblem};
use crate::core::message::ContentProblem;
use crate::core::template::TemplateError;

/// A workflow definition that cannot be used: where it is wrong, and why.
///
/// `path` leads from the top of the definition's JSON to the bad part, the way
/// the JSON writes it: `steps[2].then[0].delay`, `steps[1].when.all[0].op`,
/// `id`; it is empty when the definition as a whole is wrong (not an object).
/// A condition's own path continues it, so every refusal reads the same way.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{} {problem}", place(.path))]
pub struct WorkflowError {
    /// Where the problem is.
    pub path: String,
    /// What is wrong there.
    pub problem: WorkflowProblem,
}

/// How the message names the place: the whole definition has no path to quote.
fn place(path: &str) -> String {
    if path.is_empty() {
        "the workflow".to_owned()
    } else {
        format!("`{path}`")
    }
}

impl WorkflowError {
    /// A problem at `path`.
    pub(super) fn new(path: impl Into<String>, problem: WorkflowProblem) -> Self {
        WorkflowError {
            path: path.into(),
            problem,
        }
    }

    /// A condition's refusal, seen from the definition: the condition sits at
    /// `path`, and its own path goes on from there.
    pub(super) fn condition(path: &str, error: ConditionError) -> Self {
        let path = if error.path.is_empty() {
            path.to_owned()
        } else {
            format!("{path}.{}", error.path)
        };
        WorkflowError::new(path, WorkflowProblem::Condition(error.problem))
    }
}

/// What is wrong with a part of a workflow definition.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkflowProblem {
    /// Not a JSON object.
    #[error("must be an object")]
    NotAnObject,
    /// A key this part does not take; the path ends with the key.
    #[error("is not a key this part takes: expected {expected}")]
    UnexpectedKey {
        /// The key, as written.
        key: String,
        /// The keys it takes.
        expected: &'static str,
    },
    /// A required part is absent (or `null`).
    #[error("is required")]
    Missing,
    /// Not a string.
    #[error("must be a string")]
    NotAString,
    /// Not a list.
    #[error("must be a list")]
    NotAList,
    /// Text that is empty once trimmed.
    #[error("is empty once trimmed")]
    Blank,
    /// The id is longer than the stores keep.
    #[error("is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// Its length in characters.
        len: usize,
        /// The longest accepted.
        max: usize,
    },
    /// A channel name that is not one.
    #[error("is {value:?}, not a channel: expected sms or whatsapp")]
    UnknownChannel {
        /// The value as written.
        value: String,
    },
    /// A step with none of the step kinds.
    #[error("names no step: expected one of send, delay, wait_until, filter, if, wait_reply")]
    NoKind,
    /// A step with two step kinds.
    #[error("is two steps at once, {first} and {second}: write them as two steps")]
    TwoKinds {
        /// The first kind found.
        first: &'static str,
        /// The second.
        second: &'static str,
    },
    /// A part that takes exactly one of two keys has neither or both.
    #[error("must hold exactly one of {first} and {second}")]
    OneOf {
        /// One key.
        first: &'static str,
        /// The other.
        second: &'static str,
    },
    /// Not a whole non-negative number followed by `s`, `m`, `h` or `d`.
    #[error("is not a duration like 90m (a whole number, then s, m, h or d)")]
    NotADuration,
    /// Not an optional sign, a whole number and `s`, `m`, `h` or `d`.
    #[error("is not an offset like -24h (a sign, a whole number, then s, m, h or d)")]
    NotAnOffset,
    /// A duration or offset beyond a year.
    #[error("is longer than {max_days} days")]
    TooLongAWait {
        /// The longest accepted, in days.
        max_days: i64,
    },
    /// Not an RFC 3339 moment.
    #[error("is not an RFC 3339 moment like 2026-03-02T09:00:00Z")]
    NotAMoment,
    /// `wait_until.field` that is not a contact attribute.
    #[error("must name a contact attribute: attributes.NAME")]
    NotAnAttribute,
    /// A `save_as` name that cannot be an attribute name.
    #[error("must be 1 to {max} letters, digits or `_`")]
    BadName {
        /// The longest accepted, in characters.
        max: usize,
    },
    /// A `save_as` name a condition would read as a built-in field instead.
    #[error("is {name:?}, a built-in condition field: a reply saved under it could not be read")]
    BuiltInName {
        /// The name.
        name: String,
    },
    /// More steps than a workflow may have, nesting counted.
    #[error("is one step more than the {max} a workflow may have, nesting counted")]
    TooManySteps {
        /// The most accepted.
        max: usize,
    },
    /// An `if` inside more `if`s than allowed.
    #[error("is an `if` nested more than {max} deep")]
    TooDeep {
        /// The deepest nesting accepted.
        max: usize,
    },
    /// A condition that cannot be used (its path continues the workflow's).
    #[error("{0}")]
    Condition(ConditionProblem),
    /// A send's text that is not a valid template.
    #[error("is not a valid text: {0}")]
    Text(TemplateError),
    /// A WhatsApp template on an SMS workflow.
    #[error("is an approved WhatsApp template; an SMS workflow sends text")]
    TemplateOnSms,
    /// The template's components are not a valid template message.
    #[error("{0}")]
    TemplateContent(ContentProblem),
}
