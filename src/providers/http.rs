//! HTTP requests and responses as plain values, so the provider modules stay
//! sans-IO: they build an [`HttpRequest`] and read an [`HttpResponse`], and any
//! HTTP client (yours, or the `http` feature's) carries them.

use crate::model::CarrierErrorKind;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    /// The method's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// Headers, in order (credentials included: do not log them).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first header named `name` (case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// A response received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header named `name` (case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether the status is 2xx: the provider accepted the request.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Whether the status says trying again later may succeed: 429 (too many
    /// requests) or any 5xx (the provider's fault), whatever the body says.
    pub fn is_transient(&self) -> bool {
        self.status == 429 || self.status >= 500
    }

    /// `Retry-After` in whole seconds, when the provider sent one as a number.
    pub fn retry_after(&self) -> Option<chrono::TimeDelta> {
        let seconds = self.header("retry-after")?.trim().parse::<u32>().ok()?;
        Some(chrono::TimeDelta::seconds(i64::from(seconds)))
    }

    /// The kind of a refusal in this answer: transient (with `Retry-After`) when
    /// the status [is transient](Self::is_transient) or the provider's code says
    /// so (`transient_code`), permanent otherwise.
    pub fn refusal_kind(&self, transient_code: bool) -> CarrierErrorKind {
        if self.is_transient() || transient_code {
            CarrierErrorKind::Transient {
                retry_after: self.retry_after(),
            }
        } else {
            CarrierErrorKind::Permanent
        }
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}
