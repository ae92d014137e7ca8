//! Reading the parts of a rule's JSON that every part shares: objects with
//! known keys, required parts, strings and names. Each refusal names the part
//! relative to the object at hand; callers add where that object is.

use serde_json::{Map, Value};

use super::error::{RuleError, RuleProblem};

/// `json` as an object whose keys are all in `allowed`; `expected` lists them
/// for the message.
pub(super) fn object<'j>(
    json: &'j Value,
    allowed: &[&str],
    expected: &'static str,
) -> Result<&'j Map<String, Value>, RuleError> {
    let Value::Object(object) = json else {
        return Err(RuleError::here(RuleProblem::NotAnObject));
    };
    match object.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => Err(RuleError::here(RuleProblem::UnexpectedKey {
            key: key.clone(),
            expected,
        })),
        None => Ok(object),
    }
}

/// The part under `key`, which must be there: a `null` says nothing, as if
/// the key were left out.
pub(super) fn required<'j>(
    object: &'j Map<String, Value>,
    key: &str,
) -> Result<&'j Value, RuleError> {
    optional(object, key).ok_or_else(|| RuleError::at(key, RuleProblem::Missing))
}

/// The part under `key`, which must be there, as `read` reads it; its errors
/// are named from the object at hand.
pub(super) fn part<'j, T>(
    object: &'j Map<String, Value>,
    key: &str,
    read: impl FnOnce(&'j Value) -> Result<T, RuleError>,
) -> Result<T, RuleError> {
    read(required(object, key)?).map_err(|error| error.within(key))
}

/// The part under `key`, if there is one that is not `null`.
pub(super) fn optional<'j>(object: &'j Map<String, Value>, key: &str) -> Option<&'j Value> {
    object.get(key).filter(|value| !value.is_null())
}

/// `json` as a string.
pub(super) fn string(json: &Value) -> Result<&str, RuleError> {
    json.as_str()
        .ok_or_else(|| RuleError::here(RuleProblem::NotAString))
}

/// `json` as a name (a tag, an agent's or a workflow's id): a string, kept
/// trimmed, since padding is never part of a name, and not blank.
pub(super) fn name(json: &Value) -> Result<String, RuleError> {
    let name = string(json)?.trim();
    if name.is_empty() {
        return Err(RuleError::here(RuleProblem::Blank));
    }
    Ok(name.to_owned())
}
