//! How the REST API answers a failure: the seed's status codes and
//! `{"error": "…"}`, never a database's or a key's details.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::{IntoResponses, ToSchema};

use crate::error::Error;
use crate::service::PageError;

/// Every error's body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for a person to read.
    #[schema(example = "invalid API key")]
    pub error: String,
}

/// The refusals every route with a key can answer, for its OpenAPI entry.
#[derive(IntoResponses)]
#[allow(dead_code, reason = "only its OpenAPI description is used")]
pub(crate) enum Refusals {
    /// No valid key.
    #[response(
        status = 401,
        description = "No valid key: missing, malformed, unknown, revoked or expired"
    )]
    Unauthorized(#[to_schema] ErrorBody),
    /// Over a limit.
    #[response(
        status = 429,
        description = "Over a rate limit (per IP, per key, or a recipient's sends), or a \
                       marketing send in quiet hours; Retry-After says when to try again"
    )]
    TooMany(#[to_schema] ErrorBody),
    /// The store failed.
    #[response(status = 500, description = "The server failed; the body says no more")]
    Failed(#[to_schema] ErrorBody),
}

/// The further refusals of a route that writes a JSON body.
#[derive(IntoResponses)]
#[allow(dead_code, reason = "only its OpenAPI description is used")]
pub(crate) enum BodyRefusals {
    /// Too large.
    #[response(status = 413, description = "The body is over the limit")]
    TooLarge(#[to_schema] ErrorBody),
    /// Not JSON.
    #[response(status = 415, description = "The body is not sent as application/json")]
    NotJson(#[to_schema] ErrorBody),
    /// Too busy.
    #[response(status = 503, description = "Too busy to write now; try again")]
    Busy(#[to_schema] ErrorBody),
}

/// A request the API refused or could not carry out.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// Anything the engine or the service layer refused.
    Engine(Error),
    /// The request cannot be carried out as it stands: axum could not read
    /// it (a query, a body: 400, 413, 415, 422 as 400), or it names a record
    /// that exists (409). Its status and what was wrong.
    Rejected {
        /// The status axum chose.
        status: StatusCode,
        /// What it said was wrong.
        message: String,
    },
    /// No route has this path.
    NoRoute,
    /// The route has no handler for this method.
    NoMethod,
}

impl From<Error> for ApiError {
    fn from(error: Error) -> ApiError {
        ApiError::Engine(error)
    }
}

impl From<PageError> for ApiError {
    fn from(error: PageError) -> ApiError {
        ApiError::Engine(error.into())
    }
}

impl ApiError {
    fn status(&self) -> StatusCode {
        let code = match self {
            ApiError::Engine(error) => error.http_status(),
            // The seed's codes have no 422: a body of the wrong shape is a 400.
            ApiError::Rejected { status, .. } => match status.as_u16() {
                422 => 400,
                code => code,
            },
            ApiError::NoRoute => 404,
            ApiError::NoMethod => 405,
        };
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn message(&self) -> String {
        match self {
            ApiError::Engine(error) => crate::service::public_message(error),
            ApiError::Rejected { message, .. } => message.clone(),
            ApiError::NoRoute => "no such route".to_owned(),
            ApiError::NoMethod => "this route does not take that method".to_owned(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = ?self, "API request failed");
        }
        let retry_after = match &self {
            ApiError::Engine(Error::RateLimited(limited)) => {
                HeaderValue::from_str(&limited.retry_after_header()).ok()
            }
            // A quiet-hours hold lifts at an instant: Retry-After's HTTP-date form.
            ApiError::Engine(Error::QuietHours(hold)) => {
                let date = hold.until.format("%a, %d %b %Y %H:%M:%S GMT");
                HeaderValue::from_str(&date.to_string()).ok()
            }
            _ => None,
        };
        let mut response = (
            status,
            Json(ErrorBody {
                error: self.message(),
            }),
        )
            .into_response();
        if let Some(value) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// A JSON body, refused with `{"error"}` like everything else.
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(ApiError::Rejected {
                status: rejection.status(),
                message: rejection.body_text(),
            }),
        }
    }
}

/// Declares `$name<T>`, axum's `$inner<T>` refused with `{"error"}` like
/// everything else.
macro_rules! part_extractor {
    ($(#[$doc:meta])* $name:ident, $inner:ident) => {
        $(#[$doc])*
        pub(crate) struct $name<T>(pub(crate) T);

        impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send>
            axum::extract::FromRequestParts<S> for $name<T>
        {
            type Rejection = ApiError;

            async fn from_request_parts(
                parts: &mut axum::http::request::Parts,
                state: &S,
            ) -> Result<Self, ApiError> {
                match axum::extract::$inner::<T>::from_request_parts(parts, state).await {
                    Ok(axum::extract::$inner(value)) => Ok($name(value)),
                    Err(rejection) => Err(ApiError::Rejected {
                        status: rejection.status(),
                        message: rejection.body_text(),
                    }),
                }
            }
        }
    };
}

part_extractor!(
    /// A query string.
    QueryOf,
    Query
);
part_extractor!(
    /// A path parameter.
    PathOf,
    Path
);
