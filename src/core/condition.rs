//! The one condition language (SPEC §18) that campaign audiences, workflow
//! steps (`when`, `filter`, `if`) and automation rules share.
//!
//! A condition is `{"field": F, "op": OP, "value": V}`, or `{"all": [..]}` /
//! `{"any": [..]}` of conditions. It is read in two steps, into two types:
//!
//! - [`RawCondition`] is the wire form, exactly as written. [`RawCondition::from_json`]
//!   (and serde) refuse only JSON of the wrong shape;
//! - [`Condition`] is a condition known to make sense: [`RawCondition::check`] (or
//!   [`Condition::from_json`], both steps at once) knows every field and
//!   operator, checks each value's shape, and normalizes values once, so that
//!   [`Condition::matches`] only compares. Every refusal is a [`ConditionError`]
//!   naming the place (`any[1].all[0].value`) and the [problem](ConditionProblem).
//!
//! It is evaluated against a [`Subject`]: a contact's data, the channel at hand,
//! the message of an inbound trigger and a workflow's saved replies
//! ([`Contact::subject`](crate::model::Contact::subject) makes one from a contact).
//!
//! # Fields
//!
//! `name`, `first_name` (the subject's explicit one, else the name's first word),
//! `phone` (E.164: `+14155550100`), `email`, `company`, `channel` (`sms` or
//! `whatsapp`), `tags`, `text` (the message, for inbound triggers),
//! `attributes.KEY` (KEY is the attribute's name exactly as stored, dots and all;
//! objects inside an attribute are not entered), and the name of a reply a
//! workflow saved. Only [`RawCondition::check_with_saved_replies`] accepts
//! saved-reply names, the ones it is given: everywhere else a bare name that is
//! not built in is an unknown field, so a misspelt `emial` is refused rather
//! than read as a reply that never comes.
//!
//! # Comparing
//!
//! Both sides are compared as [normalized](crate::core::tagging::normalize)
//! text, as auto-tagging compares a message: trimmed, inner runs of white
//! space as one space, and fully case-folded (`" ÉCOLE "` equals `école`,
//! `STRASSE` equals `straße`). A number or a boolean, in the condition or in an
//! attribute, compares as its JSON text (`12`, `1.5`, `true`), so an import's
//! `"12"` equals an API's `12`; built-in fields hold text and take only string
//! values. `channel`'s values must name a channel.
//!
//! | op | on text | on a list (`tags`, a list attribute) |
//! |---|---|---|
//! | `equals` | the same text | some item is the same text |
//! | `not_equals` | not `equals` | not `equals`: no item is |
//! | `contains` | has the value inside it | has an item that is the value (has the tag) |
//! | `starts_with` | begins with the value | some item begins with it |
//! | `in` (V a list) | is one of the values | some item is (has any of the tags) |
//! | `is_present` | not missing | not missing |
//! | `is_absent` | missing | missing |
//!
//! A field is **missing** when the subject has no value for it: absent, `null`,
//! text that is empty once trimmed, or an empty list. A missing field satisfies
//! only `is_absent` and `not_equals`. An object attribute is present but has no
//! text, so of the comparisons only `not_equals` holds for it; so for a list's
//! items that are objects, lists or `null`.
//!
//! `all: []` is true and `any: []` is false, as for iterators: a group holds
//! when every child holds, or when some child does. Groups nest at most
//! [`MAX_DEPTH`] deep. A value that is empty once trimmed is refused (`equals ""`
//! could never hold, `contains ""` always would); `in: []` is accepted and never
//! holds.
//!
//! ```
//! use msgcore::Channel;
//! use msgcore::core::condition::Condition;
//! use msgcore::model::{Contact, ContactId, TenantId};
//! use serde_json::json;
//!
//! let audience = Condition::from_json(&json!({"all": [
//!     {"field": "tags", "op": "contains", "value": "VIP"},
//!     {"any": [
//!         {"field": "attributes.city", "op": "equals", "value": " paris "},
//!         {"field": "email", "op": "is_absent"}
//!     ]}
//! ]}))?;
//!
//! let mut ada = Contact::new(
//!     ContactId::from_uuid(uuid::Uuid::from_u128(1)),
//!     TenantId::from_uuid(uuid::Uuid::from_u128(2)),
//!     "+33612345678".parse()?,
//!     chrono::DateTime::UNIX_EPOCH,
//! );
//! ada.add_tag("vip");
//! ada.email = Some("ada@example.com".into());
//! ada.attributes.insert("city".into(), json!("Paris"));
//! assert!(audience.matches(&ada.subject(Channel::WhatsApp)));
//!
//! let error = Condition::from_json(&json!({"any": [
//!     {"field": "name", "op": "equals", "value": "Ada"},
//!     {"all": [{"field": "tags", "op": "in", "value": "vip"}]}
//! ]})).unwrap_err();
//! assert_eq!(error.path, "any[1].all[0].value");
//! assert_eq!(error.to_string(), "`any[1].all[0].value` must be a list for in");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod check;
mod compiled;
mod error;
mod field;
mod raw;
mod scalar;
mod subject;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use error::{ConditionError, ConditionProblem};
pub use raw::{RawCondition, RawTest};
pub use subject::Subject;

use compiled::Node;

/// How deep `all` and `any` groups may nest: far beyond what a person writes,
/// and far from the stack's limit.
pub const MAX_DEPTH: usize = 32;

/// The depth inside one more group, or why there may be none: both reading
/// and checking recurse once per group, and evaluation does too, so the bound
/// keeps every accepted condition, and every refused one, far from the stack's
/// limit.
fn nest(depth: usize) -> Result<usize, ConditionError> {
    if depth < MAX_DEPTH {
        Ok(depth + 1)
    } else {
        let max = MAX_DEPTH;
        Err(ConditionError::here(ConditionProblem::TooDeep { max }))
    }
}

/// A checked condition, ready to evaluate (see the [module](self) for what it
/// means).
///
/// Made by [`Condition::from_json`] or [`RawCondition::check`]. It serializes as
/// the JSON it was read from and deserializes through the same checks (built-in
/// fields only), so a definition can hold one directly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCondition", into = "RawCondition")]
pub struct Condition(Node);

impl Condition {
    /// Reads and checks a condition where only the built-in fields exist.
    pub fn from_json(json: &Value) -> Result<Condition, ConditionError> {
        RawCondition::from_json(json)?.check()
    }

    /// Whether the condition holds for `subject`.
    pub fn matches(&self, subject: &Subject<'_>) -> bool {
        self.0.matches(subject)
    }

    /// The condition's wire form, values as they were written.
    pub fn to_raw(&self) -> RawCondition {
        self.0.to_raw()
    }
}

impl TryFrom<RawCondition> for Condition {
    type Error = ConditionError;

    fn try_from(raw: RawCondition) -> Result<Self, Self::Error> {
        raw.check()
    }
}

impl From<Condition> for RawCondition {
    fn from(condition: Condition) -> Self {
        condition.to_raw()
    }
}

#[cfg(test)]
mod laws;

#[cfg(test)]
mod tests;
