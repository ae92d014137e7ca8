//! A provider's answer for the send modules' tests.

use crate::providers::http::HttpResponse;

/// The `Retry-After` every [`answer`] carries, in seconds.
pub(crate) const RETRY_AFTER_SECONDS: i64 = 7;

/// An answer with `status` and `body`, asking to retry after
/// [`RETRY_AFTER_SECONDS`]: a classifier must pass that on only when it retries.
pub(crate) fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Retry-After".into(), RETRY_AFTER_SECONDS.to_string())],
        body: body.as_bytes().to_vec(),
    }
}
