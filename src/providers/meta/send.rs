//! Sending through Meta's WhatsApp Cloud API, sans-IO: [`MessagesApi::request`]
//! builds the HTTP request for an outbox item and [`MessagesApi::read`] reads
//! Meta's answer into the message's `wamid` or a classified [`CarrierError`].
//!
//! Every request goes to `{base}/{version}/{phone_number_id}/…` with
//! `Authorization: Bearer {access token}`:
//!
//! - `POST …/messages` sends any content of SPEC §6 as JSON
//!   (`{"messaging_product": "whatsapp", "recipient_type": "individual", "to": wa_id,
//!   "type": …}`): text, media by `link` or uploaded `id`, templates, reply buttons
//!   and lists, locations, contact cards and reactions;
//! - `POST …/media` uploads a file ([`MessagesApi::upload_request`]) after checking
//!   its bytes, and answers with the media id to send it by;
//! - `POST …/messages` with `"status": "read"` marks an incoming message as read
//!   ([`MessagesApi::mark_read_request`]).
//!
//! Refusals: 131047 (outside the 24-hour window), 131026 (undeliverable) and 190
//! (access token) are permanent; 130429 and 80007 (rate limits), 131056 (too many
//! messages to one recipient), HTTP 429 and 5xx are retryable, with `Retry-After`.
//!
//! ```
//! use msgcore::core::{channel::Channel, message::Content};
//! use msgcore::model::{MessageId, OutboxItem, TenantId};
//! use msgcore::providers::http::HttpResponse;
//! use msgcore::providers::meta::send::MessagesApi;
//!
//! let api = MessagesApi::new("EAAG-token", "106540352242922");
//! let item = OutboxItem::pending(
//!     MessageId::from_uuid(uuid::Uuid::nil()),
//!     TenantId::from_uuid(uuid::Uuid::nil()),
//!     Channel::WhatsApp,
//!     "+16505551234".parse()?,
//!     None,
//!     Content::text("Your order shipped")?,
//!     chrono::DateTime::UNIX_EPOCH,
//! );
//! let request = api.request(&item)?;
//! assert_eq!(request.url, "https://graph.facebook.com/v23.0/106540352242922/messages");
//! assert_eq!(request.header("authorization"), Some("Bearer EAAG-token"));
//! let body: serde_json::Value = serde_json::from_slice(&request.body)?;
//! assert_eq!(body["to"], "16505551234");
//! assert_eq!(body["text"]["body"], "Your order shipped");
//!
//! let answer = HttpResponse {
//!     status: 200,
//!     headers: Vec::new(),
//!     body: br#"{"messaging_product":"whatsapp","contacts":[{"input":"16505551234","wa_id":"16505551234"}],"messages":[{"id":"wamid.HBgLMTY1"}]}"#.to_vec(),
//! };
//! assert_eq!(api.read(&answer)?, "wamid.HBgLMTY1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod multipart;
mod payload;
mod refusal;
mod upload_error;

use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::core::channel::Channel;
use crate::core::message::MediaKind;
use crate::core::message::media::{MediaError, check_media};
use crate::model::CarrierError;
use crate::model::{OutboxItem, ProviderName};
use crate::providers::http::{HttpRequest, HttpResponse, Method};
use crate::providers::send_api::SendApi;
use multipart::FilePart;
use refusal::{ApiError, carrier_error};

pub use upload_error::MediaUploadError;

/// Meta's limit for images: stricter than SPEC §6's 16 MB for every kind (Meta's
/// "Supported media types": images 5 MB), read in decimal like
/// [`MAX_MEDIA_BYTES`](crate::core::message::media::MAX_MEDIA_BYTES), so an image
/// accepted here is within Meta's limit whichever reading Meta uses.
pub const MAX_IMAGE_BYTES: usize = 5_000_000;

/// Meta's Graph API host.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";

/// The Graph API version requests name unless [`MessagesApi::with_version`] says
/// otherwise. Meta keeps each version working for at least two years after the
/// next one is released.
pub const DEFAULT_VERSION: &str = "v23.0";

/// The `messaging_product` of every Cloud API request.
const MESSAGING_PRODUCT: &str = "whatsapp";

/// The Cloud API for one business phone number.
#[derive(Clone, PartialEq, Eq)]
pub struct MessagesApi {
    access_token: String,
    phone_number_id: String,
    base_url: String,
    version: String,
}

impl fmt::Debug for MessagesApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessagesApi")
            .field("access_token", &"<redacted>")
            .field("phone_number_id", &self.phone_number_id)
            .field("base_url", &self.base_url)
            .field("version", &self.version)
            .finish()
    }
}

impl MessagesApi {
    /// Sends from the number `phone_number_id` (Meta's id for it, not the number)
    /// with `access_token` (a system user's token), to Meta's own host.
    pub fn new(access_token: impl Into<String>, phone_number_id: impl Into<String>) -> MessagesApi {
        MessagesApi {
            access_token: access_token.into(),
            phone_number_id: phone_number_id.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            version: DEFAULT_VERSION.to_owned(),
        }
    }

    /// Uses another base URL (a mock server in tests, a proxy).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> MessagesApi {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Uses another Graph API version (`v24.0`).
    pub fn with_version(mut self, version: impl Into<String>) -> MessagesApi {
        self.version = version.into();
        self
    }

