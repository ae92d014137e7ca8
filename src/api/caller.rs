//! Who is calling: the client's address for the per-IP limit and the key it
//! presents ([`Caller`]), and what they add up to ([`Authorized`]): an
//! extractor that runs before the body is read, so that a caller without a
//! valid key is refused with 401 whatever it sent.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use super::Api;
use super::access_log::Accepted;
use super::error::ApiError;
use crate::error::Error;
use crate::service::{Operations, Origin, Principal};

/// What a request says about its sender. Its `Debug` never shows the token.
#[derive(Clone)]
pub(crate) struct Caller {
    /// The client's address, or `None` when the server was not started with
    /// connection info and no trusted proxy named it.
    pub(crate) ip: Option<IpAddr>,
    /// The token after `Bearer `; `Some("")` for any other `Authorization`
    /// value, which no key matches; `None` without the header.
    pub(crate) token: Option<String>,
}

impl std::fmt::Debug for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caller")
            .field("ip", &self.ip)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl FromRequestParts<Api> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, api: &Api) -> Result<Caller, Self::Rejection> {
        Ok(Caller::of(parts, api.config.trust_forwarded_for))
    }
}

impl Caller {
    /// What `parts` say about their sender: the peer address (or, when the
    /// proxy is trusted, the address it appended) and the bearer token.
    pub(crate) fn of(parts: &Parts, trust_forwarded_for: bool) -> Caller {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        let forwarded = match trust_forwarded_for {
            true => forwarded_client(&parts.headers),
            false => None,
        };
        Caller {
            ip: forwarded.or(peer),
            token: bearer(&parts.headers),
        }
    }

    /// The origin [`Operations::enter`](crate::service::Operations::enter)
    /// limits: the address, or the one limit all unknown addresses share.
    pub(crate) fn origin(&self) -> Origin {
        self.ip.map_or(Origin::Unknown, Origin::Address)
    }
}

/// The principal of a caller within its IP's and its key's limits
/// ([`Operations::enter`](crate::service::Operations::enter)); each operation
/// then checks its scope.
pub(crate) struct Authorized(pub(crate) Principal);

impl FromRequestParts<Api> for Authorized {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, api: &Api) -> Result<Authorized, ApiError> {
        let principal = admit(&api.ops, parts, api.config.trust_forwarded_for).await?;
        Ok(Authorized(principal))
    }
}

/// The principal of the caller of `parts`, within its IP's and its key's
/// limits, noted for the access log: what REST's [`Authorized`] and the MCP
/// server's HTTP layer both ask before anything else.
pub(crate) async fn admit(
    ops: &Operations,
    parts: &Parts,
    trust_forwarded_for: bool,
) -> Result<Principal, Error> {
    let caller = Caller::of(parts, trust_forwarded_for);
    let principal = ops.enter(caller.origin(), caller.token.as_deref()).await?;
    if let Some(accepted) = parts.extensions.get::<Accepted>() {
        accepted.note(principal.tenant, principal.key);
    }
    Ok(principal)
}

/// The address the trusted proxy appended last to `X-Forwarded-For`: the
/// entries before it were written by the client and prove nothing.
fn forwarded_client(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?;
    let entry = last.to_str().ok()?.rsplit(',').next()?;
    entry.trim().parse().ok()
}

/// The bearer token of an `Authorization` header (the scheme in any case).
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?;
    let token = value
        .to_str()
        .ok()
        .and_then(|text| text.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    Some(token.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_bearer_token_is_read_in_any_case_and_other_schemes_match_no_key() {
        assert_eq!(
            bearer(&headers(&[("authorization", "Bearer abc")])),
            Some("abc".into())
        );
        assert_eq!(
            bearer(&headers(&[("authorization", "bearer  abc ")])),
            Some("abc".into())
        );
        assert_eq!(
            bearer(&headers(&[("authorization", "Basic abc")])),
            Some(String::new())
        );
        assert_eq!(
            bearer(&headers(&[("authorization", "abc")])),
            Some(String::new())
        );
        assert_eq!(bearer(&headers(&[])), None);
    }

    #[test]
    fn only_the_entry_the_proxy_appended_names_the_client() {
        let spoofed = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9")]);
        assert_eq!(forwarded_client(&spoofed), "203.0.113.9".parse().ok());
        let two = headers(&[
            ("x-forwarded-for", "1.1.1.1"),
            ("x-forwarded-for", "198.51.100.4"),
        ]);
        assert_eq!(forwarded_client(&two), "198.51.100.4".parse().ok());
        assert_eq!(
            forwarded_client(&headers(&[("x-forwarded-for", "junk")])),
            None
        );
    }
}
