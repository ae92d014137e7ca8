//! Contact cards, as WhatsApp's `contacts` message carries them.
//!
//! A card needs a `name.formatted_name` (what the chat shows) and, as Meta requires
//! with it, a `first_name` or `last_name`. Phones and e-mail addresses are optional;
//! when present each must be non-blank, and an e-mail address must hold an `@`.
//! A message carries at least one card.

use serde::{Deserialize, Serialize};

use super::error::{ContentError, ContentProblem};
use super::fields::{optional, required};

/// A contact's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContactName {
    /// The full name as shown.
    #[serde(default)]
    pub formatted_name: String,
    /// Given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
}

/// A phone number on a card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContactPhone {
    /// The number as written.
    #[serde(default)]
    pub phone: String,
    /// A label (`CELL`, `WORK`, …).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The WhatsApp id, which adds a "Message" button to the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
}

/// An e-mail address on a card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContactEmail {
    /// The address.
    #[serde(default)]
    pub email: String,
    /// A label (`HOME`, `WORK`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// One contact card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContactCard {
    /// The name.
    #[serde(default)]
    pub name: ContactName,
    /// Phone numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<ContactPhone>,
    /// E-mail addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<ContactEmail>,
}

impl ContactCard {
    fn check(&self) -> Result<(), ContentError> {
        let name = &self.name;
        required("formatted_name", Some(&name.formatted_name), usize::MAX)
            .map_err(|e| e.within("name"))?;
        if name.first_name.is_none() && name.last_name.is_none() {
            return Err(ContentError::new(
                "name.first_name",
                ContentProblem::Missing,
            ));
        }
        optional("first_name", name.first_name.as_deref(), usize::MAX)
            .and_then(|()| optional("last_name", name.last_name.as_deref(), usize::MAX))
            .map_err(|e| e.within("name"))?;
        for (index, phone) in self.phones.iter().enumerate() {
            required("phone", Some(&phone.phone), usize::MAX)
                .and_then(|()| optional("type", phone.label.as_deref(), usize::MAX))
                .and_then(|()| optional("wa_id", phone.wa_id.as_deref(), usize::MAX))
                .map_err(|e| e.at("phones", index))?;
        }
        for (index, email) in self.emails.iter().enumerate() {
            required("email", Some(&email.email), usize::MAX)
                .and_then(|()| well_formed_email(&email.email))
                .and_then(|()| optional("type", email.label.as_deref(), usize::MAX))
                .map_err(|e| e.at("emails", index))?;
        }
        Ok(())
    }
}

fn well_formed_email(email: &str) -> Result<(), ContentError> {
    match email.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() => Ok(()),
        _ => Err(ContentError::new(
            "email",
            ContentProblem::Malformed {
                expected: "an address with a local part, an @ and a domain",
            },
        )),
    }
}

/// A valid `contacts` message: made only by validation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Contacts {
    cards: Vec<ContactCard>,
}

impl Contacts {
    /// The cards, at least one.
    pub fn cards(&self) -> &[ContactCard] {
        &self.cards
    }

    /// Checks the cards; the error's field is relative to the message (`contacts[0].name.formatted_name`).
    pub(crate) fn from_cards(cards: Option<Vec<ContactCard>>) -> Result<Contacts, ContentError> {
        let cards = cards.unwrap_or_default();
        if cards.is_empty() {
            return Err(ContentError::new(
                "contacts",
                ContentProblem::TooFew { count: 0, min: 1 },
            ));
        }
        for (index, card) in cards.iter().enumerate() {
            card.check().map_err(|e| e.at("contacts", index))?;
        }
        Ok(Contacts { cards })
    }

    pub(crate) fn into_cards(self) -> Vec<ContactCard> {
        self.cards
    }
}