    /// The request that sends `item`; an item on any channel but WhatsApp is a
    /// permanent [`CarrierError`].
    pub fn request(&self, item: &OutboxItem) -> Result<HttpRequest, CarrierError> {
        if item.channel != Channel::WhatsApp {
            return Err(CarrierError::permanent(
                ProviderName::META,
                format!("the WhatsApp Cloud API cannot send on {}", item.channel),
            ));
        }
        // Only a message Meta carried has a wamid Meta can quote.
        let reply_to = item
            .reply_to
            .as_ref()
            .filter(|answered| answered.provider == ProviderName::META)
            .map(|answered| answered.message_id.as_str());
        let message = payload::Message::new(item.whatsapp_recipient(), &item.content, reply_to);
        let body = serde_json::to_vec(&message)
            .map_err(|e| CarrierError::permanent(ProviderName::META, e.to_string()))?;
        Ok(self.json_request("messages", body))
    }

    /// Meta's answer: the new message's `wamid`, or the refusal classified.
    pub fn read(&self, response: &HttpResponse) -> Result<String, CarrierError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Sent {
            messages: Vec<Created>,
            error: Option<ApiError>,
        }
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Created {
            id: Option<String>,
        }
        let answer: Sent = answer(response);
        let wamid = answer.messages.into_iter().next().and_then(|m| m.id);
        accepted(response, wamid, answer.error)
    }

    /// The request that uploads a file to send as `kind`, once its bytes show it
    /// is a type WhatsApp takes for `kind` and within 16 MB
    /// ([`check_media`]); the part's MIME type is the one the bytes show, whatever
    /// `file_name` says.
    pub fn upload_request(
        &self,
        kind: MediaKind,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<HttpRequest, MediaUploadError> {
        let rejected = |problem| MediaUploadError::Rejected {
            file_name: file_name.to_owned(),
            problem,
        };
        let media_type = check_media(kind, bytes).map_err(rejected)?;
        if kind == MediaKind::Image && bytes.len() > MAX_IMAGE_BYTES {
            return Err(rejected(MediaError::TooLarge {
                size: bytes.len(),
                max: MAX_IMAGE_BYTES,
            }));
        }
        let mime = media_type.mime_type();
        let form = multipart::form(
            &[("messaging_product", MESSAGING_PRODUCT), ("type", mime)],
            &FilePart {
                field: "file",
                file_name,
                content_type: mime,
                bytes,
            },
        );
        Ok(self.post("media", form.content_type(), form.body))
    }

    /// Meta's answer to an upload: the media id, or the refusal classified.
    pub fn read_upload(&self, response: &HttpResponse) -> Result<String, CarrierError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Uploaded {
            id: Option<String>,
            error: Option<ApiError>,
        }
        let answer: Uploaded = answer(response);
        accepted(response, answer.id, answer.error)
    }

    /// The request that marks the incoming message `wamid` (and the ones before
    /// it) as read: the sender sees blue ticks.
    pub fn mark_read_request(&self, wamid: &str) -> HttpRequest {
        let body = serde_json::json!({
            "messaging_product": MESSAGING_PRODUCT,
            "status": "read",
            "message_id": wamid,
        });
        self.json_request("messages", body.to_string().into_bytes())
    }

    /// Meta's answer to [`mark_read_request`](Self::mark_read_request): `Ok` when
    /// it says `{"success": true}`, otherwise the refusal classified.
    pub fn read_ack(&self, response: &HttpResponse) -> Result<(), CarrierError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Ack {
            success: bool,
            error: Option<ApiError>,
        }
        let answer: Ack = answer(response);
        if response.is_success() && answer.success {
            Ok(())
        } else {
            Err(carrier_error(response, answer.error))
        }
    }

    fn json_request(&self, edge: &str, body: Vec<u8>) -> HttpRequest {
        self.post(edge, "application/json".to_owned(), body)
    }

    fn post(&self, edge: &str, content_type: String, body: Vec<u8>) -> HttpRequest {
        HttpRequest {
            method: Method::Post,
            url: format!(
                "{}/{}/{}/{edge}",
                self.base_url, self.version, self.phone_number_id
            ),
            headers: vec![
                (
                    "Authorization".to_owned(),
                    format!("Bearer {}", self.access_token),
                ),
                ("Content-Type".to_owned(), content_type),
            ],
            body,
        }
    }
}

/// The answer's JSON, or its defaults when the body is not JSON of that shape (an
/// HTML error page from a proxy): the status then decides.
fn answer<T: DeserializeOwned + Default>(response: &HttpResponse) -> T {
    serde_json::from_slice(&response.body).unwrap_or_default()
}

/// `value` when the status is 2xx and the answer carried it, else the refusal.
fn accepted(
    response: &HttpResponse,
    value: Option<String>,
    error: Option<ApiError>,
) -> Result<String, CarrierError> {
    match value.filter(|v| !v.is_empty()) {
        Some(value) if response.is_success() => Ok(value),
        _ => Err(carrier_error(response, error)),
    }
}

impl SendApi for MessagesApi {
    fn provider(&self) -> ProviderName {
        ProviderName::META
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
