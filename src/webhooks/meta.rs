//! Meta's routes: the GET subscription handshake and the signed POST of
//! messages and statuses, each change routed to its number's tenant.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::Webhooks;
use super::response::{Rejection, acknowledged, header_value};
use crate::E164;
use crate::model::TenantRef;
use crate::providers::meta::SIGNATURE_HEADER;
use crate::providers::meta::webhook::{WebhookError, parse_routed, verify_subscription};

/// `GET /meta`: answers `hub.challenge` as `text/plain` when `hub.mode` is
/// `subscribe` and `hub.verify_token` is the configured one; 403 otherwise.
pub(super) async fn handshake(State(hooks): State<Webhooks>, uri: Uri) -> Response {
    let meta = match hooks.meta() {
        Ok(meta) => meta,
        Err(rejection) => return rejection.into_response(),
    };
    let query = uri.query().unwrap_or_default();
    let param = |name: &str| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    let (mode, token, challenge) = (
        param("hub.mode"),
        param("hub.verify_token"),
        param("hub.challenge"),
    );
    match verify_subscription(
        mode.as_deref(),
        token.as_deref(),
        challenge.as_deref(),
        &meta.verify_token,
    ) {
        Ok(challenge) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            challenge,
        )
            .into_response(),
        // A failed handshake is a refusal, not a malformed request.
        Err(error) => (StatusCode::FORBIDDEN, error.to_string()).into_response(),
    }
}

/// `POST /meta`: every message is handled as inbound and every status merged,
/// in the order Meta listed them; a retried POST is deduplicated by the engine.
pub(super) async fn event(
    State(hooks): State<Webhooks>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Rejection> {
    hooks
        .meta()?
        .verifier
        .verify(&body, header_value(&headers, SIGNATURE_HEADER))?;
    let parsed = parse_routed(&body, |id, display| tenant_for(&hooks, id, display))?;
    for message in &parsed.messages {
        hooks.inbound(&message.message).await?;
    }
    for status in &parsed.statuses {
        hooks.merge_status(status).await?;
    }
    Ok(acknowledged())
}

/// The tenant configured for `phone_number_id`, else the one owning the display number.
fn tenant_for(
    hooks: &Webhooks,
    phone_number_id: Option<&str>,
    display: Option<&str>,
) -> Result<TenantRef, WebhookError> {
    if let Some(tenant) = phone_number_id.and_then(|id| hooks.config.meta_numbers.get(id)) {
        return Ok(tenant.clone());
    }
    const FIELD: &str = "metadata.display_phone_number";
    let display = display.ok_or(WebhookError::Missing(FIELD))?;
    // Read leniently: only the digits count, whatever formatting the number has.
    let digits: String = display.chars().filter(char::is_ascii_digit).collect();
    E164::from_wa_id(&digits)
        .map(TenantRef::Number)
        .map_err(|e| WebhookError::Invalid {
            field: FIELD,
            reason: e.to_string(),
        })
}
