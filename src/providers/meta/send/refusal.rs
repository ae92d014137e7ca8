//! Meta's error answers (`{"error": {"code", "message", "error_data": {"details"}}}`,
//! the Graph API error object) classified into a [`CarrierError`].
//!
//! Meta asks clients to decide on `code` and `details`, not on the HTTP status or
//! the deprecated `error_subcode` ("Error codes", WhatsApp Cloud API reference).

use serde::Deserialize;

use crate::model::CarrierError;
use crate::model::ProviderName;
use crate::providers::http::HttpResponse;

/// The `error` object of an answer.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ApiError {
    code: Option<i64>,
    message: Option<String>,
    error_data: Option<ErrorData>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ErrorData {
    details: Option<String>,
}

/// Outside the 24-hour customer service window.
pub(super) const OUTSIDE_WINDOW: i64 = 131047;
/// The message could not be delivered (not on WhatsApp, old app, terms not accepted).
pub(super) const UNDELIVERABLE: i64 = 131026;
/// The access token expired or is invalid.
pub(super) const ACCESS_TOKEN: i64 = 190;
/// The app's Cloud API throughput was reached.
pub(super) const THROUGHPUT: i64 = 130429;
/// The WhatsApp Business Account's rate limit was reached.
pub(super) const ACCOUNT_RATE_LIMIT: i64 = 80007;
/// Too many messages to the same recipient in a short time.
pub(super) const PAIR_RATE_LIMIT: i64 = 131056;

/// Classifies a refusal: 130429, 80007 and 131056 (rate limits), HTTP 429 and 5xx
/// are retryable, with `Retry-After` when Meta sent one; everything else, 131047
/// (outside the window), 131026 (undeliverable) and 190 (token) among them, is
/// permanent. Meta reports no opt-out through its error codes.
pub(super) fn carrier_error(response: &HttpResponse, error: Option<ApiError>) -> CarrierError {
    let error = error.unwrap_or_default();
    let kind = response.refusal_kind(matches!(
        error.code,
        Some(THROUGHPUT | ACCOUNT_RATE_LIMIT | PAIR_RATE_LIMIT)
    ));
    let meta_says = error.error_data.and_then(|d| d.details).or(error.message);
    let message = match (describe(error.code), meta_says) {
        (Some(ours), Some(theirs)) => format!("{ours} (Meta: {theirs})"),
        (Some(ours), None) => ours.to_owned(),
        (None, Some(theirs)) => theirs,
        (None, None) => format!("Meta answered HTTP {}", response.status),
    };
    let code = error
        .code
        .map_or_else(|| format!("http_{}", response.status), |c| c.to_string());
    CarrierError::new(ProviderName::META, kind, message).with_code(code)
}

/// What the codes SPEC §15 names mean, and what to do about them.
fn describe(code: Option<i64>) -> Option<&'static str> {
    Some(match code? {
        OUTSIDE_WINDOW => "outside the WhatsApp 24-hour window: send an approved template",
        UNDELIVERABLE => {
            "undeliverable: the number may not be on WhatsApp or its app may need an update"
        }
        ACCESS_TOKEN => "the access token expired or is invalid: issue a new one",
        THROUGHPUT => "Cloud API throughput reached: slow down and retry",
        ACCOUNT_RATE_LIMIT => "the WhatsApp Business Account's rate limit was reached",
        PAIR_RATE_LIMIT => "too many messages to this recipient in a short time: retry later",
        _ => return None,
    })
}
