//! Interactive messages: reply buttons and lists, within WhatsApp's limits.
//!
//! The limits are those of Meta's WhatsApp Cloud API reference, pages "Interactive
//! reply buttons messages" and "Interactive list messages"
//! (`developers.facebook.com/documentation/business-messaging/whatsapp/messages/`,
//! as updated November 2025); Meta refuses a message that exceeds them.
//!
//! | field | reply buttons | list |
//! |---|---|---|
//! | `body` | required, ≤ 1,024 characters | required, ≤ 4,096 |
//! | `header` | optional: text ≤ 60, image, video or document | optional, text only, ≤ 60 |
//! | `footer` | optional, ≤ 60 | optional, ≤ 60 |
//! | choices | 1–3 `buttons`: `id` ≤ 256 (no surrounding spaces), `title` ≤ 20, both unique | `button` label ≤ 20; 1–10 `sections`, each with a `title` ≤ 24 and at least one row; 1–10 rows in all, `id` ≤ 200 and unique, `title` ≤ 24, `description` ≤ 72 |

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::error::{ContentError, ContentProblem};
use super::fields::{MediaSource, check_filename, optional, required};
use super::raw::RawMedia;

/// The most reply buttons a message may carry.
pub const MAX_REPLY_BUTTONS: usize = 3;
/// The longest reply-button title, in characters.
pub const MAX_BUTTON_TITLE: usize = 20;
/// The longest reply-button id.
pub const MAX_BUTTON_ID: usize = 256;
/// The longest body of a reply-buttons message.
pub const MAX_BUTTONS_BODY: usize = 1024;
/// The longest body of a list message.
pub const MAX_LIST_BODY: usize = 4096;
/// The longest text header.
pub const MAX_HEADER_TEXT: usize = 60;
/// The longest footer.
pub const MAX_FOOTER: usize = 60;
/// The longest label of the button that opens a list.
pub const MAX_LIST_BUTTON: usize = 20;
/// The most sections in a list.
pub const MAX_SECTIONS: usize = 10;
/// The most rows in a list, all sections together.
pub const MAX_ROWS: usize = 10;
/// The longest section title.
pub const MAX_SECTION_TITLE: usize = 24;
/// The longest row id.
pub const MAX_ROW_ID: usize = 200;
/// The longest row title.
pub const MAX_ROW_TITLE: usize = 24;
/// The longest row description.
pub const MAX_ROW_DESCRIPTION: usize = 72;

/// One reply button.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReplyButton {
    /// What the webhook reports when the user taps it.
    #[serde(default)]
    pub id: String,
    /// What the user sees.
    #[serde(default)]
    pub title: String,
}

/// One choice in a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ListRow {
    /// What the webhook reports when the user picks it.
    #[serde(default)]
    pub id: String,
    /// What the user sees.
    #[serde(default)]
    pub title: String,
    /// A second line under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A titled group of rows in a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ListSection {
    /// The section's heading.
    #[serde(default)]
    pub title: String,
    /// Its choices.
    #[serde(default)]
    pub rows: Vec<ListRow>,
}

/// An interactive message's header as an API client writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RawHeader {
    /// A line of text.
    Text {
        /// The text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// An image.
    Image(RawMedia),
    /// A video.
    Video(RawMedia),
    /// A document.
    Document(RawMedia),
}

/// What every interactive message has, as an API client writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawFrame {
    /// An optional header (text only for a list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<RawHeader>,
    /// The message text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// An optional footer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
}

/// An interactive message as an API client writes it: `{"type": "button", …}` or
/// `{"type": "list", …}`, with the [`RawFrame`] fields beside the choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RawInteractive {
    /// Up to three reply buttons.
    Button {
        /// Header, body and footer.
        #[serde(flatten)]
        frame: RawFrame,
        /// The buttons.
        #[serde(default)]
        buttons: Vec<ReplyButton>,
    },
    /// A button that opens a list of choices.
    List {
        /// Header, body and footer.
        #[serde(flatten)]
        frame: RawFrame,
        /// The label of the button that opens the list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        button: Option<String>,
        /// The choices, in sections.
        #[serde(default)]
        sections: Vec<ListSection>,
    },
}

