//! Laws of the CSV reader behind imports: whatever bytes come in, it answers
//! without panicking (the fuzz target's check, over proptest's inputs), and a
//! table written by an independent CSV writer reads back cell for cell, each
//! record on the physical line it starts on.

use msgcore::core::import::CsvRecords;
use proptest::prelude::*;

#[path = "../fuzz/checks/import.rs"]
mod import_check;

/// Cells made of what breaks CSV readers: delimiters, quotes, newlines, spaces.
fn cell() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just(','),
            Just(';'),
            Just('"'),
            Just('\n'),
            Just(' '),
            Just('\t'),
            Just('é'),
            Just('a'),
            Just('7'),
        ],
        0..6,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn table() -> impl Strategy<Value = Vec<Vec<String>>> {
    proptest::collection::vec(proptest::collection::vec(cell(), 3), 0..12)
}

/// What the CSV crate's writer makes of `rows` under a `phone,a,b` header.
fn written(rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    writer.write_record(["phone", "a", "b"]).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_bytes_give_records_in_order_or_a_typed_error(
        file in proptest::collection::vec(
            prop_oneof![
                Just(b','), Just(b';'), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b'\t'),
                Just(b'+'), Just(b'1'), Just(b'4'), Just(b'5'), Just(b'p'), Just(0xff), any::<u8>()
            ],
            0..200,
        )
    ) {
        import_check::check(&file);
    }

    #[test]
    fn a_written_table_reads_back_cell_for_cell_on_the_lines_it_starts_on(rows in table()) {
        let file = written(&rows);
        let mut records = CsvRecords::new(&file[..]).unwrap();
        let mut line = 2;
        for row in &rows {
            let record = records.next_record().unwrap().expect("a record per row");
            let cells: Vec<&str> = record.cells().collect();
            prop_assert_eq!(&cells, row);
            prop_assert_eq!(record.line(), line);
            line += 1 + row.iter().map(|c| c.matches('\n').count() as u64).sum::<u64>();
        }
        prop_assert!(records.next_record().unwrap().is_none());
    }
}
