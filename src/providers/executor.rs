//! [`ReqwestExecutor`]: carries the sans-IO [`HttpRequest`]s the provider modules
//! build over HTTPS with reqwest (rustls), and brings back an [`HttpResponse`].
//!
//! Every failure is a [`TransportError`] naming the URL's host only: provider
//! credentials travel in headers (and could in a URL's user info), so neither the
//! headers nor the full URL ever reach an error message.

mod webhooks;

use std::error::Error as _;
use std::time::Duration;

use crate::providers::http::{HttpRequest, HttpResponse, Method};

/// How long a request may take, connecting and reading the answer included,
/// unless [`ReqwestExecutor::with_timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest answer read, unless [`ReqwestExecutor::with_max_answer_bytes`]
/// says otherwise: 1 MiB, hundreds of times what a provider's answer to a send
/// holds, so a misbehaving or hostile endpoint cannot make the dispatcher buffer
/// without bound.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// Sends [`HttpRequest`]s with a reqwest client.
#[derive(Debug, Clone)]
pub struct ReqwestExecutor {
    client: reqwest::Client,
    timeout: Duration,
    max_answer_bytes: usize,
}

impl Default for ReqwestExecutor {
    fn default() -> Self {
        ReqwestExecutor::new()
    }
}

impl ReqwestExecutor {
    /// An executor with a default client (rustls, WebPKI roots) and a 30 s timeout.
    ///
    /// # Panics
    ///
    /// As [`reqwest::Client::new`], if the TLS backend cannot be initialized;
    /// build the client yourself and use [`ReqwestExecutor::with_client`] to
    /// handle that as an error.
    pub fn new() -> ReqwestExecutor {
        ReqwestExecutor::with_client(reqwest::Client::new())
    }

    /// An executor sending through `client` (your proxy, pool and TLS settings),
    /// with the 30 s timeout.
    pub fn with_client(client: reqwest::Client) -> ReqwestExecutor {
        ReqwestExecutor {
            client,
            timeout: DEFAULT_TIMEOUT,
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
        }
    }

    /// Gives each request at most `timeout`, connecting and reading included.
    pub fn with_timeout(mut self, timeout: Duration) -> ReqwestExecutor {
        self.timeout = timeout;
        self
    }

    /// Reads at most `bytes` of an answer; a longer one is
    /// [`TransportError::AnswerTooLarge`].
    pub fn with_max_answer_bytes(mut self, bytes: usize) -> ReqwestExecutor {
        self.max_answer_bytes = bytes;
        self
    }

    /// Sends `request` and reads the whole answer, whatever its status: reading
    /// a refusal is the provider module's job.
    pub async fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let url =
            reqwest::Url::parse(&request.url).map_err(|error| TransportError::InvalidUrl {
                reason: error.to_string(),
            })?;
        let host = url.host_str().unwrap_or_default().to_owned();
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut builder = self
            .client
            .request(method, url)
            .timeout(self.timeout)
            .body(request.body);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let mut answer = builder
            .send()
            .await
            .map_err(|error| self.classify(&host, error))?;
        let status = answer.status().as_u16();
        let headers = answer
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
            .collect();
        let body = self.read_capped(&host, &mut answer).await?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    /// The answer's body, chunk by chunk, refused as soon as it would pass the
    /// cap (at once when its `Content-Length` says it will).
    async fn read_capped(
        &self,
        host: &str,
        answer: &mut reqwest::Response,
    ) -> Result<Vec<u8>, TransportError> {
        let limit = self.max_answer_bytes;
        let too_large = || TransportError::AnswerTooLarge {
            host: host.to_owned(),
            limit,
        };
        let announced = answer.content_length().unwrap_or(0);
        if usize::try_from(announced).map_or(true, |length| length > limit) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = answer
            .chunk()
            .await
            .map_err(|error| self.classify(host, error))?
        {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn classify(&self, host: &str, error: reqwest::Error) -> TransportError {
        let host = host.to_owned();
        if error.is_timeout() {
            return TransportError::Timeout {
                host,
                timeout: self.timeout,
            };
        }
        let connect = error.is_connect();
        let body = error.is_body() || error.is_decode();
        let reason = causes(error);
        if connect {
            TransportError::Connect { host, reason }
        } else if body {
            TransportError::Body { host, reason }
        } else {
            TransportError::Request { host, reason }
        }
    }
}

/// The error and its causes, one after the other, without the URL (which may
/// carry credentials in its user info).
fn causes(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut reason = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        reason.push_str(": ");
        reason.push_str(&cause.to_string());
        source = cause.source();
    }
    reason
}

/// Why a request got no answer from the provider.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection: the host did not resolve, refused, or TLS failed.
    #[error("could not connect to {host}: {reason}")]
    Connect {
        /// The URL's host.
        host: String,
        /// What went wrong.
        reason: String,
    },
    /// No full answer within the executor's timeout; the provider may have
    /// received the request.
    #[error("{host} did not answer within {timeout:?}")]
    Timeout {
        /// The URL's host.
        host: String,
        /// The timeout that passed.
        timeout: Duration,
    },
    /// The answer's body broke off while being read.
    #[error("reading the answer from {host} failed: {reason}")]
    Body {
        /// The URL's host.
        host: String,
        /// What went wrong.
        reason: String,
    },
    /// The request could not be sent as built: a malformed header, or a
    /// redirect loop. Trying again will not help.
    #[error("the request to {host} could not be sent: {reason}")]
    Request {
        /// The URL's host.
        host: String,
        /// What went wrong.
        reason: String,
    },
    /// The answer is longer than the executor reads
    /// ([`ReqwestExecutor::with_max_answer_bytes`]). The provider may have taken
    /// the request, so trying again could send it twice: not retryable.
    #[error("{host} answered with more than {limit} bytes")]
    AnswerTooLarge {
        /// The URL's host.
        host: String,
        /// The most the executor reads.
        limit: usize,
    },
    /// The URL does not parse (a base URL without its scheme, say); the URL
    /// itself is left out, as it may carry credentials.
    #[error("the provider URL is not valid: {reason}")]
    InvalidUrl {
        /// What is wrong with it.
        reason: String,
    },
}

impl TransportError {
    /// Whether trying again later may succeed: everything but a request that
    /// could not be built, and an answer too large to read (the request may have
    /// been taken).
    pub fn is_retryable(&self) -> bool {
        !matches!(
            self,
            TransportError::Request { .. }
                | TransportError::InvalidUrl { .. }
                | TransportError::AnswerTooLarge { .. }
        )
    }
}
