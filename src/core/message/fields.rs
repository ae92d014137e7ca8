//! Checks shared by every kind of content: required text, length limits, media
//! references.
//!
//! Lengths are counted in Unicode scalar values (Rust `char`s): Meta documents its
//! limits in "characters" without saying more, and a scalar value is what its
//! servers, written in languages with Unicode strings, most plausibly count.

use serde::{Deserialize, Serialize};

use super::error::{ContentError, ContentProblem};

/// Checks a required text field: present, not empty or white space only, and at most
/// `max` characters.
pub(crate) fn required(field: &str, value: Option<&str>, max: usize) -> Result<(), ContentError> {
    match value {
        Some(text) if !text.trim().is_empty() => within(field, text, max),
        _ => Err(ContentError::new(field, ContentProblem::Missing)),
    }
}

/// An optional field: absent is fine; present, it must be non-blank and within `max`.
pub(crate) fn optional(field: &str, value: Option<&str>, max: usize) -> Result<(), ContentError> {
    match value {
        None => Ok(()),
        some => required(field, some, max),
    }
}

/// Checks a file name the recipient sees: not blank, no path separators or control
/// characters (a name, not a path).
pub(crate) fn check_filename(filename: &str) -> Result<(), ContentError> {
    required("filename", Some(filename), usize::MAX)?;
    if filename
        .chars()
        .any(|c| c == '/' || c == '\\' || c.is_control())
    {
        return Err(ContentError::new(
            "filename",
            ContentProblem::Malformed {
                expected: "a file name without path separators or control characters",
            },
        ));
    }
    Ok(())
}

fn within(field: &str, text: &str, max: usize) -> Result<(), ContentError> {
    // A scalar value is at least one UTF-8 byte, so short text needs no counting.
    if text.len() <= max {
        return Ok(());
    }
    let length = text.chars().count();
    if length <= max {
        Ok(())
    } else {
        Err(ContentError::new(
            field,
            ContentProblem::TooLong { length, max },
        ))
    }
}

/// Where a media file is: a public URL the provider fetches, or the id of a file
/// already uploaded to the provider.
///
/// On the wire it is an object with one key: `{"media_url": "https://…"}` or
/// `{"media_id": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaSource {
    /// An `http://` or `https://` URL.
    MediaUrl(String),
    /// A provider media id (from an upload).
    MediaId(String),
}

impl MediaSource {
    /// The source given by the two optional fields of a media message: exactly one
    /// of them must be present.
    pub(crate) fn from_fields(
        media_url: Option<String>,
        media_id: Option<String>,
    ) -> Result<MediaSource, ContentError> {
        let source = match (media_url, media_id) {
            (Some(_), Some(_)) => {
                return Err(ContentError::new(
                    "media_url",
                    ContentProblem::Conflicts { other: "media_id" },
                ));
            }
            (Some(url), None) => MediaSource::MediaUrl(url),
            (None, Some(id)) => MediaSource::MediaId(id),
            (None, None) => return Err(ContentError::new("media_url", ContentProblem::Missing)),
        };
        source.check()?;
        Ok(source)
    }

    /// The two optional fields this source is written as.
    pub(crate) fn into_fields(self) -> (Option<String>, Option<String>) {
        match self {
            MediaSource::MediaUrl(url) => (Some(url), None),
            MediaSource::MediaId(id) => (None, Some(id)),
        }
    }

    /// Checks the URL or id: a URL is `http(s)://host…` without white space or control
    /// characters; an id is non-empty without white space.
    pub(crate) fn check(&self) -> Result<(), ContentError> {
        match self {
            MediaSource::MediaUrl(url) if !is_web_url(url) => Err(ContentError::new(
                "media_url",
                ContentProblem::Malformed {
                    expected: "an absolute http:// or https:// URL with a host",
                },
            )),
            MediaSource::MediaId(id) if id.is_empty() || id.chars().any(char::is_whitespace) => {
                Err(ContentError::new(
                    "media_id",
                    ContentProblem::Malformed {
                        expected: "a non-empty media id without white space",
                    },
                ))
            }
            _ => Ok(()),
        }
    }
}

/// Whether `url` is an absolute http or https URL with a non-empty host, and holds no
/// white space or control characters (which a provider would refuse to fetch).
fn is_web_url(url: &str) -> bool {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    (scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http"))
        && !host.is_empty()
        && !host.starts_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_required_field_must_be_present_and_not_blank() {
        assert!(required("text", Some("hi"), 10).is_ok());
        for blank in [None, Some(""), Some(" \n\t")] {
            assert_eq!(
                required("text", blank, 10),
                Err(ContentError::new("text", ContentProblem::Missing))
            );
        }
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(required("title", Some(&"é".repeat(20)), 20).is_ok());
        assert_eq!(
            required("title", Some(&"é".repeat(21)), 20),
            Err(ContentError::new(
                "title",
                ContentProblem::TooLong {
                    length: 21,
                    max: 20
                }
            ))
        );
    }

    #[test]
    fn an_optional_field_may_be_absent_but_not_blank() {
        assert!(optional("footer", None, 60).is_ok());
        assert!(optional("footer", Some(""), 60).is_err());
    }

    #[test]
    fn only_web_urls_with_a_host_are_media_urls() {
        for good in [
            "https://cdn.example.com/a.jpg",
            "HTTP://example.com",
            "https://user@example.com:8443/x?y#z",
        ] {
            assert!(is_web_url(good), "{good}");
        }
        for bad in [
            "",
            "example.com/a.jpg",
            "ftp://example.com/a",
            "https://",
            "https:///path",
            "https://:443/x",
            "https://exa mple.com",
            "javascript://x%0Aalert(1)\n",
            "file:///etc/passwd",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }

    #[test]
    fn a_media_message_takes_a_url_or_an_id_but_not_both() {
        assert_eq!(
            MediaSource::from_fields(Some("https://x.io/a".into()), None),
            Ok(MediaSource::MediaUrl("https://x.io/a".into()))
        );
        assert_eq!(
            MediaSource::from_fields(None, Some("1234".into())),
            Ok(MediaSource::MediaId("1234".into()))
        );
        assert_eq!(
            MediaSource::from_fields(None, None).unwrap_err().field,
            "media_url"
        );
        assert_eq!(
            MediaSource::from_fields(Some("https://x.io".into()), Some("1".into()))
                .unwrap_err()
                .problem,
            ContentProblem::Conflicts { other: "media_id" }
        );
        assert_eq!(
            MediaSource::from_fields(None, Some("12 34".into()))
                .unwrap_err()
                .field,
            "media_id"
        );
    }

    #[test]
    fn a_media_source_is_an_object_with_one_key_on_the_wire() {
        let json = serde_json::to_value(MediaSource::MediaId("42".into())).unwrap();
        assert_eq!(json, serde_json::json!({"media_id": "42"}));
    }
}
