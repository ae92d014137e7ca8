//! Telnyx's messaging webhooks (API v2), parsed into the engine's provider-neutral
//! values: `message.received` becomes an [`InboundMessage`], `message.sent` and
//! `message.finalized` a [`StatusCallback`].
//!
//! Verify the signature first ([`WebhookVerifier`](super::WebhookVerifier)), then
//! parse the same raw body. The envelope is `{"data": {"event_type", "id",
//! "occurred_at", "payload": {…}}, "meta": {…}}`; the payload names the message
//! (`id`), its numbers (`from.phone_number`, `to[].phone_number` with each
//! recipient's `status`), `text`, `media[]` and `errors[]`. The tenant is the one
//! that owns our side of the exchange: the number a message was sent to, or the
//! number a status is about a message from (SPEC §11, "tenant by destination
//! number"). Unknown fields are ignored; other event types are reported as
//! [`TelnyxEvent::Other`], never an error.
//!
//! ```
//! use msgcore::model::TenantRef;
//! use msgcore::providers::telnyx::webhook::{TelnyxEvent, parse};
//!
//! let body = br#"{"data": {"event_type": "message.received", "id": "e1",
//!     "occurred_at": "2026-03-02T18:00:00.000+00:00",
//!     "payload": {"id": "m1", "type": "SMS", "text": "STOP",
//!         "from": {"phone_number": "+13125550100"},
//!         "to": [{"phone_number": "+13125550199", "status": "webhook_delivered"}]}}}"#;
//! let TelnyxEvent::Message(message) = parse(body)? else { panic!("a message") };
//! assert_eq!(message.tenant, TenantRef::Number("+13125550199".parse()?));
//! assert_eq!(message.content.text.as_deref(), Some("STOP"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::core::channel::Channel;
use crate::core::delivery::{DeliveryStatus, StatusUpdate};
use crate::core::phone::E164;
use crate::core::window::InboundKind;
use crate::model::{InboundContent, MediaRef, ProviderName};
use crate::model::{InboundMessage, MessageRef, StatusCallback, TenantRef, WhatsAppIds};
pub use crate::providers::webhook_error::WebhookError;

/// Telnyx's error code for a send to a recipient who opted out.
pub const OPTED_OUT_ERROR: &str = "40300";

/// What a Telnyx messaging webhook says.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TelnyxEvent {
    /// `message.received`: a message from a contact (boxed: a message is large
    /// beside a status).
    Message(Box<InboundMessage>),
    /// `message.sent` or `message.finalized`: a status of a message we sent.
    Status(StatusCallback),
    /// Any other event type, acknowledged and otherwise ignored.
    Other {
        /// Its `event_type`.
        event_type: String,
    },
}

