//! The example server's REST API: mounted at `/api/whatsapp-api`, opened by a
//! key that `create-key` made in the same SQLite file, limited as the
//! environment says, over real HTTP on 127.0.0.1.
#![cfg(all(feature = "api", feature = "http", feature = "sqlite"))]

use std::collections::HashMap;

use chrono::TimeDelta;
use serde_json::{Value, json};
use wiremock::MockServer;

use msgcore::core::api_key::{Scope, Scopes};

#[allow(dead_code)]
#[path = "../examples/server/main.rs"]
mod server_example;

#[path = "support/databases.rs"]
mod databases;

#[path = "support/twilio_server.rs"]
mod twilio_server;

use server_example::app::{self, API_PATH, Running};
use server_example::config::{Config, InboxConfig};
use server_example::keys::{self, KeyRequest};
use twilio_server::{accept_messages, args, config, create_key, sent_bodies};

/// `POST` of `body` to an API path with `token`: the status and the JSON body.
async fn post(running: &Running, route: &str, token: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("http://{}{API_PATH}{route}", running.addr))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("the server answers");
    answer(response).await
}

/// The status and the JSON body of `response`.
async fn answer(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let body = response.text().await.expect("a body");
    (status, serde_json::from_str(&body).expect("a JSON body"))
}

