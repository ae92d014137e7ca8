//! `examples/embed.rs` on a PostgreSQL database of its own: a signed webhook into
//! the app's router, the reply out through the dispatcher to a mock Twilio, and a
//! carrier's opt-out refusal recorded by the opt-out listener.

use axum::body::Body;
use axum::http::{Request, header};
use msgcore::core::channel::Channel;
use msgcore::core::message::Content;
use msgcore::engine::SendRequest;
use msgcore::providers::twilio::RequestValidator;
use msgcore::providers::twilio::send::{MessagesApi, Sender, TwilioCredentials};
use serde_json::json;
use tower::ServiceExt;
use wiremock::matchers::{body_string_contains, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/databases.rs"]
mod databases;
#[allow(dead_code)]
#[path = "../examples/embed.rs"]
mod embed_example;

const PUBLIC_URL: &str = "https://shop.example.com/webhooks";
const AUTH_TOKEN: &str = "embed-auth-token";
const SID: &str = "AC0123456789abcdef0123456789abcdef";

fn twilio(mock: &MockServer) -> MessagesApi {
    let sender = Sender::Number("+14155550199".parse().unwrap());
    MessagesApi::new(TwilioCredentials::new(SID, AUTH_TOKEN), sender).with_base_url(mock.uri())
}

fn signed_sms(from: &str, sid: &str, text: &str) -> Request<Body> {
    let params = [
        ("MessageSid", sid),
        ("From", from),
        ("To", "+14155550199"),
        ("Body", text),
        ("NumMedia", "0"),
    ];
    let url = format!("{PUBLIC_URL}/twilio/demo/sms");
    let signature = RequestValidator::new(AUTH_TOKEN)
        .unwrap()
        .compute_signature(&url, params.iter().copied());
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    Request::post("/webhooks/twilio/demo/sms")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", signature)
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_embedded_app_takes_webhooks_sends_replies_and_records_a_carriers_opt_out() {
    let Some(db) = databases::TestDatabase::create().await else {
        return;
    };
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("To=%2B14155550111"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400
        })))
        .mount(&mock)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "sid": "SM00000000000000000000000000000001", "status": "queued"
        })))
        .mount(&mock)
        .await;
    let url = sqlx::ConnectOptions::to_url_lossy(&db.options()).to_string();
    let embedded = embed_example::embed(&url, PUBLIC_URL, twilio(&mock), AUTH_TOKEN)
        .await
        .unwrap();
    let tenant = embed_example::ensure_tenant(&embedded.inbox, "demo")
        .await
        .unwrap();
    let again = embed_example::ensure_tenant(&embedded.inbox, "demo")
        .await
        .unwrap();
    assert_eq!(again.id, tenant.id, "a second start finds the tenant");

    let own = embedded
        .app
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).unwrap());
    assert_eq!(own.await.unwrap().status(), 200, "the app's own routes");
    let health = embedded
        .app
        .clone()
        .oneshot(Request::get("/health").body(Body::empty()).unwrap());
    assert_eq!(health.await.unwrap().status(), 200);
    let help = embedded
        .app
        .clone()
        .oneshot(signed_sms("+14155550100", "SMe1", "HELP"));
    assert_eq!(help.await.unwrap().status(), 200);
    let stop_sender = embedded
        .app
        .clone()
        .oneshot(signed_sms("+14155550111", "SMe2", "hi"));
    assert_eq!(stop_sender.await.unwrap().status(), 200);
    let content = Content::text("Your order shipped").unwrap();
    let to = "+14155550111".parse().unwrap();
    let request = SendRequest::reply(tenant.id, to, Channel::Sms, content);
    embedded.inbox.send(&request).await.unwrap();

    let batch = embedded.dispatcher.dispatch_once().await.unwrap();
    assert_eq!(
        (batch.sent(), batch.failed()),
        (1, 1),
        "{:?}",
        batch.outcomes
    );
    assert_eq!(batch.opted_out.len(), 1, "the 21610 reached the listener");
    let store = embedded.inbox.store();
    let refused = store
        .contact_by_phone(tenant.id, &to)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !refused.consent.state().allows(Channel::Sms),
        "the carrier's opt-out withdrew SMS consent"
    );
    let requests = mock.received_requests().await.unwrap();
    assert!(
        requests
            .iter()
            .any(|r| String::from_utf8_lossy(&r.body).contains("Msg+%26+data+rates")),
        "the HELP reply went to Twilio"
    );
}
