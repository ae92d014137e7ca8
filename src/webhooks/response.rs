//! How the webhook routes answer: the acknowledgements providers expect, and the
//! status codes that make them retry (5xx) or give up (4xx).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::voice_flow::VoiceError;
use crate::error::Error;
use crate::providers::signature::SignatureError;
use crate::providers::webhook_error::WebhookError;

/// Why a webhook request was refused.
#[derive(Debug, thiserror::Error)]
pub(super) enum Rejection {
    /// The provider's routes are off: nothing can be verified, so nothing is
    /// accepted. The text says what configures them.
    #[error("{0}")]
    NotConfigured(String),
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error(transparent)]
    Webhook(#[from] WebhookError),
    #[error(transparent)]
    Engine(#[from] Error),
}

impl From<VoiceError> for Rejection {
    fn from(error: VoiceError) -> Rejection {
        match error {
            VoiceError::Webhook(error) => Rejection::Webhook(error),
            VoiceError::Inbox(error) => Rejection::Engine(error),
        }
    }
}

impl Rejection {
    fn status(&self) -> StatusCode {
        let code = match self {
            Rejection::NotConfigured(_) => 403,
            Rejection::Signature(error) => signature_status(error),
            Rejection::Webhook(_) => 400,
            Rejection::Engine(error) => error.http_status(),
        };
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// A missing signature is 401 (authenticate), a wrong or stale one 403, and a
/// verifier that cannot work a server fault.
fn signature_status(error: &SignatureError) -> u16 {
    match error {
        SignatureError::MissingSignature { .. } | SignatureError::MissingTimestamp { .. } => 401,
        error if error.is_configuration_error() => 500,
        _ => 403,
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let status = self.status();
        // Server faults may carry store details: the provider only needs to retry,
        // the operator needs the details, in the log.
        let body = match &self {
            Rejection::Engine(error) if status.is_server_error() => {
                tracing::error!(status = status.as_u16(), %error, "webhook failed; the provider will retry");
                error.kind().to_string()
            }
            _ => {
                tracing::warn!(status = status.as_u16(), reason = %self, "webhook refused");
                self.to_string()
            }
        };
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            body,
        )
            .into_response()
    }
}

/// `200 text/xml` with a TwiML document.
pub(super) fn twiml(xml: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

/// `200` with an empty body: all that Telnyx, Meta and Twilio's call status
/// callbacks read from the answer.
pub(super) fn acknowledged() -> Response {
    StatusCode::OK.into_response()
}

/// The value of header `name`, when it is present and readable text.
pub(super) fn header_value<'h>(headers: &'h axum::http::HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}
