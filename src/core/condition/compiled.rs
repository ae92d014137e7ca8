//! A checked condition as a tree, and how it is evaluated.

use serde_json::Value;

use super::field::Field;
use super::raw::{RawCondition, RawTest};
use super::scalar::scalar_text;
use super::subject::{Found, Subject};
use crate::core::tagging::normalize;

/// A checked condition's tree.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Test(Test),
    All(Vec<Node>),
    Any(Vec<Node>),
}

/// One `{"field", "op", "value"}` test, its value normalized once.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Test {
    pub(super) field: Field,
    pub(super) check: Check,
    /// The value as written, so that the condition serializes as it was given.
    pub(super) written: Option<Value>,
}

/// An operator with its normalized value: never empty, trimmed, inner white
/// space collapsed and case-folded ([`normalize`]).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Check {
    Equals(String),
    NotEquals(String),
    Contains(String),
    StartsWith(String),
    /// Sorted and without repeats, for a binary search.
    In(Vec<String>),
    IsPresent,
    IsAbsent,
}

impl Node {
    pub(super) fn matches(&self, subject: &Subject<'_>) -> bool {
        match self {
            Node::Test(test) => test.check.holds(&subject.get(&test.field)),
            Node::All(children) => children.iter().all(|child| child.matches(subject)),
            Node::Any(children) => children.iter().any(|child| child.matches(subject)),
        }
    }

    pub(super) fn to_raw(&self) -> RawCondition {
        match self {
            Node::Test(test) => RawCondition::Test(RawTest {
                field: test.field.to_string(),
                op: test.check.op().to_owned(),
                value: test.written.clone(),
            }),
            Node::All(children) => RawCondition::All(children.iter().map(Node::to_raw).collect()),
            Node::Any(children) => RawCondition::Any(children.iter().map(Node::to_raw).collect()),
        }
    }
}

impl Check {
    /// The operator's wire name.
    pub(super) fn op(&self) -> &'static str {
        match self {
            Check::Equals(_) => "equals",
            Check::NotEquals(_) => "not_equals",
            Check::Contains(_) => "contains",
            Check::StartsWith(_) => "starts_with",
            Check::In(_) => "in",
            Check::IsPresent => "is_present",
            Check::IsAbsent => "is_absent",
        }
    }

    fn holds(&self, found: &Found<'_>) -> bool {
        match self {
            Check::IsPresent => !matches!(found, Found::Missing),
            Check::IsAbsent => matches!(found, Found::Missing),
            Check::Equals(value) => any_text(found, |text| text == value),
            Check::NotEquals(value) => !any_text(found, |text| text == value),
            // On a list, `contains` means has an item: a tag is a whole word.
            Check::Contains(value) if is_list(found) => any_text(found, |text| text == value),
            Check::Contains(value) => any_text(found, |text| text.contains(value.as_str())),
            Check::StartsWith(value) => any_text(found, |text| text.starts_with(value.as_str())),
            Check::In(values) => any_text(found, |text| {
                values.binary_search_by(|v| v.as_str().cmp(text)).is_ok()
            }),
        }
    }
}

fn is_list(found: &Found<'_>) -> bool {
    matches!(found, Found::Tags(_) | Found::Items(_))
}

/// Whether `test` holds for the normalized text, or for any item of a list
/// that has text.
fn any_text(found: &Found<'_>, test: impl Fn(&str) -> bool) -> bool {
    match found {
        Found::Text(text) => test(&normalize(text)),
        Found::Tags(tags) => tags.iter().any(|tag| test(&normalize(tag))),
        Found::Items(items) => items
            .iter()
            .filter_map(scalar_text)
            .any(|item| test(&normalize(&item))),
        Found::Missing | Found::Opaque => false,
    }
}
