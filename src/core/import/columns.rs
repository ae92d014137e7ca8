//! Which contact field each column of an import fills (SPEC §18): synonyms,
//! explicit mappings, and every other column as an attribute.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::ImportError;
use crate::core::text::fold;

/// A contact field a column can fill.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ImportField {
    /// The phone number (required).
    Phone,
    /// The whole name.
    Name,
    /// The first name (joined with the last name when there is no name column).
    FirstName,
    /// The last name.
    LastName,
    /// The e-mail address.
    Email,
    /// The company.
    Company,
    /// Tags, comma-separated.
    Tags,
    /// WhatsApp opt-in (`true`, `yes`, `y`, `1`).
    WhatsappOptedIn,
    /// SMS opt-in (`true`, `yes`, `y`, `1`).
    SmsOptedIn,
    /// The attribute of this name (`attributes.NAME`).
    Attribute(String),
    /// Nothing: the column is read and dropped.
    Ignore,
}

impl ImportField {
    /// The wire name (`phone`, `attributes.plan`, `ignore`, …).
    pub fn name(&self) -> String {
        let fixed = match self {
            ImportField::Phone => "phone",
            ImportField::Name => "name",
            ImportField::FirstName => "first_name",
            ImportField::LastName => "last_name",
            ImportField::Email => "email",
            ImportField::Company => "company",
            ImportField::Tags => "tags",
            ImportField::WhatsappOptedIn => "whatsapp_opted_in",
            ImportField::SmsOptedIn => "sms_opted_in",
            ImportField::Ignore => "ignore",
            ImportField::Attribute(name) => return format!("attributes.{name}"),
        };
        fixed.to_owned()
    }
}

impl fmt::Display for ImportField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// A mapping's field that is none of SPEC §18's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not an import field: use phone, name, first_name, last_name, email, company, tags, \
     whatsapp_opted_in, sms_opted_in, attributes.NAME or ignore"
)]
pub struct UnknownField(pub String);

impl FromStr for ImportField {
    type Err = UnknownField;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let field = match s {
            "phone" => ImportField::Phone,
            "name" => ImportField::Name,
            "first_name" => ImportField::FirstName,
            "last_name" => ImportField::LastName,
            "email" => ImportField::Email,
            "company" => ImportField::Company,
            "tags" => ImportField::Tags,
            "whatsapp_opted_in" => ImportField::WhatsappOptedIn,
            "sms_opted_in" => ImportField::SmsOptedIn,
            "ignore" => ImportField::Ignore,
            other => match other.strip_prefix("attributes.") {
                Some(name) if !name.trim().is_empty() => {
                    ImportField::Attribute(name.trim().to_owned())
                }
                _ => return Err(UnknownField(s.to_owned())),
            },
        };
        Ok(field)
    }
}

impl Serialize for ImportField {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for ImportField {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The synonyms of SPEC §18, already in [`header_key`] form.
const SYNONYMS: &[(&str, ImportField)] = &[
    ("phone", ImportField::Phone),
    ("phonenumber", ImportField::Phone),
    ("mobile", ImportField::Phone),
    ("mobilenumber", ImportField::Phone),
    ("cell", ImportField::Phone),
    ("cellphone", ImportField::Phone),
    ("number", ImportField::Phone),
    ("msisdn", ImportField::Phone),
    ("whatsapp", ImportField::Phone),
    ("name", ImportField::Name),
    ("fullname", ImportField::Name),
    ("firstname", ImportField::FirstName),
    ("givenname", ImportField::FirstName),
    ("lastname", ImportField::LastName),
    ("surname", ImportField::LastName),
    ("familyname", ImportField::LastName),
    ("email", ImportField::Email),
    ("emailaddress", ImportField::Email),
    ("tags", ImportField::Tags),
    ("tag", ImportField::Tags),
    ("labels", ImportField::Tags),
    ("company", ImportField::Company),
    ("companyname", ImportField::Company),
    ("organization", ImportField::Company),
    ("business", ImportField::Company),
    ("optedin", ImportField::WhatsappOptedIn),
    ("optin", ImportField::WhatsappOptedIn),
    ("whatsappoptedin", ImportField::WhatsappOptedIn),
    ("smsoptedin", ImportField::SmsOptedIn),
    ("smsoptin", ImportField::SmsOptedIn),
];

/// A header as it is compared: case-folded, with spaces, `_` and `-` removed
/// (so `Phone Number`, `phone_number` and `PHONE-NUMBER` agree; `e-mail` is
/// `email`).
pub fn header_key(header: &str) -> String {
    let squeezed: String = header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .collect();
    fold(&squeezed).into_owned()
}

/// What the caller says about columns, overriding the synonyms: `{HEADER: FIELD}`.
pub type Mappings = BTreeMap<String, ImportField>;

/// The field of every column of one file's header.
///
/// A field claimed by an earlier column (a second `Mobile` after `Phone`) is not
/// taken twice: the later column becomes an attribute named by its header, so
/// nothing in the file is dropped unasked. A column whose header is empty is
/// ignored: it has no name to keep it under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    fields: Vec<ImportField>,
}

impl Columns {
    /// Maps `header` (the file's first record) with `mappings` over the synonyms.
    ///
    /// A mapping naming a header the file does not have is
    /// [`ImportError::MappedHeaderMissing`] (a typo must not import silently
    /// into the wrong field), and a header without a phone column is
    /// [`ImportError::NoPhoneColumn`].
    pub fn new<'h>(
        header: impl IntoIterator<Item = &'h str>,
        mappings: &Mappings,
    ) -> Result<Columns, ImportError> {
        let explicit: BTreeMap<String, (&String, &ImportField)> = mappings
            .iter()
            .map(|(header, field)| (header_key(header), (header, field)))
            .collect();
        let mut used = Vec::new();
        let mut matched = Vec::new();
        let mut fields = Vec::new();
        for header in header {
            let key = header_key(header);
            let wanted = match explicit.get(&key) {
                Some((_, field)) => {
                    matched.push(key.clone());
                    (*field).clone()
                }
                None => synonym(&key).unwrap_or_else(|| attribute(header)),
            };
            let field = match wanted {
                ImportField::Attribute(_) | ImportField::Ignore => wanted,
                claimed if used.contains(&claimed) => attribute(header),
                fresh => {
                    used.push(fresh.clone());
                    fresh
                }
            };
            fields.push(field);
        }
        if let Some((_, (header, _))) = explicit.iter().find(|(key, _)| !matched.contains(key)) {
            return Err(ImportError::MappedHeaderMissing {
                header: (*header).clone(),
            });
        }
        if !used.contains(&ImportField::Phone) {
            return Err(ImportError::NoPhoneColumn);
        }
        Ok(Columns { fields })
    }

