//! [`ReqwestExecutor`] as the [`WebhookTransport`] of outgoing webhooks.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::ReqwestExecutor;
use crate::core::webhook_endpoint::{UrlPolicy, is_internal_address};
use crate::engine::WebhookTransport;
use crate::providers::http::HttpRequest;

/// The most of an endpoint's answer read: its status is all that counts.
const WEBHOOK_ANSWER_BYTES: usize = 64 * 1024;

impl ReqwestExecutor {
    /// An executor for webhook deliveries under `policy`: it follows no
    /// redirect (an endpoint cannot send a delivery elsewhere), gives each
    /// delivery the deliverer's 10 seconds, and unless `policy` allows
    /// internal addresses connects to none, whatever a name resolves to
    /// (an endpoint registered as a public name that later resolves inside
    /// your network is refused at connection).
    pub fn for_webhooks(policy: UrlPolicy) -> Result<ReqwestExecutor, reqwest::Error> {
        let mut client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("msgcore-webhooks/", env!("CARGO_PKG_VERSION")));
        if !policy.allow_internal {
            client = client.dns_resolver(Arc::new(PublicAddresses));
        }
        let timeout = Duration::from_secs(10);
        Ok(ReqwestExecutor::with_client(client.build()?)
            .with_timeout(timeout)
            .with_max_answer_bytes(WEBHOOK_ANSWER_BYTES))
    }
}

#[async_trait]
impl WebhookTransport for ReqwestExecutor {
    async fn post(&self, request: HttpRequest) -> Result<(), String> {
        let answer = self
            .execute(request)
            .await
            .map_err(|error| error.to_string())?;
        match answer.status {
            200..=299 => Ok(()),
            status => Err(format!("HTTP {status}")),
        }
    }
}

/// Resolves names to their public addresses only.
struct PublicAddresses;

impl Resolve for PublicAddresses {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let public: Vec<SocketAddr> = found
                .filter(|address| !is_internal_address(address.ip()))
                .collect();
            if public.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            let addresses: Addrs = Box::new(public.into_iter());
            Ok(addresses)
        })
    }
}
