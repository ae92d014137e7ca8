//! The two spellings of a webhook URL that Twilio's `RequestValidator` signs.
//!
//! Twilio's libraries do not sign "the URL": twilio-python parses it with
//! `urllib.parse.urlparse`, rebuilds it with `geturl()` once without the port and
//! once with the default port, and accepts a signature over either. Whatever that
//! round trip changes (a lower-cased scheme, a dropped empty `?` or `#` or `;`, a
//! removed tab, the userinfo lost with the port) changes what must be signed, so
//! this module reproduces Python 3.11's parser rather than a standards-conforming
//! one: a "better" parser would refuse signatures that Twilio's own library
//! accepts, or accept ones it refuses. Where Python raises (a port that is not a
//! number, broken IPv6 brackets), we fail closed.
//!
//! Each function names the Python function it mirrors; the differential fixture
//! `tests/fixtures/twilio_url_variants.jsonl` (from `scripts/signatures_oracle.py`)
//! holds Python's own answers for a few thousand awkward URLs.

use std::borrow::Cow;

use super::host::{check_bracketed_host, check_netloc_normalization};
use crate::providers::signature::SignatureError;

/// Schemes whose URLs `urlunsplit` writes with `//` even when the netloc is empty.
const USES_NETLOC: &[&str] = &[
    "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp",
    "snews", "prospero", "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git",
    "git+ssh", "ws", "wss",
];

/// Schemes whose last path segment `urlparse` splits at `;` into params.
const USES_PARAMS: &[&str] = &[
    "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu",
    "sip", "sips", "mms", "sftp", "tel",
];

/// Python's `ParseResult`: the six parts `urlparse` splits a URL into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PythonUrl<'a> {
    scheme: Cow<'a, str>,
    netloc: &'a str,
    path: &'a str,
    params: &'a str,
    query: &'a str,
    fragment: &'a str,
}

/// Removes what `urlsplit` removes before parsing: leading C0 controls and
/// spaces, and every tab, CR and LF.
pub(crate) fn clean(url: &str) -> Cow<'_, str> {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    if url.contains(['\t', '\r', '\n']) {
        Cow::Owned(url.replace(['\t', '\r', '\n'], ""))
    } else {
        Cow::Borrowed(url)
    }
}

impl<'a> PythonUrl<'a> {
    /// `urllib.parse.urlparse(url)` for a URL already passed through [`clean`].
    pub(crate) fn parse(url: &'a str) -> Result<Self, SignatureError> {
        let (scheme, rest) = split_scheme(url);
        let (netloc, rest) = match rest.strip_prefix("//") {
            Some(after) => {
                let end = after.find(['/', '?', '#']).unwrap_or(after.len());
                let (netloc, rest) = after.split_at(end);
                check_brackets(netloc)?;
                (netloc, rest)
            }
            None => ("", rest),
        };
        let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        check_netloc_normalization(netloc)?;
        let (path, params) = if USES_PARAMS.contains(&scheme.as_ref()) {
            split_params(path)
        } else {
            (path, "")
        };
        Ok(PythonUrl {
            scheme,
            netloc,
            path,
            params,
            query,
            fragment,
        })
    }

