//! Why content is invalid, and which field says so.

use crate::core::channel::Channel;
use crate::core::template::WhatsAppError;

/// Content that cannot be sent: which field is wrong, and why.
///
/// `field` is a path into the content's JSON as an API client wrote it:
/// `text`, `latitude`, `interactive.buttons[2].title`, `components[0].parameters`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("`{field}` {problem}")]
pub struct ContentError {
    /// Where the problem is.
    pub field: String,
    /// What is wrong there.
    pub problem: ContentProblem,
}

impl ContentError {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, problem: ContentProblem) -> Self {
        ContentError {
            field: field.into(),
            problem,
        }
    }

    /// The same problem, seen from the object holding `parent`.
    pub(crate) fn within(self, parent: &str) -> Self {
        ContentError {
            field: format!("{parent}.{}", self.field),
            ..self
        }
    }

    /// The same problem, seen from the list `parent` whose item `index` holds it.
    pub(crate) fn at(self, parent: &str, index: usize) -> Self {
        ContentError {
            field: format!("{parent}[{index}].{}", self.field),
            ..self
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ContentProblem {
    /// It is required but absent, empty or only white space.
    #[error("is required")]
    Missing,
    /// It is longer than the provider accepts.
    #[error("is {length} characters long; the limit is {max}")]
    TooLong {
        /// Its length, in Unicode scalar values.
        length: usize,
        /// The longest accepted.
        max: usize,
    },
    /// A number outside its range (or not a number at all).
    #[error("is {value}, outside {min}..={max}")]
    OutOfRange {
        /// The value given.
        value: f64,
        /// The smallest accepted.
        min: f64,
        /// The largest accepted.
        max: f64,
    },
    /// A list with fewer items than required.
    #[error("has {count} item(s); at least {min} required")]
    TooFew {
        /// Items given.
        count: usize,
        /// The fewest accepted.
        min: usize,
    },
    /// A list with more items than accepted.
    #[error("has {count} item(s); at most {max} accepted")]
    TooMany {
        /// Items given.
        count: usize,
        /// The most accepted.
        max: usize,
    },
    /// A value that must be unique within the message appears twice.
    #[error("repeats {value:?}, which must be unique within the message")]
    Duplicate {
        /// The repeated value.
        value: String,
    },
    /// Two fields that exclude each other were both given.
    #[error("cannot be given together with `{other}`")]
    Conflicts {
        /// The other field.
        other: &'static str,
    },
    /// A field this kind of content does not take.
    #[error("is not allowed here: {reason}")]
    NotAllowed {
        /// Why.
        reason: &'static str,
    },
    /// Not written the way the provider requires.
    #[error("must be {expected}")]
    Malformed {
        /// What is expected.
        expected: &'static str,
    },
    /// A reaction that is not exactly one emoji.
    #[error("must be exactly one emoji (or empty, to remove a reaction)")]
    NotOneEmoji,
    /// This kind of content cannot travel on the channel.
    #[error("cannot be sent on {channel}")]
    NotOnChannel {
        /// The channel.
        channel: Channel,
    },
    /// A template's parameters do not fit its body.
    #[error("do not fit the template: {0}")]
    TemplateParameters(WhatsAppError),
}
