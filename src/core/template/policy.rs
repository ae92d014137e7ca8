//! What rendering does when a variable has no value.

use serde::{Deserialize, Serialize};

/// What to emit for a variable whose value is missing.
///
/// The default is [`MissingPolicy::Error`]: a message that reads "Hi ," is worse
/// than one that is not sent. Quick replies typed by an agent may prefer a
/// fallback ("Hi there"), campaigns an error per recipient.
///
/// On the wire: `"error"`, `"empty"`, `{"fallback": "there"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MissingPolicy {
    /// Fail with [`TemplateError::MissingValue`](super::TemplateError::MissingValue), naming the variable.
    #[default]
    Error,
    /// Emit nothing in its place.
    Empty,
    /// Emit this text in its place (emitted as is, never parsed as a template).
    Fallback(String),
}
