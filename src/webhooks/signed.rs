//! [`Signed`]: a Twilio webhook whose signature verified, the only way Twilio's
//! routes (messages, status callbacks, voice) get at a body.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::response::{IntoResponse, Response};

use super::Webhooks;
use super::response::{Rejection, header_value};
use crate::model::TenantRef;
use crate::providers::twilio::SIGNATURE_HEADER;

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
