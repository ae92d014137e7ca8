//! A contact's values for a campaign text's variables (SPEC §18): `{name}`,
//! `{first_name}`, `{company}`, `{phone}`, `{email}`, `{ATTR}` for any
//! attribute, and the `{{contact.…}}` forms of the same.

use std::borrow::Cow;

use super::contact::Contact;
use crate::core::template::Variables;

/// A contact as a source of template values.
///
/// ```
/// use msgcore::core::template::{MissingPolicy, Template};
/// use msgcore::model::{Contact, ContactId, ContactVariables, TenantId};
///
/// let mut ada = Contact::new(
///     ContactId::from_uuid(uuid::Uuid::from_u128(1)),
///     TenantId::from_uuid(uuid::Uuid::from_u128(2)),
///     "+14155550100".parse()?,
///     chrono::DateTime::UNIX_EPOCH,
/// );
/// ada.name = Some("Ada Lovelace".into());
/// ada.attributes.insert("plan".into(), serde_json::json!("gold"));
/// let text = Template::parse("Hi {first_name}, your {plan} plan ({{contact.phone}})")?;
/// let rendered = text.render(&ContactVariables(&ada), &MissingPolicy::Error)?;
/// assert_eq!(rendered, "Hi Ada, your gold plan (+14155550100)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ContactVariables<'a>(pub &'a Contact);

impl Variables for ContactVariables<'_> {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        let contact = self.0;
        let field = name.strip_prefix("contact.").unwrap_or(name);
        match field {
            "name" => text(&contact.name),
            "first_name" | "firstName" => first_name(contact).map(Cow::Borrowed),
            "company" => text(&contact.company),
            "email" => text(&contact.email),
            "phone" => Some(Cow::Borrowed(contact.phone.as_str())),
            _ => attribute(contact, field),
        }
    }
}

fn text(value: &Option<String>) -> Option<Cow<'_, str>> {
    value.as_deref().map(Cow::Borrowed)
}

/// The first word of the name.
fn first_name(contact: &Contact) -> Option<&str> {
    contact.name.as_deref()?.split_whitespace().next()
}

/// An attribute as text: a string as it is, a number or a boolean as written
/// in JSON; an object, a list or `null` has no text.
fn attribute<'c>(contact: &'c Contact, name: &str) -> Option<Cow<'c, str>> {
    match contact.attributes.get(name)? {
        serde_json::Value::String(text) => Some(Cow::Borrowed(text)),
        value @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_)) => {
            Some(Cow::Owned(value.to_string()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContactId, TenantId};
    use serde_json::json;

    fn contact() -> Contact {
        let mut contact = Contact::new(
            ContactId::from_uuid(uuid::Uuid::from_u128(1)),
            TenantId::from_uuid(uuid::Uuid::from_u128(2)),
            "+14155550100".parse().unwrap(),
            chrono::DateTime::UNIX_EPOCH,
        );
        contact.name = Some("  Ada   Lovelace ".into());
        contact.company = Some("Engines".into());
        contact.attributes = [
            ("Loyalty Tier".to_owned(), json!("gold")),
            ("visits".to_owned(), json!(12)),
            ("vip".to_owned(), json!(true)),
            ("ctwa".to_owned(), json!({"headline": "x"})),
            ("none".to_owned(), json!(null)),
        ]
        .into();
        contact
    }

    #[test]
    fn fields_attributes_and_contact_forms_have_values() {
        let c = contact();
        let vars = ContactVariables(&c);
        let get = |name: &str| vars.get(name).map(Cow::into_owned);
        assert_eq!(get("first_name").as_deref(), Some("Ada"));
        assert_eq!(get("contact.company").as_deref(), Some("Engines"));
        assert_eq!(get("phone").as_deref(), Some("+14155550100"));
        assert_eq!(get("Loyalty Tier").as_deref(), Some("gold"));
        assert_eq!(get("visits").as_deref(), Some("12"));
        assert_eq!(get("vip").as_deref(), Some("true"));
    }

    #[test]
    fn what_the_contact_lacks_or_cannot_say_as_text_has_no_value() {
        let c = contact();
        let vars = ContactVariables(&c);
        for missing in ["email", "ctwa", "none", "unknown", "contact.unknown"] {
            assert!(vars.get(missing).is_none(), "{missing}");
        }
    }
}
