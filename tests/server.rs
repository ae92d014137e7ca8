//! `examples/server.rs` end to end, over real HTTP on 127.0.0.1: webhooks signed by
//! implementations that are not msgcore's (Twilio's own Python library, Python's
//! hmac for Meta, the `cryptography` package's Ed25519 for Telnyx, all in
//! `scripts/sign_webhook.py`) are stored and answered, the reply leaves through
//! the dispatcher to a local mock of the provider's API, and a tampered
//! signature stores nothing.
//!
//! Needs `python3` with `twilio` and `cryptography` (`pip install twilio
//! cryptography`); without them each test prints "skipped" — except under
//! `CI=true`, where `.ci/run` installs them and a missing one fails the test.
#![cfg(all(feature = "axum", feature = "http", feature = "sqlite"))]

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use msgcore::E164;
use msgcore::model::Contact;

#[allow(dead_code)]
#[path = "../examples/server/main.rs"]
mod server_example;

#[path = "support/databases.rs"]
mod databases;

#[path = "support/python_signer.rs"]
mod python_signer;

use python_signer::sign;

use server_example::app::{self, Running};
use server_example::config::{Config, Database};

const PUBLIC_URL: &str = "https://inbox.example.test/api";
const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN: &str = "twilio-auth-token-for-tests";
const FROM_NUMBER: &str = "+12025551234";
const META_PHONE_NUMBER_ID: &str = "106540352242922";
const META_SECRET: &str = "meta-app-secret-for-tests";
const META_TOKEN: &str = "meta-access-token-for-tests";
const TELNYX_SEED_HEX: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

/// The server, configured like a deployment but with the providers' APIs at
/// `mock` and its inbox in a temporary SQLite file.
async fn start(mock: &MockServer, database: &databases::TempFile) -> Running {
    let vars: HashMap<&str, String> = HashMap::from([
        ("MSGCORE_LISTEN", "127.0.0.1:0".to_owned()),
        ("MSGCORE_PUBLIC_URL", PUBLIC_URL.to_owned()),
        ("MSGCORE_DATABASE", database.0.display().to_string()),
        ("MSGCORE_ORG_NAME", "Corner Shop".to_owned()),
        ("TWILIO_ACCOUNT_SID", ACCOUNT_SID.to_owned()),
        ("TWILIO_AUTH_TOKEN", AUTH_TOKEN.to_owned()),
        ("TWILIO_FROM_NUMBER", FROM_NUMBER.to_owned()),
        ("TWILIO_API_BASE_URL", mock.uri()),
        ("META_ACCESS_TOKEN", META_TOKEN.to_owned()),
        ("META_PHONE_NUMBER_ID", META_PHONE_NUMBER_ID.to_owned()),
        ("META_APP_SECRET", META_SECRET.to_owned()),
        ("META_VERIFY_TOKEN", "verify-me".to_owned()),
        ("META_API_BASE_URL", mock.uri()),
        ("TELNYX_API_KEY", "KEY-telnyx-for-tests".to_owned()),
        ("TELNYX_FROM_NUMBER", "+13125550199".to_owned()),
        ("TELNYX_PUBLIC_KEY", telnyx_public_key().unwrap_or_default()),
        ("TELNYX_API_BASE_URL", mock.uri()),
    ]);
    let config = Config::from_vars(|name| vars.get(name).cloned()).expect("valid configuration");
    app::start(&config).await.expect("the server starts")
}

fn telnyx_public_key() -> Option<String> {
    let lines = sign(json!({
        "provider": "telnyx", "private_key_hex": TELNYX_SEED_HEX, "timestamp": "0", "body": ""
    }))?;
    lines.get(1).cloned()
}

/// Posts `body` to the server at the public URL's `route`, with `headers`.
async fn post(
    running: &Running,
    route: &str,
    content_type: &str,
    headers: &[(&str, &str)],
    body: String,
) -> (u16, String, String) {
    let mut request = reqwest::Client::new()
        .post(format!("http://{}/api{route}", running.addr))
        .header("content-type", content_type)
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, kind, response.text().await.expect("a body"))
}

