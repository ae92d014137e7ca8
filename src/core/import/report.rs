//! What an import did, in SPEC §18's form, and how far it has got.

use serde::{Deserialize, Serialize};

use super::row::{RowError, SkipReason};

/// How many rows were skipped, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// Rows with no phone.
    pub missing_phone: u64,
    /// Rows whose phone is not a valid number.
    pub invalid_phone: u64,
    /// Rows whose number came earlier in the file.
    pub duplicate: u64,
}

/// The report of one import (SPEC §18).
///
/// `errors` lists skipped rows in file order, up to
/// [`ImportReport::MAX_ERRORS`] of them so that memory stays bounded; the counts
/// in `skipped` are always exact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Data records read.
    pub rows: u64,
    /// Contacts created.
    pub created: u64,
    /// Known contacts the file named (changed or not).
    pub updated: u64,
    /// Rows that opted at least one channel in.
    pub opted_in: u64,
    /// Rows whose opt-in a standing opt-out refused.
    pub opt_in_refused: u64,
    /// Rows skipped, by reason.
    pub skipped: Skipped,
    /// The skipped rows, in file order.
    pub errors: Vec<RowError>,
}

impl ImportReport {
    /// The most skipped rows listed in `errors`.
    pub const MAX_ERRORS: usize = 10_000;

    /// Counts a skipped row and lists it while there is room.
    pub fn skip(&mut self, error: RowError) {
        let count = match error.reason {
            SkipReason::MissingPhone => &mut self.skipped.missing_phone,
            SkipReason::InvalidPhone => &mut self.skipped.invalid_phone,
            SkipReason::Duplicate => &mut self.skipped.duplicate,
        };
        *count += 1;
        if self.errors.len() < Self::MAX_ERRORS {
            self.errors.push(error);
        }
    }
}

/// How far an import has got, for a progress bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    /// Data records read so far.
    pub rows: u64,
    /// Bytes of the file read so far.
    pub bytes: u64,
}
