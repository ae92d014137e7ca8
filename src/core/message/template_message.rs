//! Template messages: an approved WhatsApp template, by name and language, with the
//! values for its parameters.
//!
//! What is checked here needs no knowledge of the template itself: the name is
//! written as Meta allows (lowercase letters, digits, underscores; at most 512
//! characters), the language is a code such as `en` or `pt_BR`, and the components
//! are well formed — at most one `header` and one `body`; a `button` names its
//! `sub_type` and a unique `index` from 0 to 9; every component has parameters;
//! media parameters only in the header, `payload` only for a quick-reply button.
//! Whether the parameters fit the template's body (`{{1}}…{{n}}`: their number and
//! text) needs the body: [`TemplateMessage::check_against`] checks that, so
//! `components` is required exactly when the template has parameters.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::error::{ContentError, ContentProblem};
use super::fields::{MediaSource, check_filename, required};
use crate::core::template::WhatsAppBody;

/// The longest template name Meta accepts.
pub const MAX_TEMPLATE_NAME: usize = 512;
/// The highest button index (a template has at most ten buttons).
pub const MAX_BUTTON_INDEX: u8 = 9;

/// Which part of the template a component fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ComponentType {
    /// The header's parameter (text or media).
    Header,
    /// The body's `{{1}}…{{n}}`.
    Body,
    /// One button's parameter.
    Button,
}

/// What kind of button a `button` component fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ButtonSubType {
    /// A quick-reply button: its parameter is a `payload`.
    QuickReply,
    /// A URL button: its parameter is the text completing the URL.
    Url,
}

/// One parameter value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TemplateParameter {
    /// Text.
    Text {
        /// The text.
        #[serde(default)]
        text: String,
    },
    /// An amount of money, localized by WhatsApp.
    Currency {
        /// What to show where localization is not available.
        #[serde(default)]
        fallback_value: String,
        /// The ISO 4217 currency code (`USD`).
        #[serde(default)]
        code: String,
        /// The amount times 1,000.
        amount_1000: i64,
    },
    /// A date and time, localized by WhatsApp.
    DateTime {
        /// What to show where localization is not available.
        #[serde(default)]
        fallback_value: String,
    },
    /// The payload a quick-reply button returns.
    Payload {
        /// The payload.
        #[serde(default)]
        payload: String,
    },
    /// A header image.
    Image {
        /// Where it is.
        image: MediaSource,
    },
    /// A header video.
    Video {
        /// Where it is.
        video: MediaSource,
    },
    /// A header document.
    Document {
        /// Where it is.
        document: MediaSource,
        /// The name the user sees.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filename: Option<String>,
    },
}

impl TemplateParameter {
    /// The text this parameter puts into a body: its text or fallback value.
    fn body_text(&self) -> &str {
        match self {
            TemplateParameter::Text { text } => text,
            TemplateParameter::Currency { fallback_value, .. }
            | TemplateParameter::DateTime { fallback_value } => fallback_value,
            _ => "",
        }
    }

    fn is_media(&self) -> bool {
        matches!(
            self,
            TemplateParameter::Image { .. }
                | TemplateParameter::Video { .. }
                | TemplateParameter::Document { .. }
        )
    }

    fn check(&self) -> Result<(), ContentError> {
        match self {
            TemplateParameter::Text { text } => required("text", Some(text), usize::MAX),
            TemplateParameter::Currency {
                fallback_value,
                code,
                ..
            } => {
                required("fallback_value", Some(fallback_value), usize::MAX)?;
                if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
                    Ok(())
                } else {
                    Err(ContentError::new(
                        "code",
                        ContentProblem::Malformed {
                            expected: "an ISO 4217 currency code such as USD",
                        },
                    ))
                }
            }
            TemplateParameter::DateTime { fallback_value } => {
                required("fallback_value", Some(fallback_value), usize::MAX)
            }
            TemplateParameter::Payload { payload } => {
                required("payload", Some(payload), usize::MAX)
            }
            TemplateParameter::Image { image: source } => {
                source.check().map_err(|e| e.within("image"))
            }
            TemplateParameter::Video { video: source } => {
                source.check().map_err(|e| e.within("video"))
            }
            TemplateParameter::Document { document, filename } => {
                document.check().map_err(|e| e.within("document"))?;
                filename.as_deref().map_or(Ok(()), check_filename)
            }
        }
    }
}

