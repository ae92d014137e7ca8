//! MP3: MPEG audio Layer III frames, optionally after an ID3v2 tag.
//!
//! An ID3v2 tag is `"ID3"`, a major version 2–4, a revision other than `FF`, a flags
//! byte, and a size in four 7-bit bytes; it is followed by the audio (plus a 10-byte
//! footer when flag `0x10` is set). An MPEG audio frame header is 11 sync bits, a
//! version other than the reserved one, layer III, a bitrate index other than
//! "free" (0) and "bad" (15), and a sampling-rate index other than 3
//! (ISO/IEC 11172-3 §2.4.2.3 and 13818-3). One header is 4 bytes that chance can
//! produce, so where the file is long enough the frame the header describes must be
//! followed by another header of the same version, layer and sampling rate.
//! (Free-format streams, which have no bitrate in the header, are not recognized.)

use super::read::u32_be;

const ID3_HEADER_LEN: usize = 10;
const ID3_FOOTER_FLAG: u8 = 0x10;

/// Kilobits per second by bitrate index, for MPEG-1 and for MPEG-2/2.5 Layer III.
const MPEG1_KBPS: [u32; 15] = [
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
];
const MPEG2_KBPS: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
/// Hertz by sampling-rate index, for MPEG-1, MPEG-2 and MPEG-2.5.
const MPEG1_HZ: [u32; 3] = [44_100, 48_000, 32_000];
const MPEG2_HZ: [u32; 3] = [22_050, 24_000, 16_000];
const MPEG25_HZ: [u32; 3] = [11_025, 12_000, 8_000];

pub(super) fn is_mp3(bytes: &[u8]) -> bool {
    let Some(start) = audio_start(bytes) else {
        return false;
    };
    let Some(first) = u32_be(bytes, start).and_then(Frame::parse) else {
        return false;
    };
    let next_at = start.saturating_add(first.length);
    match u32_be(bytes, next_at) {
        None => true,
        Some(word) => Frame::parse(word).is_some_and(|next| next.same_stream(&first)),
    }
}

/// Where the audio starts: after the ID3v2 tag if there is one.
fn audio_start(bytes: &[u8]) -> Option<usize> {
    if !bytes.starts_with(b"ID3") {
        return Some(0);
    }
    let header = bytes.get(..ID3_HEADER_LEN)?;
    let (major, revision, flags) = (*header.get(3)?, *header.get(4)?, *header.get(5)?);
    let size_bytes = header.get(6..10)?;
    if !(2..=4).contains(&major) || revision == 0xFF || size_bytes.iter().any(|b| b & 0x80 != 0) {
        return None;
    }
    let size = size_bytes
        .iter()
        .fold(0usize, |size, b| (size << 7) | usize::from(*b));
    let footer = if flags & ID3_FOOTER_FLAG != 0 {
        ID3_HEADER_LEN
    } else {
        0
    };
    Some(ID3_HEADER_LEN + size + footer)
}

/// What a valid Layer III frame header says.
#[derive(Debug, PartialEq)]
struct Frame {
    version: u32,
    sample_rate: u32,
    length: usize,
}

impl Frame {
    fn parse(header: u32) -> Option<Frame> {
        if header >> 21 != 0x7FF {
            return None;
        }
        let version = (header >> 19) & 0b11; // 0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1
        let layer = (header >> 17) & 0b11; // 1: Layer III
        let bitrate_index = usize::try_from((header >> 12) & 0b1111).ok()?;
        let rate_index = usize::try_from((header >> 10) & 0b11).ok()?;
        let padding = (header >> 9) & 1;
        if version == 1 || layer != 1 {
            return None;
        }
        let (kbps, rates) = match version {
            3 => (MPEG1_KBPS.get(bitrate_index)?, MPEG1_HZ),
            2 => (MPEG2_KBPS.get(bitrate_index)?, MPEG2_HZ),
            _ => (MPEG2_KBPS.get(bitrate_index)?, MPEG25_HZ),
        };
        let sample_rate = *rates.get(rate_index)?;
        if *kbps == 0 {
            return None;
        }
        // Samples per frame / 8 bits: 1152/8 for MPEG-1, 576/8 for MPEG-2 and 2.5.
        let coefficient = if version == 3 { 144 } else { 72 };
        let bytes = coefficient * kbps * 1000 / sample_rate + padding;
        Some(Frame {
            version,
            sample_rate,
            length: usize::try_from(bytes).ok()?,
        })
    }

    fn same_stream(&self, other: &Frame) -> bool {
        self.version == other.version && self.sample_rate == other.sample_rate
    }
}
