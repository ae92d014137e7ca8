//! Why a condition was refused, and where in its JSON.

/// A condition that cannot be used: where it is wrong, and why.
///
/// `path` leads from the top of the condition's JSON to the bad part, the way
/// the JSON writes it: `any[1].all[0].value`, `op`, `all[2]`, `value[3]`; it is
/// empty when the condition as a whole is wrong (not an object at all).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} {problem}", place(.path))]
pub struct ConditionError {
    /// Where the problem is.
    pub path: String,
    /// What is wrong there.
    pub problem: ConditionProblem,
}

/// How the message names the place: the whole condition has no path to quote.
fn place(path: &str) -> String {
    if path.is_empty() {
        "the condition".to_owned()
    } else {
        format!("`{path}`")
    }
}

impl ConditionError {
    /// A problem with the part under `key` of the object at hand.
    pub(super) fn new(key: &str, problem: ConditionProblem) -> Self {
        ConditionError {
            path: key.to_owned(),
            problem,
        }
    }

    /// A problem with the object at hand as a whole.
    pub(super) fn here(problem: ConditionProblem) -> Self {
        ConditionError::new("", problem)
    }

    /// The same problem, seen from the object whose list `key` holds it at `index`.
    pub(super) fn at(self, key: &str, index: usize) -> Self {
        let path = if self.path.is_empty() {
            format!("{key}[{index}]")
        } else {
            format!("{key}[{index}].{}", self.path)
        };
        ConditionError { path, ..self }
    }
}

/// What is wrong with a part of a condition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConditionProblem {
    /// Not a JSON object.
    #[error(
        "must be an object: {{\"field\": F, \"op\": OP, \"value\": V}}, {{\"all\": [..]}} or \
         {{\"any\": [..]}}"
    )]
    NotAnObject,
    /// An object key that no form of condition has.
    #[error(
        "has the key {key:?}, which a condition does not take: a test has field, op and value; \
         a group has only all or only any"
    )]
    UnexpectedKey {
        /// The key.
        key: String,
    },
    /// A required part is absent (or `null`).
    #[error("is required")]
    Missing,
    /// `all` or `any` is not a list.
    #[error("must be a list of conditions")]
    NotAList,
    /// Groups nested deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
    #[error("is a group nested more than {max} groups deep")]
    TooDeep {
        /// The deepest nesting accepted.
        max: usize,
    },
    /// `field` or `op` is not a string.
    #[error("must be a string")]
    NotAString,
    /// A field name that is neither built in nor a saved reply the caller allows.
    #[error(
        "is {name:?}, which is not a field: expected name, first_name, phone, email, company, \
         channel, tags, text, attributes.NAME or the name of a saved reply"
    )]
    UnknownField {
        /// The name as written.
        name: String,
    },
    /// `attributes.` with nothing (or only white space) after it.
    #[error("names no attribute: write attributes.NAME")]
    EmptyAttributeName,
    /// An operator SPEC §18 does not have.
    #[error(
        "is {op:?}, not one of equals, not_equals, contains, starts_with, in, is_present, is_absent"
    )]
    UnknownOp {
        /// The operator as written.
        op: String,
    },
    /// A value given to an operator that takes none.
    #[error("must not be given: {op} takes no value")]
    ValueNotAllowed {
        /// The operator.
        op: &'static str,
    },
    /// `in` given something other than a list.
    #[error("must be a list for in")]
    InNeedsList,
    /// A value that is not a string where the field holds text.
    #[error("must be a string: the field holds text")]
    NotText,
    /// A value that is not a string, number or boolean where the field is an attribute.
    #[error("must be a string, a number or a boolean")]
    NotAScalar,
    /// A value that is empty once trimmed, which no present field could be
    /// compared with usefully.
    #[error("is empty once trimmed")]
    Blank,
    /// A value for `channel` that names no channel.
    #[error("is {value:?}, not a channel: expected sms or whatsapp")]
    UnknownChannel {
        /// The value as written.
        value: String,
    },
}