/// The values for one part of a template.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TemplateComponent {
    /// Which part.
    #[serde(rename = "type")]
    pub kind: ComponentType,
    /// For a button, which kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<ButtonSubType>,
    /// For a button, its position (0–9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u8>,
    /// The values, in order.
    #[serde(default)]
    pub parameters: Vec<TemplateParameter>,
}

/// A template message as an API client writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawTemplate {
    /// The approved template's name.
    #[serde(
        default,
        alias = "templateName",
        skip_serializing_if = "Option::is_none"
    )]
    pub template_name: Option<String>,
    /// The language it was approved in (`en_US`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Values for its parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<TemplateComponent>,
}

/// A valid template message: made only by validating a [`RawTemplate`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TemplateMessage {
    name: String,
    language: String,
    components: Vec<TemplateComponent>,
}

impl TemplateMessage {
    /// The template's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its language code.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The parameter values.
    pub fn components(&self) -> &[TemplateComponent] {
        &self.components
    }

    /// Checks the body parameters against the template's body: as many as it has
    /// `{{n}}`, each with text Meta accepts. A body with parameters and no `body`
    /// component is a missing `components`.
    pub fn check_against(&self, body: &WhatsAppBody) -> Result<(), ContentError> {
        let found = self
            .components
            .iter()
            .enumerate()
            .find(|(_, component)| component.kind == ComponentType::Body);
        let Some((index, component)) = found else {
            return if body.parameter_count() == 0 {
                Ok(())
            } else {
                Err(ContentError::new("components", ContentProblem::Missing))
            };
        };
        let texts: Vec<&str> = component
            .parameters
            .iter()
            .map(TemplateParameter::body_text)
            .collect();
        body.check_parameters(&texts).map_err(|error| {
            ContentError::new(
                format!("components[{index}].parameters"),
                ContentProblem::TemplateParameters(error),
            )
        })
    }
}

impl TryFrom<RawTemplate> for TemplateMessage {
    type Error = ContentError;

    fn try_from(raw: RawTemplate) -> Result<Self, ContentError> {
        let name = checked_name(raw.template_name)?;
        let language = checked_language(raw.language)?;
        check_components(&raw.components)?;
        Ok(TemplateMessage {
            name,
            language,
            components: raw.components,
        })
    }
}

impl From<TemplateMessage> for RawTemplate {
    fn from(valid: TemplateMessage) -> Self {
        RawTemplate {
            template_name: Some(valid.name),
            language: Some(valid.language),
            components: valid.components,
        }
    }
}

fn checked_name(name: Option<String>) -> Result<String, ContentError> {
    required("template_name", name.as_deref(), MAX_TEMPLATE_NAME)?;
    let name = name.unwrap_or_default();
    let well_formed = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if well_formed {
        Ok(name)
    } else {
        Err(ContentError::new(
            "template_name",
            ContentProblem::Malformed {
                expected: "lowercase letters, digits and underscores, as Meta names templates",
            },
        ))
    }
}

/// A language code as Meta writes them: `en`, `fil`, `pt_BR`.
fn checked_language(language: Option<String>) -> Result<String, ContentError> {
    required("language", language.as_deref(), usize::MAX)?;
    let language = language.unwrap_or_default();
    let (base, region) = match language.split_once('_') {
        Some((base, region)) => (base, Some(region)),
        None => (language.as_str(), None),
    };
    let base_ok = (2..=3).contains(&base.len()) && base.bytes().all(|b| b.is_ascii_lowercase());
    let region_ok =
        region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()));
    if base_ok && region_ok {
        Ok(language)
    } else {
        Err(ContentError::new(
            "language",
            ContentProblem::Malformed {
                expected: "a language code such as en, fil or pt_BR",
            },
        ))
    }
}

