//! Sending through Twilio's Messages API, sans-IO: [`MessagesApi::request`] builds
//! the HTTP request for an outbox item and [`MessagesApi::read`] reads Twilio's
//! answer into the provider's message sid or a classified [`CarrierError`].
//!
//! The request is `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`,
//! form-encoded, with HTTP basic auth (account sid and auth token, a tenant's
//! subaccount or the platform's): `To`, `From` or `MessagingServiceSid`, `Body`,
//! `MediaUrl` and `StatusCallback`; WhatsApp addresses carry the `whatsapp:` prefix.
//! A WhatsApp template goes by its Twilio Content SID (`HX` and 32 hex digits),
//! with its body parameters as `ContentVariables`. The template's name holds the
//! SID written in lower case (`hx…`, since template names follow Meta's
//! lower-case rule), and the prefix is restored to `HX` when sending.
//!
//! Twilio's Messages API takes no idempotency key, so a retry after a lost answer
//! can send twice; the dispatcher's leases keep that to sends whose answer was lost.
//!
//! ```
//! use msgcore::E164;
//! use msgcore::core::{channel::Channel, message::Content};
//! use msgcore::model::{MessageId, OutboxItem, TenantId};
//! use msgcore::providers::twilio::send::{MessagesApi, Sender, TwilioCredentials};
//!
//! let api = MessagesApi::new(
//!     TwilioCredentials::new("AC123", "token"),
//!     Sender::Number("+14155238886".parse()?),
//! );
//! let item = OutboxItem::pending(
//!     MessageId::from_uuid(uuid::Uuid::nil()),
//!     TenantId::from_uuid(uuid::Uuid::nil()),
//!     Channel::WhatsApp,
//!     "+14155550100".parse()?,
//!     None,
//!     Content::text("Your order shipped")?,
//!     chrono::DateTime::UNIX_EPOCH,
//! );
//! let request = api.request(&item)?;
//! assert_eq!(request.url, "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json");
//! let body = String::from_utf8(request.body).unwrap();
//! assert!(body.contains("To=whatsapp%3A%2B14155550100"));
//! assert!(body.contains("From=whatsapp%3A%2B14155238886"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use crate::core::channel::Channel;
use crate::core::message::template_message::{ComponentType, TemplateParameter};
use crate::core::message::{Content, MediaSource, TemplateMessage};
use crate::core::phone::E164;

use crate::model::{CarrierError, CarrierErrorKind, OutboxItem, ProviderName};
use crate::providers::http::{HttpRequest, HttpResponse, Method};
use crate::providers::send_api::SendApi;

/// Twilio's API host.
pub const DEFAULT_BASE_URL: &str = "https://api.twilio.com";

/// An account sid and its auth token (a subaccount per tenant, or the platform's).
#[derive(Clone, PartialEq, Eq)]
pub struct TwilioCredentials {
    account_sid: String,
    auth_token: String,
}

impl TwilioCredentials {
    /// Credentials for `account_sid`.
    pub fn new(account_sid: impl Into<String>, auth_token: impl Into<String>) -> Self {
        TwilioCredentials {
            account_sid: account_sid.into(),
            auth_token: auth_token.into(),
        }
    }

    /// The account sid.
    pub fn account_sid(&self) -> &str {
        &self.account_sid
    }
}

impl fmt::Debug for TwilioCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TwilioCredentials")
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"<redacted>")
            .finish()
    }
}

/// Who a message is sent from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    /// A Twilio number (`From`); on WhatsApp, the WhatsApp sender's number.
    Number(E164),
    /// A Messaging Service (`MessagingServiceSid`), which picks the number.
    MessagingService(String),
}

/// Twilio's Messages API for one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessagesApi {
    credentials: TwilioCredentials,
    sender: Sender,
    status_callback: Option<String>,
    base_url: String,
}

impl MessagesApi {
    /// Sends from `sender` with `credentials`, to Twilio's own host.
    pub fn new(credentials: TwilioCredentials, sender: Sender) -> MessagesApi {
        MessagesApi {
            credentials,
            sender,
            status_callback: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
        }
    }

    /// Uses another base URL (a mock server in tests, a proxy, a regional edge).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> MessagesApi {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Asks Twilio to post status callbacks to `url`.
    pub fn with_status_callback(mut self, url: impl Into<String>) -> MessagesApi {
        self.status_callback = Some(url.into());
        self
    }

