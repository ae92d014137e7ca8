//! Meta WhatsApp Cloud API webhooks, parsed into the engine's provider-neutral
//! values: each incoming message becomes an [`InboundMessage`], each status an
//! [`StatusCallback`].
//!
//! Meta posts JSON (`{"object":"whatsapp_business_account","entry":[…]}`) and one
//! POST can carry several entries, changes, messages and statuses, so [`parse`]
//! returns them all. Verify the signature first
//! ([`SignatureVerifier`](super::SignatureVerifier)), then parse the same raw body.
//! Field names are those of Meta's "messages webhook reference" and "Webhooks
//! payload examples" (developers.facebook.com/documentation/business-messaging/whatsapp/webhooks).
//!
//! Meta adds message types and fields over time. Unknown fields are ignored, and a
//! message of a type msgcore does not read (`unsupported`, `order`, `system`, or
//! one invented next year) is still delivered, its raw JSON kept in
//! [`InboundContent::unsupported`] (SPEC §11), never an error. A status Meta may add
//! later is skipped without failing the batch. Only a body that is not this
//! envelope, or a message or status without its id, sender or timestamp, is a
//! [`WebhookError`] naming the field.
//!
//! [`verify_subscription`] answers the GET handshake Meta makes when the webhook
//! URL is registered.
//!
//! ```
//! use msgcore::model::TenantRef;
//! use msgcore::providers::meta::webhook::parse;
//!
//! let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398",
//!   "changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
//!   "metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
//!   "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
//!   "messages":[{"from":"16505551234","id":"wamid.HBgLMTY1","timestamp":"1749416383",
//!   "type":"text","text":{"body":"Does it come in another color?"}}]}}]}]}"#;
//! let parsed = parse(body, TenantRef::Slug("demo".into()))?;
//! let first = &parsed.messages[0];
//! assert_eq!(first.message.from.as_str(), "+16505551234");
//! assert_eq!(first.message.content.text.as_deref(), Some("Does it come in another color?"));
//! assert_eq!(first.message.profile_name.as_deref(), Some("Sheena Nelson"));
//! assert_eq!(first.phone_number_id, "106540352242922");
//! # Ok::<(), msgcore::providers::meta::webhook::WebhookError>(())
//! ```

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use subtle::ConstantTimeEq;

use crate::core::channel::Channel;
use crate::core::delivery::{DeliveryStatus, StatusUpdate};
use crate::core::phone::E164;
use crate::core::window::{EntryPoint, InboundKind};
use crate::model::{InboundContent, MediaRef, ProviderName, Referral};
use crate::model::{
    InboundMessage, MessageRef, Pricing, PricingCategory, StatusCallback, TenantRef, WhatsAppIds,
};
pub use crate::providers::webhook_error::WebhookError;

/// The `object` of every WhatsApp Business Account webhook.
pub const OBJECT: &str = "whatsapp_business_account";

/// Everything one webhook POST carries, in the order Meta listed it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetaWebhook {
    /// The messages from WhatsApp users.
    pub messages: Vec<MetaMessage>,
    /// The status updates of messages the business sent.
    pub statuses: Vec<StatusCallback>,
}

/// An incoming message, with what Meta says beyond the provider-neutral message.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaMessage {
    /// The message for the engine (`Inbox::handle_inbound`).
    pub message: InboundMessage,
    /// When the user sent it (Meta's `timestamp`).
    pub sent_at: DateTime<Utc>,
    /// The business phone number's id it was sent to (`metadata.phone_number_id`).
    pub phone_number_id: String,
    /// That number as digits, when Meta sent it (`metadata.display_phone_number`).
    pub display_phone_number: Option<String>,
    /// The message it replies or reacts to, if any.
    pub context: Option<MessageContext>,
}

/// The message an incoming message replies to (`context`) or reacts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageContext {
    /// The wa_id of the sender of the message replied to (absent for reactions).
    pub from: Option<String>,
    /// The provider id of the message replied or reacted to.
    pub id: String,
}

