//! Twilio's messaging webhooks, parsed into the engine's provider-neutral values:
//! an incoming SMS, MMS or WhatsApp message becomes an
//! [`InboundMessage`], a status callback a
//! [`StatusCallback`].
//!
//! Both arrive as `application/x-www-form-urlencoded` bodies; verify the signature
//! first ([`RequestValidator`](super::RequestValidator)), then parse the same raw
//! body. Parameter names are Twilio's (its "incoming message webhook" and "status
//! callback" documentation): `MessageSid`, `From`, `To`, `Body`, `NumMedia` with
//! `MediaUrl{N}`/`MediaContentType{N}`, `ProfileName`, the Click-to-WhatsApp
//! `Referral*` fields, `OptOutType` (Advanced Opt-Out), and for statuses
//! `MessageStatus` and `ErrorCode`. Parameters Twilio adds later are ignored, never
//! an error; a missing or malformed required one is a [`WebhookError`] naming it.
//!
//! ```
//! use msgcore::Channel;
//! use msgcore::model::TenantRef;
//! use msgcore::providers::twilio::webhook::parse_message;
//!
//! let body = b"MessageSid=SM123&From=whatsapp%3A%2B14155550100&To=whatsapp%3A%2B14155238886\
//!              &Body=Where+is+my+order%3F&NumMedia=0&ProfileName=Maria";
//! let parsed = parse_message(body, TenantRef::Slug("demo".into()))?;
//! assert_eq!(parsed.message.channel, Channel::WhatsApp);
//! assert_eq!(parsed.message.from.as_str(), "+14155550100");
//! assert_eq!(parsed.message.content.text.as_deref(), Some("Where is my order?"));
//! assert_eq!(parsed.message.profile_name.as_deref(), Some("Maria"));
//! # Ok::<(), msgcore::providers::twilio::webhook::WebhookError>(())
//! ```

use chrono::{DateTime, Utc};

use super::form::Params;
use crate::core::delivery::{DeliveryStatus, StatusUpdate};
use crate::core::phone::E164;
use crate::core::window::{EntryPoint, InboundKind};
use crate::model::{InboundContent, MediaRef, ProviderName, Referral};
use crate::model::{InboundMessage, MessageRef, StatusCallback, TenantRef, WhatsAppIds};
pub use crate::providers::webhook_error::WebhookError;

/// The most media a Twilio message carries (`MediaUrl0` … `MediaUrl9`).
const MAX_MEDIA: usize = 10;

/// Twilio's error code for a send to a recipient who opted out.
pub const OPTED_OUT_ERROR: &str = "21610";

/// An incoming message, with what Twilio says beyond the provider-neutral message.
#[derive(Debug, Clone, PartialEq)]
pub struct TwilioMessage {
    /// The message for the engine (`Inbox::handle_inbound`).
    pub message: InboundMessage,
    /// The number (or `whatsapp:` address) it was sent to.
    pub to: E164,
    /// The account it arrived on (a subaccount per tenant, or the platform's).
    pub account_sid: Option<String>,
    /// `STOP`, `START` or `HELP` when Twilio's Advanced Opt-Out handled a keyword
    /// (and answered it itself: set the tenant's `provider_sends_keyword_replies`).
    pub opt_out_type: Option<String>,
}

/// Parses an incoming-message webhook (SMS, MMS or WhatsApp) for `tenant`.
pub fn parse_message(body: &[u8], tenant: TenantRef) -> Result<TwilioMessage, WebhookError> {
    let params = Params::parse(body);
    let sid = params.required("MessageSid")?.to_owned();
    let (channel, from) = params.address("From")?;
    let (_, to) = params.address("To")?;
    let message = InboundMessage {
        tenant,
        provider: ProviderName::TWILIO,
        provider_message_id: sid,
        channel,
        from,
        kind: InboundKind::Message,
        content: InboundContent {
            text: params.text("Body"),
            media: media(&params)?,
            unsupported: None,
        },
        referral: referral(&params),
        profile_name: params.text("ProfileName"),
        whatsapp: WhatsAppIds::of(&from, params.text("WaId"), None),
    };
    Ok(TwilioMessage {
        message,
        to,
        account_sid: params.text("AccountSid"),
        opt_out_type: params.text("OptOutType"),
    })
}

/// `MediaUrl{N}` and `MediaContentType{N}` for each of the `NumMedia` attachments.
fn media(params: &Params) -> Result<Vec<MediaRef>, WebhookError> {
    let count = match params.get("NumMedia").filter(|n| !n.is_empty()) {
        None => 0,
        Some(n) => n.parse::<usize>().map_err(|_| WebhookError::Invalid {
            field: "NumMedia",
            reason: format!("{n:?} is not a count"),
        })?,
    };
    Ok((0..count.min(MAX_MEDIA))
        .filter_map(|i| {
            let url = params.text(&format!("MediaUrl{i}"))?;
            let content_type = params.text(&format!("MediaContentType{i}"));
            Some(MediaRef { url, content_type })
        })
        .collect())
}

/// The Click-to-WhatsApp referral, when the message carries one.
fn referral(params: &Params) -> Option<Referral> {
    let (source_id, ctwa_clid) = (
        params.text("ReferralSourceId"),
        params.text("ReferralCtwaClid"),
    );
    if source_id.is_none() && ctwa_clid.is_none() {
        return None;
    }
    let source_type = params.text("ReferralSourceType");
    let entry_point = match source_type.as_deref() {
        Some("post") => EntryPoint::PageButton,
        _ => EntryPoint::ClickToWhatsAppAd,
    };
    Some(Referral {
        entry_point,
        source_type,
        source_id,
        source_url: params.text("ReferralSourceUrl"),
        headline: params.text("ReferralHeadline"),
        body: params.text("ReferralBody"),
        media_type: params.text("ReferralMediaContentType"),
        media_url: params.text("ReferralMediaUrl"),
        thumbnail_url: None,
        ctwa_clid,
    })
}

/// Parses a status callback for `tenant`, received at `now` (Twilio's callbacks
/// carry no time of their own). Error 21610 is reported as an opt-out.
pub fn parse_status(
    body: &[u8],
    tenant: TenantRef,
    now: DateTime<Utc>,
) -> Result<StatusCallback, WebhookError> {
    let params = Params::parse(body);
    let sid = params.required("MessageSid")?.to_owned();
    let status = delivery_status(params.required("MessageStatus")?)?;
    let code = params.text("ErrorCode").filter(|code| code != "0");
    let opted_out = code.as_deref() == Some(OPTED_OUT_ERROR);
    let update = match code {
        Some(code) => StatusUpdate::failed(status, now, code),
        None => StatusUpdate::new(status, now),
    };
    Ok(StatusCallback {
        tenant,
        message: MessageRef::Provider {
            provider: ProviderName::TWILIO,
            id: sid,
        },
        update,
        opted_out,
        pricing: None,
    })
}

/// Twilio's `MessageStatus` as a delivery status. `accepted` and `scheduled` are
/// queued by Twilio; `canceled` (a scheduled message withdrawn) never went out.
fn delivery_status(status: &str) -> Result<DeliveryStatus, WebhookError> {
    match status {
        "accepted" | "scheduled" => Ok(DeliveryStatus::Queued),
        "canceled" => Ok(DeliveryStatus::Failed),
        other => other.parse().map_err(|_| WebhookError::Invalid {
            field: "MessageStatus",
            reason: format!("{other:?} is not the status of an outbound message"),
        }),
    }
}

#[cfg(test)]
mod tests;
