//! The JSON Lines loop every command shares: one answer per input line, in order.

use std::io::{self, BufRead, BufWriter, Write};

use serde::Serialize;

/// Answers one input line by writing one JSON value (without the newline) to `out`;
/// `simulate` keeps state from line to line, the other commands do not.
pub type Handler = Box<dyn FnMut(&str, &mut Vec<u8>)>;

/// Writes `{"error": message}`.
pub fn write_error(out: &mut Vec<u8>, message: impl std::fmt::Display) {
    write_json(
        out,
        &ErrorLine {
            error: message.to_string(),
        },
    );
}

/// Serializes `value` into `out`.
pub fn write_json(out: &mut Vec<u8>, value: &impl Serialize) {
    if let Err(error) = serde_json::to_writer(&mut *out, value) {
        out.clear();
        // Serializing our own plain structs cannot fail; answer anyway rather than panic.
        let _ = serde_json::to_writer(
            &mut *out,
            &ErrorLine {
                error: error.to_string(),
            },
        );
    }
}

/// Deserializes a command's input, or writes the error line and returns `None`.
pub fn parse<'a, T: serde::Deserialize<'a>>(line: &'a str, out: &mut Vec<u8>) -> Option<T> {
    match serde_json::from_str(line) {
        Ok(value) => Some(value),
        Err(error) => {
            write_error(out, format_args!("invalid input line: {error}"));
            None
        }
    }
}

#[derive(Serialize)]
struct ErrorLine {
    error: String,
}

/// Reads `input` line by line and writes one answer line per input line.
pub fn run(mut input: impl BufRead, output: impl Write, mut handler: Handler) -> io::Result<()> {
    let mut output = BufWriter::with_capacity(1 << 16, output);
    let mut raw = Vec::new();
    let mut answer = Vec::new();
    loop {
        raw.clear();
        if input.read_until(b'\n', &mut raw)? == 0 {
            break;
        }
        answer.clear();
        answer_line(&raw, &mut answer, &mut handler);
        answer.push(b'\n');
        output.write_all(&answer)?;
    }
    output.flush()
}

fn answer_line(raw: &[u8], answer: &mut Vec<u8>, handler: &mut Handler) {
    let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    match std::str::from_utf8(raw) {
        Ok(line) if line.trim().is_empty() => write_error(answer, "empty input line"),
        Ok(line) => handler(line, answer),
        Err(error) => write_error(answer, format_args!("input line is not UTF-8: {error}")),
    }
}