#[derive(Deserialize)]
struct Envelope {
    object: String,
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    changes: Vec<Change>,
}

#[derive(Deserialize)]
struct Change {
    #[serde(default)]
    field: String,
    #[serde(default)]
    value: ChangeValue,
}

#[derive(Deserialize, Default)]
struct ChangeValue {
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    contacts: Vec<ContactJson>,
    #[serde(default)]
    messages: Vec<Value>,
    #[serde(default)]
    statuses: Vec<StatusJson>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    phone_number_id: Option<String>,
    display_phone_number: Option<String>,
}

#[derive(Deserialize)]
struct ContactJson {
    wa_id: Option<String>,
    user_id: Option<String>,
    #[serde(default)]
    profile: Profile,
}

#[derive(Deserialize, Default)]
struct Profile {
    name: Option<String>,
}

/// The fields every message has, whatever its type.
#[derive(Deserialize)]
struct MessageHead {
    #[serde(default)]
    from: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    timestamp: String,
    #[serde(rename = "type", default)]
    kind: String,
    from_user_id: Option<String>,
    context: Option<ContextJson>,
}

#[derive(Deserialize)]
struct ContextJson {
    from: Option<String>,
    id: Option<String>,
}

#[derive(Deserialize)]
struct ReferralJson {
    source_url: Option<String>,
    source_id: Option<String>,
    source_type: Option<String>,
    headline: Option<String>,
    body: Option<String>,
    media_type: Option<String>,
    image_url: Option<String>,
    video_url: Option<String>,
    thumbnail_url: Option<String>,
    ctwa_clid: Option<String>,
}

#[derive(Deserialize)]
struct TextJson {
    body: String,
}

#[derive(Deserialize)]
struct MediaJson {
    id: String,
    mime_type: Option<String>,
    caption: Option<String>,
}

#[derive(Deserialize)]
struct LocationJson {
    latitude: f64,
    longitude: f64,
    name: Option<String>,
    address: Option<String>,
}

#[derive(Deserialize)]
struct SharedContact {
    #[serde(default)]
    name: SharedName,
    #[serde(default)]
    phones: Vec<SharedPhone>,
}

#[derive(Deserialize, Default)]
struct SharedName {
    formatted_name: Option<String>,
}

#[derive(Deserialize)]
struct SharedPhone {
    phone: Option<String>,
}

#[derive(Deserialize)]
struct InteractiveJson {
    button_reply: Option<Reply>,
    list_reply: Option<Reply>,
}

#[derive(Deserialize)]
struct Reply {
    title: String,
}

#[derive(Deserialize)]
struct ButtonJson {
    text: String,
}

#[derive(Deserialize)]
struct ReactionJson {
    message_id: String,
    #[serde(default)]
    emoji: String,
}

#[derive(Deserialize)]
struct StatusJson {
    #[serde(default)]
    id: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    timestamp: String,
    #[serde(default)]
    errors: Vec<StatusErrorJson>,
    #[serde(default)]
    pricing: Option<PricingJson>,
}

#[derive(Deserialize)]
struct PricingJson {
    billable: Option<bool>,
    category: Option<String>,
    pricing_model: Option<String>,
}

#[derive(Deserialize)]
struct StatusErrorJson {
    code: Option<Value>,
}

/// Parses a webhook POST body for `tenant`: every message and status of every
/// `messages` change. Changes of other fields (account or template updates) are
/// ignored.
pub fn parse(body: &[u8], tenant: TenantRef) -> Result<MetaWebhook, WebhookError> {
    parse_routed(body, |_, _| Ok(tenant.clone()))
}

