//! Files sent as the `file` part of a `multipart/form-data` form, shared by
//! the routes that take one, with axum's refusals as `{"error"}`.

use axum::body::Bytes;
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};

use super::error::ApiError;

/// The media type a form is sent as.
pub(super) const MULTIPART: &str = "multipart/form-data";

/// A form's `file` part and the text parts a route asked for.
pub(super) struct Form {
    file: Option<(Bytes, Option<String>)>,
    texts: Vec<(&'static str, String)>,
}

impl Form {
    /// Reads `request`'s form: its `file` part, and the parts named in
    /// `texts` as text; other parts are skipped. A body over the route's
    /// `limit` is 413, a malformed one 400.
    pub(super) async fn read(
        request: Request,
        texts: &[&'static str],
        limit: usize,
    ) -> Result<Form, ApiError> {
        let unreadable = |error: MultipartError| unreadable(error, limit);
        let mut multipart = Multipart::from_request(request, &())
            .await
            .map_err(|rejection| ApiError::Rejected {
                status: rejection.status(),
                message: rejection.body_text(),
            })?;
        let mut form = Form {
            file: None,
            texts: Vec::new(),
        };
        while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
            let name = field.name().unwrap_or_default().to_owned();
            if name == "file" {
                let filename = field.file_name().map(str::to_owned);
                form.file = Some((field.bytes().await.map_err(unreadable)?, filename));
            } else if let Some(text) = texts.iter().find(|t| **t == name) {
                form.texts
                    .push((text, field.text().await.map_err(unreadable)?));
            }
        }
        Ok(form)
    }

    /// The text part `name`, if the form had one.
    pub(super) fn text(&self, name: &str) -> Option<&str> {
        let found = self.texts.iter().find(|(text, _)| *text == name);
        found.map(|(_, value)| value.as_str())
    }

    /// The `file` part's bytes and file name; 400 when the form has none.
    pub(super) fn file(self) -> Result<(Bytes, Option<String>), ApiError> {
        self.file
            .ok_or_else(|| bad_request("the form has no `file` part".to_owned()))
    }
}

/// The media type of the request, without its parameters, in lower case.
pub(super) fn content_type(request: &Request) -> String {
    let value = request.headers().get(header::CONTENT_TYPE);
    let text = value.and_then(|v| v.to_str().ok()).unwrap_or_default();
    let essence = text.split(';').next().unwrap_or_default();
    essence.trim().to_ascii_lowercase()
}

/// A 415 for a body sent as `sent`, saying to send it as `wanted`.
pub(super) fn sent_as_other(wanted: &str, sent: &str) -> ApiError {
    ApiError::Rejected {
        status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        message: format!("send the file as {wanted}, not {sent:?}"),
    }
}

/// A 400 saying `message`.
pub(super) fn bad_request(message: String) -> ApiError {
    ApiError::Rejected {
        status: StatusCode::BAD_REQUEST,
        message,
    }
}

/// A form that cannot be read: 413 over the route's `limit` (axum says
/// only that the body is too large), 400 malformed.
fn unreadable(error: MultipartError, limit: usize) -> ApiError {
    let status = error.status();
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            format!("the body is over this route's limit of {limit} bytes")
        }
        _ => error.body_text(),
    };
    ApiError::Rejected { status, message }
}
