//! CSV import of contacts (SPEC §12, §18): the file read as a stream of records,
//! each mapped through the header's [`Columns`] into a [`ContactEdit`], and the
//! report the whole import adds up to.
//!
//! This module only reads; [`Inbox::import_contacts`](crate::engine::Inbox::import_contacts)
//! applies the rows to the tenant's contacts in batches.
//!
//! ```
//! use msgcore::core::import::{CsvRecords, Columns, Mappings};
//!
//! let file = "\u{feff}Phone Number;First Name;Surname;Tags\r\n\
//!             (202) 555-0123;Ada;Lovelace;\"vip, retail\"\r\n";
//! let mut records = CsvRecords::new(file.as_bytes())?;
//! let columns = Columns::new(records.header(), &Mappings::new())?;
//! let record = records.next_record()?.expect("one data record");
//! let (phone, row) = columns.read(&record, Some("US")).expect("a valid number");
//! assert_eq!(phone.as_str(), "+12025550123");
//! assert_eq!(row.name.as_deref(), Some("Ada Lovelace"));
//! assert_eq!(row.add_tags, ["vip", "retail"]);
//! # Ok::<(), msgcore::core::import::ImportError>(())
//! ```

mod columns;
mod records;
mod report;
mod row;

use serde::{Deserialize, Serialize};

pub use columns::{Columns, ImportField, Mappings, UnknownField, header_key};
pub use records::{CsvRecords, MAX_RECORD_BYTES, Record};
pub use report::{ImportProgress, ImportReport, Skipped};
pub use row::{RowError, SkipReason};

use crate::core::contact_edit::ContactEdit;
use crate::core::phone::E164;

/// How to read a file: the region for numbers written without a country code,
/// and explicit column mappings over the synonyms (SPEC §20's `import` input,
/// without the CSV).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOptions {
    /// The region (`"US"`) for numbers without a country code.
    #[serde(default)]
    pub default_region: Option<String>,
    /// `{HEADER: FIELD}`, overriding the synonyms.
    #[serde(default)]
    pub mappings: Mappings,
}

/// Why a file could not be imported (a row's problem is a [`RowError`] in the
/// report instead, and the import goes on).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file has no header row.
    #[error("the file is empty: a header row naming the columns is required")]
    NoHeader,
    /// No column is the phone number.
    #[error(
        "no column holds the phone number: name one phone, mobile, cell, number, msisdn or \
         whatsapp, or map one to phone"
    )]
    NoPhoneColumn,
    /// A mapping names a header the file does not have.
    #[error("the mapping names the header {header:?}, which the file does not have")]
    MappedHeaderMissing {
        /// The header as the mapping gave it.
        header: String,
    },
    /// A mapping's field is not one of SPEC §18's.
    #[error("{0}")]
    Mapping(String),
    /// A record is not UTF-8.
    #[error("line {line} is not UTF-8: save the file as UTF-8 (CSV UTF-8 in Excel)")]
    NotUtf8 {
        /// The line the record starts on.
        line: u64,
    },
    /// A record is longer than [`MAX_RECORD_BYTES`] (an unclosed quote, usually).
    #[error(
        "the record starting on line {line} is longer than {MAX_RECORD_BYTES} bytes: is a quote \
         left open?"
    )]
    RecordTooLong {
        /// The line the record starts on.
        line: u64,
    },
    /// The file could not be read.
    #[error("the file could not be read after line {line}: {reason}")]
    Read {
        /// The last line read.
        line: u64,
        /// What the reader said.
        reason: String,
    },
    /// The progress callback asked to stop; the rows before were imported.
    #[error("the import was cancelled after {} rows", .report.rows)]
    Cancelled {
        /// What was imported before it stopped.
        report: Box<ImportReport>,
    },
}

impl From<UnknownField> for ImportError {
    fn from(error: UnknownField) -> Self {
        ImportError::Mapping(error.to_string())
    }
}

impl Columns {
    /// A data record's number and what it says, or why it is skipped
    /// (`missing_phone`, `invalid_phone`; duplicates are the importer's to find).
    pub fn read(
        &self,
        record: &Record,
        default_region: Option<&str>,
    ) -> Result<(E164, ContactEdit), RowError> {
        row::read_row(self, record.cells(), record.line(), default_region)
    }

    /// The record's phone cell, trimmed (empty when the record is short).
    pub fn phone_cell<'r>(&self, record: &'r Record) -> &'r str {
        let column = self.fields().iter().position(|f| *f == ImportField::Phone);
        column
            .and_then(|column| record.cells().nth(column))
            .map_or("", str::trim)
    }
}
