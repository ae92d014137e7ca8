//! A change to a contact asked for by an agent, the API or an import row (SPEC
//! §1, §18): the fields to set, the tags to add and remove, the attributes to
//! merge, and consent to record per channel. It is plain data; the engine's
//! `decide_contact_edit` applies it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::channel::Channel;

/// What to change on a contact; everything left out stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactEdit {
    /// The name to set.
    pub name: Option<String>,
    /// The e-mail address to set.
    pub email: Option<String>,
    /// The company to set.
    pub company: Option<String>,
    /// Tags to add (each once, in this order after the contact's own).
    pub add_tags: Vec<String>,
    /// Tags to remove.
    pub remove_tags: Vec<String>,
    /// Attributes to merge; a JSON `null` removes the attribute.
    pub attributes: BTreeMap<String, serde_json::Value>,
    /// `true` opts SMS in, `false` opts it out.
    pub sms_opted_in: Option<bool>,
    /// `true` opts WhatsApp in, `false` opts it out.
    pub whatsapp_opted_in: Option<bool>,
}

impl ContactEdit {
    /// The consent asked for per channel, WhatsApp first.
    pub fn consent(&self) -> impl Iterator<Item = (Channel, bool)> {
        [
            (Channel::WhatsApp, self.whatsapp_opted_in),
            (Channel::Sms, self.sms_opted_in),
        ]
        .into_iter()
        .filter_map(|(channel, wanted)| Some((channel, wanted?)))
    }
}
