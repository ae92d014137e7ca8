//! A CSV file as a stream of records (SPEC §18): UTF-8 with a leading BOM
//! ignored, LF or CRLF, RFC 4180 quoting, the delimiter whichever of `,` `;` TAB
//! comes first in the header line. Memory stays bounded: one record at a time,
//! and a record longer than [`MAX_RECORD_BYTES`] is refused instead of buffered.

use std::io::{self, Chain, Cursor, Read};

use super::ImportError;

/// The longest record read (an unclosed quote would otherwise swallow the rest
/// of the file into one field).
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

/// How much of the file is searched for the header line's delimiter.
const HEADER_SCAN_BYTES: usize = 64 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file as it is read: bytes counted for progress, and a guard on the
/// length of the record being read.
#[derive(Debug)]
struct Source<R> {
    inner: R,
    read: u64,
    record_start: u64,
}

/// The guard's refusal, passed through the CSV reader as an I/O error.
#[derive(Debug, thiserror::Error)]
#[error("record longer than {MAX_RECORD_BYTES} bytes")]
struct TooLong;

impl<R: Read> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read.saturating_sub(self.record_start) > MAX_RECORD_BYTES {
            return Err(io::Error::other(TooLong));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// One data record and the physical line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    line: u64,
    cells: csv::StringRecord,
}

impl Record {
    /// The line it starts on (the header is line 1).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Its cells, untrimmed.
    pub fn cells(&self) -> impl Iterator<Item = &str> {
        self.cells.iter()
    }

    /// Whether the line has nothing on it but white space (not a record).
    fn is_blank(&self) -> bool {
        self.cells.len() <= 1 && self.cells.iter().all(|cell| cell.trim().is_empty())
    }
}

/// What the CSV reader reads: the header line searched for the delimiter, the
/// rest of the file, and a final LF.
type Input<R> = Chain<Chain<Cursor<Vec<u8>>, Source<R>>, &'static [u8]>;

/// A CSV file's header and, one at a time, its data records.
pub struct CsvRecords<R> {
    reader: csv::Reader<Input<R>>,
    header: Vec<String>,
    buffer: csv::ByteRecord,
}

impl<R> std::fmt::Debug for CsvRecords<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvRecords")
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

impl<R: Read> CsvRecords<R> {
    /// Reads the header; an empty file is [`ImportError::NoHeader`].
    pub fn new(file: R) -> Result<CsvRecords<R>, ImportError> {
        let mut source = Source {
            inner: file,
            read: 0,
            record_start: 0,
        };
        let mut start = header_prefix(&mut source)?;
        if start.starts_with(BOM) {
            start.drain(..BOM.len());
        }
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter(&start))
            // Lines end at LF, and `strip_cr` drops a CRLF's CR from the last
            // cell. (With CRLF as a terminator the csv crate counts a record's
            // line before the LF: one too few.)
            .terminator(csv::Terminator::Any(b'\n'))
            // A last LF makes every record end with one, so a record's line is
            // counted back from where it ends (see `start_line`).
            .from_reader(Cursor::new(start).chain(source).chain(&b"\n"[..]));
        let mut records = CsvRecords {
            reader,
            header: Vec::new(),
            buffer: csv::ByteRecord::new(),
        };
        let header = records.next_record()?.ok_or(ImportError::NoHeader)?;
        records.header = header.cells().map(str::to_owned).collect();
        Ok(records)
    }

    /// The header's cells.
    pub fn header(&self) -> impl Iterator<Item = &str> {
        self.header.iter().map(String::as_str)
    }

    /// The next data record, skipping lines with nothing on them; `None` at the
    /// end of the file.
    pub fn next_record(&mut self) -> Result<Option<Record>, ImportError> {
        loop {
            let next_line = self.reader.position().line();
            match self.reader.read_byte_record(&mut self.buffer) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(error) => return Err(read_error(error, next_line)),
            }
            let line = self.start_line();
            let next = self.reader.position().byte();
            self.source_mut().record_start = next;
            strip_cr(&mut self.buffer);
            let cells = csv::StringRecord::from_byte_record(std::mem::take(&mut self.buffer))
                .map_err(|_| ImportError::NotUtf8 { line })?;
            let record = Record { line, cells };
            if !record.is_blank() {
                return Ok(Some(record));
            }
        }
    }

    /// How many bytes of the file were read so far.
    pub fn bytes_read(&self) -> u64 {
        self.reader.get_ref().get_ref().0.get_ref().1.read
    }

    fn source_mut(&mut self) -> &mut Source<R> {
        self.reader.get_mut().get_mut().0.get_mut().1
    }

    /// The line the record just read starts on.
    ///
    /// The csv crate's own record position points at the empty lines it
    /// skipped before a record, not at the record; counted back from where the
    /// record ended (the line after its LF, less the newlines inside its quoted
    /// fields), the line is exact. The one record that does not end with an LF
    /// is one a quote left open to the end of the file; for it the larger of
    /// the two counts is exact too, unless empty lines came right before it.
    fn start_line(&self) -> u64 {
        let inner_newlines = self
            .buffer
            .iter()
            .map(|field| field.iter().filter(|b| **b == b'\n').count() as u64)
            .sum::<u64>();
        let from_end = self
            .reader
            .position()
            .line()
            .saturating_sub(1)
            .saturating_sub(inner_newlines);
        let from_start = self.buffer.position().map_or(0, csv::Position::line);
        from_end.max(from_start)
    }
}