    /// The request that sends `item`; content Twilio cannot carry (a media id,
    /// interactive messages, locations, contact cards, reactions) is a permanent
    /// [`CarrierError`].
    pub fn request(&self, item: &OutboxItem) -> Result<HttpRequest, CarrierError> {
        let channel = item.channel;
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("To", &item.to.twilio_address(channel));
        match (&self.sender, item.from) {
            (Sender::MessagingService(sid), _) => form.append_pair("MessagingServiceSid", sid),
            (Sender::Number(default), from) => {
                form.append_pair("From", &from.unwrap_or(*default).twilio_address(channel))
            }
        };
        for (key, value) in content_fields(&item.content, channel)? {
            form.append_pair(key, &value);
        }
        if let Some(url) = &self.status_callback {
            form.append_pair("StatusCallback", url);
        }
        let credentials = format!(
            "{}:{}",
            self.credentials.account_sid, self.credentials.auth_token
        );
        Ok(HttpRequest {
            method: Method::Post,
            url: format!(
                "{}/2010-04-01/Accounts/{}/Messages.json",
                self.base_url, self.credentials.account_sid
            ),
            headers: vec![
                (
                    "Authorization".to_owned(),
                    format!("Basic {}", STANDARD.encode(credentials)),
                ),
                (
                    "Content-Type".to_owned(),
                    "application/x-www-form-urlencoded".to_owned(),
                ),
            ],
            body: form.finish().into_bytes(),
        })
    }

    /// Twilio's answer: the new message's sid, or the refusal classified.
    pub fn read(&self, response: &HttpResponse) -> Result<String, CarrierError> {
        let answer: Answer = serde_json::from_slice(&response.body).unwrap_or_default();
        match answer.sid {
            Some(sid) if response.is_success() && !sid.is_empty() => Ok(sid),
            _ => Err(carrier_error(response, answer.code, answer.message)),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Answer {
    sid: Option<String>,
    code: Option<i64>,
    message: Option<String>,
}

/// The form fields for `content` on `channel`.
fn content_fields(
    content: &Content,
    channel: Channel,
) -> Result<Vec<(&'static str, String)>, CarrierError> {
    let media = |source: &MediaSource, caption: Option<&str>| match source {
        MediaSource::MediaUrl(url) => {
            let mut fields = vec![("MediaUrl", url.clone())];
            fields.extend(caption.map(|c| ("Body", c.to_owned())));
            Ok(fields)
        }
        MediaSource::MediaId(_) => Err(refused("Twilio sends media by URL, not by a media id")),
    };
    match content {
        Content::Text(text) => Ok(vec![("Body", text.as_str().to_owned())]),
        Content::Image(m) | Content::Audio(m) | Content::Video(m) => media(m.source(), m.caption()),
        Content::Document(d) => media(d.source(), d.caption()),
        Content::Template(template) if channel == Channel::WhatsApp => template_fields(template),
        other => Err(refused(&format!(
            "Twilio cannot send {:?} content on {channel}",
            other.kind()
        ))),
    }
}

/// `ContentSid` and the body's text parameters as `ContentVariables` (`{"1": …}`).
fn template_fields(
    template: &TemplateMessage,
) -> Result<Vec<(&'static str, String)>, CarrierError> {
    let name = template.name();
    let sid = match name.strip_prefix("hx") {
        Some(rest) => format!("HX{rest}"),
        None => name.to_owned(),
    };
    let mut fields = vec![("ContentSid", sid)];
    let body = template
        .components()
        .iter()
        .find(|c| c.kind == ComponentType::Body);
    if let Some(body) = body {
        let mut variables = serde_json::Map::new();
        for (i, parameter) in body.parameters.iter().enumerate() {
            let TemplateParameter::Text { text } = parameter else {
                return Err(refused(
                    "Twilio content variables take text parameters only",
                ));
            };
            variables.insert((i + 1).to_string(), serde_json::Value::String(text.clone()));
        }
        fields.push((
            "ContentVariables",
            serde_json::Value::Object(variables).to_string(),
        ));
    }
    Ok(fields)
}

fn refused(message: &str) -> CarrierError {
    CarrierError::permanent(ProviderName::TWILIO, message)
}

/// Classifies a refusal (SPEC §15): 20003 bad credentials, 21211 bad `To`,
/// 21212/21606 bad `From`, 21610 opted out, 63016 outside the WhatsApp window are
/// permanent; HTTP 429 (or code 20429) and 5xx are retryable, with `Retry-After`.
pub fn carrier_error(
    response: &HttpResponse,
    code: Option<i64>,
    message: Option<String>,
) -> CarrierError {
    let kind = match code {
        Some(21610) => CarrierErrorKind::OptedOut,
        _ => response.refusal_kind(code == Some(20429)),
    };
    let message = message.unwrap_or_else(|| {
        describe(code)
            .unwrap_or("Twilio refused the request")
            .to_owned()
    });
    let code = code.map_or_else(|| format!("http_{}", response.status), |c| c.to_string());
    CarrierError::new(ProviderName::TWILIO, kind, message).with_code(code)
}

/// What the documented codes mean, for answers without a message.
fn describe(code: Option<i64>) -> Option<&'static str> {
    Some(match code? {
        20003 => "authentication failed: check the account sid and auth token",
        21211 => "the To number is not a valid phone number",
        21212 | 21606 => "the From number is not valid or not a number of this account",
        21610 => "the recipient has opted out (replied STOP)",
        63016 => "outside the WhatsApp 24-hour window: send an approved template",
        _ => return None,
    })
}

impl SendApi for MessagesApi {
    fn provider(&self) -> ProviderName {
        ProviderName::TWILIO
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
