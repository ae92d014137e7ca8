//! Sending through Telnyx's v2 Messages API, sans-IO: [`MessagesApi::request`]
//! builds `POST {base}/v2/messages` (JSON, `Authorization: Bearer` API key) for an
//! outbox item, and [`MessagesApi::read`] reads the answer into Telnyx's message id
//! or a classified [`CarrierError`].
//!
//! The body names `from` (a number, or the messaging profile's pool when
//! [`Sender::MessagingProfile`] is used), `to`, `text`, `media_urls` (MMS) and an
//! optional `webhook_url` for status events. Refusals: 40300 (the recipient replied
//! STOP) is a permanent opt-out, 401/403 (a bad API key) permanent, 429 and 5xx
//! retryable with `Retry-After`.
//!
//! ```
//! use msgcore::core::{channel::Channel, message::Content};
//! use msgcore::model::{MessageId, OutboxItem, TenantId};
//! use msgcore::providers::telnyx::send::{MessagesApi, Sender};
//!
//! let api = MessagesApi::new("KEY123", Sender::Number("+13125550199".parse()?));
//! let item = OutboxItem::pending(
//!     MessageId::from_uuid(uuid::Uuid::nil()),
//!     TenantId::from_uuid(uuid::Uuid::nil()),
//!     Channel::Sms,
//!     "+13125550100".parse()?,
//!     None,
//!     Content::text("Your order shipped")?,
//!     chrono::DateTime::UNIX_EPOCH,
//! );
//! let request = api.request(&item)?;
//! assert_eq!(request.url, "https://api.telnyx.com/v2/messages");
//! assert_eq!(request.header("authorization"), Some("Bearer KEY123"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use super::webhook::{OPTED_OUT_ERROR, error_code};
use crate::core::channel::Channel;
use crate::core::message::{Content, MediaSource};
use crate::core::phone::E164;

use crate::model::{CarrierError, CarrierErrorKind, OutboxItem, ProviderName};
use crate::providers::http::{HttpRequest, HttpResponse, Method};
use crate::providers::send_api::SendApi;

/// Telnyx's API host.
pub const DEFAULT_BASE_URL: &str = "https://api.telnyx.com";

/// Who a message is sent from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    /// A Telnyx number.
    Number(E164),
    /// A messaging profile, whose number pool picks the sender.
    MessagingProfile(String),
}

/// Telnyx's Messages API for one API key.
#[derive(Clone, PartialEq, Eq)]
pub struct MessagesApi {
    api_key: String,
    sender: Sender,
    webhook_url: Option<String>,
    base_url: String,
}

impl fmt::Debug for MessagesApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessagesApi")
            .field("api_key", &"<redacted>")
            .field("sender", &self.sender)
            .field("webhook_url", &self.webhook_url)
            .field("base_url", &self.base_url)
            .finish()
    }
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    messaging_profile_id: Option<&'a str>,
    to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    media_urls: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_url: Option<&'a str>,
}

impl MessagesApi {
    /// Sends with `api_key` from `sender`, to Telnyx's own host.
    pub fn new(api_key: impl Into<String>, sender: Sender) -> MessagesApi {
        MessagesApi {
            api_key: api_key.into(),
            sender,
            webhook_url: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
        }
    }

    /// Uses another base URL (a mock server in tests, a proxy).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> MessagesApi {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Asks Telnyx to post this message's events to `url`.
    pub fn with_webhook_url(mut self, url: impl Into<String>) -> MessagesApi {
        self.webhook_url = Some(url.into());
        self
    }

    /// The request that sends `item`; WhatsApp, and content SMS/MMS cannot carry,
    /// are a permanent [`CarrierError`].
    pub fn request(&self, item: &OutboxItem) -> Result<HttpRequest, CarrierError> {
        if item.channel != Channel::Sms {
            return Err(refused("this adapter sends SMS and MMS through Telnyx"));
        }
        let (text, media_urls) = match &item.content {
            Content::Text(text) => (Some(text.as_str()), Vec::new()),
            Content::Image(m) | Content::Audio(m) | Content::Video(m) => {
                (m.caption(), vec![url(m.source())?])
            }
            Content::Document(d) => (d.caption(), vec![url(d.source())?]),
            other => {
                return Err(refused(&format!(
                    "Telnyx cannot send {:?} content",
                    other.kind()
                )));
            }
        };
        let from = match (&self.sender, &item.from) {
            (_, Some(from)) => Some(from.as_str()),
            (Sender::Number(number), None) => Some(number.as_str()),
            (Sender::MessagingProfile(_), None) => None,
        };
        let body = Body {
            from,
            messaging_profile_id: match &self.sender {
                Sender::MessagingProfile(id) => Some(id),
                Sender::Number(_) => None,
            },
            to: item.to.as_str(),
            text,
            media_urls,
            webhook_url: self.webhook_url.as_deref(),
        };
        let body = serde_json::to_vec(&body).map_err(|e| refused(&e.to_string()))?;
        Ok(HttpRequest {
            method: Method::Post,
            url: format!("{}/v2/messages", self.base_url),
            headers: vec![
                (
                    "Authorization".to_owned(),
                    format!("Bearer {}", self.api_key),
                ),
                ("Content-Type".to_owned(), "application/json".to_owned()),
            ],
            body,
        })
    }

    /// Telnyx's answer: the new message's id, or the refusal classified.
    pub fn read(&self, response: &HttpResponse) -> Result<String, CarrierError> {
        let answer: Answer = serde_json::from_slice(&response.body).unwrap_or_default();
        let id = answer.data.and_then(|d| d.id).filter(|id| !id.is_empty());
        match id {
            Some(id) if response.is_success() => Ok(id),
            _ => Err(carrier_error(response, answer.errors)),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Answer {
    data: Option<Sent>,
    errors: Vec<ApiError>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Sent {
    id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ApiError {
    code: Option<serde_json::Value>,
    title: Option<String>,
    detail: Option<String>,
}

fn url(source: &MediaSource) -> Result<&str, CarrierError> {
    match source {
        MediaSource::MediaUrl(url) => Ok(url),
        MediaSource::MediaId(_) => Err(refused("Telnyx sends media by URL, not by a media id")),
    }
}

fn refused(message: &str) -> CarrierError {
    CarrierError::permanent(ProviderName::TELNYX, message)
}

fn carrier_error(response: &HttpResponse, errors: Vec<ApiError>) -> CarrierError {
    let first = errors.into_iter().next().unwrap_or_default();
    let code = first.code.and_then(error_code);
    let kind = match code.as_deref() {
        Some(OPTED_OUT_ERROR) => CarrierErrorKind::OptedOut,
        _ => response.refusal_kind(false),
    };
    let message = first
        .detail
        .or(first.title)
        .unwrap_or_else(|| format!("Telnyx answered HTTP {}", response.status));
    let code = code.unwrap_or_else(|| format!("http_{}", response.status));
    CarrierError::new(ProviderName::TELNYX, kind, message).with_code(code)
}

impl SendApi for MessagesApi {
    fn provider(&self) -> ProviderName {
        ProviderName::TELNYX
    }

    fn request(&self, item: &OutboxItem) -> Result<HttpRequest, CarrierError> {
        MessagesApi::request(self, item)
    }

    fn read(&self, response: &HttpResponse) -> Result<String, CarrierError> {
        MessagesApi::read(self, response)
    }
}

#[cfg(test)]
mod tests;
