//! [`Operations`]: the door every API request goes through, whether it came
//! over REST or MCP — the rate limits, the key, and then the operation, which
//! checks the key's scope and touches only the key's tenant.

use std::net::IpAddr;
use std::sync::Arc;

use super::api_keys::{ApiKeys, Principal};
use super::media::MediaSlot;
use super::payment_links::{PaymentLinks, PaymentPort};
use crate::core::ratelimit::{Quota, RateLimited, RateScope};
use crate::core::webhook_endpoint::UrlPolicy;
use crate::engine::Inbox;
use crate::error::Error;
use crate::model::Tenant;

/// The region a number written without `+` is read in.
pub(crate) const DEFAULT_REGION: &str = "US";

/// Where a request comes from, for the per-IP limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A network client at this address.
    Address(IpAddr),
    /// A network client whose address cannot be told (a server started
    /// without connection info): all such share one limit, so that none
    /// escapes it.
    Unknown,
    /// The operator's own process, over stdio: only the key's limit applies.
    Local,
}

/// The operations of SPEC §19 on one inbox, as the REST API and the MCP
/// server offer them. Cheap to clone.
///
/// [`enter`](Self::enter) turns a request's origin and token into a
/// [`Principal`] (or a refusal); every other method takes that principal,
/// checks its scope first, and reads or writes only its tenant's records:
/// another tenant's id is as unknown as an id that never existed.
#[derive(Debug, Clone)]
pub struct Operations {
    pub(super) inbox: Arc<Inbox>,
    pub(super) keys: ApiKeys,
    quota: Quota,
    pub(super) webhook_urls: UrlPolicy,
    pub(super) media: MediaSlot,
    pub(super) payment_links: Option<PaymentPort>,
}

impl Operations {
    /// The operations on `inbox`, limited to 120 requests a minute per IP and
    /// per key (SPEC §10), keeping no media until given a
    /// [`media_store`](Self::media_store).
    pub fn new(inbox: Arc<Inbox>) -> Operations {
        Operations {
            keys: ApiKeys::new(Arc::clone(&inbox)),
            inbox,
            quota: Quota::api_requests(),
            webhook_urls: UrlPolicy::PUBLIC,
            media: MediaSlot::default(),
            payment_links: None,
        }
    }

    /// Makes payment links through `port` (none by default: then
    /// [`create_payment_link`](Self::create_payment_link) says no provider
    /// is configured).
    pub fn payment_links(mut self, port: Arc<dyn PaymentLinks>) -> Operations {
        self.payment_links = Some(PaymentPort(port));
        self
    }

    /// Registers webhook endpoints only at addresses `policy` allows
    /// ([`UrlPolicy::PUBLIC`] unless told otherwise).
    pub fn webhook_urls(mut self, policy: UrlPolicy) -> Operations {
        self.webhook_urls = policy;
        self
    }

    /// Each IP and each key may make `quota`'s requests.
    pub fn rate_limit(mut self, quota: Quota) -> Operations {
        self.quota = quota;
        self
    }

    /// Who presents `token` from `origin`, if the origin is within its limit,
    /// the token opens a valid key (neither revoked nor expired), and the key
    /// is within its limit. Every request counts against its origin's limit,
    /// a refused key's included, so guessing keys costs requests like
    /// anything else; an origin over its limit is answered 429 before the
    /// key's verdict. Both limits are checked in one write to the store
    /// ([`Store::check_rates`](crate::store::Store::check_rates)), so
    /// replicas share them.
    pub async fn enter(&self, origin: Origin, token: Option<&str>) -> Result<Principal, Error> {
        let origin_key = match origin {
            Origin::Address(ip) => Some(format!("api:ip:{ip}")),
            Origin::Unknown => Some("api:ip:unknown".to_owned()),
            Origin::Local => None,
        };
        let identified = self.keys.identify(token).await;
        let key_key = identified
            .as_ref()
            .ok()
            .map(|principal| format!("api:key:{}", principal.key));
        let limits: Vec<&str> = origin_key
            .iter()
            .chain(&key_key)
            .map(String::as_str)
            .collect();
        self.limit(&limits).await?;
        identified
    }

    /// The principal's tenant: its name and numbers. Any valid key.
    pub async fn status(&self, principal: &Principal) -> Result<Tenant, Error> {
        self.inbox.tenant(principal.tenant).await
    }

    async fn limit(&self, keys: &[&str]) -> Result<(), Error> {
        let now = self.inbox.clock.now();
        match self.inbox.store.check_rates(keys, &self.quota, now).await? {
            None => Ok(()),
            Some(retry_after) => Err(RateLimited {
                scope: RateScope::ApiRequests,
                quota: self.quota,
                retry_after,
            }
            .into()),
        }
    }
}