/// Parses a webhook POST body whose changes may be for different tenants (one
/// app serving several WhatsApp numbers): `tenant_for` names the tenant of each
/// `messages` change from its metadata's `phone_number_id` and
/// `display_phone_number`, as given (either may be absent).
///
/// ```
/// use msgcore::E164;
/// use msgcore::model::TenantRef;
/// use msgcore::providers::meta::webhook::{WebhookError, parse_routed};
///
/// let body = br#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages",
///   "value":{"metadata":{"display_phone_number":"14155238886","phone_number_id":"106540352242922"},
///   "messages":[{"from":"16505551234","id":"wamid.1","timestamp":"1749416383",
///   "type":"text","text":{"body":"Hi"}}]}}]}]}"#;
/// let parsed = parse_routed(body, |_id, display| {
///     let display = display.ok_or(WebhookError::Missing("metadata.display_phone_number"))?;
///     E164::from_wa_id(display).map(TenantRef::Number).map_err(|e| WebhookError::Invalid {
///         field: "metadata.display_phone_number",
///         reason: e.to_string(),
///     })
/// })?;
/// assert_eq!(parsed.messages[0].message.tenant, TenantRef::Number("+14155238886".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_routed(
    body: &[u8],
    tenant_for: impl Fn(Option<&str>, Option<&str>) -> Result<TenantRef, WebhookError>,
) -> Result<MetaWebhook, WebhookError> {
    let envelope: Envelope = serde_json::from_slice(body).map_err(|e| WebhookError::Invalid {
        field: "body",
        reason: e.to_string(),
    })?;
    if envelope.object != OBJECT {
        return Err(WebhookError::Invalid {
            field: "object",
            reason: format!("{:?} is not {OBJECT:?}", envelope.object),
        });
    }
    let mut parsed = MetaWebhook::default();
    for change in envelope.entry.into_iter().flat_map(|e| e.changes) {
        if change.field != "messages" {
            continue;
        }
        let value = change.value;
        if value.messages.is_empty() && value.statuses.is_empty() {
            continue;
        }
        let metadata = &value.metadata;
        let tenant = tenant_for(
            metadata.phone_number_id.as_deref(),
            metadata.display_phone_number.as_deref(),
        )?;
        for raw in value.messages {
            parsed
                .messages
                .push(message(raw, &value.metadata, &value.contacts, &tenant)?);
        }
        for json in &value.statuses {
            if let Some(callback) = status(json, &tenant)? {
                parsed.statuses.push(callback);
            }
        }
    }
    Ok(parsed)
}

/// A non-empty string field, or [`WebhookError::Missing`] naming it.
fn required<'a>(value: &'a str, field: &'static str) -> Result<&'a str, WebhookError> {
    if value.is_empty() {
        Err(WebhookError::Missing(field))
    } else {
        Ok(value)
    }
}

/// Meta's `timestamp`: unix seconds as a string.
fn timestamp(value: &str, field: &'static str) -> Result<DateTime<Utc>, WebhookError> {
    required(value, field)?
        .parse::<i64>()
        .ok()
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .ok_or_else(|| WebhookError::Invalid {
            field,
            reason: format!("{value:?} is not a unix time in seconds"),
        })
}

