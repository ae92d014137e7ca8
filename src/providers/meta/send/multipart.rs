//! A `multipart/form-data` body (RFC 7578) of text fields and one file, built
//! without randomness: the boundary is the first of a fixed sequence that does not
//! occur in the file, so the same upload always gives the same bytes.

/// A form body and the boundary its `Content-Type` must name.
pub(super) struct Multipart {
    pub(super) boundary: String,
    pub(super) body: Vec<u8>,
}

impl Multipart {
    /// The `Content-Type` header value.
    pub(super) fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }
}

/// The file part of a form.
pub(super) struct FilePart<'a> {
    pub(super) field: &'a str,
    pub(super) file_name: &'a str,
    pub(super) content_type: &'a str,
    pub(super) bytes: &'a [u8],
}

/// `fields` as text parts, then `file`.
pub(super) fn form(fields: &[(&str, &str)], file: &FilePart<'_>) -> Multipart {
    let boundary = boundary_absent_from(file.bytes);
    let mut body = Vec::with_capacity(file.bytes.len() + 512);
    for (name, value) in fields {
        push_part_head(&mut body, &boundary, &disposition(name, None), None);
        body.extend_from_slice(value.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    let disposition = disposition(file.field, Some(file.file_name));
    push_part_head(&mut body, &boundary, &disposition, Some(file.content_type));
    body.extend_from_slice(file.bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Multipart { boundary, body }
}

fn push_part_head(body: &mut Vec<u8>, boundary: &str, disposition: &str, kind: Option<&str>) {
    body.extend_from_slice(format!("--{boundary}\r\n{disposition}\r\n").as_bytes());
    if let Some(kind) = kind {
        body.extend_from_slice(format!("Content-Type: {kind}\r\n").as_bytes());
    }
    body.extend_from_slice(b"\r\n");
}

fn disposition(name: &str, file_name: Option<&str>) -> String {
    let mut line = format!("Content-Disposition: form-data; name=\"{}\"", escape(name));
    if let Some(file_name) = file_name {
        line.push_str(&format!("; filename=\"{}\"", escape(file_name)));
    }
    line
}

/// Escapes a quoted header value as browsers do (WHATWG HTML, "multipart/form-data
/// encoding algorithm"): a quote or a line break would end the value or the header.
fn escape(value: &str) -> String {
    value
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The first `msgcore-{n:016x}` not found in `bytes`. The candidates all have
/// the same length, so each occurrence in `bytes` rules out one candidate at
/// one position: at most `bytes.len()` candidates can be present, and the search
/// ends.
fn boundary_absent_from(bytes: &[u8]) -> String {
    (0_u64..)
        .map(|n| format!("msgcore-{n:016x}"))
        .find(|candidate| memchr::memmem::find(bytes, candidate.as_bytes()).is_none())
        .unwrap_or_default()
}
