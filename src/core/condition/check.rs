//! From the wire form to a checked condition: fields and operators known,
//! values of the right shape, normalized once.

use serde_json::Value;

use super::compiled::{Check, Node, Test};
use super::error::{ConditionError, ConditionProblem};
use super::field::Field;
use super::raw::{RawCondition, RawTest};
use super::scalar::scalar_text;
use super::{Condition, nest};
use crate::core::channel::Channel;
use crate::core::tagging::normalize;

impl RawCondition {
    /// Checks the condition where only the built-in fields exist (campaign
    /// audiences, automation rules): any other bare name is
    /// [`UnknownField`](ConditionProblem::UnknownField).
    pub fn check(self) -> Result<Condition, ConditionError> {
        self.check_with_saved_replies::<&str>(&[])
    }

    /// Checks the condition where a workflow has saved replies under `names`:
    /// a bare name among them reads that reply.
    pub fn check_with_saved_replies<S: AsRef<str>>(
        self,
        names: &[S],
    ) -> Result<Condition, ConditionError> {
        let is_saved = |name: &str| names.iter().any(|known| known.as_ref() == name);
        node(self, 0, &is_saved).map(Condition)
    }
}

/// `depth` is how many groups enclose `raw`.
fn node(
    raw: RawCondition,
    depth: usize,
    is_saved: &dyn Fn(&str) -> bool,
) -> Result<Node, ConditionError> {
    match raw {
        RawCondition::Test(raw) => test(raw, is_saved).map(Node::Test),
        RawCondition::All(children) => group("all", children, depth, is_saved).map(Node::All),
        RawCondition::Any(children) => group("any", children, depth, is_saved).map(Node::Any),
    }
}

fn group(
    key: &str,
    children: Vec<RawCondition>,
    depth: usize,
    is_saved: &dyn Fn(&str) -> bool,
) -> Result<Vec<Node>, ConditionError> {
    let depth = nest(depth)?;
    children
        .into_iter()
        .enumerate()
        .map(|(index, child)| node(child, depth, is_saved).map_err(|e| e.at(key, index)))
        .collect()
}

fn test(raw: RawTest, is_saved: &dyn Fn(&str) -> bool) -> Result<Test, ConditionError> {
    let field = Field::parse(&raw.field, is_saved)
        .map_err(|problem| ConditionError::new("field", problem))?;
    let check = operator(&raw.op, raw.value.as_ref(), &field)?;
    Ok(Test {
        field,
        check,
        written: raw.value,
    })
}

fn operator(op: &str, value: Option<&Value>, field: &Field) -> Result<Check, ConditionError> {
    let check = match op {
        "equals" => Check::Equals(one(value, field)?),
        "not_equals" => Check::NotEquals(one(value, field)?),
        "contains" => Check::Contains(one(value, field)?),
        "starts_with" => Check::StartsWith(one(value, field)?),
        "in" => Check::In(list(value, field)?),
        "is_present" => none(value, Check::IsPresent)?,
        "is_absent" => none(value, Check::IsAbsent)?,
        _ => {
            let op = op.to_owned();
            return Err(ConditionError::new(
                "op",
                ConditionProblem::UnknownOp { op },
            ));
        }
    };
    Ok(check)
}

fn one(value: Option<&Value>, field: &Field) -> Result<String, ConditionError> {
    let value = value.ok_or_else(|| ConditionError::new("value", ConditionProblem::Missing))?;
    needle(value, field).map_err(|problem| ConditionError::new("value", problem))
}

fn list(value: Option<&Value>, field: &Field) -> Result<Vec<String>, ConditionError> {
    let items = match value {
        None => return Err(ConditionError::new("value", ConditionProblem::Missing)),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ConditionError::new("value", ConditionProblem::InNeedsList)),
    };
    let mut needles = items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            needle(item, field).map_err(|problem| ConditionError::here(problem).at("value", index))
        })
        .collect::<Result<Vec<_>, _>>()?;
    needles.sort_unstable();
    needles.dedup();
    Ok(needles)
}

fn none(value: Option<&Value>, check: Check) -> Result<Check, ConditionError> {
    match value {
        None => Ok(check),
        Some(_) => Err(ConditionError::new(
            "value",
            ConditionProblem::ValueNotAllowed { op: check.op() },
        )),
    }
}

/// One value to compare with, normalized as the field's text will be.
fn needle(value: &Value, field: &Field) -> Result<String, ConditionProblem> {
    if !value.is_string() && !field.holds_json() {
        return Err(ConditionProblem::NotText);
    }
    let text = scalar_text(value).ok_or(ConditionProblem::NotAScalar)?;
    let normalized = normalize(&text).into_owned();
    if normalized.is_empty() {
        return Err(ConditionProblem::Blank);
    }
    if *field == Field::Channel && !Channel::ALL.iter().any(|c| c.as_str() == normalized) {
        return Err(ConditionProblem::UnknownChannel {
            value: text.into_owned(),
        });
    }
    Ok(normalized)
}
