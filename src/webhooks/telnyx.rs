//! Telnyx's route: messaging events, verified (Ed25519 over `timestamp|body`,
//! within the tolerance of the configured clock) before anything is read.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::Webhooks;
use super::response::{Rejection, acknowledged, header_value};
use crate::model::TenantRef;
use crate::providers::telnyx::webhook::{TelnyxEvent, parse};
use crate::providers::telnyx::{SIGNATURE_HEADER, TIMESTAMP_HEADER};

/// `POST /telnyx/{tenant}`: `message.received` is handled as an inbound message,
/// `message.sent` and `message.finalized` as status callbacks; other events are
/// acknowledged and ignored.
///
/// The tenant is the URL's slug, as for Twilio: the messaging profile's webhook
/// URL names it, whichever of its numbers the message used.
pub(super) async fn event(
    State(hooks): State<Webhooks>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Rejection> {
    hooks.telnyx()?.verify(
        &body,
        header_value(&headers, TIMESTAMP_HEADER),
        header_value(&headers, SIGNATURE_HEADER),
        hooks.config.clock.now(),
    )?;
    match parse(&body)? {
        TelnyxEvent::Message(mut message) => {
            message.tenant = TenantRef::Slug(tenant);
            hooks.inbound(&message).await?;
        }
        TelnyxEvent::Status(mut callback) => {
            callback.tenant = TenantRef::Slug(tenant);
            hooks.merge_status(&callback).await?;
        }
        TelnyxEvent::Other { .. } => {}
    }
    Ok(acknowledged())
}
