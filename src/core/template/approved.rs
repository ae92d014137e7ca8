//! The WhatsApp templates Meta approved for a tenant, as the tenant lists
//! them for agents and API clients to pick from (`GET /templates`).

use serde::{Deserialize, Serialize};

use super::whatsapp::WhatsAppBody;

/// The longest template name Meta accepts.
const MAX_NAME: usize = 512;

/// What Meta approved a template for, which decides its price (SPEC §16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateCategory {
    /// Promotions and offers.
    Marketing,
    /// Updates about something the customer did: an order, an appointment.
    Utility,
    /// One-time codes.
    Authentication,
}

impl TemplateCategory {
    /// The snake_case name, as serialized.
    pub const fn as_str(self) -> &'static str {
        match self {
            TemplateCategory::Marketing => "marketing",
            TemplateCategory::Utility => "utility",
            TemplateCategory::Authentication => "authentication",
        }
    }
}

/// An approved WhatsApp template: its name and language, what it is for,
/// and its body with positional parameters (`{{1}}`…`{{n}}`).
///
/// Deserializing checks every field, so holding one means Meta could have
/// approved it.
///
/// ```
/// use msgcore::core::template::{ApprovedTemplate, TemplateCategory};
///
/// let template: ApprovedTemplate = serde_json::from_str(r#"{
///     "name": "order_update", "language": "en_US", "category": "utility",
///     "body": "Hi {{1}}, order {{2}} has shipped."
/// }"#)?;
/// assert_eq!(template.category, TemplateCategory::Utility);
/// assert_eq!(template.body.parameter_count(), 2);
/// assert!(serde_json::from_str::<ApprovedTemplate>(r#"{
///     "name": "Order Update", "language": "en_US", "category": "utility", "body": "Hi"
/// }"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawApproved")]
pub struct ApprovedTemplate {
    /// Its name: lower-case letters, digits and underscores, as Meta names
    /// templates.
    pub name: String,
    /// The language it was approved in (`en_US`).
    pub language: String,
    /// What it is for.
    pub category: TemplateCategory,
    /// Its body.
    pub body: WhatsAppBody,
}

/// An approved template as written, before its name and language are checked.
#[derive(Deserialize)]
struct RawApproved {
    name: String,
    language: String,
    category: TemplateCategory,
    body: WhatsAppBody,
}

/// A template name or language Meta would not accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovedTemplateError {
    /// The name is empty, too long, or holds something other than lower-case
    /// letters, digits and underscores.
    #[error("template name {0:?} must be 1 to 512 lower-case letters, digits and underscores")]
    Name(String),
    /// The language code is empty or holds something other than letters and `_`.
    #[error("template language {0:?} must be a code such as en or pt_BR")]
    Language(String),
}

impl TryFrom<RawApproved> for ApprovedTemplate {
    type Error = ApprovedTemplateError;

    fn try_from(raw: RawApproved) -> Result<Self, Self::Error> {
        let name_ok = !raw.name.is_empty()
            && raw.name.len() <= MAX_NAME
            && raw
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !name_ok {
            return Err(ApprovedTemplateError::Name(raw.name));
        }
        let language_ok = !raw.language.is_empty()
            && raw.language.len() <= 16
            && raw
                .language
                .bytes()
                .all(|b| b.is_ascii_alphabetic() || b == b'_');
        if !language_ok {
            return Err(ApprovedTemplateError::Language(raw.language));
        }
        Ok(ApprovedTemplate {
            name: raw.name,
            language: raw.language,
            category: raw.category,
            body: raw.body,
        })
    }
}
