//! The Streamable HTTP transport: rmcp's stateless service behind the same
//! door as REST — a Bearer key and the per-IP and per-key limits on every
//! request, refused with REST's status codes and `{"error"}` before rmcp
//! reads the body.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};

use super::McpConfig;
use super::tools::{Access, Tools};
use crate::api::access_log;
use crate::api::caller::admit;
use crate::api::error::ApiError;
use crate::service::Operations;

/// What the admission layer needs.
#[derive(Clone)]
struct Gate {
    ops: Operations,
    trust_forwarded_for: bool,
}

/// The MCP endpoint at `/` of the returned router.
pub(super) fn router(ops: Operations, config: McpConfig) -> Router {
    let gate = Gate {
        ops: ops.clone(),
        trust_forwarded_for: config.trust_forwarded_for,
    };
    let service = StreamableHttpService::new(
        move || Ok(Tools::new(ops.clone(), Access::Http)),
        Arc::new(NeverSessionManager::default()),
        transport_config(&config),
    );
    Router::new()
        .route_service("/", service)
        .layer(middleware::from_fn_with_state(gate, admitted))
        .layer(middleware::from_fn(access_log::log_request))
}

/// Stateless (no session lives in one replica, so any replica answers any
/// request), plain JSON answers, REST's body limit. The Host check that
/// guards unauthenticated local servers from DNS rebinding is off unless
/// hosts are named: every request here needs a key a rebinding page lacks.
fn transport_config(config: &McpConfig) -> StreamableHttpServerConfig {
    let transport = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_max_request_body_bytes(config.body_limit);
    match config.allowed_hosts.is_empty() {
        true => transport.disable_allowed_hosts(),
        false => transport.with_allowed_hosts(config.allowed_hosts.iter().cloned()),
    }
}

/// Lets a request through with its [`Principal`](crate::service::Principal)
/// in its extensions, where the tools find it, or answers as REST would.
async fn admitted(State(gate): State<Gate>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match admit(&gate.ops, &parts, gate.trust_forwarded_for).await {
        Ok(principal) => {
            parts.extensions.insert(principal);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(error) => ApiError::from(error).into_response(),
    }
}
