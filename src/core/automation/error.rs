//! Why a rule was refused, and where in its JSON.

use crate::core::condition::{ConditionError, ConditionProblem};
use crate::core::template::TemplateError;
use crate::core::webhook_endpoint::UrlError;

/// A rule that cannot be used: where it is wrong, and why.
///
/// `path` leads from the top of the rule's JSON to the bad part, the way the
/// JSON writes it: `trigger`, `conditions.any[1].value`, `actions[2].webhook`,
/// `actions[0]`; it is empty when the rule as a whole is wrong (not an object,
/// or a key no rule has). A part that is absent is named by the path it would
/// have (`actions[1].send.text`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {problem}", place(.path))]
pub struct RuleError {
    /// Where the problem is.
    pub path: String,
    /// What is wrong there.
    pub problem: RuleProblem,
}

/// How the message names the place: the whole rule has no path to quote.
fn place(path: &str) -> String {
    if path.is_empty() {
        "the rule".to_owned()
    } else {
        format!("`{path}`")
    }
}

impl RuleError {
    /// A problem with the object at hand as a whole.
    pub(super) fn here(problem: RuleProblem) -> Self {
        RuleError {
            path: String::new(),
            problem,
        }
    }

    /// A problem with the part under `key` of the object at hand.
    pub(super) fn at(key: &str, problem: RuleProblem) -> Self {
        RuleError::here(problem).within(key)
    }

    /// The same problem, seen from the object that holds the part at `step`
    /// (a key, or `key[index]`).
    pub(super) fn within(self, step: &str) -> Self {
        let path = if self.path.is_empty() {
            step.to_owned()
        } else {
            format!("{step}.{}", self.path)
        };
        RuleError { path, ..self }
    }

    /// A condition's refusal, seen from the rule, whose `conditions` holds it.
    pub(super) fn in_conditions(error: ConditionError) -> Self {
        RuleError {
            path: error.path,
            problem: RuleProblem::Condition(error.problem),
        }
        .within("conditions")
    }
}

/// What is wrong with a part of a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleProblem {
    /// Not a JSON object.
    #[error("must be an object")]
    NotAnObject,
    /// An object key that this part of a rule does not have.
    #[error("has the key {key:?}, which it does not take: expected {expected}")]
    UnexpectedKey {
        /// The key as written.
        key: String,
        /// The keys the part takes.
        expected: &'static str,
    },
    /// An action object without exactly one key: it would say no action, or two.
    #[error("has {count} keys: an action is an object with exactly one, its name")]
    NotOneAction {
        /// How many keys it has.
        count: usize,
    },
    /// A required part is absent (or `null`).
    #[error("is required")]
    Missing,
    /// A part that must be a string is not.
    #[error("must be a string")]
    NotAString,
    /// `actions` is not a list.
    #[error("must be a list of actions")]
    NotAList,
    /// A string that is empty once trimmed where a name or a text is needed.
    #[error("is empty once trimmed")]
    Blank,
    /// An id longer than [`MAX_ID_LEN`](super::MAX_ID_LEN) characters.
    #[error("is {len} characters long; at most {max} are allowed")]
    IdTooLong {
        /// Its length in characters, once trimmed.
        len: usize,
        /// The longest allowed.
        max: usize,
    },
    /// A trigger SPEC §18 does not have.
    #[error(
        "is {name:?}, not a trigger: expected inbound_sms, inbound_whatsapp, opted_out, \
         opted_in, conversation_opened, conversation_resolved, message_failed or call_completed"
    )]
    UnknownTrigger {
        /// The trigger as written.
        name: String,
    },
    /// `actions: []`: a rule that does nothing is a mistake.
    #[error("lists no action: a rule needs at least one")]
    NoActions,
    /// More actions than [`MAX_ACTIONS`](super::MAX_ACTIONS).
    #[error("lists {count} actions; at most {max} are allowed")]
    TooManyActions {
        /// How many it lists.
        count: usize,
        /// The most allowed.
        max: usize,
    },
    /// `resolve` given anything but `true`.
    #[error("must be true")]
    NotTrue,
    /// A handoff target other than `bot`, `ai` or `human`.
    #[error("is {value:?}, not a handoff: expected bot, ai or human")]
    UnknownHandoff {
        /// The target as written.
        value: String,
    },
    /// A send text that is not a valid template.
    #[error("{0}")]
    Text(TemplateError),
    /// A webhook address the policy refuses.
    #[error("{0}")]
    Url(UrlError),
    /// The conditions are not a valid condition.
    #[error("{0}")]
    Condition(ConditionProblem),
}
