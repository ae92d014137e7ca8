//! The fields a condition can read (SPEC §18).

use std::fmt;

use super::error::ConditionProblem;

/// The prefix of a contact attribute's field name.
const ATTRIBUTES: &str = "attributes.";

/// What a test reads from its subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Field {
    Name,
    FirstName,
    Phone,
    Email,
    Company,
    Channel,
    Tags,
    /// The message, for inbound triggers.
    Text,
    /// `attributes.KEY`: the key is everything after the prefix, as written.
    Attribute(String),
    /// A reply a workflow saved under this name.
    SavedReply(String),
}

impl Field {
    /// The field `name` names; a bare name that is not built in is a saved
    /// reply when `is_saved` knows it. Built-in names win over saved replies, so
    /// `email` always reads the contact's e-mail, even where a reply is saved as `email`.
    pub(super) fn parse(
        name: &str,
        is_saved: &dyn Fn(&str) -> bool,
    ) -> Result<Field, ConditionProblem> {
        let field = match name {
            "name" => Field::Name,
            "first_name" => Field::FirstName,
            "phone" => Field::Phone,
            "email" => Field::Email,
            "company" => Field::Company,
            "channel" => Field::Channel,
            "tags" => Field::Tags,
            "text" => Field::Text,
            _ => match name.strip_prefix(ATTRIBUTES) {
                Some(key) if key.trim().is_empty() => {
                    return Err(ConditionProblem::EmptyAttributeName);
                }
                Some(key) => Field::Attribute(key.to_owned()),
                None if is_saved(name) => Field::SavedReply(name.to_owned()),
                None => {
                    return Err(ConditionProblem::UnknownField {
                        name: name.to_owned(),
                    });
                }
            },
        };
        Ok(field)
    }

    /// Whether the field holds any JSON (an attribute), rather than text.
    pub(super) fn holds_json(&self) -> bool {
        matches!(self, Field::Attribute(_))
    }
}

/// The name as a condition writes it.
impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Field::Name => "name",
            Field::FirstName => "first_name",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::Company => "company",
            Field::Channel => "channel",
            Field::Tags => "tags",
            Field::Text => "text",
            Field::Attribute(key) => return write!(f, "{ATTRIBUTES}{key}"),
            Field::SavedReply(name) => name,
        };
        f.write_str(name)
    }
}
