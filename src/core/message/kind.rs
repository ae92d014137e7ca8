//! The kinds of content a message can carry, as plain names.

use serde::{Deserialize, Serialize};

/// What a message carries, without the content itself: what the window rules
/// ([`may_send`](crate::core::window::may_send)) and cost estimates look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentKind {
    /// Plain text.
    Text,
    /// An image (JPEG, PNG, WebP).
    Image,
    /// A file sent as a document (PDF, DOCX).
    Document,
    /// An audio clip (MP3, OGG Opus).
    Audio,
    /// A video (MP4).
    Video,
    /// An approved WhatsApp template: the only kind sendable outside the window.
    Template,
    /// Reply buttons or a list.
    Interactive,
    /// A map pin.
    Location,
    /// One or more contact cards.
    Contacts,
    /// An emoji reaction to an earlier message.
    Reaction,
}

impl ContentKind {
    /// Every kind, in a stable order.
    pub const ALL: [ContentKind; 10] = [
        ContentKind::Text,
        ContentKind::Image,
        ContentKind::Document,
        ContentKind::Audio,
        ContentKind::Video,
        ContentKind::Template,
        ContentKind::Interactive,
        ContentKind::Location,
        ContentKind::Contacts,
        ContentKind::Reaction,
    ];

    /// The stable wire name, the `type` of the content's JSON (`"interactive"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ContentKind::Text => "text",
            ContentKind::Image => "image",
            ContentKind::Document => "document",
            ContentKind::Audio => "audio",
            ContentKind::Video => "video",
            ContentKind::Template => "template",
            ContentKind::Interactive => "interactive",
            ContentKind::Location => "location",
            ContentKind::Contacts => "contacts",
            ContentKind::Reaction => "reaction",
        }
    }

    /// The kind of media file this content carries, if it carries one.
    pub const fn media_kind(self) -> Option<MediaKind> {
        match self {
            ContentKind::Image => Some(MediaKind::Image),
            ContentKind::Document => Some(MediaKind::Document),
            ContentKind::Audio => Some(MediaKind::Audio),
            ContentKind::Video => Some(MediaKind::Video),
            _ => None,
        }
    }
}

impl std::fmt::Display for ContentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The four kinds of content that carry a media file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// JPEG, PNG or WebP.
    Image,
    /// PDF or DOCX.
    Document,
    /// MP3 or OGG (Opus).
    Audio,
    /// MP4.
    Video,
}

impl MediaKind {
    /// Every media kind, in a stable order.
    pub const ALL: [MediaKind; 4] = [
        MediaKind::Image,
        MediaKind::Document,
        MediaKind::Audio,
        MediaKind::Video,
    ];

    /// The stable wire name (`"image"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Document => "document",
            MediaKind::Audio => "audio",
            MediaKind::Video => "video",
        }
    }
}

impl std::fmt::Display for MediaKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