    /// The field of each column, in file order.
    pub fn fields(&self) -> &[ImportField] {
        &self.fields
    }

    /// Whether a column fills the whole name (else the name is first + last).
    pub(crate) fn has_name(&self) -> bool {
        self.fields.contains(&ImportField::Name)
    }
}

fn synonym(key: &str) -> Option<ImportField> {
    SYNONYMS
        .iter()
        .find(|(synonym, _)| *synonym == key)
        .map(|(_, field)| field.clone())
}

fn attribute(header: &str) -> ImportField {
    match header.trim() {
        "" => ImportField::Ignore,
        name => ImportField::Attribute(name.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(header: &[&str], mappings: &[(&str, &str)]) -> Result<Columns, ImportError> {
        let mappings = mappings
            .iter()
            .map(|(h, f)| Ok((h.to_string(), f.parse()?)))
            .collect::<Result<Mappings, UnknownField>>()
            .map_err(|e| ImportError::Mapping(e.to_string()))?;
        Columns::new(header.iter().copied(), &mappings)
    }

    fn names(columns: &Columns) -> Vec<String> {
        columns.fields().iter().map(ImportField::name).collect()
    }

    #[test]
    fn synonyms_match_whatever_the_case_spaces_underscores_and_dashes() {
        let found = columns(
            &[
                " Phone Number ",
                "FIRST_NAME",
                "last-name",
                "E-Mail",
                "Company Name",
                "opted in",
                "SMS Opt In",
                "Labels",
            ],
            &[],
        )
        .unwrap();
        assert_eq!(
            names(&found),
            [
                "phone",
                "first_name",
                "last_name",
                "email",
                "company",
                "whatsapp_opted_in",
                "sms_opted_in",
                "tags"
            ]
        );
    }

    #[test]
    fn other_columns_become_attributes_named_by_their_trimmed_header() {
        let found = columns(&["mobile", " Loyalty Tier ", ""], &[]).unwrap();
        assert_eq!(
            names(&found),
            ["phone", "attributes.Loyalty Tier", "ignore"]
        );
    }

    #[test]
    fn a_second_column_for_a_taken_field_is_kept_as_an_attribute() {
        let found = columns(&["Phone", "Mobile", "Name", "Full Name"], &[]).unwrap();
        assert_eq!(
            names(&found),
            ["phone", "attributes.Mobile", "name", "attributes.Full Name"]
        );
    }

    #[test]
    fn explicit_mappings_override_synonyms_and_match_headers_loosely() {
        let found = columns(
            &["Number", "Cell", "Client"],
            &[("number", "ignore"), ("client_", "company")],
        )
        .unwrap();
        assert_eq!(names(&found), ["ignore", "phone", "company"]);
    }

    #[test]
    fn a_mapping_for_a_header_the_file_lacks_is_refused_by_name() {
        let refused = columns(&["phone"], &[("Telefon", "name")]).unwrap_err();
        assert_eq!(
            refused,
            ImportError::MappedHeaderMissing {
                header: "Telefon".into()
            }
        );
    }

    #[test]
    fn a_header_without_a_phone_column_is_refused() {
        assert_eq!(
            columns(&["name", "email"], &[]).unwrap_err(),
            ImportError::NoPhoneColumn
        );
    }

    #[test]
    fn field_names_round_trip_and_unknown_ones_are_refused() {
        for name in [
            "phone",
            "name",
            "first_name",
            "last_name",
            "email",
            "company",
            "tags",
            "whatsapp_opted_in",
            "sms_opted_in",
            "ignore",
            "attributes.plan",
        ] {
            assert_eq!(name.parse::<ImportField>().unwrap().name(), name);
        }
        assert!("attributes.".parse::<ImportField>().is_err());
        assert!("Phone".parse::<ImportField>().is_err());
    }
}
