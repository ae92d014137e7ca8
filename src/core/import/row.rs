//! One data record of an import, read through its [`Columns`] into the edit of
//! its contact.

use serde::{Deserialize, Serialize};

use super::columns::{Columns, ImportField};
use crate::core::contact_edit::ContactEdit;
use crate::core::phone::E164;

/// Why a record was skipped (SPEC §18's reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The phone cell is empty.
    MissingPhone,
    /// The phone cell is not a valid number.
    InvalidPhone,
    /// The number was seen earlier in the file (the first wins).
    Duplicate,
}

impl SkipReason {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            SkipReason::MissingPhone => "missing_phone",
            SkipReason::InvalidPhone => "invalid_phone",
            SkipReason::Duplicate => "duplicate",
        }
    }
}

/// A skipped record: where it starts, why, and the trimmed phone cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The physical line the record starts on (the header is line 1).
    pub line: u64,
    /// Why it was skipped.
    pub reason: SkipReason,
    /// The trimmed phone cell.
    pub value: String,
}

/// A record's number and what it says about its contact, as the edit to
/// apply (empty cells say nothing; an opt-in cell only ever opts in), or why
/// it is skipped.
pub(crate) fn read_row<'r>(
    columns: &Columns,
    cells: impl IntoIterator<Item = &'r str>,
    line: u64,
    default_region: Option<&str>,
) -> Result<(E164, ContactEdit), RowError> {
    let mut row = ContactEdit::default();
    let mut phone = "";
    let (mut first, mut last) = ("", "");
    // Fields beyond the header are ignored; a short record leaves the rest empty.
    for (field, cell) in columns.fields().iter().zip(cells) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        match field {
            ImportField::Phone => phone = cell,
            ImportField::Name => row.name = Some(cell.to_owned()),
            ImportField::FirstName => first = cell,
            ImportField::LastName => last = cell,
            ImportField::Email => row.email = Some(cell.to_owned()),
            ImportField::Company => row.company = Some(cell.to_owned()),
            ImportField::Tags => add_tags(&mut row.add_tags, cell),
            ImportField::WhatsappOptedIn => row.whatsapp_opted_in = opt_in(cell),
            ImportField::SmsOptedIn => row.sms_opted_in = opt_in(cell),
            ImportField::Attribute(name) => {
                let value = serde_json::Value::String(cell.to_owned());
                row.attributes.insert(name.clone(), value);
            }
            ImportField::Ignore => {}
        }
    }
    if !columns.has_name() {
        row.name = Some(format!("{first} {last}").trim().to_owned()).filter(|n| !n.is_empty());
    }
    let skip = |reason| RowError {
        line,
        reason,
        value: phone.to_owned(),
    };
    if phone.is_empty() {
        return Err(skip(SkipReason::MissingPhone));
    }
    let number = E164::parse(phone, default_region).map_err(|_| skip(SkipReason::InvalidPhone))?;
    Ok((number, row))
}

fn add_tags(tags: &mut Vec<String>, cell: &str) {
    for tag in cell.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
}

/// `true`, `yes`, `y` or `1` (any case) opts in; any other value changes nothing.
fn opt_in(cell: &str) -> Option<bool> {
    let yes = ["true", "yes", "y", "1"]
        .iter()
        .any(|yes| cell.eq_ignore_ascii_case(yes));
    yes.then_some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import::Mappings;

    fn read(header: &[&str], cells: &[&str]) -> Result<(E164, ContactEdit), RowError> {
        let columns = Columns::new(header.iter().copied(), &Mappings::new()).unwrap();
        read_row(&columns, cells.iter().copied(), 7, Some("US"))
    }

    #[test]
    fn a_full_record_gives_every_field_trimmed() {
        let (phone, row) = read(
            &[
                "phone",
                "name",
                "email",
                "company",
                "tags",
                "optedIn",
                "smsOptedIn",
                "plan",
            ],
            &[
                " (202) 555-0123 ",
                " Ada ",
                "ada@example.com",
                "Acme",
                " vip, retail ,,vip ",
                "YES",
                "0",
                " gold ",
            ],
        )
        .unwrap();
        assert_eq!(phone.as_str(), "+12025550123");
        assert_eq!(row.name.as_deref(), Some("Ada"));
        assert_eq!(row.email.as_deref(), Some("ada@example.com"));
        assert_eq!(row.company.as_deref(), Some("Acme"));
        assert_eq!(row.add_tags, ["vip", "retail"]);
        assert_eq!(row.whatsapp_opted_in, Some(true));
        assert_eq!(row.sms_opted_in, None, "a \"0\" cell changes nothing");
        assert_eq!(row.attributes.get("plan"), Some(&serde_json::json!("gold")));
    }

    #[test]
    fn without_a_name_column_the_name_is_first_and_last_joined() {
        let header = ["phone", "first name", "surname"];
        let (_, both) = read(&header, &["+12025550123", "Ada", "Lovelace"]).unwrap();
        let (_, first) = read(&header, &["+12025550123", "Ada", ""]).unwrap();
        let (_, neither) = read(&header, &["+12025550123"]).unwrap();
        assert_eq!(both.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(first.name.as_deref(), Some("Ada"));
        assert_eq!(neither.name, None);
    }

    #[test]
    fn an_empty_or_invalid_phone_skips_the_record_naming_its_line_and_cell() {
        let header = ["phone", "name"];
        let missing = read(&header, &["  ", "Ada"]).unwrap_err();
        let invalid = read(&header, &[" 12345 ", "Ada"]).unwrap_err();
        assert_eq!(
            (missing.line, missing.reason, missing.value.as_str()),
            (7, SkipReason::MissingPhone, "")
        );
        assert_eq!(
            (invalid.line, invalid.reason, invalid.value.as_str()),
            (7, SkipReason::InvalidPhone, "12345")
        );
    }

    #[test]
    fn only_true_yes_y_and_1_opt_in() {
        for (cell, opts_in) in [
            ("TRUE", true),
            ("Yes", true),
            ("y", true),
            ("1", true),
            ("no", false),
            ("false", false),
            ("2", false),
            ("yes please", false),
        ] {
            let (_, row) = read(&["phone", "optedIn"], &["+12025550123", cell]).unwrap();
            assert_eq!(row.whatsapp_opted_in == Some(true), opts_in, "{cell:?}");
            assert_ne!(
                row.whatsapp_opted_in,
                Some(false),
                "an import never opts out"
            );
        }
    }
}
