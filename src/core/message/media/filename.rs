//! The name an uploaded file came with, kept only to be given back.
//!
//! Clients send what they like as a part's `filename`: a whole path
//! (`C:\fakepath\photo.jpg`, as browsers once did), `../../etc/passwd`,
//! control characters that would end a header, or a right-to-left override
//! that shows `invoice\u{202e}fdp.exe` as `invoiceexe.pdf`. [`MediaFilename::new`]
//! keeps what is safe to show and to send back in `Content-Disposition`.

use serde::{Deserialize, Serialize};

/// The longest name kept, in bytes of UTF-8: most file systems' limit.
pub const MAX_FILENAME_BYTES: usize = 255;

/// A file name as an upload gave it, cleaned: only its last path component,
/// without control or bidirectional formatting characters, at most
/// [`MAX_FILENAME_BYTES`], trimmed, never empty, `.` or `..`.
///
/// It decides nothing: a file's type comes from its bytes
/// ([`sniff`](super::sniff)).
///
/// ```
/// use msgcore::core::message::media::MediaFilename;
///
/// let name = MediaFilename::new("C:\\fakepath\\Q3 report.pdf").unwrap();
/// assert_eq!(name.as_str(), "Q3 report.pdf");
/// assert_eq!(MediaFilename::new("../").map(|n| n.to_string()), None);
/// assert_eq!(
///     MediaFilename::new("invoice\u{202e}fdp.exe").unwrap().as_str(),
///     "invoicefdp.exe",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MediaFilename(String);

impl MediaFilename {
    /// The clean form of `raw`, or `None` when nothing of it is left.
    pub fn new(raw: &str) -> Option<MediaFilename> {
        let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
        let mut kept: String = last.chars().filter(|c| !is_hidden(*c)).collect();
        truncate(&mut kept, MAX_FILENAME_BYTES);
        let name = kept.trim();
        match name {
            "" | "." | ".." => None,
            _ => Some(MediaFilename(name.to_owned())),
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Characters a name shows differently from what it is: controls (a newline
/// ends a header) and the bidirectional embeddings, overrides and isolates.
fn is_hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Cuts `text` to at most `max` bytes, at a character boundary.
fn truncate(text: &mut String, max: usize) {
    if text.len() > max {
        let end = (0..=max)
            .rev()
            .find(|at| text.is_char_boundary(*at))
            .unwrap_or(0);
        text.truncate(end);
    }
}

impl std::fmt::Display for MediaFilename {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<MediaFilename> for String {
    fn from(name: MediaFilename) -> String {
        name.0
    }
}

/// A stored name that is not as [`MediaFilename::new`] leaves names: written
/// by hand, or by something else.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a clean file name (a path, a control character, or over 255 bytes)")]
pub struct UncleanFilename(pub String);

impl TryFrom<String> for MediaFilename {
    type Error = UncleanFilename;

    /// `text` if it is clean already; a stored name is never silently changed.
    fn try_from(text: String) -> Result<MediaFilename, UncleanFilename> {
        match MediaFilename::new(&text) {
            Some(name) if name.0 == text => Ok(name),
            _ => Err(UncleanFilename(text)),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn clean(raw: &str) -> Option<String> {
        MediaFilename::new(raw).map(String::from)
    }

    #[test]
    fn only_the_last_component_of_a_path_is_kept_whatever_the_separator() {
        assert_eq!(clean("photos/2026/beach.jpg").as_deref(), Some("beach.jpg"));
        assert_eq!(
            clean("C:\\fakepath\\beach.jpg").as_deref(),
            Some("beach.jpg")
        );
        assert_eq!(clean("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(clean("dir/"), None);
        assert_eq!(clean(".."), None);
        assert_eq!(clean(" . "), None);
    }

    #[test]
    fn control_and_bidirectional_characters_are_dropped_and_the_rest_kept() {
        assert_eq!(
            clean("a\r\nX-Injected: 1.pdf").as_deref(),
            Some("aX-Injected: 1.pdf")
        );
        assert_eq!(
            clean("\u{2067}rapport.pdf\u{2069}").as_deref(),
            Some("rapport.pdf")
        );
        assert_eq!(
            clean("Zoë \"final\".docx").as_deref(),
            Some("Zoë \"final\".docx")
        );
    }

    #[test]
    fn a_long_name_is_cut_at_a_character_boundary_within_the_limit() {
        let long = "é".repeat(200);
        let kept = clean(&long).unwrap();
        assert_eq!(kept.len(), 254);
        assert!(kept.chars().all(|c| c == 'é'));
    }

    #[test]
    fn a_stored_name_is_read_back_only_if_it_is_clean() {
        let read = |text: &str| serde_json::from_value::<MediaFilename>(text.into());
        assert_eq!(read("a.pdf").unwrap().as_str(), "a.pdf");
        assert!(read("../a.pdf").is_err());
        assert!(read(" a.pdf").is_err());
        let name = MediaFilename::new("a.pdf").unwrap();
        assert_eq!(serde_json::to_value(&name).unwrap(), "a.pdf");
    }

    proptest! {
        #[test]
        fn cleaning_is_idempotent_and_leaves_no_separator_or_hidden_character(raw in any::<String>()) {
            if let Some(name) = MediaFilename::new(&raw) {
                prop_assert_eq!(MediaFilename::new(name.as_str()), Some(name.clone()));
                prop_assert!(!name.as_str().contains(['/', '\\']));
                prop_assert!(!name.as_str().chars().any(is_hidden));
                prop_assert!(name.as_str().len() <= MAX_FILENAME_BYTES);
                prop_assert!(!name.as_str().is_empty());
            }
        }
    }
}
