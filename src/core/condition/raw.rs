//! A condition exactly as SPEC §18 writes it, before it is checked.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::{ConditionError, ConditionProblem};
use super::nest;

/// A condition in its wire form: `{"field": F, "op": OP, "value": V}`,
/// `{"all": [..]}` or `{"any": [..]}`, with the field and operator as written,
/// so that a misspelt one is reported by [`check`](RawCondition::check) with
/// its path rather than refused by the JSON reader without one.
///
/// It deserializes through [`RawCondition::from_json`] (any JSON of the wrong
/// shape is refused naming the place) and serializes back to the same JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "Value")]
pub enum RawCondition {
    /// `{"all": [..]}`: every child holds (true when there are none).
    All(Vec<RawCondition>),
    /// `{"any": [..]}`: some child holds (false when there are none).
    Any(Vec<RawCondition>),
    /// `{"field": F, "op": OP, "value": V}`.
    #[serde(untagged)]
    Test(RawTest),
}

/// One test as written: `{"field": F, "op": OP, "value": V}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RawTest {
    /// The field: `name`, `tags`, `attributes.plan`, a saved reply's name, … .
    pub field: String,
    /// The operator: `equals`, `in`, `is_present`, … .
    pub op: String,
    /// The value; none for `is_present` and `is_absent` (a JSON `null` is none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

impl RawCondition {
    /// Reads a condition's shape from JSON: objects, keys, lists and strings
    /// where the wire form has them. What the field, operator and value mean is
    /// for [`check`](RawCondition::check).
    pub fn from_json(json: &Value) -> Result<RawCondition, ConditionError> {
        read(json, 0)
    }
}

impl TryFrom<Value> for RawCondition {
    type Error = ConditionError;

    fn try_from(json: Value) -> Result<Self, Self::Error> {
        RawCondition::from_json(&json)
    }
}

/// `depth` is how many groups enclose `json`.
fn read(json: &Value, depth: usize) -> Result<RawCondition, ConditionError> {
    let Value::Object(object) = json else {
        return Err(ConditionError::here(ConditionProblem::NotAnObject));
    };
    if let Some(children) = object.get("all") {
        group(object, "all", children, depth).map(RawCondition::All)
    } else if let Some(children) = object.get("any") {
        group(object, "any", children, depth).map(RawCondition::Any)
    } else {
        test(object).map(RawCondition::Test)
    }
}

fn group(
    object: &Map<String, Value>,
    key: &str,
    children: &Value,
    depth: usize,
) -> Result<Vec<RawCondition>, ConditionError> {
    only_keys(object, &[key])?;
    let depth = nest(depth)?;
    let Value::Array(children) = children else {
        return Err(ConditionError::new(key, ConditionProblem::NotAList));
    };
    children
        .iter()
        .enumerate()
        .map(|(index, child)| read(child, depth).map_err(|e| e.at(key, index)))
        .collect()
}

fn test(object: &Map<String, Value>) -> Result<RawTest, ConditionError> {
    only_keys(object, &["field", "op", "value"])?;
    Ok(RawTest {
        field: string(object, "field")?,
        op: string(object, "op")?,
        value: object
            .get("value")
            .filter(|value| !value.is_null())
            .cloned(),
    })
}

fn only_keys(object: &Map<String, Value>, allowed: &[&str]) -> Result<(), ConditionError> {
    match object.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => Err(ConditionError::here(ConditionProblem::UnexpectedKey {
            key: key.clone(),
        })),
        None => Ok(()),
    }
}

fn string(object: &Map<String, Value>, key: &str) -> Result<String, ConditionError> {
    match object.get(key) {
        Some(Value::String(text)) => Ok(text.clone()),
        None | Some(Value::Null) => Err(ConditionError::new(key, ConditionProblem::Missing)),
        Some(_) => Err(ConditionError::new(key, ConditionProblem::NotAString)),
    }
}
