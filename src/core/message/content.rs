//! Valid message content: what [`RawContent::validate`] returns.

use serde::{Deserialize, Serialize};

use super::contacts::Contacts;
use super::emoji::is_one_emoji;
use super::error::{ContentError, ContentProblem};
use super::fields::{MediaSource, check_filename, optional, required};
use super::interactive::Interactive;
use super::kind::ContentKind;
use super::raw::{RawContent, RawLocation, RawMedia};
use super::template_message::TemplateMessage;
use crate::core::channel::Channel;
use crate::core::segments::{SegmentsError, check_body_cap};

/// The longest text message WhatsApp accepts, in characters.
pub const MAX_TEXT: usize = 4096;
/// The longest caption of an image, video or document, in characters.
pub const MAX_CAPTION: usize = 1024;

/// Message content that has been validated: it can only be made by
/// [`RawContent::validate`] (or by deserializing, which validates), so holding one
/// means every rule below holds.
///
/// | `type` | valid when |
/// |---|---|
/// | `text` | `text` is present, not blank, at most 4,096 characters |
/// | `image`, `video` | exactly one of `media_url` (an `http(s)` URL with a host) and `media_id` (no white space); optional `caption` ≤ 1,024 characters; no `filename` |
/// | `audio` | as `image`, with no `caption` either |
/// | `document` | as `image`, plus a `filename` without path separators or control characters |
/// | `template` | see [`template_message`](super::template_message): `template_name`, `language`, well-formed `components` |
/// | `interactive` | see [`interactive`](super::interactive): reply buttons or a list within Meta's limits |
/// | `location` | `latitude` in −90..=90, `longitude` in −180..=180, a non-blank `name`; optional `address` |
/// | `contacts` | at least one [card](super::ContactCard), each with a `name.formatted_name` and a `first_name` or `last_name`; phones and e-mails non-blank, e-mails with an `@` |
/// | `reaction` | a non-blank `message_id`; `emoji` exactly one emoji, or `""` to remove a reaction |
///
/// Lengths count Unicode scalar values. The table is WhatsApp's; SMS takes fewer
/// kinds and shorter text, which [`check_channel`](Self::check_channel) adds.
///
/// On the wire it is the same JSON as [`RawContent`]:
///
/// ```
/// use msgcore::core::message::{Content, ContentKind};
///
/// let content: Content = serde_json::from_str(r#"{"type": "reaction", "message_id": "wamid.1", "emoji": "👍🏽"}"#)?;
/// assert_eq!(content.kind(), ContentKind::Reaction);
/// assert!(serde_json::from_str::<Content>(r#"{"type": "reaction", "message_id": "wamid.1", "emoji": "ok"}"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawContent", into = "RawContent")]
pub enum Content {
    /// Plain text.
    Text(Text),
    /// An image.
    Image(Media),
    /// A document.
    Document(Document),
    /// An audio clip.
    Audio(Media),
    /// A video.
    Video(Media),
    /// An approved template.
    Template(TemplateMessage),
    /// Reply buttons or a list.
    Interactive(Interactive),
    /// A map pin.
    Location(Location),
    /// Contact cards.
    Contacts(Contacts),
    /// An emoji reaction.
    Reaction(Reaction),
}

impl Content {
    /// Valid text content.
    ///
    /// ```
    /// use msgcore::core::message::Content;
    ///
    /// assert!(Content::text("Your order shipped").is_ok());
    /// assert_eq!(Content::text("  ").unwrap_err().field, "text");
    /// ```
    pub fn text(text: impl Into<String>) -> Result<Content, ContentError> {
        RawContent::Text {
            text: Some(text.into()),
        }
        .validate()
    }

    /// The kind of content.
    pub fn kind(&self) -> ContentKind {
        match self {
            Content::Text(_) => ContentKind::Text,
            Content::Image(_) => ContentKind::Image,
            Content::Document(_) => ContentKind::Document,
            Content::Audio(_) => ContentKind::Audio,
            Content::Video(_) => ContentKind::Video,
            Content::Template(_) => ContentKind::Template,
            Content::Interactive(_) => ContentKind::Interactive,
            Content::Location(_) => ContentKind::Location,
            Content::Contacts(_) => ContentKind::Contacts,
            Content::Reaction(_) => ContentKind::Reaction,
        }
    }

