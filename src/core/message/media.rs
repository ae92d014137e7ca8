//! Media files checked by what they contain, not by their names (SPEC §6).
//!
//! A file called `photo.jpg` may be anything; the provider looks at its bytes, and
//! so does [`sniff`]. [`check_media`] then checks the type against the message's
//! kind and the 16 MB limit. The accepted types are those of the SPEC and Kaanha's
//! upload endpoint; what each check verifies:
//!
//! | type | verified | not verified |
//! |---|---|---|
//! | JPEG | starts with the SOI marker and a marker (`FF D8 FF`) | the rest of the stream |
//! | PNG | the 8-byte signature followed by an `IHDR` chunk | chunks after it, CRCs |
//! | WebP | a `RIFF` container of form `WEBP` whose first chunk is `VP8 `, `VP8L` or `VP8X` | the bitstream |
//! | PDF | starts with `%PDF-` and a version digit | the body, trailer and cross-reference table |
//! | DOCX | a ZIP whose central directory lists `[Content_Types].xml` and a `word/` part (below) | what the (compressed) parts contain |
//! | MP3 | an MPEG-1/2/2.5 Layer III frame header, after an ID3v2 tag if there is one, and the next frame header where the file is long enough to hold it | the audio data |
//! | OGG | an `OggS` beginning-of-stream page whose first packet is an `OpusHead` | later pages, CRCs |
//! | MP4 | an `ftyp` box whose major or compatible brand is an MP4 brand | the codecs (Meta takes only H.264 video with AAC audio) |
//!
//! **DOCX** is an Office Open XML package, which is a ZIP archive. Verified: the
//! file starts with a ZIP local file header; its end of central directory record is
//! found (searching back over an archive comment of up to 64 KiB); the central
//! directory it points to lies inside the file and every entry read has the right
//! signature; the directory lists a part named exactly `[Content_Types].xml` and at
//! least one part under `word/`; and the local header each of those entries points
//! to exists. Not verified: the parts' contents, which are usually deflated and
//! would need an inflater — so `[Content_Types].xml` is not read to confirm the main
//! part's content type, and a macro-enabled `.docm` (same layout) passes as DOCX.
//! ZIP64 archives (whose directory fields are `0xFFFF…` placeholders) are not read
//! and are refused; a DOCX within the 16 MB limit has no need of ZIP64.
//!
//! OGG is accepted only with the Opus codec: Meta's media reference lists
//! `audio/ogg` as "OPUS codecs only; base audio/ogg not supported", so an OGG
//! Vorbis file is refused here with its own reason rather than by Meta later.
//!
//! A file's name never decides its type; [`MediaFilename`] keeps a name only to
//! give it back on download, cleaned of paths, control and bidirectional
//! formatting characters.
//!
//! The limit is 16,000,000 bytes: "16 MB" read in decimal, so a file accepted here
//! is within 16 MB whichever reading the provider uses. (Meta's own limits are
//! finer — 5 MB for images, 100 MB for documents — and are the provider's to apply.)

mod docx;
mod filename;
mod iso;
mod mp3;
mod ogg;

use serde::{Deserialize, Serialize};

use super::kind::MediaKind;

pub use filename::{MAX_FILENAME_BYTES, MediaFilename, UncleanFilename};

/// The largest media file accepted, in bytes.
pub const MAX_MEDIA_BYTES: usize = 16_000_000;

/// A media type recognized by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MediaType {
    /// JPEG image.
    Jpeg,
    /// PNG image.
    Png,
    /// WebP image.
    Webp,
    /// PDF document.
    Pdf,
    /// Word (Office Open XML) document.
    Docx,
    /// MP3 audio (MPEG Layer III).
    Mp3,
    /// Opus audio in an OGG container.
    OggOpus,
    /// MP4 video.
    Mp4,
}

impl MediaType {
    /// Every accepted type, images first, as the SPEC lists them.
    pub const ALL: &'static [MediaType] = &[
        MediaType::Jpeg,
        MediaType::Png,
        MediaType::Webp,
        MediaType::Pdf,
        MediaType::Docx,
        MediaType::Mp3,
        MediaType::OggOpus,
        MediaType::Mp4,
    ];

    /// The MIME type to declare when uploading it.
    pub const fn mime_type(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Webp => "image/webp",
            MediaType::Pdf => "application/pdf",
            MediaType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            MediaType::Mp3 => "audio/mpeg",
            MediaType::OggOpus => "audio/ogg",
            MediaType::Mp4 => "video/mp4",
        }
    }

    /// The kind of message that carries it.
    pub const fn kind(self) -> MediaKind {
        match self {
            MediaType::Jpeg | MediaType::Png | MediaType::Webp => MediaKind::Image,
            MediaType::Pdf | MediaType::Docx => MediaKind::Document,
            MediaType::Mp3 | MediaType::OggOpus => MediaKind::Audio,
            MediaType::Mp4 => MediaKind::Video,
        }
    }
}

impl std::fmt::Display for MediaType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.mime_type())
    }
}

