//! Twilio's routes: incoming messages (SMS and WhatsApp senders) and status
//! callbacks, each verified against the public URL before anything is read.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::response::{IntoResponse, Response};

use super::Webhooks;
use super::response::{Rejection, header_value, twiml};
use crate::engine::TenantRef;
use crate::providers::twilio::SIGNATURE_HEADER;
use crate::providers::twilio::twiml::Response as TwiML;
use crate::providers::twilio::voice::is_call_callback;
use crate::providers::twilio::webhook::{parse_message, parse_status};

/// A Twilio webhook whose `X-Twilio-Signature` verified: handlers taking it
/// cannot read a body that was not checked first.
pub(super) struct Signed {
    /// The tenant's slug, from the path.
    pub(super) tenant: TenantRef,
    /// The path as this router saw it, still percent-encoded.
    pub(super) path: String,
    /// The raw form body.
    pub(super) body: Bytes,
}

impl FromRequest<Webhooks> for Signed {
    type Rejection = Response;

    async fn from_request(request: Request, hooks: &Webhooks) -> Result<Signed, Response> {
        let validator = hooks.twilio().map_err(IntoResponse::into_response)?;
        let (mut parts, body) = request.into_parts();
        let Path(tenant) = Path::<String>::from_request_parts(&mut parts, hooks)
            .await
            .map_err(IntoResponse::into_response)?;
        // The path and query as this router saw them: behind `Router::nest`, the
        // prefix is gone, and the public base URL puts it back.
        let target = parts
            .uri
            .path_and_query()
            .map_or(parts.uri.path(), |pq| pq.as_str())
            .to_owned();
        let path = parts.uri.path().to_owned();
        let signature = header_value(&parts.headers, SIGNATURE_HEADER).map(str::to_owned);
        let request = Request::from_parts(parts, body);
        let body = Bytes::from_request(request, hooks)
            .await
            .map_err(IntoResponse::into_response)?;
        validator
            .validate_form_body(&target, &body, signature.as_deref())
            .map_err(|e| Rejection::from(e).into_response())?;
        Ok(Signed {
            tenant: TenantRef::Slug(tenant),
            path,
            body,
        })
    }
}

/// `POST /twilio/{tenant}/sms` and `/whatsapp`: the channel comes from the
/// `From` address (`whatsapp:+…`), so both console settings share this handler.
///
/// The answer is empty TwiML: replies go through the outbox and the dispatcher,
/// so the acknowledgement does not wait for a bot or a send.
pub(super) async fn message(
    State(hooks): State<Webhooks>,
    signed: Signed,
) -> Result<Response, Rejection> {
    let parsed = parse_message(&signed.body, signed.tenant)?;
    hooks.inbox.handle_inbound(&parsed.message).await?;
    Ok(twiml(TwiML::new().to_xml()))
}

/// `POST /twilio/{tenant}/status`: a message's status callback, merged into its
/// delivery (error 21610 withdraws consent), or a call's, logged by the voice flow.
pub(super) async fn status(
    State(hooks): State<Webhooks>,
    signed: Signed,
) -> Result<Response, Rejection> {
    if is_call_callback(&signed.body) {
        return super::voice::call_status(&hooks, signed).await;
    }
    let now = hooks.config.clock.now();
    let callback = parse_status(&signed.body, signed.tenant, now)?;
    hooks.merge_status(&callback).await?;
    Ok(twiml(TwiML::new().to_xml()))
}