/// A valid interactive message's header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Header {
    /// A line of text.
    Text(String),
    /// An image.
    Image(MediaSource),
    /// A video.
    Video(MediaSource),
    /// A document, with the file name the user sees.
    Document {
        /// Where the file is.
        source: MediaSource,
        /// Its name.
        filename: Option<String>,
    },
}

/// What a valid interactive message offers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// One to three reply buttons.
    Buttons(Vec<ReplyButton>),
    /// A list of choices behind one button.
    List {
        /// The label of the button that opens the list.
        button: String,
        /// The choices, in sections.
        sections: Vec<ListSection>,
    },
}

/// A valid interactive message: made only by validating a [`RawInteractive`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Interactive {
    header: Option<Header>,
    body: String,
    footer: Option<String>,
    action: Action,
}

impl Interactive {
    /// The header, if any.
    pub fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }

    /// The message text.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The footer, if any.
    pub fn footer(&self) -> Option<&str> {
        self.footer.as_deref()
    }

    /// The buttons or the list.
    pub fn action(&self) -> &Action {
        &self.action
    }
}

impl TryFrom<RawInteractive> for Interactive {
    type Error = ContentError;

    /// Checks every limit in the module docs; the error's field is relative to the
    /// interactive object (`buttons[1].title`).
    fn try_from(raw: RawInteractive) -> Result<Self, ContentError> {
        match raw {
            RawInteractive::Button { frame, buttons } => {
                check_buttons(&buttons)?;
                with_frame(
                    frame,
                    MAX_BUTTONS_BODY,
                    any_header,
                    Action::Buttons(buttons),
                )
            }
            RawInteractive::List {
                frame,
                button,
                sections,
            } => {
                required("button", button.as_deref(), MAX_LIST_BUTTON)?;
                check_sections(&sections)?;
                let button = button.unwrap_or_default();
                let action = Action::List { button, sections };
                with_frame(frame, MAX_LIST_BODY, text_header, action)
            }
        }
    }
}

/// The valid message made of `frame` and an already checked `action`: the body
/// within `max_body`, the header as `header` allows, the footer within its limit.
fn with_frame(
    frame: RawFrame,
    max_body: usize,
    header: fn(RawHeader) -> Result<Header, ContentError>,
    action: Action,
) -> Result<Interactive, ContentError> {
    required("body", frame.body.as_deref(), max_body)?;
    optional("footer", frame.footer.as_deref(), MAX_FOOTER)?;
    Ok(Interactive {
        header: frame.header.map(header).transpose()?,
        body: frame.body.unwrap_or_default(),
        footer: frame.footer,
        action,
    })
}

impl From<Interactive> for RawInteractive {
    fn from(valid: Interactive) -> Self {
        let frame = RawFrame {
            header: valid.header.map(RawHeader::from),
            body: Some(valid.body),
            footer: valid.footer,
        };
        match valid.action {
            Action::Buttons(buttons) => RawInteractive::Button { frame, buttons },
            Action::List { button, sections } => RawInteractive::List {
                frame,
                button: Some(button),
                sections,
            },
        }
    }
}

impl From<Header> for RawHeader {
    fn from(header: Header) -> Self {
        let media = |source: MediaSource, filename| {
            let (media_url, media_id) = source.into_fields();
            RawMedia {
                media_url,
                media_id,
                filename,
                caption: None,
            }
        };
        match header {
            Header::Text(text) => RawHeader::Text { text: Some(text) },
            Header::Image(source) => RawHeader::Image(media(source, None)),
            Header::Video(source) => RawHeader::Video(media(source, None)),
            Header::Document { source, filename } => RawHeader::Document(media(source, filename)),
        }
    }
}

fn text_header(raw: RawHeader) -> Result<Header, ContentError> {
    match raw {
        RawHeader::Text { .. } => any_header(raw),
        _ => Err(ContentError::new(
            "header",
            ContentProblem::NotAllowed {
                reason: "a list message takes only a text header",
            },
        )),
    }
}

fn any_header(raw: RawHeader) -> Result<Header, ContentError> {
    let header = match raw {
        RawHeader::Text { text } => {
            required("text", text.as_deref(), MAX_HEADER_TEXT)?;
            Header::Text(text.unwrap_or_default())
        }
        RawHeader::Image(media) => Header::Image(header_media(media, false)?.0),
        RawHeader::Video(media) => Header::Video(header_media(media, false)?.0),
        RawHeader::Document(media) => {
            let (source, filename) = header_media(media, true)?;
            Header::Document { source, filename }
        }
    };
    Ok(header)
}

