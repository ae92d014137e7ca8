//! Where a tenant's webhooks may go, and which events each endpoint hears.
//!
//! An endpoint's address is the one request a tenant makes this server send
//! wherever it likes, so it is checked the day it is registered: HTTPS, no
//! credentials in it, and not an address inside your network (loopback,
//! private, link-local, …) unless the [`UrlPolicy`] allows it, as a local
//! development setup needs.
//!
//! ```
//! use msgcore::core::webhook_endpoint::{EndpointUrl, UrlError, UrlPolicy};
//!
//! let url = EndpointUrl::parse("https://crm.example.com/hooks/inbox", UrlPolicy::PUBLIC)?;
//! assert_eq!(url.as_str(), "https://crm.example.com/hooks/inbox");
//! assert_eq!(EndpointUrl::parse("http://crm.example.com/", UrlPolicy::PUBLIC), Err(UrlError::NotHttps));
//! assert_eq!(EndpointUrl::parse("https://169.254.169.254/", UrlPolicy::PUBLIC), Err(UrlError::Internal));
//! assert!(EndpointUrl::parse("http://127.0.0.1:8080/", UrlPolicy::LOCAL).is_ok());
//! # Ok::<(), UrlError>(())
//! ```

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};
use url::{Host, Url};

use super::webhook_event::EventType;

/// The longest address an endpoint may have.
pub const MAX_URL_LENGTH: usize = 2048;

/// Which addresses endpoints may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlPolicy {
    /// Whether `http://` is allowed beside `https://`.
    pub allow_http: bool,
    /// Whether loopback, private, link-local and other internal addresses
    /// (and `localhost`) are allowed.
    pub allow_internal: bool,
}

impl UrlPolicy {
    /// HTTPS to public addresses only: the default, for any server that
    /// tenants other than its operator use.
    pub const PUBLIC: UrlPolicy = UrlPolicy {
        allow_http: false,
        allow_internal: false,
    };
    /// Anything HTTP(S), `localhost` included: for development and tests.
    pub const LOCAL: UrlPolicy = UrlPolicy {
        allow_http: true,
        allow_internal: true,
    };
}

impl Default for UrlPolicy {
    fn default() -> UrlPolicy {
        UrlPolicy::PUBLIC
    }
}

/// Why an address cannot be an endpoint's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// Not an absolute URL.
    #[error("the url is not an absolute URL")]
    Malformed,
    /// Longer than [`MAX_URL_LENGTH`].
    #[error("the url is longer than {MAX_URL_LENGTH} characters")]
    TooLong,
    /// Not `https://` (or `http://` where allowed).
    #[error("the url must start with https://")]
    NotHttps,
    /// It names a user or password: a secret would show in every listing.
    #[error(
        "the url must not hold a user name or password; authenticate deliveries by their signature"
    )]
    Credentials,
    /// A loopback, private, link-local or other internal address.
    #[error("the url points inside the server's network (loopback, private or link-local)")]
    Internal,
}

/// An address webhooks may be delivered to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EndpointUrl(String);

impl EndpointUrl {
    /// Checks `text` against `policy`.
    pub fn parse(text: &str, policy: UrlPolicy) -> Result<EndpointUrl, UrlError> {
        if text.len() > MAX_URL_LENGTH {
            return Err(UrlError::TooLong);
        }
        let url = Url::parse(text).map_err(|_| UrlError::Malformed)?;
        match url.scheme() {
            "https" => {}
            "http" if policy.allow_http => {}
            _ => return Err(UrlError::NotHttps),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlError::Credentials);
        }
        let host = url.host().ok_or(UrlError::Malformed)?;
        if !policy.allow_internal && is_internal(&host) {
            return Err(UrlError::Internal);
        }
        Ok(EndpointUrl(url.into()))
    }

    /// The address, normalized (`HTTPS://Example.com` reads
    /// `https://example.com/`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_internal(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => {
            let name = name.trim_end_matches('.');
            name == "localhost" || name.ends_with(".localhost") || name.ends_with(".internal")
        }
        Host::Ipv4(ip) => is_internal_v4(*ip),
        Host::Ipv6(ip) => is_internal_v6(*ip),
    }
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        // Carrier-grade NAT (100.64.0.0/10) and "this network" (0.0.0.0/8).
        || (a == 100 && (64..128).contains(&b))
        || a == 0
}

fn is_internal_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_internal_v4(v4);
    }
    let first = ip.segments().first().copied().unwrap_or(0);
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // Unique local (fc00::/7) and link-local (fe80::/10).
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
}

/// Whether an address is one [`UrlPolicy::PUBLIC`] refuses, for a resolver
/// that checks where a name leads before connecting.
pub fn is_internal_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_internal_v4(v4),
        IpAddr::V6(v6) => is_internal_v6(v6),
    }
}

/// The event types an endpoint hears; none named means every type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventFilter(BTreeSet<EventType>);

impl EventFilter {
    /// Every event type.
    pub fn all() -> EventFilter {
        EventFilter::default()
    }

    /// Only these types (every type when there are none).
    pub fn only(types: impl IntoIterator<Item = EventType>) -> EventFilter {
        EventFilter(types.into_iter().collect())
    }

    /// Whether the endpoint hears events of `kind`.
    pub fn hears(&self, kind: EventType) -> bool {
        self.0.is_empty() || self.0.contains(&kind)
    }

    /// The types named, in the table's order; empty for every type.
    pub fn types(&self) -> impl Iterator<Item = EventType> + '_ {
        self.0.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> Result<EndpointUrl, UrlError> {
        EndpointUrl::parse(text, UrlPolicy::PUBLIC)
    }

    #[test]
    fn internal_addresses_are_refused_in_every_spelling() {
        for text in [
            "https://127.0.0.1/",
            "https://10.1.2.3/",
            "https://172.16.0.1/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://[::1]/",
            "https://[fd00::1]/",
            "https://[fe80::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://localhost/",
            "https://api.localhost./",
            "https://metadata.google.internal/",
            // The URL standard reads these as 127.0.0.1.
            "https://2130706433/",
            "https://0x7f.1/",
        ] {
            assert_eq!(public(text), Err(UrlError::Internal), "{text}");
        }
    }

    #[test]
    fn public_https_addresses_are_accepted_and_normalized() {
        let url = public("HTTPS://Hooks.Example.COM:8443/in?x=1").unwrap();
        assert_eq!(url.as_str(), "https://hooks.example.com:8443/in?x=1");
        assert!(public("https://8.8.8.8/").is_ok());
        assert!(public("https://[2606:4700::1111]/").is_ok());
    }

    #[test]
    fn other_schemes_credentials_and_relative_urls_are_refused() {
        assert_eq!(public("ftp://example.com/"), Err(UrlError::NotHttps));
        assert_eq!(public("http://example.com/"), Err(UrlError::NotHttps));
        assert_eq!(
            public("https://user:pw@example.com/"),
            Err(UrlError::Credentials)
        );
        assert_eq!(public("/hooks"), Err(UrlError::Malformed));
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LENGTH));
        assert_eq!(public(&long), Err(UrlError::TooLong));
    }

    #[test]
    fn an_empty_filter_hears_every_type_and_a_list_only_its_own() {
        assert!(EventType::ALL.iter().all(|t| EventFilter::all().hears(*t)));
        let only = EventFilter::only([EventType::MessageReceived]);
        assert!(only.hears(EventType::MessageReceived));
        assert!(!only.hears(EventType::TagAdded));
    }
}
