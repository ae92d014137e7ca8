//! MP4: the `ftyp` box of an ISO base media file (ISO/IEC 14496-12 §4.3).
//!
//! The box is `size (u32) "ftyp" major_brand minor_version compatible_brands…`.
//! The file is MP4 video when the major brand, or any compatible brand, is one of
//! the MP4 brands below — unless the major brand names another family that lists
//! `isom` among its compatible brands: QuickTime (`qt  `), HEIF and AVIF images,
//! 3GPP, and MPEG-4 audio or audiobooks (`M4A `, `M4B `, `M4P `).

use super::read::u32_be;
use super::{MediaType, SniffError};

/// Brands of MP4 video files.
const MP4_BRANDS: [&[u8; 4]; 16] = [
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9", b"mp41",
    b"mp42", b"avc1", b"mmp4", b"M4V ", b"dash", b"MSNV",
];

/// Major brands of other families, even when `isom` is among their compatible brands.
/// (3GPP brands, `3gp4`, `3g2a` and the like, are recognized by their `3g` prefix.)
const OTHER_FAMILIES: [&[u8; 4]; 10] = [
    b"qt  ", b"M4A ", b"M4B ", b"M4P ", b"heic", b"heix", b"mif1", b"msf1", b"avif", b"crx ",
];

/// The smallest `ftyp` box: size, type, major brand and minor version.
const MIN_BOX: usize = 16;
/// A generous bound on a real `ftyp` box, so a corrupt size is not trusted.
const MAX_BOX: usize = 4096;

pub(super) fn sniff(bytes: &[u8]) -> Result<MediaType, SniffError> {
    let size = u32_be(bytes, 0)
        .and_then(|size| usize::try_from(size).ok())
        .filter(|size| (MIN_BOX..=MAX_BOX).contains(size) && size % 4 == 0)
        .ok_or(SniffError::Unrecognized)?;
    let ftyp = bytes.get(..size).ok_or(SniffError::Unrecognized)?;
    let major = ftyp.get(8..12).ok_or(SniffError::Unrecognized)?;
    let compatible = ftyp.get(MIN_BOX..).unwrap_or_default().chunks_exact(4);
    let is_family =
        |family: &[&[u8; 4]], brand: &[u8]| family.iter().any(|b| b.as_slice() == brand);
    let other_family = is_family(&OTHER_FAMILIES, major) || major.starts_with(b"3g");
    let mp4 =
        is_family(&MP4_BRANDS, major) || compatible.into_iter().any(|b| is_family(&MP4_BRANDS, b));
    if mp4 && !other_family {
        Ok(MediaType::Mp4)
    } else {
        Err(SniffError::NotMp4 {
            brand: String::from_utf8_lossy(major).into_owned(),
        })
    }
}
