//! Content as an API client sends it, before validation.
//!
//! Every required field is optional here, so that a missing one is reported by
//! [`RawContent::validate`] as a [`ContentError`] naming it, not as a bare
//! deserialization failure. Field names are snake_case; the camelCase names of
//! Kaanha's API (`mediaUrl`, `templateName`, `messageId`) are accepted as aliases,
//! and so is its `contact` type for `contacts`.

use serde::{Deserialize, Serialize};

use super::contacts::ContactCard;
use super::content::Content;
use super::error::ContentError;
use super::interactive::RawInteractive;
use super::kind::ContentKind;
use super::template_message::RawTemplate;

/// A media message's fields as an API client writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RawMedia {
    /// A public `http(s)` URL the provider fetches.
    #[serde(default, alias = "mediaUrl", skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
    /// The id of a file already uploaded to the provider.
    #[serde(default, alias = "mediaId", skip_serializing_if = "Option::is_none")]
    pub media_id: Option<String>,
    /// The file name the recipient sees (documents only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Text under the image, video or document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
}

/// A location message's fields as an API client writes them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawLocation {
    /// Degrees north, −90 to 90.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Degrees east, −180 to 180.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// The place's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// Message content as an API client sends it: JSON with a `type` tag, not yet
/// validated. [`validate`](Self::validate) turns it into [`Content`].
///
/// ```
/// use msgcore::core::message::{ContentProblem, RawContent};
///
/// let raw: RawContent = serde_json::from_str(r#"{"type": "location", "latitude": 91.5, "longitude": 2.3, "name": "Pole"}"#)?;
/// let error = raw.validate().unwrap_err();
/// assert_eq!(error.field, "latitude");
/// assert!(matches!(error.problem, ContentProblem::OutOfRange { .. }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RawContent {
    /// Plain text.
    Text {
        /// The text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// An image.
    Image(RawMedia),
    /// A document.
    Document(RawMedia),
    /// An audio clip.
    Audio(RawMedia),
    /// A video.
    Video(RawMedia),
    /// An approved template.
    Template(RawTemplate),
    /// Reply buttons or a list.
    Interactive {
        /// The buttons or list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        interactive: Option<RawInteractive>,
    },
    /// A map pin.
    Location(RawLocation),
    /// Contact cards.
    #[serde(alias = "contact")]
    Contacts {
        /// The cards.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contacts: Option<Vec<ContactCard>>,
    },
    /// An emoji reaction.
    Reaction {
        /// The provider id of the message reacted to.
        #[serde(default, alias = "messageId", skip_serializing_if = "Option::is_none")]
        message_id: Option<String>,
        /// One emoji, or `""` to remove an earlier reaction.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        emoji: Option<String>,
    },
}

impl RawContent {
    /// The kind of content this claims to be.
    pub fn kind(&self) -> ContentKind {
        match self {
            RawContent::Text { .. } => ContentKind::Text,
            RawContent::Image(_) => ContentKind::Image,
            RawContent::Document(_) => ContentKind::Document,
            RawContent::Audio(_) => ContentKind::Audio,
            RawContent::Video(_) => ContentKind::Video,
            RawContent::Template(_) => ContentKind::Template,
            RawContent::Interactive { .. } => ContentKind::Interactive,
            RawContent::Location(_) => ContentKind::Location,
            RawContent::Contacts { .. } => ContentKind::Contacts,
            RawContent::Reaction { .. } => ContentKind::Reaction,
        }
    }

    /// Checks every field (see [`Content`] for what each kind requires) and returns
    /// the valid content, or the first field that is missing or wrong and why.
    pub fn validate(self) -> Result<Content, ContentError> {
        Content::try_from(self)
    }
}
