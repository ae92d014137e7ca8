//! Message content (SPEC §6): the ten kinds a message can carry, what each
//! requires, and media files checked by their bytes.
//!
//! Content arrives as JSON from an API client, so it is read in two steps — parse,
//! then validate — into two types:
//!
//! - [`RawContent`] is exactly what a client may write: a `type` tag and snake_case
//!   fields, every one of them optional, so that deserializing fails only on JSON
//!   of the wrong shape;
//! - [`Content`] is content known to be sendable: [`RawContent::validate`] is the
//!   only way to make one, and it reports the first field that is missing or wrong
//!   as a [`ContentError`] naming the field (`interactive.buttons[3].title`) and
//!   the reason. Code that holds a `Content` never re-checks it.
//!
//! The rules are WhatsApp's, the stricter channel for content: each kind's are in
//! the table on [`Content`], the interactive and template rules in their modules
//! with the Meta documentation they come from. [`Content::check_channel`] adds what
//! SMS cannot carry. [`media`] checks uploaded files by their magic bytes.
//!
//! ```
//! use msgcore::core::message::{ContentKind, RawContent};
//!
//! let json = r#"{
//!     "type": "interactive",
//!     "interactive": {
//!         "type": "button",
//!         "body": "Keep your appointment on Monday at 9?",
//!         "buttons": [{"id": "yes", "title": "Yes"}, {"id": "no", "title": "Change it, please"}]
//!     }
//! }"#;
//! let content = serde_json::from_str::<RawContent>(json)?.validate().expect("valid");
//! assert_eq!(content.kind(), ContentKind::Interactive);
//!
//! let too_long = json.replace("Change it, please", "Please change it to another day");
//! let error = serde_json::from_str::<RawContent>(&too_long)?.validate().unwrap_err();
//! assert_eq!(error.field, "interactive.buttons[1].title");
//! assert_eq!(error.to_string(), "`interactive.buttons[1].title` is 31 characters long; the limit is 20");
//! # Ok::<(), serde_json::Error>(())
//! ```

mod contacts;
mod content;
mod emoji;
mod error;
mod fields;
pub mod interactive;
mod kind;
pub mod media;
mod raw;
pub mod template_message;

use serde::{Deserialize, Serialize};

pub use contacts::{ContactCard, ContactEmail, ContactName, ContactPhone, Contacts};
pub use content::{Content, Document, Location, MAX_CAPTION, MAX_TEXT, Media, Reaction, Text};
pub use error::{ContentError, ContentProblem};
pub use fields::MediaSource;
pub use interactive::{Interactive, RawInteractive};
pub use kind::{ContentKind, MediaKind};
pub use raw::{RawContent, RawLocation, RawMedia};
pub use template_message::{RawTemplate, TemplateMessage};

/// Which way a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the contact to the business.
    Inbound,
    /// From the business to the contact.
    Outbound,
}

impl Direction {
    /// The stable wire name: `"inbound"` or `"outbound"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }
}

impl std::fmt::Display for Direction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod laws;

#[cfg(test)]
mod tests;