/// Why bytes are not one of the accepted media types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SniffError {
    /// Nothing about the bytes matches an accepted type.
    #[error("the content is not JPEG, PNG, WebP, PDF, DOCX, MP3, OGG (Opus) or MP4")]
    Unrecognized,
    /// An OGG stream whose codec is not Opus (Vorbis, FLAC, Speex, …).
    #[error("the OGG stream is not Opus; WhatsApp takes OGG audio only with the Opus codec")]
    OggNotOpus,
    /// A ZIP archive that is not a Word document (a spreadsheet, a plain archive, a
    /// ZIP64 archive, whose directory is not read).
    #[error("the ZIP archive is not a Word document (no [Content_Types].xml and word/ part found)")]
    ZipNotDocx,
    /// An ISO media file of another family (QuickTime, HEIF, 3GPP, M4A audio, …).
    #[error("the ISO media file is {brand:?}, not MP4 video")]
    NotMp4 {
        /// Its major brand.
        brand: String,
    },
}

/// Why a media file cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// The file is over the size limit.
    #[error("the file is {size} bytes; the limit is {max}")]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit: [`MAX_MEDIA_BYTES`], or a provider's stricter one for the kind.
        max: usize,
    },
    /// The content is not an accepted type.
    #[error(transparent)]
    Unsupported(#[from] SniffError),
    /// An accepted type, but not for this kind of message.
    #[error("the file is {found}, which is not sent as {expected}")]
    WrongKind {
        /// The kind of message it was to be sent as.
        expected: MediaKind,
        /// What the file is.
        found: MediaType,
    },
}

/// The media type of `bytes`, recognized by content alone.
///
/// ```
/// use msgcore::core::message::media::{MediaType, SniffError, sniff};
///
/// assert_eq!(sniff(b"%PDF-1.7\n..."), Ok(MediaType::Pdf));
/// assert_eq!(sniff(b"GIF89a"), Err(SniffError::Unrecognized));
/// ```
pub fn sniff(bytes: &[u8]) -> Result<MediaType, SniffError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(MediaType::Jpeg);
    }
    if is_png(bytes) {
        return Ok(MediaType::Png);
    }
    if is_webp(bytes) {
        return Ok(MediaType::Webp);
    }
    if bytes.starts_with(b"%PDF-") && bytes.get(5).is_some_and(u8::is_ascii_digit) {
        return Ok(MediaType::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return docx::sniff(bytes);
    }
    if bytes.starts_with(b"OggS") {
        return ogg::sniff(bytes);
    }
    if bytes.get(4..8) == Some(b"ftyp") {
        return iso::sniff(bytes);
    }
    if mp3::is_mp3(bytes) {
        return Ok(MediaType::Mp3);
    }
    Err(SniffError::Unrecognized)
}

/// Checks a file of any accepted type, to be stored before a message names it
/// (`POST /media`): not empty, at most [`MAX_MEDIA_BYTES`], and by content one
/// of [`MediaType::ALL`]. The whole file is needed (a DOCX's directory is at its
/// end).
///
/// ```
/// use msgcore::core::message::media::{MediaError, MediaType, SniffError, check_upload};
///
/// assert_eq!(check_upload(b"%PDF-1.7\n..."), Ok(MediaType::Pdf));
/// assert_eq!(check_upload(b""), Err(MediaError::Empty));
/// assert_eq!(
///     check_upload(b"hello, I am text"),
///     Err(MediaError::Unsupported(SniffError::Unrecognized)),
/// );
/// ```
pub fn check_upload(bytes: &[u8]) -> Result<MediaType, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    if bytes.len() > MAX_MEDIA_BYTES {
        return Err(MediaError::TooLarge {
            size: bytes.len(),
            max: MAX_MEDIA_BYTES,
        });
    }
    Ok(sniff(bytes)?)
}

/// Checks a file to be sent as `kind`: [`check_upload`]'s checks, and a type
/// for that kind.
///
/// ```
/// use msgcore::core::message::MediaKind;
/// use msgcore::core::message::media::{MediaError, MediaType, check_media};
///
/// let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
/// assert_eq!(check_media(MediaKind::Image, png), Ok(MediaType::Png));
/// assert_eq!(
///     check_media(MediaKind::Document, png),
///     Err(MediaError::WrongKind { expected: MediaKind::Document, found: MediaType::Png }),
/// );
/// ```
pub fn check_media(kind: MediaKind, bytes: &[u8]) -> Result<MediaType, MediaError> {
    let found = check_upload(bytes)?;
    if found.kind() == kind {
        Ok(found)
    } else {
        Err(MediaError::WrongKind {
            expected: kind,
            found,
        })
    }
}

fn is_png(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.get(12..16) == Some(b"IHDR")
}

fn is_webp(bytes: &[u8]) -> bool {
    bytes.starts_with(b"RIFF")
        && bytes.get(8..12) == Some(b"WEBP")
        && matches!(bytes.get(12..16), Some(b"VP8 " | b"VP8L" | b"VP8X"))
}

/// Big-endian and little-endian integers at an offset, `None` past the end.
mod read {
    pub(super) fn u16_le(bytes: &[u8], at: usize) -> Option<u16> {
        Some(u16::from_le_bytes(
            bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
        ))
    }

    pub(super) fn u32_le(bytes: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_le_bytes(
            bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
        ))
    }

    pub(super) fn u32_be(bytes: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_be_bytes(
            bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
        ))
    }
}

#[cfg(test)]
pub(crate) mod tests;
