//! A line per API request at `info`: the method, the route's template (never
//! the path's ids or the query, which may hold a number being searched), the
//! status, the time taken, and the tenant and key id when a key was accepted.
//! Never the token: the key is named by its id.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

use crate::model::{ApiKeyId, TenantId};

/// Where [`Authorized`](super::caller::Authorized) leaves who the caller
/// turned out to be, for the log line written after the response.
#[derive(Clone, Default)]
pub(crate) struct Accepted(Arc<Mutex<Option<(TenantId, ApiKeyId)>>>);

impl Accepted {
    /// Notes the accepted key.
    pub(crate) fn note(&self, tenant: TenantId, key: ApiKeyId) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some((tenant, key));
        }
    }

    fn taken(&self) -> Option<(TenantId, ApiKeyId)> {
        self.0.lock().ok().and_then(|slot| *slot)
    }
}

/// Runs the request and writes its line.
pub(crate) async fn log_request(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(no route)".to_owned(), |path| path.as_str().to_owned());
    let accepted = Accepted::default();
    request.extensions_mut().insert(accepted.clone());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let micros = started.elapsed().as_micros();
    match accepted.taken() {
        Some((tenant, key)) => tracing::info!(
            %method, %route, status, micros, %tenant, %key, "API request"
        ),
        None => tracing::info!(%method, %route, status, micros, "API request"),
    }
    response
}
