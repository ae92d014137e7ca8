//! How a JSON value reads as text, on both sides of a comparison.

use std::borrow::Cow;

use serde_json::Value;

/// A string as it is; a number or a boolean as JSON writes it (`12`, `1.5`,
/// `true`), so that an attribute an import stored as `"12"` and one an API
/// stored as `12` compare alike. `null`, a list or an object has no text.
pub(super) fn scalar_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(text) => Some(Cow::Borrowed(text)),
        Value::Number(_) | Value::Bool(_) => Some(Cow::Owned(value.to_string())),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}
