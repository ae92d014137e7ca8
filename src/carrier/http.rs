//! [`HttpCarrier`]: the [`Carrier`] that sends through any provider's [`SendApi`]
//! over HTTP, with per-tenant credentials.
//!
//! Idempotency keys: the carrier adds no `Idempotency-Key` header of its own.
//! None of the messages endpoints it carries documents one (Twilio's Messages
//! API takes none; Telnyx honours the header only on endpoints whose reference
//! declares it, and `POST /v2/messages` does not; Meta's Cloud API has none),
//! and a provider that does honour one would want it in its own form, which is
//! [`SendApi::request`]'s business: it has the item, key included.
//!
//! ```
//! # #[cfg(feature = "twilio")] {
//! use msgcore::carrier::Carrier;
//! use msgcore::model::{ProviderName, TenantId};
//! use msgcore::carrier::HttpCarrier;
//! use msgcore::providers::twilio::send::{MessagesApi, Sender, TwilioCredentials};
//!
//! let platform = MessagesApi::new(
//!     TwilioCredentials::new("AC_platform", "token"),
//!     Sender::Number("+14155238886".parse().unwrap()),
//! );
//! let subaccount = MessagesApi::new(
//!     TwilioCredentials::new("AC_shop", "shop-token"),
//!     Sender::Number("+14155238887".parse().unwrap()),
//! );
//! let shop = TenantId::from_uuid(uuid::Uuid::now_v7());
//! let carrier = HttpCarrier::new(platform).with_tenant(shop, subaccount);
//! assert_eq!(carrier.provider(), ProviderName::TWILIO);
//! # }
//! ```

use std::collections::HashMap;

use async_trait::async_trait;

use crate::carrier::Carrier;
use crate::model::CarrierError;
use crate::model::{OutboxItem, ProviderName, TenantId};
use crate::providers::executor::{ReqwestExecutor, TransportError};
use crate::providers::http::{HttpRequest, HttpResponse};
use crate::providers::send_api::SendApi;

#[cfg(feature = "meta")]
mod meta;

#[cfg(feature = "meta")]
#[cfg_attr(docsrs, doc(cfg(feature = "meta")))]
pub use meta::MediaSendError;

/// The code of a [`CarrierError`] for a request that got no answer.
pub const TRANSPORT_ERROR_CODE: &str = "transport";

/// Sends outbox items through `A`'s API with a [`ReqwestExecutor`]: the tenant's
/// own API (a Twilio subaccount, say) when it has one, the platform's otherwise.
#[derive(Debug)]
pub struct HttpCarrier<A: SendApi> {
    platform: A,
    tenants: HashMap<TenantId, A>,
    executor: ReqwestExecutor,
}

impl<A: SendApi> HttpCarrier<A> {
    /// Sends every tenant's items through `api`, with a default executor.
    pub fn new(api: A) -> HttpCarrier<A> {
        HttpCarrier {
            platform: api,
            tenants: HashMap::new(),
            executor: ReqwestExecutor::new(),
        }
    }

    /// Sends `tenant`'s items through `api` (its own credentials) instead.
    pub fn with_tenant(mut self, tenant: TenantId, api: A) -> HttpCarrier<A> {
        self.tenants.insert(tenant, api);
        self
    }

    /// Sends through `executor` (your client, your timeout).
    pub fn with_executor(mut self, executor: ReqwestExecutor) -> HttpCarrier<A> {
        self.executor = executor;
        self
    }

    fn api_for(&self, tenant: TenantId) -> &A {
        self.tenants.get(&tenant).unwrap_or(&self.platform)
    }

    /// Carries `request` for `api`; no answer is a [`CarrierError`] in `api`'s name.
    async fn exchange(&self, api: &A, request: HttpRequest) -> Result<HttpResponse, CarrierError> {
        self.executor
            .execute(request)
            .await
            .map_err(|error| unanswered(api.provider(), &error))
    }
}

#[async_trait]
impl<A: SendApi> Carrier for HttpCarrier<A> {
    fn provider(&self) -> ProviderName {
        self.platform.provider()
    }

    fn provider_for(&self, item: &OutboxItem) -> ProviderName {
        self.api_for(item.tenant).provider()
    }

    async fn send(&self, item: &OutboxItem) -> Result<String, CarrierError> {
        let api = self.api_for(item.tenant);
        let response = self.exchange(api, api.request(item)?).await?;
        api.read(&response)
    }
}

/// A request that got no answer: retryable unless it could not be built.
fn unanswered(provider: ProviderName, error: &TransportError) -> CarrierError {
    let refusal = match error.is_retryable() {
        true => CarrierError::transient(provider, error.to_string(), None),
        false => CarrierError::permanent(provider, error.to_string()),
    };
    refusal.with_code(TRANSPORT_ERROR_CODE)
}