#[derive(Deserialize)]
struct Envelope {
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Data {
    event_type: Option<String>,
    occurred_at: Option<String>,
    payload: Option<Payload>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Payload {
    id: Option<String>,
    text: Option<String>,
    from: Option<Endpoint>,
    to: Vec<Endpoint>,
    media: Vec<Media>,
    errors: Vec<ErrorEntry>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Endpoint {
    phone_number: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Media {
    url: Option<String>,
    content_type: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ErrorEntry {
    code: Option<serde_json::Value>,
}

/// Parses a Telnyx messaging webhook body.
pub fn parse(body: &[u8]) -> Result<TelnyxEvent, WebhookError> {
    let envelope: Envelope = serde_json::from_slice(body).map_err(|e| WebhookError::Invalid {
        field: "body",
        reason: e.to_string(),
    })?;
    let data = envelope.data.ok_or(WebhookError::Missing("data"))?;
    let event_type = data
        .event_type
        .ok_or(WebhookError::Missing("data.event_type"))?;
    let payload = || data.payload.ok_or(WebhookError::Missing("data.payload"));
    match event_type.as_str() {
        "message.received" => Ok(TelnyxEvent::Message(Box::new(message(payload()?)?))),
        "message.sent" | "message.finalized" => {
            let at = occurred_at(data.occurred_at.as_deref())?;
            Ok(TelnyxEvent::Status(status(payload()?, at)?))
        }
        _ => Ok(TelnyxEvent::Other { event_type }),
    }
}

fn message(payload: Payload) -> Result<InboundMessage, WebhookError> {
    let id = required(payload.id, "data.payload.id")?;
    let from = number(
        payload.from.and_then(|f| f.phone_number),
        "data.payload.from.phone_number",
    )?;
    let to = number(
        payload.to.into_iter().next().and_then(|t| t.phone_number),
        "data.payload.to[0].phone_number",
    )?;
    let media = payload
        .media
        .into_iter()
        .filter_map(|m| {
            Some(MediaRef {
                url: m.url.filter(|u| !u.is_empty())?,
                content_type: m.content_type,
            })
        })
        .collect();
    Ok(InboundMessage {
        tenant: TenantRef::Number(to),
        provider: ProviderName::TELNYX,
        provider_message_id: id,
        channel: Channel::Sms,
        from,
        kind: InboundKind::Message,
        content: InboundContent {
            text: payload.text.filter(|t| !t.is_empty()),
            media,
            unsupported: None,
        },
        referral: None,
        profile_name: None,
        whatsapp: WhatsAppIds::default(),
    })
}

fn status(payload: Payload, at: DateTime<Utc>) -> Result<StatusCallback, WebhookError> {
    let id = required(payload.id, "data.payload.id")?;
    let ours = number(
        payload.from.and_then(|f| f.phone_number),
        "data.payload.from.phone_number",
    )?;
    let recipient = payload.to.into_iter().next();
    let reported = required(
        recipient.and_then(|r| r.status),
        "data.payload.to[0].status",
    )?;
    let status = delivery_status(&reported)?;
    let codes: Vec<String> = payload
        .errors
        .into_iter()
        .filter_map(|e| error_code(e.code?))
        .collect();
    let opted_out = codes.iter().any(|c| c == OPTED_OUT_ERROR);
    let update = match codes.into_iter().next() {
        Some(code) => StatusUpdate::failed(status, at, code),
        None => StatusUpdate::new(status, at),
    };
    Ok(StatusCallback {
        tenant: TenantRef::Number(ours),
        message: MessageRef::Provider {
            provider: ProviderName::TELNYX,
            id,
        },
        update,
        opted_out,
        // Telnyx reports a cost, not a WhatsApp pricing category.
        pricing: None,
    })
}

/// Telnyx's recipient status as a delivery status. `delivery_failed` means the
/// carrier could not deliver a message that was sent, like Twilio's
/// `undelivered`; `delivery_unconfirmed` means no receipt came, so `sent` is the
/// last thing known.
fn delivery_status(status: &str) -> Result<DeliveryStatus, WebhookError> {
    Ok(match status {
        "queued" => DeliveryStatus::Queued,
        "sending" => DeliveryStatus::Sending,
        "sent" | "delivery_unconfirmed" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "sending_failed" => DeliveryStatus::Failed,
        "delivery_failed" => DeliveryStatus::Undelivered,
        other => {
            return Err(WebhookError::Invalid {
                field: "data.payload.to[0].status",
                reason: format!("{other:?} is not the status of an outbound message"),
            });
        }
    })
}

/// An error code, which Telnyx writes as a string (`"40300"`) or a number.
pub(crate) fn error_code(value: serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(code) if !code.is_empty() => Some(code),
        serde_json::Value::Number(code) => Some(code.to_string()),
        _ => None,
    }
}

fn required(value: Option<String>, field: &'static str) -> Result<String, WebhookError> {
    value
        .filter(|v| !v.is_empty())
        .ok_or(WebhookError::Missing(field))
}

fn number(value: Option<String>, field: &'static str) -> Result<E164, WebhookError> {
    let text = required(value, field)?;
    E164::parse(&text, None).map_err(|e| WebhookError::Invalid {
        field,
        reason: e.to_string(),
    })
}

fn occurred_at(value: Option<&str>) -> Result<DateTime<Utc>, WebhookError> {
    let text = value.ok_or(WebhookError::Missing("data.occurred_at"))?;
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.to_utc())
        .map_err(|e| WebhookError::Invalid {
            field: "data.occurred_at",
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests;
