//! DOCX: an Office Open XML package, found through the ZIP central directory.
//!
//! What is and is not verified is documented on the parent module.

use super::read::{u16_le, u32_le};
use super::{MediaType, SniffError};

const LOCAL_HEADER: &[u8] = b"PK\x03\x04";
const CENTRAL_HEADER: &[u8] = b"PK\x01\x02";
const END_OF_DIRECTORY: &[u8] = b"PK\x05\x06";
const END_RECORD_LEN: usize = 22;
const MAX_COMMENT: usize = u16::MAX as usize;
const CENTRAL_HEADER_LEN: usize = 46;

pub(super) fn sniff(bytes: &[u8]) -> Result<MediaType, SniffError> {
    if is_word_package(bytes).unwrap_or(false) {
        Ok(MediaType::Docx)
    } else {
        Err(SniffError::ZipNotDocx)
    }
}

/// `None` when the archive's structure cannot be read.
fn is_word_package(bytes: &[u8]) -> Option<bool> {
    let end = find_end_of_directory(bytes)?;
    let entries = u16_le(bytes, end + 10)?;
    let directory_len = u32_le(bytes, end + 12)?;
    let directory_at = u32_le(bytes, end + 16)?;
    if entries == u16::MAX || directory_len == u32::MAX || directory_at == u32::MAX {
        return None;
    }
    let mut at = usize::try_from(directory_at).ok()?;
    let mut content_types = false;
    let mut word_part = false;
    for _ in 0..entries {
        if bytes.get(at..at + 4)? != CENTRAL_HEADER {
            return None;
        }
        let name_len = usize::from(u16_le(bytes, at + 28)?);
        let extra_len = usize::from(u16_le(bytes, at + 30)?);
        let comment_len = usize::from(u16_le(bytes, at + 32)?);
        let local_at = usize::try_from(u32_le(bytes, at + 42)?).ok()?;
        let name_at = at + CENTRAL_HEADER_LEN;
        let name = bytes.get(name_at..name_at + name_len)?;
        let is_content_types = name == b"[Content_Types].xml";
        let is_word = name.starts_with(b"word/") && name.len() > b"word/".len();
        if (is_content_types || is_word) && bytes.get(local_at..local_at + 4)? != LOCAL_HEADER {
            return None;
        }
        content_types |= is_content_types;
        word_part |= is_word;
        at = name_at + name_len + extra_len + comment_len;
    }
    Some(content_types && word_part)
}

/// The offset of the end of central directory record, searched from the end.
fn find_end_of_directory(bytes: &[u8]) -> Option<usize> {
    let last = bytes.len().checked_sub(END_RECORD_LEN)?;
    let first = last.saturating_sub(MAX_COMMENT);
    (first..=last)
        .rev()
        .find(|&at| bytes.get(at..at + 4) == Some(END_OF_DIRECTORY))
}