/// The object under `key` of a message, read as `T`; `None` when absent or not
/// shaped as Meta documents it.
fn part<T: DeserializeOwned>(raw: &Value, key: &str) -> Option<T> {
    raw.get(key)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// One incoming message, whatever its type.
fn message(
    raw: Value,
    metadata: &Metadata,
    contacts: &[ContactJson],
    tenant: &TenantRef,
) -> Result<MetaMessage, WebhookError> {
    let head: MessageHead =
        serde_json::from_value(raw.clone()).map_err(|e| WebhookError::Invalid {
            field: "messages",
            reason: e.to_string(),
        })?;
    let id = required(&head.id, "messages.id")?.to_owned();
    let from = E164::from_wa_id(required(&head.from, "messages.from")?).map_err(|e| {
        WebhookError::Invalid {
            field: "messages.from",
            reason: e.to_string(),
        }
    })?;
    let sent_at = timestamp(&head.timestamp, "messages.timestamp")?;
    let phone_number_id = metadata
        .phone_number_id
        .clone()
        .filter(|id| !id.is_empty())
        .ok_or(WebhookError::Missing("metadata.phone_number_id"))?;
    let contact = contacts
        .iter()
        .find(|c| c.wa_id.as_deref() == Some(head.from.as_str()));
    let mut context = head.context.and_then(|c| {
        Some(MessageContext {
            from: c.from,
            id: c.id.filter(|id| !id.is_empty())?,
        })
    });
    let reaction = (head.kind == "reaction")
        .then(|| part::<ReactionJson>(&raw, "reaction"))
        .flatten();
    let kind = if reaction.is_some() {
        InboundKind::Reaction
    } else {
        InboundKind::Message
    };
    let content = match reaction {
        Some(reaction) => {
            context = Some(MessageContext {
                from: None,
                id: reaction.message_id,
            });
            // An empty emoji is Meta's way of saying the reaction was removed.
            InboundContent {
                text: Some(reaction.emoji).filter(|e| !e.is_empty()),
                ..InboundContent::default()
            }
        }
        None => content(&head.kind, &raw).unwrap_or_else(|| InboundContent {
            unsupported: Some(raw.clone()),
            ..InboundContent::default()
        }),
    };
    let message = InboundMessage {
        tenant: tenant.clone(),
        provider: ProviderName::META,
        provider_message_id: id,
        channel: Channel::WhatsApp,
        from,
        kind,
        content,
        referral: part::<ReferralJson>(&raw, "referral").and_then(referral),
        profile_name: contact.and_then(|c| c.profile.name.clone()),
        whatsapp: WhatsAppIds::of(
            &from,
            Some(head.from.clone()),
            contact
                .and_then(|c| c.user_id.clone())
                .or(head.from_user_id),
        ),
    };
    Ok(MetaMessage {
        message,
        sent_at,
        phone_number_id,
        display_phone_number: metadata.display_phone_number.clone(),
        context,
    })
}

/// What a message of a type msgcore reads carries; `None` for any other type or a
/// known type without the object Meta documents for it.
fn content(kind: &str, raw: &Value) -> Option<InboundContent> {
    let text = |text: String| InboundContent {
        text: Some(text).filter(|t| !t.is_empty()),
        ..InboundContent::default()
    };
    match kind {
        "text" => part::<TextJson>(raw, "text").map(|t| text(t.body)),
        "image" | "video" | "audio" | "document" | "sticker" => {
            let media = part::<MediaJson>(raw, kind)?;
            Some(InboundContent {
                text: media.caption.filter(|c| !c.is_empty()),
                media: vec![MediaRef {
                    url: media.id,
                    content_type: media.mime_type,
                }],
                unsupported: None,
            })
        }
        "location" => part::<LocationJson>(raw, "location").map(|l| text(location(l))),
        "contacts" => part::<Vec<SharedContact>>(raw, "contacts").map(|c| text(shared_contacts(c))),
        "interactive" => {
            let interactive = part::<InteractiveJson>(raw, "interactive")?;
            let reply = interactive.button_reply.or(interactive.list_reply)?;
            Some(text(reply.title))
        }
        "button" => part::<ButtonJson>(raw, "button").map(|b| text(b.text)),
        _ => None,
    }
}

/// A shared location as text: its name and address, or its coordinates.
fn location(location: LocationJson) -> String {
    let named: Vec<String> = [location.name, location.address]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect();
    if named.is_empty() {
        format!("{},{}", location.latitude, location.longitude)
    } else {
        named.join(", ")
    }
}

/// Shared contact cards as text: one line per card, its name and phone numbers.
fn shared_contacts(contacts: Vec<SharedContact>) -> String {
    contacts
        .into_iter()
        .map(|card| {
            card.name
                .formatted_name
                .into_iter()
                .chain(card.phones.into_iter().filter_map(|p| p.phone))
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The Click-to-WhatsApp referral, when the message carries one.
fn referral(json: ReferralJson) -> Option<Referral> {
    if json.source_id.is_none() && json.ctwa_clid.is_none() && json.source_url.is_none() {
        return None;
    }
    let entry_point = match json.source_type.as_deref() {
        Some("post") => EntryPoint::PageButton,
        _ => EntryPoint::ClickToWhatsAppAd,
    };
    Some(Referral {
        entry_point,
        source_type: json.source_type,
        source_id: json.source_id,
        source_url: json.source_url,
        headline: json.headline,
        body: json.body,
        media_type: json.media_type,
        media_url: json.image_url.or(json.video_url),
        thumbnail_url: json.thumbnail_url,
        ctwa_clid: json.ctwa_clid,
    })
}

/// One status update; `None` for a status value Meta may add later.
fn status(json: &StatusJson, tenant: &TenantRef) -> Result<Option<StatusCallback>, WebhookError> {
    let id = required(&json.id, "statuses.id")?.to_owned();
    let status = match json.status.as_str() {
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "read" => DeliveryStatus::Read,
        "failed" => DeliveryStatus::Failed,
        _ => return Ok(None),
    };
    let at = timestamp(&json.timestamp, "statuses.timestamp")?;
    let code = json.errors.iter().find_map(|e| match e.code.as_ref()? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    });
    let update = match code {
        Some(code) => StatusUpdate::failed(status, at, code),
        None => StatusUpdate::new(status, at),
    };
    Ok(Some(StatusCallback {
        tenant: tenant.clone(),
        message: MessageRef::Provider {
            provider: ProviderName::META,
            id,
        },
        update,
        // Meta has no opt-out signal on statuses.
        opted_out: false,
        pricing: json.pricing.as_ref().and_then(pricing),
    }))
}

/// The billing of a status's message; `None` without a category.
fn pricing(json: &PricingJson) -> Option<Pricing> {
    Some(Pricing {
        billable: json.billable,
        category: PricingCategory::from_meta(json.category.as_deref()?),
        model: json.pricing_model.clone(),
    })
}

/// Answers Meta's GET verification handshake: returns `hub.challenge`, to be sent
/// back as the response body, when `hub.mode` is `subscribe` and `hub.verify_token`
/// equals `expected_token` (compared in constant time); otherwise an error naming
/// the parameter that was wrong.
///
/// ```
/// use msgcore::providers::meta::webhook::verify_subscription;
///
/// let challenge = verify_subscription(Some("subscribe"), Some("s3cret"), Some("1158201444"), "s3cret")?;
/// assert_eq!(challenge, "1158201444");
/// assert!(verify_subscription(Some("subscribe"), Some("guess"), Some("1158201444"), "s3cret").is_err());
/// # Ok::<(), msgcore::providers::meta::webhook::WebhookError>(())
/// ```
pub fn verify_subscription(
    mode: Option<&str>,
    token: Option<&str>,
    challenge: Option<&str>,
    expected_token: &str,
) -> Result<String, WebhookError> {
    match mode {
        None => return Err(WebhookError::Missing("hub.mode")),
        Some("subscribe") => {}
        Some(other) => {
            return Err(WebhookError::Invalid {
                field: "hub.mode",
                reason: format!("{other:?} is not \"subscribe\""),
            });
        }
    }
    let token = token.ok_or(WebhookError::Missing("hub.verify_token"))?;
    // An empty expected token would accept an empty guess: refuse it outright.
    if expected_token.is_empty() || !bool::from(token.as_bytes().ct_eq(expected_token.as_bytes())) {
        return Err(WebhookError::Invalid {
            field: "hub.verify_token",
            reason: "it does not match the configured verify token".into(),
        });
    }
    challenge
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .ok_or(WebhookError::Missing("hub.challenge"))
}

#[cfg(test)]
mod tests;
