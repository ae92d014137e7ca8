//! The `WebhookTransport` port: how a signed delivery reaches an endpoint.

use async_trait::async_trait;

use crate::providers::http::HttpRequest;

/// Posts outgoing webhook deliveries.
///
/// The `http` feature implements it for
/// [`ReqwestExecutor`](crate::providers::executor::ReqwestExecutor); build
/// that one with
/// [`ReqwestExecutor::for_webhooks`](crate::providers::executor::ReqwestExecutor::for_webhooks),
/// which follows no redirect and, by default, connects to no internal
/// address whatever a name resolves to.
#[async_trait]
pub trait WebhookTransport: Send + Sync {
    /// Posts `request`: `Ok` when the endpoint accepted it (a 2xx answer),
    /// else why not (`"HTTP 503"`, `"could not connect to …"`), for the
    /// endpoint's `last_error`. The reason names no header and no secret.
    async fn post(&self, request: HttpRequest) -> Result<(), String>;
}