fn check_components(components: &[TemplateComponent]) -> Result<(), ContentError> {
    let mut parts = HashSet::new();
    let mut button_indexes = HashSet::new();
    for (index, component) in components.iter().enumerate() {
        let in_list = |error: ContentError| error.at("components", index);
        match component.kind {
            ComponentType::Header | ComponentType::Body => {
                if !parts.insert(component.kind) {
                    let value = if component.kind == ComponentType::Header {
                        "header"
                    } else {
                        "body"
                    };
                    return Err(in_list(ContentError::new(
                        "type",
                        ContentProblem::Duplicate {
                            value: value.to_owned(),
                        },
                    )));
                }
                no_button_fields(component).map_err(in_list)?;
            }
            ComponentType::Button => {
                check_button(component, &mut button_indexes).map_err(in_list)?;
            }
        }
        check_parameters(component).map_err(in_list)?;
    }
    Ok(())
}

fn no_button_fields(component: &TemplateComponent) -> Result<(), ContentError> {
    let not_allowed = |field: &str| {
        Err(ContentError::new(
            field,
            ContentProblem::NotAllowed {
                reason: "only a button component has one",
            },
        ))
    };
    if component.sub_type.is_some() {
        return not_allowed("sub_type");
    }
    if component.index.is_some() {
        return not_allowed("index");
    }
    Ok(())
}

fn check_button(component: &TemplateComponent, seen: &mut HashSet<u8>) -> Result<(), ContentError> {
    if component.sub_type.is_none() {
        return Err(ContentError::new("sub_type", ContentProblem::Missing));
    }
    let index = component
        .index
        .ok_or_else(|| ContentError::new("index", ContentProblem::Missing))?;
    if index > MAX_BUTTON_INDEX {
        return Err(ContentError::new(
            "index",
            ContentProblem::OutOfRange {
                value: f64::from(index),
                min: 0.0,
                max: f64::from(MAX_BUTTON_INDEX),
            },
        ));
    }
    if !seen.insert(index) {
        return Err(ContentError::new(
            "index",
            ContentProblem::Duplicate {
                value: index.to_string(),
            },
        ));
    }
    Ok(())
}

fn check_parameters(component: &TemplateComponent) -> Result<(), ContentError> {
    if component.parameters.is_empty() {
        return Err(ContentError::new(
            "parameters",
            ContentProblem::TooFew { count: 0, min: 1 },
        ));
    }
    for (index, parameter) in component.parameters.iter().enumerate() {
        let in_list = |error: ContentError| error.at("parameters", index);
        parameter.check().map_err(in_list)?;
        if let Some(reason) = misplaced(component, parameter) {
            return Err(in_list(ContentError::new(
                "type",
                ContentProblem::NotAllowed { reason },
            )));
        }
    }
    Ok(())
}

/// Why `parameter` cannot fill `component`, if it cannot.
fn misplaced(component: &TemplateComponent, parameter: &TemplateParameter) -> Option<&'static str> {
    let is_payload = matches!(parameter, TemplateParameter::Payload { .. });
    match component.kind {
        ComponentType::Header if is_payload => Some("a payload only fills a quick-reply button"),
        ComponentType::Body if parameter.is_media() => Some("media only fills a header"),
        ComponentType::Body if is_payload => Some("a payload only fills a quick-reply button"),
        ComponentType::Button => match component.sub_type {
            Some(ButtonSubType::QuickReply) if !is_payload => {
                Some("a quick-reply button takes a payload")
            }
            Some(ButtonSubType::Url) if !matches!(parameter, TemplateParameter::Text { .. }) => {
                Some("a URL button takes text")
            }
            _ => None,
        },
        _ => None,
    }
}