/// Posts Twilio's form `params` to `route`, signed with `signature` if given.
async fn post_twilio(
    running: &Running,
    route: &str,
    signature: Option<&str>,
    params: &[(&'static str, String)],
) -> (u16, String, String) {
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (key, value) in params {
        form.append_pair(key, value);
    }
    let headers: Vec<(&str, &str)> = signature
        .map(|s| ("X-Twilio-Signature", s))
        .into_iter()
        .collect();
    post(
        running,
        route,
        "application/x-www-form-urlencoded",
        &headers,
        form.finish(),
    )
    .await
}

/// The requests the mock provider has received, once `count` have arrived.
async fn received(mock: &MockServer, count: usize) -> Vec<Request> {
    for _ in 0..200 {
        let requests = mock.received_requests().await.unwrap_or_default();
        if requests.len() >= count {
            return requests;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the provider mock did not receive {count} request(s) within 10 s");
}

async fn contact(running: &Running, phone: &str) -> Option<Contact> {
    let phone: E164 = phone.parse().expect("a valid number");
    running
        .inbox
        .store()
        .contact_by_phone(running.tenant.id, &phone)
        .await
        .expect("the store answers")
}

fn decoded_form(request: &Request) -> HashMap<String, String> {
    form_urlencoded::parse(&request.body).into_owned().collect()
}

fn twilio_inbound(from: &str, body: &str) -> Vec<(&'static str, String)> {
    vec![
        ("MessageSid", format!("SM{}", uuid::Uuid::now_v7().simple())),
        ("AccountSid", ACCOUNT_SID.to_owned()),
        ("From", from.to_owned()),
        ("To", FROM_NUMBER.to_owned()),
        ("Body", body.to_owned()),
        ("NumMedia", "0".to_owned()),
        ("NumSegments", "1".to_owned()),
    ]
}

fn twilio_signature(params: &[(&'static str, String)]) -> Option<String> {
    twilio_signature_for("/twilio/demo/sms", params)
}

/// Twilio's signature of `params` posted to the public URL's `route`.
fn twilio_signature_for(route: &str, params: &[(&'static str, String)]) -> Option<String> {
    let params: HashMap<&str, &str> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    sign(json!({
        "provider": "twilio",
        "auth_token": AUTH_TOKEN,
        "url": format!("{PUBLIC_URL}{route}"),
        "params": params,
    }))?
    .into_iter()
    .next()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_twilio_sms_signed_by_twilios_library_is_stored_and_answered_through_the_dispatcher() {
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
        )))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "sid": "SM00000000000000000000000000000001", "status": "queued"
        })))
        .mount(&mock)
        .await;
    let database = databases::TempFile::new();
    let running = start(&mock, &database).await;
    let params = twilio_inbound("+14155550100", "HELP");
    let Some(signature) = twilio_signature(&params) else {
        return;
    };

    let (status, kind, body) =
        post_twilio(&running, "/twilio/demo/sms", Some(&signature), &params).await;

    assert_eq!(status, 200, "{body}");
    assert!(kind.starts_with("text/xml"), "{kind}");
    assert!(body.contains("<Response"), "{body}");
    let stored = contact(&running, "+14155550100")
        .await
        .expect("the contact is stored");
    let timeline = running
        .inbox
        .timeline(running.tenant.id, stored.id, 10)
        .await
        .expect("the timeline");
    assert!(
        timeline.iter().any(|m| m.text() == Some("HELP")),
        "{timeline:?}"
    );

    let requests = received(&mock, 1).await;
    let reply = &requests[0];
    assert_eq!(reply.method.as_str(), "POST");
    assert_eq!(
        reply.url.path(),
        format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json")
    );
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{ACCOUNT_SID}:{AUTH_TOKEN}"));
    assert_eq!(
        reply
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some(format!("Basic {basic}").as_str())
    );
    let fields = decoded_form(reply);
    assert_eq!(fields.get("To").map(String::as_str), Some("+14155550100"));
    assert_eq!(fields.get("From").map(String::as_str), Some(FROM_NUMBER));
    assert_eq!(
        fields.get("StatusCallback"),
        Some(&format!("{PUBLIC_URL}/twilio/demo/status"))
    );
    assert_eq!(
        fields.get("Body").map(String::as_str),
        Some(
            "Corner Shop: reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply."
        )
    );
    let report = running.stop().await.expect("a clean stop");
    assert_eq!(report.sent, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tampered_twilio_signature_gets_403_and_stores_nothing() {
    let mock = MockServer::start().await;
    let database = databases::TempFile::new();
    let running = start(&mock, &database).await;
    let signed = twilio_inbound("+14155550177", "hello");
    let Some(signature) = twilio_signature(&signed) else {
        return;
    };
    let mut tampered = signed.clone();
    tampered[4].1 = "STOP".to_owned();

    let (status, _, _) =
        post_twilio(&running, "/twilio/demo/sms", Some(&signature), &tampered).await;
    let (unsigned, _, _) = post_twilio(&running, "/twilio/demo/sms", None, &signed).await;

    assert_eq!(status, 403);
    assert_eq!(unsigned, 401);
    assert_eq!(contact(&running, "+14155550177").await, None);
    let report = running.stop().await.expect("a clean stop");
    assert_eq!(report.claimed, 0);
    assert!(
        mock.received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

fn call(extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut params = vec![
        ("CallSid", "CA0123456789abcdef0123456789abcdef".to_owned()),
        ("AccountSid", ACCOUNT_SID.to_owned()),
        ("From", "+14155550142".to_owned()),
        ("To", FROM_NUMBER.to_owned()),
        ("Direction", "inbound".to_owned()),
    ];
    params.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    params
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_is_greeted_with_a_speech_gather_and_its_speech_answered() {
    let mock = MockServer::start().await;
    let database = databases::TempFile::new();
    let running = start(&mock, &database).await;
    let ringing = call(&[("CallStatus", "ringing")]);
    let spoken = call(&[
        ("CallStatus", "in-progress"),
        ("SpeechResult", "Hours."),
        ("Confidence", "0.92"),
    ]);
    let (Some(answer_signature), Some(gather_signature)) = (
        twilio_signature_for("/twilio/demo/answer", &ringing),
        twilio_signature_for("/twilio/demo/gather", &spoken),
    ) else {
        return;
    };

    let (answered, kind, greeting) = post_twilio(
        &running,
        "/twilio/demo/answer",
        Some(&answer_signature),
        &ringing,
    )
    .await;
    let (gathered, _, reply) = post_twilio(
        &running,
        "/twilio/demo/gather",
        Some(&gather_signature),
        &spoken,
    )
    .await;

    assert_eq!((answered, gathered), (200, 200), "{greeting}\n{reply}");
    assert!(kind.starts_with("text/xml"), "{kind}");
    let gather = format!(r#"action="{PUBLIC_URL}/twilio/demo/gather""#);
    assert!(
        greeting.contains("<Gather") && greeting.contains(r#"input="speech""#),
        "{greeting}"
    );
    assert!(
        greeting.contains(&gather) && greeting.contains("Corner Shop"),
        "{greeting}"
    );
    assert!(
        reply.contains("We are open nine to five, Monday to Friday."),
        "{reply}"
    );
    running.stop().await.expect("a clean stop");
}

fn meta_inbound(wa_id: &str, text: &str) -> String {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": META_PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": wa_id}],
            "messages": [{"from": wa_id, "id": format!("wamid.{}", uuid::Uuid::now_v7().simple()),
                "timestamp": "1749416383", "type": "text", "text": {"body": text}}]
        }}]}]
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_meta_whatsapp_message_is_answered_through_the_graph_api_mock() {
    let mock = MockServer::start().await;
    let messages_path = format!("/v23.0/{META_PHONE_NUMBER_ID}/messages");
    Mock::given(method("POST"))
        .and(path(messages_path.clone()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": "16505551234", "wa_id": "16505551234"}],
            "messages": [{"id": "wamid.REPLY"}]
        })))
        .mount(&mock)
        .await;
    let database = databases::TempFile::new();
    let running = start(&mock, &database).await;
    let body = meta_inbound("16505551234", "HELP");
    let Some(signature) =
        sign(json!({"provider": "meta", "app_secret": META_SECRET, "body": body}))
            .and_then(|lines| lines.into_iter().next())
    else {
        return;
    };
    let mut tampered = body.replace("HELP", "STOP");

    let (status, _, answer) = post(
        &running,
        "/meta",
        "application/json",
        &[("X-Hub-Signature-256", &signature)],
        body,
    )
    .await;
    tampered = tampered.replace("16505551234", "16505559999");
    let (refused, _, _) = post(
        &running,
        "/meta",
        "application/json",
        &[("X-Hub-Signature-256", &signature)],
        tampered,
    )
    .await;

    assert_eq!(status, 200, "{answer}");
    assert_eq!(refused, 403);
    assert!(contact(&running, "+16505551234").await.is_some());
    assert_eq!(contact(&running, "+16505559999").await, None);
    let requests = received(&mock, 1).await;
    let reply = &requests[0];
    assert_eq!(reply.url.path(), messages_path);
    assert_eq!(
        reply
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some(format!("Bearer {META_TOKEN}").as_str())
    );
    let sent: Value = serde_json::from_slice(&reply.body).expect("a JSON body");
    assert_eq!(sent["messaging_product"], "whatsapp");
    assert_eq!(sent["to"], "16505551234");
    assert_eq!(sent["type"], "text");
    assert!(
        sent["text"]["body"]
            .as_str()
            .is_some_and(|text| text.starts_with("Corner Shop: reply STOP")),
        "{sent}"
    );
    running.stop().await.expect("a clean stop");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_telnyx_message_signed_with_ed25519_is_stored_and_a_stale_one_refused() {
    let mock = MockServer::start().await;
    let database = databases::TempFile::new();
    let running = start(&mock, &database).await;
    let body = json!({"data": {"event_type": "message.received", "id": uuid::Uuid::now_v7().to_string(),
        "occurred_at": "2026-11-22T10:00:00.000+00:00", "record_type": "event",
        "payload": {"id": uuid::Uuid::now_v7().to_string(), "direction": "inbound", "type": "SMS",
            "from": {"phone_number": "+13125550100"}, "to": [{"phone_number": "+13125550199"}],
            "text": "Is the shop open today?", "media": [], "received_at": "2026-11-22T10:00:00.000+00:00",
            "record_type": "message"}}, "meta": {"attempt": 1, "delivered_to": "https://example.com"}})
    .to_string();
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let now = seconds.to_string();
    let stale = (seconds - 3_600).to_string();
    let signed = |timestamp: &str| {
        sign(
            json!({"provider": "telnyx", "private_key_hex": TELNYX_SEED_HEX,
            "timestamp": timestamp, "body": body}),
        )
        .and_then(|lines| lines.into_iter().next())
    };
    let (Some(fresh_signature), Some(stale_signature)) = (signed(&now), signed(&stale)) else {
        return;
    };

    let (old, _, _) = post(
        &running,
        "/telnyx/demo",
        "application/json",
        &[
            ("telnyx-signature-ed25519", &stale_signature),
            ("telnyx-timestamp", &stale),
        ],
        body.clone(),
    )
    .await;
    let (fresh, _, answer) = post(
        &running,
        "/telnyx/demo",
        "application/json",
        &[
            ("telnyx-signature-ed25519", &fresh_signature),
            ("telnyx-timestamp", &now),
        ],
        body,
    )
    .await;

    assert_eq!(old, 403);
    assert_eq!(fresh, 200, "{answer}");
    assert!(contact(&running, "+13125550100").await.is_some());
    running.stop().await.expect("a clean stop");
}

#[test]
fn a_malformed_configuration_names_each_variable_and_its_fix() {
    let vars = HashMap::from([
        ("MSGCORE_PUBLIC_URL", "inbox.example.com"),
        ("TWILIO_ACCOUNT_SID", ACCOUNT_SID),
        ("TWILIO_AUTH_TOKEN", AUTH_TOKEN),
        ("TWILIO_FROM_NUMBER", "2025551234"),
        ("MSGCORE_LISTEN", "localhost"),
    ]);

    let problems = Config::from_vars(|name| vars.get(name).map(|v| (*v).to_owned()))
        .expect_err("the configuration is wrong");
    let said: Vec<String> = problems
        .problems()
        .iter()
        .map(ToString::to_string)
        .collect();

    assert_eq!(said.len(), 3, "{said:#?}");
    assert!(
        said.iter().any(|s| s.contains("MSGCORE_LISTEN")),
        "{said:#?}"
    );
    assert!(
        said.iter().any(|s| s.contains("MSGCORE_PUBLIC_URL")),
        "{said:#?}"
    );
    assert!(
        said.iter().any(|s| s.contains("TWILIO_FROM_NUMBER")
            && s.contains("E.164")
            && s.contains("2025551234")),
        "{said:#?}"
    );
}

#[test]
fn no_provider_at_all_is_refused_at_start() {
    let problems = Config::from_vars(|name| {
        (name == "MSGCORE_PUBLIC_URL").then(|| "https://inbox.example.com".to_owned())
    })
    .expect_err("no provider");

    assert_eq!(problems.problems().len(), 1);
    assert!(
        problems.problems()[0]
            .to_string()
            .contains("configure at least one provider"),
        "{problems:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_health_route_says_ok_while_the_store_answers() {
    let mock = MockServer::start().await;
    let database = databases::TempFile::new();
    let running = start(&mock, &database).await;

    let response = reqwest::get(format!("http://{}/health", running.addr))
        .await
        .expect("the server answers");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.expect("a body"), "ok");
    running.stop().await.expect("a clean stop");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_for_a_provider_the_server_was_not_given_names_the_variables_to_set() {
    let mock = MockServer::start().await;
    let database = databases::TempFile::new();
    let vars: HashMap<&str, String> = HashMap::from([
        ("MSGCORE_LISTEN", "127.0.0.1:0".to_owned()),
        ("MSGCORE_PUBLIC_URL", PUBLIC_URL.to_owned()),
        ("MSGCORE_DATABASE", database.0.display().to_string()),
        ("META_ACCESS_TOKEN", META_TOKEN.to_owned()),
        ("META_PHONE_NUMBER_ID", META_PHONE_NUMBER_ID.to_owned()),
        ("META_APP_SECRET", META_SECRET.to_owned()),
        ("META_VERIFY_TOKEN", "verify-me".to_owned()),
        ("META_API_BASE_URL", mock.uri()),
    ]);
    let config = Config::from_vars(|name| vars.get(name).cloned()).expect("valid configuration");
    let running = app::start(&config).await.expect("the server starts");

    let (status, _, body) = post(
        &running,
        "/telnyx/demo",
        "application/json",
        &[],
        "{}".into(),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        "Telnyx webhooks are not configured: set TELNYX_API_KEY, TELNYX_FROM_NUMBER and TELNYX_PUBLIC_KEY, and restart"
    );
    running.stop().await.expect("a clean stop");
}

#[test]
fn every_configuration_problem_is_reported_at_once_within_a_provider_too() {
    let vars: HashMap<&str, &str> = HashMap::from([
        ("MSGCORE_PUBLIC_URL", PUBLIC_URL),
        ("TWILIO_ACCOUNT_SID", ACCOUNT_SID),
        ("TWILIO_FROM_NUMBER", "2025551234"),
        ("META_ACCESS_TOKEN", META_TOKEN),
        ("META_PHONE_NUMBER_ID", "+1 650 555 1234"),
    ]);
    let problems = Config::from_vars(|name| vars.get(name).map(|v| (*v).to_owned())).unwrap_err();
    let variables: Vec<&str> = problems.problems().iter().map(|p| p.variable).collect();
    assert_eq!(
        variables,
        [
            "TWILIO_AUTH_TOKEN",
            "TWILIO_FROM_NUMBER",
            "META_PHONE_NUMBER_ID",
            "META_APP_SECRET",
            "META_VERIFY_TOKEN"
        ]
    );
}

#[test]
fn a_postgres_url_names_the_database_and_the_banner_hides_its_password() {
    let url = "postgres://inbox:s3cret@db.internal:5432/msgcore";
    let vars = HashMap::from([
        ("MSGCORE_PUBLIC_URL", PUBLIC_URL),
        ("MSGCORE_DATABASE", url),
        ("TWILIO_ACCOUNT_SID", ACCOUNT_SID),
        ("TWILIO_AUTH_TOKEN", AUTH_TOKEN),
        ("TWILIO_FROM_NUMBER", FROM_NUMBER),
    ]);

    let config = Config::from_vars(|name| vars.get(name).map(|v| (*v).to_owned()));

    if cfg!(feature = "postgres") {
        let database = config.expect("a valid configuration").inbox.database;
        assert_eq!(database, Database::Postgres(url.to_owned()));
        assert_eq!(database.to_string(), "postgres://db.internal:5432/msgcore");
    } else {
        let problems = config.expect_err("no PostgreSQL store in this build");
        let said = problems.problems()[0].to_string();
        assert!(
            said.contains("MSGCORE_DATABASE") && said.contains("postgres feature"),
            "{said}"
        );
    }
}