/// Drops the CR a CRLF line ending leaves at the end of the last cell.
fn strip_cr(record: &mut csv::ByteRecord) {
    let Some(last) = record.iter().next_back() else {
        return;
    };
    if let Some(kept) = last.strip_suffix(b"\r") {
        let kept = kept.to_vec();
        record.truncate(record.len() - 1);
        record.push_field(&kept);
    }
}

/// Reads up to the end of the first line (or [`HEADER_SCAN_BYTES`]).
fn header_prefix<R: Read>(source: &mut Source<R>) -> Result<Vec<u8>, ImportError> {
    let mut prefix = Vec::new();
    let mut chunk = [0u8; 4096];
    while prefix.len() < HEADER_SCAN_BYTES && !prefix.contains(&b'\n') {
        let n = source.read(&mut chunk).map_err(|error| ImportError::Read {
            line: 0,
            reason: error.to_string(),
        })?;
        match chunk.get(..n) {
            Some(read) if n > 0 => prefix.extend_from_slice(read),
            _ => break,
        }
    }
    Ok(prefix)
}

/// Whichever of `,` `;` TAB comes first in the header line; `,` if none does.
fn delimiter(start: &[u8]) -> u8 {
    start
        .iter()
        .take_while(|b| **b != b'\n')
        .find(|b| matches!(b, b',' | b';' | b'\t'))
        .copied()
        .unwrap_or(b',')
}

fn read_error(error: csv::Error, line: u64) -> ImportError {
    let too_long = matches!(error.kind(), csv::ErrorKind::Io(io)
        if io.get_ref().is_some_and(|inner| inner.is::<TooLong>()));
    if too_long {
        return ImportError::RecordTooLong { line };
    }
    ImportError::Read {
        line,
        reason: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(file: &str) -> (Vec<String>, Vec<(u64, Vec<String>)>) {
        let mut records = CsvRecords::new(file.as_bytes()).unwrap();
        let header = records.header().map(str::to_owned).collect();
        let mut rows = Vec::new();
        while let Some(record) = records.next_record().unwrap() {
            rows.push((record.line(), record.cells().map(str::to_owned).collect()));
        }
        (header, rows)
    }

    #[test]
    fn the_delimiter_is_whichever_of_comma_semicolon_and_tab_comes_first_in_the_header() {
        assert_eq!(
            all("phone;name,x\n1;2,3\n").1,
            [(2, vec!["1".into(), "2,3".into()])]
        );
        assert_eq!(
            all("phone\tname\n1\t2\n").1,
            [(2, vec!["1".into(), "2".into()])]
        );
        assert_eq!(
            all("phone,name;x\n1,2;3\n").1,
            [(2, vec!["1".into(), "2;3".into()])]
        );
    }

    #[test]
    fn a_bom_is_ignored_and_crlf_and_lf_both_end_lines() {
        let (header, rows) = all("\u{feff}phone,name\r\n1,a\n2,b\r\n");
        assert_eq!(header, ["phone", "name"]);
        assert_eq!(
            rows.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
            [2, 3]
        );
    }

    #[test]
    fn a_quoted_newline_stays_in_its_field_and_lines_count_physically() {
        let (_, rows) = all("phone,note\n1,\"two\nlines\"\n\n   \n2,x\n");
        assert_eq!(rows[0], (2, vec!["1".into(), "two\nlines".into()]));
        assert_eq!(rows[1].0, 6);
    }

    #[test]
    fn an_empty_file_has_no_header() {
        assert_eq!(
            CsvRecords::new(&b""[..]).unwrap_err(),
            ImportError::NoHeader
        );
        assert_eq!(
            CsvRecords::new(&b"\n\n"[..]).unwrap_err(),
            ImportError::NoHeader
        );
    }

    #[test]
    fn a_record_that_is_not_utf8_is_refused_naming_its_line() {
        let mut records = CsvRecords::new(&b"phone,name\n1,Jos\xe9\n"[..]).unwrap();
        assert_eq!(
            records.next_record().unwrap_err(),
            ImportError::NotUtf8 { line: 2 }
        );
    }

    #[test]
    fn an_unclosed_quote_is_refused_once_the_record_passes_the_bound() {
        let mut file = b"phone,note\n1,\"".to_vec();
        file.resize(file.len() + 3 * MAX_RECORD_BYTES as usize, b'x');
        let mut records = CsvRecords::new(&file[..]).unwrap();
        assert_eq!(
            records.next_record().unwrap_err(),
            ImportError::RecordTooLong { line: 2 }
        );
    }

    #[test]
    fn bytes_read_counts_the_file() {
        let file = "phone\n1\n2\n";
        let mut records = CsvRecords::new(file.as_bytes()).unwrap();
        while records.next_record().unwrap().is_some() {}
        assert_eq!(records.bytes_read(), file.len() as u64);
    }
}
