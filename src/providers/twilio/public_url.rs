//! The URL Twilio called, rebuilt behind a proxy or load balancer.
//!
//! Twilio signs the URL it was configured with (`https://api.example.com/sms`),
//! but a server behind a TLS-terminating proxy sees another scheme, host and port
//! (`http://10.0.0.5:8080/sms`). Rebuilding the URL from the request's `Host`
//! header would trust a header the caller controls; instead the deployment
//! configures its public base URL once, and the path and query of each request
//! are appended to it.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::python_url::{PythonUrl, clean};
use crate::providers::signature::SignatureError;

/// A deployment's public base URL: scheme, host, optional port and optional
/// path prefix, as Twilio is told to call it.
///
/// ```
/// use msgcore::providers::twilio::PublicUrl;
///
/// let public = PublicUrl::new("https://api.example.com")?;
/// // The request target a server sees (an `http::Uri`'s `path_and_query()`).
/// assert_eq!(public.url_for("/twilio/sms?tenant=acme"), "https://api.example.com/twilio/sms?tenant=acme");
/// // An absolute-form target keeps only its path and query.
/// assert_eq!(public.url_for("http://10.0.0.5:8080/twilio/sms"), "https://api.example.com/twilio/sms");
///
/// // A proxy that strips a path prefix: put the prefix in the base URL.
/// let prefixed = PublicUrl::new("https://example.com/messaging/")?;
/// assert_eq!(prefixed.url_for("/sms"), "https://example.com/messaging/sms");
/// # Ok::<(), msgcore::providers::signature::SignatureError>(())
/// ```
///
/// In configuration files it is a string, checked when it is read.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PublicUrl {
    /// `scheme://host[:port][/prefix]`, without a trailing `/`.
    base: String,
}

impl PublicUrl {
    /// Checks a public base URL: `http` or `https`, a host, no query or fragment.
    pub fn new(base: &str) -> Result<PublicUrl, SignatureError> {
        let refuse = |reason| SignatureError::MalformedPublicUrl {
            url: base.to_owned(),
            reason,
        };
        if clean(base) != base || base.contains(char::is_whitespace) {
            return Err(refuse("it contains white space or control characters"));
        }
        let parsed = PythonUrl::parse(base).map_err(|_| refuse("it cannot be parsed"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(refuse("the scheme must be http or https"));
        }
        if parsed.netloc().is_empty() {
            return Err(refuse("it has no host"));
        }
        if base.contains(['?', '#', ';']) {
            return Err(refuse("it must not have a query, fragment or params"));
        }
        Ok(PublicUrl {
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    /// The public URL for a request target: the target's path and query (an
    /// absolute-form target loses its own scheme and host) after the base.
    pub fn url_for(&self, request_target: &str) -> String {
        let path_and_query = origin_stripped(request_target);
        let mut url = String::with_capacity(self.base.len() + path_and_query.len() + 1);
        url.push_str(&self.base);
        if !path_and_query.starts_with('/') {
            url.push('/');
        }
        url.push_str(path_and_query);
        url
    }

    /// The base URL, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.base
    }
}

impl TryFrom<String> for PublicUrl {
    type Error = SignatureError;

    fn try_from(base: String) -> Result<PublicUrl, SignatureError> {
        PublicUrl::new(&base)
    }
}

impl From<PublicUrl> for String {
    fn from(public: PublicUrl) -> String {
        public.base
    }
}

impl fmt::Debug for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PublicUrl").field(&self.base).finish()
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

/// The path, query and fragment of an absolute-form request target
/// (`http://host:port/path?query`); any other target unchanged.
fn origin_stripped(target: &str) -> &str {
    if target.starts_with('/') {
        return target;
    }
    match target.split_once("://") {
        Some((_, after_scheme)) => {
            let path_start = after_scheme
                .find(['/', '?', '#'])
                .unwrap_or(after_scheme.len());
            after_scheme.get(path_start..).unwrap_or_default()
        }
        None => target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_without_scheme_host_or_with_a_query_is_refused() {
        for base in [
            "api.example.com",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://example.com/?a=1",
            "https://example.com/#top",
            "https://example.com/a;b",
            " https://example.com",
            "https://exa mple.com",
            "https://[::1",
        ] {
            let error = PublicUrl::new(base).unwrap_err();
            assert!(
                matches!(error, SignatureError::MalformedPublicUrl { ref url, .. } if url == base),
                "{base}: {error:?}"
            );
        }
    }

    #[test]
    fn the_request_path_and_query_are_appended_to_the_base() {
        let public = PublicUrl::new("https://api.example.com:8443").unwrap();
        assert_eq!(
            public.url_for("/a?b=c"),
            "https://api.example.com:8443/a?b=c"
        );
        assert_eq!(public.url_for("?b=c"), "https://api.example.com:8443/?b=c");
        assert_eq!(public.url_for(""), "https://api.example.com:8443/");
        assert_eq!(
            public.url_for("https://internal:1/a?b"),
            "https://api.example.com:8443/a?b"
        );
        assert_eq!(
            public.url_for("http://internal"),
            "https://api.example.com:8443/"
        );
        assert_eq!(public.to_string(), "https://api.example.com:8443");
    }

    #[test]
    fn serde_reads_and_checks_a_string() {
        let public: PublicUrl = serde_json::from_str(r#""https://api.example.com/""#).unwrap();
        assert_eq!(
            serde_json::to_string(&public).unwrap(),
            r#""https://api.example.com""#
        );
        assert!(serde_json::from_str::<PublicUrl>(r#""api.example.com""#).is_err());
    }
}
