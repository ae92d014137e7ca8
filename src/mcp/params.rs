//! The tools' arguments, camelCase as the REST API's bodies are, with the
//! JSON schemas (schemars) that `tools/list` shows a model.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use crate::api::{ChannelName, SendKindName, StatusName};

/// `list_contacts`' arguments.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ListContacts {
    /// Contacts whose name contains this (any case), or whose number contains its digits.
    pub(crate) search: Option<String>,
    /// Contacts with this tag.
    pub(crate) tag: Option<String>,
    /// The page, from 1 to 100 (default 1).
    pub(crate) page: Option<u32>,
    /// Contacts per page, 1 to 100 (default 20).
    pub(crate) limit: Option<u32>,
}

/// The arguments of a tool that reads one record by id.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ById {
    /// The record's id, as a list gave it.
    pub(crate) id: String,
}

/// `set_conversation_guide`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SetGuide {
    /// The conversation's id, as a list gave it.
    pub(crate) id: String,
    /// What the AI agent should know or do in this conversation (4,000
    /// characters at most); none clears it.
    pub(crate) guide: Option<String>,
}

/// `create_contact`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CreateContact {
    /// The number, in E.164 (`+14155550100`; a national number is read as a US one).
    pub(crate) phone: String,
    /// The contact's name.
    pub(crate) name: Option<String>,
    /// Their e-mail address.
    pub(crate) email: Option<String>,
    /// Their company.
    pub(crate) company: Option<String>,
    /// Tags to give them.
    #[serde(default)]
    pub(crate) tags: Vec<String>,
    /// Other attributes, as JSON values.
    #[serde(default)]
    pub(crate) attributes: BTreeMap<String, Value>,
    /// Whether they consented to SMS.
    pub(crate) sms_opted_in: Option<bool>,
    /// Whether they consented to WhatsApp.
    pub(crate) whatsapp_opted_in: Option<bool>,
}

/// `list_conversations`' arguments.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ListConversations {
    /// Only conversations in this status.
    pub(crate) status: Option<StatusName>,
    /// The page, from 1 to 100 (default 1).
    pub(crate) page: Option<u32>,
    /// Conversations per page, 1 to 100 (default 20).
    pub(crate) limit: Option<u32>,
}

/// `send_message`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SendMessage {
    /// The contact's number, in E.164; the contact must exist and have consented on the channel.
    pub(crate) to: String,
    /// The text to send.
    pub(crate) text: String,
    /// The channel; by default the contact's latest conversation's, else WhatsApp when the tenant has a WhatsApp number, else SMS.
    pub(crate) channel: Option<ChannelName>,
    /// `marketing` (the default: held in the recipient's quiet hours) or `transactional`.
    pub(crate) kind: Option<SendKindName>,
    /// Your id for the message: sending the same id again answers with the first message instead of sending another.
    pub(crate) client_id: Option<String>,
}

/// `send_broadcast`'s arguments: a campaign in SPEC §18's form.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SendBroadcast {
    /// Your id for the campaign (letters, digits, `-` and `_`); an id used before is refused.
    pub(crate) id: String,
    /// The channel every message goes on.
    pub(crate) channel: ChannelName,
    /// Who receives it, e.g. `{"tags": ["vip"]}`; every contact when left out.
    pub(crate) audience: Option<Value>,
    /// The text, with `{name}` and `{company}` filled in per contact.
    pub(crate) text: Option<String>,
    /// Or an approved WhatsApp template: `{"name", "language", "components"}`.
    pub(crate) template: Option<Value>,
    /// `marketing` (the default: held in each recipient's quiet hours) or `transactional`.
    pub(crate) kind: Option<SendKindName>,
    /// When to start (RFC 3339); at once when left out.
    pub(crate) start_at: Option<DateTime<Utc>>,
    /// At most this many recipients a minute.
    #[schemars(range(min = 1))]
    pub(crate) per_minute: Option<u32>,
}

/// `get_analytics`' arguments.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct GetAnalytics {
    /// From this instant (RFC 3339); 30 days before `to` when left out.
    pub(crate) from: Option<DateTime<Utc>>,
    /// Until this instant, excluded (RFC 3339); now when left out. At most 366 days after `from`.
    pub(crate) to: Option<DateTime<Utc>>,
}

/// `list_quick_replies`' arguments.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ListQuickReplies {
    /// Only shortcuts that start with this (any case, the `/` optional).
    pub(crate) prefix: Option<String>,
}

/// `create_payment_link`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CreatePaymentLink {
    /// The paying contact's id.
    pub(crate) contact_id: String,
    /// How much, in the currency's minor unit: 4999 is 49.99.
    #[schemars(range(min = 1))]
    pub(crate) amount: u64,
    /// The ISO 4217 currency code, such as `USD` or `INR`.
    pub(crate) currency: String,
    /// What the payment is for, as the payer sees it (at most 500 characters).
    pub(crate) description: String,
}
