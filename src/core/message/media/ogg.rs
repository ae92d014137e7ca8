//! OGG: the first page of the stream, and the codec of its first packet.
//!
//! An OGG stream starts with a page whose capture pattern is `OggS`, stream
//! structure version 0, and the beginning-of-stream flag set; the first packet
//! follows the page's segment table and names the codec (`OpusHead` for Opus,
//! `\x01vorbis` for Vorbis, …) — RFC 3533 and RFC 7845 §5.1.

use super::{MediaType, SniffError};

const BEGINNING_OF_STREAM: u8 = 0x02;
const SEGMENT_COUNT_AT: usize = 26;
const SEGMENT_TABLE_AT: usize = 27;

pub(super) fn sniff(bytes: &[u8]) -> Result<MediaType, SniffError> {
    let version = bytes.get(4).copied();
    let flags = bytes.get(5).copied().unwrap_or_default();
    if version != Some(0) || flags & BEGINNING_OF_STREAM == 0 {
        return Err(SniffError::Unrecognized);
    }
    let segments = usize::from(bytes.get(SEGMENT_COUNT_AT).copied().unwrap_or_default());
    let packet = bytes.get(SEGMENT_TABLE_AT + segments..).unwrap_or_default();
    if packet.starts_with(b"OpusHead") {
        Ok(MediaType::OggOpus)
    } else {
        Err(SniffError::OggNotOpus)
    }
}
