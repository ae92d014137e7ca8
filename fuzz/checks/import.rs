//! CSV import: any bytes give a header and records, or a typed error, never a
//! panic. Records come in file order on physical lines after the header's, no
//! more of them than the file has lines; each reads as a valid number (which
//! normalizes to itself) or as a skip naming its line and the trimmed cell.
//!
//! Input: the file. The first byte, when it is below 8, picks explicit
//! mappings from a small set, so the mapping paths are fuzzed too.

use msgcore::E164;
use msgcore::core::import::{Columns, CsvRecords, ImportField, Mappings};

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let (mappings, file) = match data.split_first() {
        Some((&pick, rest)) if pick < 8 => (mappings(pick), rest),
        _ => (Mappings::new(), data),
    };
    let Ok(mut records) = CsvRecords::new(file) else {
        return;
    };
    let Ok(columns) = Columns::new(records.header(), &mappings) else {
        return;
    };
    let lines = file.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let mut previous = 1;
    while let Ok(Some(record)) = records.next_record() {
        assert!(
            record.line() > previous,
            "records come in order, after the header"
        );
        assert!(
            record.line() <= lines,
            "a record starts on a line of the file"
        );
        previous = record.line();
        match columns.read(&record, Some("US")) {
            Ok((phone, _)) => {
                let again = E164::parse(phone.as_str(), None);
                assert_eq!(
                    again.ok(),
                    Some(phone),
                    "an imported number is a fixed point"
                );
            }
            Err(skip) => {
                assert_eq!(skip.line, record.line());
                assert_eq!(skip.value.trim(), skip.value, "the cell is trimmed");
            }
        }
        assert!(records.bytes_read() <= file.len() as u64);
    }
}

fn mappings(pick: u8) -> Mappings {
    let choices = [
        ("phone", ImportField::Ignore),
        ("a", ImportField::Phone),
        ("b", ImportField::Attribute("x".to_owned())),
        ("name", ImportField::Tags),
    ];
    choices
        .into_iter()
        .enumerate()
        .filter(|(bit, _)| pick & (1 << bit) != 0)
        .map(|(_, (header, field))| (header.to_owned(), field))
        .collect()
}