/// A media header's source and file name; captions never, file names only on documents.
fn header_media(
    media: RawMedia,
    takes_filename: bool,
) -> Result<(MediaSource, Option<String>), ContentError> {
    let within_header = |error: ContentError| error.within("header");
    if media.caption.is_some() {
        return Err(within_header(ContentError::new(
            "caption",
            ContentProblem::NotAllowed {
                reason: "a header has no caption; use the body",
            },
        )));
    }
    if media.filename.is_some() && !takes_filename {
        return Err(within_header(ContentError::new(
            "filename",
            ContentProblem::NotAllowed {
                reason: "only a document header has a file name",
            },
        )));
    }
    if let Some(filename) = &media.filename {
        check_filename(filename).map_err(within_header)?;
    }
    let source =
        MediaSource::from_fields(media.media_url, media.media_id).map_err(within_header)?;
    Ok((source, media.filename))
}

fn check_buttons(buttons: &[ReplyButton]) -> Result<(), ContentError> {
    check_count("buttons", buttons.len(), MAX_REPLY_BUTTONS)?;
    let mut ids = HashSet::new();
    let mut titles = HashSet::new();
    for (index, button) in buttons.iter().enumerate() {
        let in_list = |error: ContentError| error.at("buttons", index);
        required("id", Some(&button.id), MAX_BUTTON_ID).map_err(in_list)?;
        if button.id.trim() != button.id {
            return Err(in_list(ContentError::new(
                "id",
                ContentProblem::Malformed {
                    expected: "without leading or trailing white space",
                },
            )));
        }
        required("title", Some(&button.title), MAX_BUTTON_TITLE).map_err(in_list)?;
        unique(&mut ids, &button.id, "id").map_err(in_list)?;
        unique(&mut titles, &button.title, "title").map_err(in_list)?;
    }
    Ok(())
}

fn check_sections(sections: &[ListSection]) -> Result<(), ContentError> {
    check_count("sections", sections.len(), MAX_SECTIONS)?;
    let rows: usize = sections.iter().map(|section| section.rows.len()).sum();
    if rows > MAX_ROWS {
        return Err(ContentError::new(
            "sections[].rows",
            ContentProblem::TooMany {
                count: rows,
                max: MAX_ROWS,
            },
        ));
    }
    let mut ids = HashSet::new();
    for (index, section) in sections.iter().enumerate() {
        let in_list = |error: ContentError| error.at("sections", index);
        required("title", Some(&section.title), MAX_SECTION_TITLE).map_err(in_list)?;
        check_count("rows", section.rows.len(), MAX_ROWS).map_err(in_list)?;
        for (row_index, row) in section.rows.iter().enumerate() {
            let in_row = |error: ContentError| in_list(error.at("rows", row_index));
            required("id", Some(&row.id), MAX_ROW_ID).map_err(in_row)?;
            required("title", Some(&row.title), MAX_ROW_TITLE).map_err(in_row)?;
            optional(
                "description",
                row.description.as_deref(),
                MAX_ROW_DESCRIPTION,
            )
            .map_err(in_row)?;
            unique(&mut ids, &row.id, "id").map_err(in_row)?;
        }
    }
    Ok(())
}

/// A list must hold between one and `max` items.
pub(crate) fn check_count(field: &str, count: usize, max: usize) -> Result<(), ContentError> {
    if count == 0 {
        Err(ContentError::new(
            field,
            ContentProblem::TooFew { count, min: 1 },
        ))
    } else if count > max {
        Err(ContentError::new(
            field,
            ContentProblem::TooMany { count, max },
        ))
    } else {
        Ok(())
    }
}

fn unique<'a>(
    seen: &mut HashSet<&'a str>,
    value: &'a str,
    field: &str,
) -> Result<(), ContentError> {
    if seen.insert(value) {
        Ok(())
    } else {
        Err(ContentError::new(
            field,
            ContentProblem::Duplicate {
                value: value.to_owned(),
            },
        ))
    }
}