    /// Checks that the content can travel on `channel`.
    ///
    /// WhatsApp takes every valid content. SMS takes text within Twilio's
    /// 1,600-character body cap ([`check_body_cap`]) and media by URL (sent as MMS
    /// where the carrier supports it); it has no templates, interactive messages,
    /// locations, contact cards or reactions, and cannot fetch a WhatsApp `media_id`.
    pub fn check_channel(&self, channel: Channel) -> Result<(), ContentError> {
        if channel == Channel::WhatsApp {
            return Ok(());
        }
        let not_on_sms = |field: &str| {
            Err(ContentError::new(
                field,
                ContentProblem::NotOnChannel { channel },
            ))
        };
        match self {
            Content::Text(text) => check_body_cap(&text.text).map_err(|error| match error {
                SegmentsError::BodyTooLong { length, limit } => {
                    ContentError::new("text", ContentProblem::TooLong { length, max: limit })
                }
                _ => ContentError::new("text", ContentProblem::NotOnChannel { channel }),
            }),
            Content::Image(Media { source, .. })
            | Content::Audio(Media { source, .. })
            | Content::Video(Media { source, .. })
            | Content::Document(Document { source, .. }) => match source {
                MediaSource::MediaUrl(_) => Ok(()),
                MediaSource::MediaId(_) => not_on_sms("media_id"),
            },
            _ => not_on_sms("type"),
        }
    }
}

/// Valid text: not blank, at most [`MAX_TEXT`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text {
    text: String,
}

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// A valid image, audio clip or video.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Media {
    source: MediaSource,
    caption: Option<String>,
}

impl Media {
    /// Where the file is.
    pub fn source(&self) -> &MediaSource {
        &self.source
    }

    /// The caption (never for audio).
    pub fn caption(&self) -> Option<&str> {
        self.caption.as_deref()
    }
}

/// A valid document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Document {
    source: MediaSource,
    filename: String,
    caption: Option<String>,
}

impl Document {
    /// Where the file is.
    pub fn source(&self) -> &MediaSource {
        &self.source
    }

    /// The file name the recipient sees.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// The caption.
    pub fn caption(&self) -> Option<&str> {
        self.caption.as_deref()
    }
}

/// A valid location.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    latitude: f64,
    longitude: f64,
    name: String,
    address: Option<String>,
}

impl Location {
    /// Degrees north, in −90..=90.
    pub fn latitude(&self) -> f64 {
        self.latitude
    }

    /// Degrees east, in −180..=180.
    pub fn longitude(&self) -> f64 {
        self.longitude
    }

    /// The place's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its address.
    pub fn address(&self) -> Option<&str> {
        self.address.as_deref()
    }
}

/// A valid reaction.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reaction {
    message_id: String,
    emoji: Option<String>,
}

impl Reaction {
    /// The provider id of the message reacted to.
    pub fn message_id(&self) -> &str {
        &self.message_id
    }

    /// The emoji; `None` removes an earlier reaction.
    pub fn emoji(&self) -> Option<&str> {
        self.emoji.as_deref()
    }
}

impl TryFrom<RawContent> for Content {
    type Error = ContentError;

    fn try_from(raw: RawContent) -> Result<Self, ContentError> {
        Ok(match raw {
            RawContent::Text { text } => {
                required("text", text.as_deref(), MAX_TEXT)?;
                Content::Text(Text {
                    text: text.unwrap_or_default(),
                })
            }
            RawContent::Image(media) => Content::Image(media_of(media, true)?),
            RawContent::Video(media) => Content::Video(media_of(media, true)?),
            RawContent::Audio(media) => Content::Audio(media_of(media, false)?),
            RawContent::Document(media) => Content::Document(document_of(media)?),
            RawContent::Template(template) => Content::Template(template.try_into()?),
            RawContent::Interactive { interactive } => {
                let interactive = interactive
                    .ok_or_else(|| ContentError::new("interactive", ContentProblem::Missing))?;
                Content::Interactive(
                    Interactive::try_from(interactive).map_err(|e| e.within("interactive"))?,
                )
            }
            RawContent::Location(location) => Content::Location(location_of(location)?),
            RawContent::Contacts { contacts } => Content::Contacts(Contacts::from_cards(contacts)?),
            RawContent::Reaction { message_id, emoji } => {
                Content::Reaction(reaction_of(message_id, emoji)?)
            }
        })
    }
}