    /// The scheme, lower-cased (empty when the URL has none).
    pub(crate) fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The network location: userinfo, host and port.
    pub(crate) fn netloc(&self) -> &'a str {
        self.netloc
    }

    /// The query string, without the `?`.
    pub(crate) fn query(&self) -> &'a str {
        self.query
    }

    /// `[remove_port(uri), add_port(uri)]`: the two URLs a signature may be over.
    pub(crate) fn variants(&self) -> Result<[String; 2], SignatureError> {
        Ok([self.without_port()?, self.with_port()?])
    }

    /// `remove_port(uri)`: with a (non-zero) port, the URL with everything from
    /// the netloc's first `:` on dropped (userinfo after a `:` goes too).
    fn without_port(&self) -> Result<String, SignatureError> {
        if self.port()?.unwrap_or(0) == 0 {
            return Ok(self.rebuild(self.netloc));
        }
        let host = self.netloc.split(':').next().unwrap_or_default();
        Ok(self.rebuild(host))
    }

    /// `add_port(uri)`: without a (non-zero) port, the URL with `:443` (https)
    /// or `:80` (any other scheme) appended to the netloc.
    fn with_port(&self) -> Result<String, SignatureError> {
        if self.port()?.unwrap_or(0) != 0 {
            return Ok(self.rebuild(self.netloc));
        }
        let port = if self.scheme == "https" { 443 } else { 80 };
        Ok(self.rebuild(&format!("{}:{port}", self.netloc)))
    }

    /// The `port` property: the text after the host's first `:` (after `]` for a
    /// bracketed host), which must be ASCII digits for a number up to 65535.
    fn port(&self) -> Result<Option<u16>, SignatureError> {
        let hostinfo = self.netloc.rsplit_once('@').map_or(self.netloc, |(_, h)| h);
        let port = match hostinfo.split_once('[') {
            Some((_, bracketed)) => bracketed
                .split_once(']')
                .and_then(|(_, after)| after.split_once(':'))
                .map_or("", |(_, port)| port),
            None => hostinfo.split_once(':').map_or("", |(_, port)| port),
        };
        if port.is_empty() {
            return Ok(None);
        }
        if !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SignatureError::MalformedUrl {
                reason: "the port is not a number",
            });
        }
        let digits = port.trim_start_matches('0');
        if digits.is_empty() {
            return Ok(Some(0));
        }
        digits
            .parse()
            .map(Some)
            .map_err(|_| SignatureError::MalformedUrl {
                reason: "the port is out of range 0-65535",
            })
    }

    /// `geturl()` (`urlunparse`, then `urlunsplit`) with `netloc` in place of the
    /// parsed one.
    fn rebuild(&self, netloc: &str) -> String {
        let mut out = String::with_capacity(
            self.scheme.len() + netloc.len() + self.path.len() + self.query.len() + 8,
        );
        if !self.scheme.is_empty() {
            out.push_str(&self.scheme);
            out.push(':');
        }
        let scheme_wants_netloc =
            !self.scheme.is_empty() && USES_NETLOC.contains(&self.scheme.as_ref());
        if !netloc.is_empty() || (scheme_wants_netloc && !self.path.starts_with("//")) {
            out.push_str("//");
            out.push_str(netloc);
            let has_path = !self.path.is_empty() || !self.params.is_empty();
            if has_path && !self.path.starts_with('/') {
                out.push('/');
            }
        }
        out.push_str(self.path);
        for (separator, part) in [(';', self.params), ('?', self.query), ('#', self.fragment)] {
            if !part.is_empty() {
                out.push(separator);
                out.push_str(part);
            }
        }
        out
    }
}

/// The scheme, lower-cased, when the text before the first `:` is one (an ASCII
/// letter, then letters, digits, `+`, `-`, `.`); otherwise no scheme.
fn split_scheme(url: &str) -> (Cow<'_, str>, &str) {
    let Some((scheme, rest)) = url.split_once(':') else {
        return (Cow::Borrowed(""), url);
    };
    let starts_with_letter = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic());
    let all_scheme_chars = scheme
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !(starts_with_letter && all_scheme_chars) {
        return (Cow::Borrowed(""), url);
    }
    if scheme.bytes().any(|b| b.is_ascii_uppercase()) {
        (Cow::Owned(scheme.to_ascii_lowercase()), rest)
    } else {
        (Cow::Borrowed(scheme), rest)
    }
}

/// `urlsplit` refuses a netloc with only one of `[` and `]`, and checks the text
/// between the first `[` and the `]` after it.
fn check_brackets(netloc: &str) -> Result<(), SignatureError> {
    match (netloc.contains('['), netloc.contains(']')) {
        (false, false) => Ok(()),
        (true, true) => {
            let after_open = netloc.split_once('[').map_or("", |(_, after)| after);
            let host = after_open
                .split_once(']')
                .map_or(after_open, |(host, _)| host);
            check_bracketed_host(host)
        }
        _ => Err(SignatureError::MalformedUrl {
            reason: "unbalanced IPv6 brackets in the host",
        }),
    }
}