/// `GET` of an API path with `token`: the status and the JSON body.
async fn get(running: &Running, route: &str, token: Option<&str>) -> (u16, Value) {
    let mut request =
        reqwest::Client::new().get(format!("http://{}{API_PATH}{route}", running.addr));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    answer(request.send().await.expect("the server answers")).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_made_by_create_key_opens_the_api_mounted_at_api_whatsapp_api() {
    let mock = MockServer::start().await;
    let database = databases::TempFile::new();
    let config = config(&mock, &database, &[]);
    let token = create_key(&config, "--name CRM --scopes contacts:read").await;
    let running = app::start(&config).await.expect("the server starts");

    let (status, body) = get(&running, "/status", Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["businessName"], "Corner Shop");
    let (status, body) = get(&running, "/contacts", Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["contacts"], Value::Array(Vec::new()));

    let (status, body) = get(&running, "/contacts", None).await;
    assert_eq!(status, 401);
    assert!(body["error"].is_string(), "{body}");
    running.stop().await.expect("a clean stop");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_made_before_the_first_start_belongs_to_the_tenant_the_server_then_serves() {
    let mock = MockServer::start().await;
    let database = databases::TempFile::new();
    let config = config(&mock, &database, &[("MSGCORE_TENANT", "corner")]);
    let token = create_key(&config, "--name first --scopes admin").await;

    let running = app::start(&config).await.expect("the server starts");

    assert_eq!(running.tenant.slug, "corner");
    let (status, _) = get(&running, "/contacts", Some(&token)).await;
    assert_eq!(status, 200);
    running.stop().await.expect("a clean stop");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_rate_limit_comes_from_msgcore_api_rate_limit() {
    let mock = MockServer::start().await;
    let database = databases::TempFile::new();
    let config = config(&mock, &database, &[("MSGCORE_API_RATE_LIMIT", "2")]);
    let token = create_key(&config, "--name CRM --scopes contacts:read").await;
    let running = app::start(&config).await.expect("the server starts");

    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(get(&running, "/status", Some(&token)).await.0);
    }

    assert_eq!(statuses, [200, 200, 429]);
    running.stop().await.expect("a clean stop");
}

/// `bytes` sent to `POST /media` as a form's `file`, named `filename`: the
/// status and the JSON body.
async fn upload(running: &Running, token: &str, bytes: &[u8], filename: &str) -> (u16, Value) {
    let boundary = "server-api-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = reqwest::Client::new()
        .post(format!("http://{}{API_PATH}/media", running.addr))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("the server answers");
    answer(response).await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_uploaded_file_is_kept_beside_the_database_and_served_after_a_restart() {
    let mock = MockServer::start().await;
    let database = databases::TempFile::new();
    let config = config(&mock, &database, &[]);
    let token = create_key(&config, "--name CRM --scopes admin").await;
    let pdf = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media/document.pdf"),
    )
    .expect("the fixture");
    let running = app::start(&config).await.expect("the server starts");
    let (status, body) = upload(&running, &token, &pdf, "invoice.pdf").await;
    assert_eq!(status, 201, "{body}");
    running.stop().await.expect("a clean stop");

    let media_dir = database.0.parent().expect("a directory").join("media");
    assert_eq!(config.api.media_dir, media_dir);
    let id = body["id"].as_str().expect("an id");
    let running = app::start(&config).await.expect("the server starts again");
    let response = reqwest::Client::new()
        .get(format!("http://{}{API_PATH}/media/{id}", running.addr))
        .bearer_auth(&token)
        .send()
        .await
        .expect("the server answers");

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(
        response.bytes().await.expect("the file").as_ref(),
        pdf.as_slice()
    );
    let kept = std::fs::read_dir(&media_dir)
        .expect("the media directory")
        .count();
    assert_eq!(kept, 1, "one tenant's directory");
    running.stop().await.expect("a clean stop");
}

#[test]
fn msgcore_media_dir_names_the_directory_files_are_kept_in() {
    let vars: HashMap<&str, &str> = HashMap::from([
        ("MSGCORE_PUBLIC_URL", "https://inbox.example.test"),
        ("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef"),
        ("TWILIO_AUTH_TOKEN", "token"),
        ("TWILIO_FROM_NUMBER", "+12025551234"),
        ("MSGCORE_DATABASE", "/var/lib/msgcore/inbox.db"),
    ]);
    let read = |extra: Option<&str>| {
        let config = Config::from_vars(|name| match (name, extra) {
            ("MSGCORE_MEDIA_DIR", Some(dir)) => Some(dir.to_owned()),
            _ => vars.get(name).map(|v| (*v).to_owned()),
        });
        config.expect("a valid configuration").api.media_dir
    };

    assert_eq!(read(None), std::path::Path::new("/var/lib/msgcore/media"));
    assert_eq!(read(Some("/srv/files")), std::path::Path::new("/srv/files"));
}

#[test]
fn api_settings_that_make_no_sense_are_refused_naming_the_variable() {
    let vars: HashMap<&str, &str> = HashMap::from([
        ("MSGCORE_PUBLIC_URL", "https://inbox.example.test"),
        ("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef"),
        ("TWILIO_AUTH_TOKEN", "token"),
        ("TWILIO_FROM_NUMBER", "+12025551234"),
        ("MSGCORE_API_RATE_LIMIT", "0"),
        ("MSGCORE_TRUST_FORWARDED_FOR", "sometimes"),
    ]);

    let problems = Config::from_vars(|name| vars.get(name).map(|v| (*v).to_owned()))
        .expect_err("two bad settings");

    let variables: Vec<&str> = problems.problems().iter().map(|p| p.variable).collect();
    assert_eq!(
        variables,
        ["MSGCORE_API_RATE_LIMIT", "MSGCORE_TRUST_FORWARDED_FOR"]
    );
}

#[test]
fn create_key_reads_its_name_scopes_and_expiry() {
    let request = KeyRequest::from_args(&args(
        "--scopes contacts:read,messages:send --name CRM --expires-in-days 30",
    ))
    .expect("valid arguments");

    assert_eq!(
        request,
        KeyRequest {
            name: "CRM".to_owned(),
            scopes: Scopes::from([Scope::ContactsRead, Scope::MessagesSend]),
            expires_in_days: Some(30),
        }
    );
}

#[test]
fn create_key_refuses_a_missing_name_no_scopes_an_unknown_scope_and_a_bad_expiry() {
    let refusals = [
        ("--scopes admin", "--name is required"),
        ("--name CRM", "--scopes is required"),
        (
            "--name CRM --scopes contacts:delete",
            "unknown scope \"contacts:delete\"",
        ),
        (
            "--name CRM --scopes admin --expires-in-days 0",
            "--expires-in-days",
        ),
        (
            "--name CRM --scopes admin --expires-in-days soon",
            "--expires-in-days",
        ),
        (
            "--name CRM --scopes admin --color red",
            "unknown option \"--color\"",
        ),
        ("--name", "--name needs a value"),
    ];
    for (line, said) in refusals {
        let problem = KeyRequest::from_args(&args(line)).expect_err(line);
        assert!(problem.contains(said), "{line}: {problem}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_made_to_expire_in_30_days_expires_30_days_after_it_was_made() {
    let database = databases::TempFile::new();
    let inbox = InboxConfig::from_vars(|name| {
        (name == "MSGCORE_DATABASE").then(|| database.0.display().to_string())
    })
    .expect("valid configuration");
    let request = KeyRequest::from_args(&args("--name CRM --scopes admin --expires-in-days 30"))
        .expect("valid");

    let created = keys::create_key(&inbox, request)
        .await
        .expect("the key is made");

    let expires_at = created.key.grant.expires_at.expect("an expiry");
    let lifetime = expires_at - created.key.created_at;
    assert!(
        (lifetime - TimeDelta::days(30)).abs() < TimeDelta::seconds(1),
        "{lifetime}"
    );
    let described = keys::describe(&created);
    assert!(
        described.contains("scopes admin") && described.contains("expires"),
        "{described}"
    );
    assert!(
        !described.contains(created.token()),
        "the token is printed apart, once"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_campaign_made_through_the_api_reaches_the_provider_through_the_scheduler() {
    let mock = MockServer::start().await;
    accept_messages(&mock).await;
    let database = databases::TempFile::new();
    let config = config(&mock, &database, &[]);
    let token = create_key(&config, "--name CRM --scopes admin").await;
    let running = app::start(&config).await.expect("the server starts");
    for (phone, name) in [("+14155550101", "Ann"), ("+14155550102", "Bob")] {
        let body = json!({"phone": phone, "name": name, "smsOptedIn": true});
        assert_eq!(post(&running, "/contacts", &token, body).await.0, 201);
    }

    // Transactional: the test must not depend on the hour in California.
    let campaign = json!({"id": "notice", "channel": "sms", "text": "Hi {name}, we open at 10.",
                          "kind": "transactional"});
    let (status, created) = post(&running, "/campaigns", &token, campaign).await;
    assert_eq!(status, 201, "{created}");

    let bodies = sent_bodies(&mock, 2).await;
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert!(bodies[0].contains("Hi+Ann"), "{}", bodies[0]);
    assert!(bodies[1].contains("Hi+Bob"), "{}", bodies[1]);
    let (_, read) = get(&running, "/campaigns/notice", Some(&token)).await;
    assert_eq!(read["counts"]["pending"], 0, "{read}");
    running.stop().await.expect("a clean stop");
}

/// `scripts/webhook_receiver.py` listening on `port`, verifying with
/// `secret`, killed when dropped; `None` (after saying so) when Python's
/// `standardwebhooks` is missing outside CI.
struct Receiver(std::process::Child);

impl Receiver {
    fn start(port: u16, secret: &str, out: &std::path::Path) -> Option<Receiver> {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/webhook_receiver.py");
        let spawned = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(secret)
            .arg(out)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(error) => return Receiver::missing(&error.to_string()),
        };
        let mut ready = String::new();
        let stdout = child.stdout.take().expect("stdout is piped");
        let _ = BufReader::new(stdout).read_line(&mut ready);
        if ready.trim() == "listening" {
            return Some(Receiver(child));
        }
        let output = child.wait_with_output().expect("the receiver ended");
        Receiver::missing(&String::from_utf8_lossy(&output.stderr))
    }

    fn missing(why: &str) -> Option<Receiver> {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the standardwebhooks receiver failed under CI: {why}"
        );
        let last_line = why.trim().lines().last().unwrap_or_default();
        databases::skip::skipped(&format!(
            "the Standard Webhooks receiver test; pip install standardwebhooks to run it ({last_line})"
        ));
        None
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nothing listens on, for now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    listener.local_addr().expect("its address").port()
}

/// Polls `done` every 100 ms for up to 20 s.
async fn eventually<F: std::future::Future<Output = bool>>(what: &str, done: impl Fn() -> F) {
    for _ in 0..200 {
        if done().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_receiver_that_was_down_gets_every_event_in_order_verified_by_standardwebhooks() {
    use msgcore::core::webhook_event::{EventType, webhook_id};
    let mock = MockServer::start().await;
    let database = databases::TempFile::new();
    let retries = ["1"; 30].join(",");
    let extra = [
        ("MSGCORE_WEBHOOK_URLS", "local"),
        ("MSGCORE_WEBHOOK_RETRY", retries.as_str()),
    ];
    let config = config(&mock, &database, &extra);
    let token = create_key(&config, "--name ops --scopes admin").await;
    let running = app::start(&config).await.expect("the server starts");
    let port = free_port();
    let endpoint = json!({"url": format!("http://127.0.0.1:{port}/hooks")});
    let (status, created) = post(&running, "/webhooks", &token, endpoint).await;
    assert_eq!(status, 201, "{created}");
    let secret = created["secret"].as_str().expect("the secret").to_owned();
    let contact = |phone: &str| json!({"phone": phone, "smsOptedIn": true, "tags": ["vip"]});

    for phone in ["+14155550111", "+14155550112"] {
        let (status, body) = post(&running, "/contacts", &token, contact(phone)).await;
        assert_eq!(status, 201, "{body}");
    }
    eventually("a failed attempt while the receiver is down", || async {
        let (_, listed) = get(&running, "/webhooks", Some(&token)).await;
        listed["webhooks"][0]["failures"].as_u64() >= Some(1)
    })
    .await;
    let (_, listed) = get(&running, "/webhooks", Some(&token)).await;
    let error = listed["webhooks"][0]["lastError"]
        .as_str()
        .unwrap_or_default();
    assert!(error.contains("could not connect to 127.0.0.1"), "{error}");
    let out = databases::TempFile::new();
    let Some(_receiver) = Receiver::start(port, &secret, &out.0) else {
        return running.stop().await.map(drop).expect("a clean stop");
    };
    let (status, body) = post(&running, "/contacts", &token, contact("+14155550113")).await;
    assert_eq!(status, 201, "{body}");

    let events = running
        .inbox
        .store()
        .events(running.tenant.id, 0, 1_000)
        .await
        .expect("the tenant's events");
    let expected: Vec<(String, &str)> = events
        .iter()
        .filter_map(|(seq, record)| {
            Some((webhook_id(*seq), EventType::of(&record.event)?.as_str()))
        })
        .collect();
    assert!(expected.len() >= 3, "{expected:?}");
    let delivered = || {
        let text = std::fs::read_to_string(&out.0).unwrap_or_default();
        text.lines()
            .map(|line| serde_json::from_str::<Value>(line).expect("a JSON line"))
            .collect::<Vec<Value>>()
    };
    eventually("every event at the receiver", || async {
        delivered().len() >= expected.len()
    })
    .await;
    let lines = delivered();
    let got: Vec<(String, &str)> = lines
        .iter()
        .map(|line| {
            assert_eq!(
                line.get("rejected"),
                None,
                "standardwebhooks refused one: {line}"
            );
            let id = line["id"].as_str().expect("an id").to_owned();
            (id, line["body"]["type"].as_str().expect("a type"))
        })
        .collect();
    assert_eq!(
        got, expected,
        "every event once, in order, under its own id"
    );
    running.stop().await.expect("a clean stop");
}
