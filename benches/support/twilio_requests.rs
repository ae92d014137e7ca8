//! Signed Twilio SMS webhooks for the axum router over an inbox on the memory
//! store: the requests `benches/webhooks.rs` times and
//! `benches/webhook_instructions.rs` counts.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use msgcore::engine::Inbox;
use msgcore::model::TenantSettings;
use msgcore::providers::twilio::RequestValidator;
use msgcore::store::MemoryStore;
use msgcore::webhooks::{WebhookConfig, router};
use tokio::runtime::Runtime;
use tower::ServiceExt;

use super::demo_tenant::{SMS_NUMBER, tenant};
use super::payloads::{TwilioCase, twilio_case};

/// The public base URL the router is mounted under.
pub const BASE: &str = "https://api.example.com/webhooks";
/// The demo tenant's Twilio SMS webhook, under [`BASE`].
pub const PATH: &str = "/twilio/demo/sms";

/// The fields that name the message: new values each request, so the engine's
/// deduplication never answers from a retry.
const MESSAGE_SIDS: [&str; 3] = ["MessageSid", "SmsSid", "SmsMessageSid"];

/// A current-thread runtime, the router over a fresh inbox holding the demo
/// tenant, and requests signed with the tenant's auth token.
pub fn demo() -> (Runtime, Router, Requests) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let case = twilio_case();
    let app = app(&runtime, &case.auth_token);
    let token = case.auth_token.clone();
    (runtime, app, Requests::signed_with(case, &token))
}

/// The router mounted at [`BASE`]'s path over an inbox on the memory store.
fn app(runtime: &Runtime, auth_token: &str) -> Router {
    let inbox = Arc::new(Inbox::builder(Arc::new(MemoryStore::new())).build());
    runtime
        .block_on(inbox.put_tenant(&tenant(TenantSettings::default())))
        .unwrap();
    let config = WebhookConfig::new(BASE)
        .unwrap()
        .twilio(auth_token)
        .unwrap();
    Router::new().nest("/webhooks", router(inbox, config))
}

/// Twilio's SMS webhook to the demo tenant, a new message on each call from one
/// of 1,000 contacts, signed with the auth token it was made with.
pub struct Requests {
    case: TwilioCase,
    validator: RequestValidator,
    counter: AtomicU64,
}

impl Requests {
    /// Requests for `case`, signed with `auth_token` (the tenant's, or a forger's).
    pub fn signed_with(case: TwilioCase, auth_token: &str) -> Self {
        Requests {
            validator: RequestValidator::new(auth_token).unwrap(),
            case,
            counter: AtomicU64::new(0),
        }
    }

    /// The next message, from the next of 1,000 contacts.
    pub fn next(&self) -> Request<Body> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let sid = format!("SM{n:032x}");
        let from = format!("+1510555{:04}", n % 1_000);
        let params: Vec<(&str, &str)> = self
            .case
            .params
            .iter()
            .map(|(name, value)| match name.as_str() {
                name if MESSAGE_SIDS.contains(&name) => (name, sid.as_str()),
                "From" => ("From", from.as_str()),
                "To" => ("To", SMS_NUMBER),
                name => (name, value.as_str()),
            })
            .collect();
        let signature = self
            .validator
            .compute_signature(&format!("{BASE}{PATH}"), params.iter().copied());
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&params)
            .finish();
        Request::post(format!("/webhooks{PATH}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("X-Twilio-Signature", signature)
            .body(Body::from(body))
            .unwrap()
    }
}

/// Answers `request` and reads the whole answer, as the provider would.
pub async fn answer(app: &Router, request: Request<Body>) -> StatusCode {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    response.into_body().collect().await.unwrap();
    status
}