/// `_splitparams`: params start at the first `;` of the last path segment.
fn split_params(path: &str) -> (&str, &str) {
    let segment_start = path.rfind('/').unwrap_or(0);
    let tail = path.get(segment_start..).unwrap_or_default();
    match tail.find(';') {
        Some(i) => {
            let at = segment_start + i;
            (
                path.get(..at).unwrap_or_default(),
                path.get(at + 1..).unwrap_or_default(),
            )
        }
        None => (path, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variants(url: &str) -> Result<[String; 2], SignatureError> {
        PythonUrl::parse(&clean(url))?.variants()
    }

    fn both(without: &str, with: &str) -> Result<[String; 2], SignatureError> {
        Ok([without.to_owned(), with.to_owned()])
    }

    #[test]
    fn a_url_without_port_gets_the_default_port_of_its_scheme() {
        assert_eq!(
            variants("https://example.com/sms?a=1"),
            both(
                "https://example.com/sms?a=1",
                "https://example.com:443/sms?a=1"
            )
        );
        assert_eq!(
            variants("http://example.com/sms"),
            both("http://example.com/sms", "http://example.com:80/sms")
        );
    }

    #[test]
    fn a_url_with_a_port_loses_it_and_any_userinfo_after_a_colon() {
        assert_eq!(
            variants("https://example.com:8443/sms"),
            both("https://example.com/sms", "https://example.com:8443/sms")
        );
        assert_eq!(
            variants("https://user:pass@example.com:8443/sms"),
            both("https://user/sms", "https://user:pass@example.com:8443/sms")
        );
        // An IPv6 host keeps only its opening bracket: Python's `split(":")[0]`.
        assert_eq!(
            variants("https://[::1]:8443/sms"),
            both("https://[/sms", "https://[::1]:8443/sms")
        );
    }

    #[test]
    fn port_zero_counts_as_no_port() {
        assert_eq!(
            variants("https://example.com:0/sms"),
            both("https://example.com:0/sms", "https://example.com:0:443/sms")
        );
        assert_eq!(
            variants("https://example.com:/sms"),
            both("https://example.com:/sms", "https://example.com::443/sms")
        );
    }

    #[test]
    fn a_port_that_is_not_a_small_ascii_number_fails() {
        for url in [
            "https://example.com:https/sms",
            "https://example.com:+80/sms",
            "https://example.com:80:90/sms",
            "https://example.com:\u{668}\u{660}/sms",
            "https://example.com:65536/sms",
            "https://example.com:99999999999999999999/sms",
        ] {
            assert!(
                matches!(variants(url), Err(SignatureError::MalformedUrl { .. })),
                "{url}"
            );
        }
        assert!(variants("https://example.com:0065535/sms").is_ok());
    }

    #[test]
    fn geturl_drops_empty_delimiters_and_lower_cases_the_scheme_only() {
        let without_port = |url| variants(url).unwrap()[0].clone();
        assert_eq!(
            without_port("HTTPS://Example.COM/Sms?#"),
            "https://Example.COM/Sms"
        );
        assert_eq!(without_port("https://e.com/a;?x=1#"), "https://e.com/a?x=1");
        assert_eq!(
            without_port("https://e.com/a;b/c;d"),
            "https://e.com/a;b/c;d"
        );
        assert_eq!(
            variants("https://e.com"),
            both("https://e.com", "https://e.com:443")
        );
    }

    #[test]
    fn leading_controls_are_stripped_and_tabs_and_newlines_removed() {
        assert_eq!(
            variants(" \u{0}https://e.com/s\tm\ns\r"),
            both("https://e.com/sms", "https://e.com:443/sms")
        );
    }

    #[test]
    fn urls_without_scheme_or_host_are_rebuilt_as_python_does() {
        assert_eq!(variants("/sms?a=1"), both("/sms?a=1", "//:80/sms?a=1"));
        assert_eq!(
            variants("//e.com/sms"),
            both("//e.com/sms", "//e.com:80/sms")
        );
        assert_eq!(
            variants("https:sms"),
            both("https:///sms", "https://:443/sms")
        );
    }

    #[test]
    fn broken_brackets_fail() {
        for url in [
            "https://[::1/sms",
            "https://::1]/sms",
            "https://[1.2.3.4]/sms",
            "https://[x]/",
        ] {
            assert!(variants(url).is_err(), "{url}");
        }
    }
}
