//! What a condition is evaluated against: one contact, on one channel, with
//! the message at hand and a workflow's saved replies.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use super::field::Field;
use super::scalar::scalar_text;
use crate::core::channel::Channel;

/// The data a condition reads, borrowed from wherever the caller keeps it.
///
/// A [`Contact`](crate::model::Contact) gives one with
/// [`Contact::subject`](crate::model::Contact::subject); any other caller starts
/// from [`Subject::default`] (every field missing) and fills what it has.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct Subject<'a> {
    /// The contact's name.
    pub name: Option<&'a str>,
    /// An explicit first name; without one, `first_name` is the name's first word.
    pub first_name: Option<&'a str>,
    /// The number in E.164 form (`+14155550100`); none for a WhatsApp user known
    /// only by a business-scoped id.
    pub phone: Option<&'a str>,
    /// The e-mail address.
    pub email: Option<&'a str>,
    /// The company.
    pub company: Option<&'a str>,
    /// The channel at hand: a campaign's, a workflow's or the triggering message's.
    pub channel: Option<Channel>,
    /// The contact's tags.
    pub tags: &'a [String],
    /// The contact's attributes.
    pub attributes: Option<&'a BTreeMap<String, Value>>,
    /// The message an inbound trigger fired on.
    pub text: Option<&'a str>,
    /// The replies a workflow run saved, by name.
    pub saved_replies: Option<&'a BTreeMap<String, String>>,
}

/// What a field holds for one subject, before normalization.
pub(super) enum Found<'s> {
    /// Absent, `null`, an empty list, or text that is empty once trimmed.
    Missing,
    /// Text (a number or a boolean as JSON writes it).
    Text(Cow<'s, str>),
    /// The tags, at least one.
    Tags(&'s [String]),
    /// A list attribute, at least one item.
    Items(&'s [Value]),
    /// An object attribute: present, but with no text to compare.
    Opaque,
}

impl<'a> Subject<'a> {
    /// The same subject with the message an inbound trigger fired on.
    pub fn with_text(self, text: &'a str) -> Self {
        Subject {
            text: Some(text),
            ..self
        }
    }

    /// The same subject with a workflow run's saved replies.
    pub fn with_saved_replies(self, saved_replies: &'a BTreeMap<String, String>) -> Self {
        Subject {
            saved_replies: Some(saved_replies),
            ..self
        }
    }

    /// The explicit first name, or else the name's first word.
    pub fn first_name(&self) -> Option<&'a str> {
        self.first_name
            .filter(|first| !first.trim().is_empty())
            .or_else(|| self.name?.split_whitespace().next())
    }

    /// What `field` holds.
    pub(super) fn get(&self, field: &Field) -> Found<'a> {
        match field {
            Field::Name => text(self.name),
            Field::FirstName => text(self.first_name()),
            Field::Phone => text(self.phone),
            Field::Email => text(self.email),
            Field::Company => text(self.company),
            Field::Channel => text(self.channel.map(Channel::as_str)),
            Field::Tags if self.tags.is_empty() => Found::Missing,
            Field::Tags => Found::Tags(self.tags),
            Field::Text => text(self.text),
            Field::Attribute(key) => self
                .attributes
                .and_then(|a| a.get(key))
                .map_or(Found::Missing, json),
            Field::SavedReply(name) => text(
                self.saved_replies
                    .and_then(|s| s.get(name))
                    .map(String::as_str),
            ),
        }
    }
}

fn text(value: Option<&str>) -> Found<'_> {
    value.map_or(Found::Missing, |text| present(Cow::Borrowed(text)))
}

fn json(value: &Value) -> Found<'_> {
    match value {
        Value::Array(items) if items.is_empty() => Found::Missing,
        Value::Array(items) => Found::Items(items),
        Value::Object(_) => Found::Opaque,
        scalar => scalar_text(scalar).map_or(Found::Missing, present),
    }
}

/// Text that is empty once trimmed is missing: a blank import cell or form
/// field says nothing about the contact.
fn present(text: Cow<'_, str>) -> Found<'_> {
    if text.trim().is_empty() {
        Found::Missing
    } else {
        Found::Text(text)
    }
}