fn media_of(raw: RawMedia, takes_caption: bool) -> Result<Media, ContentError> {
    if raw.filename.is_some() {
        return Err(ContentError::new(
            "filename",
            ContentProblem::NotAllowed {
                reason: "only a document has a file name",
            },
        ));
    }
    if raw.caption.is_some() && !takes_caption {
        return Err(ContentError::new(
            "caption",
            ContentProblem::NotAllowed {
                reason: "WhatsApp audio has no caption",
            },
        ));
    }
    optional("caption", raw.caption.as_deref(), MAX_CAPTION)?;
    Ok(Media {
        source: MediaSource::from_fields(raw.media_url, raw.media_id)?,
        caption: raw.caption,
    })
}

fn document_of(raw: RawMedia) -> Result<Document, ContentError> {
    let filename = raw
        .filename
        .ok_or_else(|| ContentError::new("filename", ContentProblem::Missing))?;
    check_filename(&filename)?;
    optional("caption", raw.caption.as_deref(), MAX_CAPTION)?;
    Ok(Document {
        source: MediaSource::from_fields(raw.media_url, raw.media_id)?,
        filename,
        caption: raw.caption,
    })
}

fn coordinate(field: &str, value: Option<f64>, limit: f64) -> Result<f64, ContentError> {
    let value = value.ok_or_else(|| ContentError::new(field, ContentProblem::Missing))?;
    if (-limit..=limit).contains(&value) {
        Ok(value)
    } else {
        Err(ContentError::new(
            field,
            ContentProblem::OutOfRange {
                value,
                min: -limit,
                max: limit,
            },
        ))
    }
}

fn location_of(raw: RawLocation) -> Result<Location, ContentError> {
    let latitude = coordinate("latitude", raw.latitude, 90.0)?;
    let longitude = coordinate("longitude", raw.longitude, 180.0)?;
    required("name", raw.name.as_deref(), usize::MAX)?;
    optional("address", raw.address.as_deref(), usize::MAX)?;
    Ok(Location {
        latitude,
        longitude,
        name: raw.name.unwrap_or_default(),
        address: raw.address,
    })
}

fn reaction_of(
    message_id: Option<String>,
    emoji: Option<String>,
) -> Result<Reaction, ContentError> {
    required("message_id", message_id.as_deref(), usize::MAX)?;
    let emoji = match emoji {
        None => return Err(ContentError::new("emoji", ContentProblem::Missing)),
        Some(emoji) if emoji.is_empty() => None,
        Some(emoji) if is_one_emoji(&emoji) => Some(emoji),
        Some(_) => return Err(ContentError::new("emoji", ContentProblem::NotOneEmoji)),
    };
    Ok(Reaction {
        message_id: message_id.unwrap_or_default(),
        emoji,
    })
}

impl From<Content> for RawContent {
    fn from(content: Content) -> Self {
        let media = |m: Media| {
            let (media_url, media_id) = m.source.into_fields();
            RawMedia {
                media_url,
                media_id,
                filename: None,
                caption: m.caption,
            }
        };
        match content {
            Content::Text(text) => RawContent::Text {
                text: Some(text.text),
            },
            Content::Image(m) => RawContent::Image(media(m)),
            Content::Audio(m) => RawContent::Audio(media(m)),
            Content::Video(m) => RawContent::Video(media(m)),
            Content::Document(d) => {
                let (media_url, media_id) = d.source.into_fields();
                RawContent::Document(RawMedia {
                    media_url,
                    media_id,
                    filename: Some(d.filename),
                    caption: d.caption,
                })
            }
            Content::Template(template) => RawContent::Template(template.into()),
            Content::Interactive(interactive) => RawContent::Interactive {
                interactive: Some(interactive.into()),
            },
            Content::Location(l) => RawContent::Location(RawLocation {
                latitude: Some(l.latitude),
                longitude: Some(l.longitude),
                name: Some(l.name),
                address: l.address,
            }),
            Content::Contacts(contacts) => RawContent::Contacts {
                contacts: Some(contacts.into_cards()),
            },
            Content::Reaction(r) => RawContent::Reaction {
                message_id: Some(r.message_id),
                emoji: Some(r.emoji.unwrap_or_default()),
            },
        }
    }
}
