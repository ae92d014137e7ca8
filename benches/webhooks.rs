//! The fast acknowledgement: a signed Twilio SMS webhook through the axum
//! router in process (signature, parsing, `Inbox::handle_inbound` on the memory
//! store, empty TwiML back), and the same request refused for a bad signature.
//!
//! ```sh
//! cargo bench --bench webhooks -- --warm-up-time 1 --measurement-time 3
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use http_body_util::BodyExt;
use msgcore::engine::Inbox;
use msgcore::model::TenantSettings;
use msgcore::providers::twilio::RequestValidator;
use msgcore::store::MemoryStore;
use msgcore::webhooks::{WebhookConfig, router};
use tokio::runtime::Runtime;
use tower::ServiceExt;

#[path = "../tests/support/demo_tenant.rs"]
mod demo_tenant;
#[path = "support/payloads.rs"]
mod payloads;
use demo_tenant::{SMS_NUMBER, tenant};
use payloads::{TwilioCase, twilio_case};

/// The public base URL the router is mounted under.
const BASE: &str = "https://api.example.com/webhooks";
const PATH: &str = "/twilio/demo/sms";

/// The fields that name the message: new values each request, so the engine's
/// deduplication never answers from a retry.
const MESSAGE_SIDS: [&str; 3] = ["MessageSid", "SmsSid", "SmsMessageSid"];

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
/// of 1,000 contacts, signed with `validator`.
struct Requests {
    case: TwilioCase,
    validator: RequestValidator,
    counter: AtomicU64,
}

impl Requests {
    fn next(&self) -> Request<Body> {
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
async fn answer(app: &Router, request: Request<Body>) -> StatusCode {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    response.into_body().collect().await.unwrap();
    status
}

fn round_trip(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let case = twilio_case();
    let app = app(&runtime, &case.auth_token);
    let signed = Requests {
        validator: RequestValidator::new(&case.auth_token).unwrap(),
        case,
        counter: AtomicU64::new(0),
    };
    let forged = Requests {
        validator: RequestValidator::new("not-the-auth-token").unwrap(),
        case: twilio_case(),
        counter: AtomicU64::new(0),
    };
    let mut group = c.benchmark_group("webhook_round_trip");
    group.throughput(Throughput::Elements(1));
    for (name, requests, expected) in [
        ("twilio_sms_accepted", &signed, StatusCode::OK),
        ("twilio_sms_bad_signature", &forged, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(runtime.block_on(answer(&app, requests.next())), expected);
        group.bench_function(name, |b| {
            b.iter_batched(
                || requests.next(),
                |request| {
                    let status = runtime.block_on(answer(&app, request));
                    assert_eq!(status, expected);
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, round_trip);
criterion_main!(benches);
