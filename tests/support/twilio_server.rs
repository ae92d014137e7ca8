//! The example server as the end-to-end tests run it: a Twilio-only
//! deployment on a SQLite file, Twilio's API played by wiremock, keys made
//! by `create-key` in process.
//!
//! The including test crate has `server_example` (examples/server/main.rs)
//! and `databases` (support/databases.rs).
#![allow(dead_code, reason = "each test crate uses the part it needs")]

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::databases::TempFile;
use super::server_example::config::Config;
use super::server_example::keys::{self, KeyRequest};

/// Where Twilio takes the test account's messages.
pub const TWILIO_MESSAGES: &str =
    "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";

/// A Twilio-only deployment on `database`, with `extra` variables on top.
pub fn config(mock: &MockServer, database: &TempFile, extra: &[(&str, &str)]) -> Config {
    let mut vars: HashMap<&str, String> = HashMap::from([
        ("MSGCORE_LISTEN", "127.0.0.1:0".to_owned()),
        (
            "MSGCORE_PUBLIC_URL",
            "https://inbox.example.test".to_owned(),
        ),
        ("MSGCORE_DATABASE", database.0.display().to_string()),
        ("MSGCORE_ORG_NAME", "Corner Shop".to_owned()),
        (
            "TWILIO_ACCOUNT_SID",
            "AC0123456789abcdef0123456789abcdef".to_owned(),
        ),
        (
            "TWILIO_AUTH_TOKEN",
            "twilio-auth-token-for-tests".to_owned(),
        ),
        ("TWILIO_FROM_NUMBER", "+12025551234".to_owned()),
        ("TWILIO_API_BASE_URL", mock.uri()),
    ]);
    vars.extend(
        extra
            .iter()
            .map(|(name, value)| (*name, (*value).to_owned())),
    );
    Config::from_vars(|name| vars.get(name).cloned()).expect("valid configuration")
}

pub fn args(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

/// `create-key` run in-process on the server's inbox: the token.
pub async fn create_key(config: &Config, line: &str) -> String {
    let request = KeyRequest::from_args(&args(line)).expect("valid arguments");
    let created = keys::create_key(&config.inbox, request)
        .await
        .expect("the key is made");
    created.token().to_owned()
}

/// Twilio accepting every message sent to it, each under a SID of its own
/// (the store refuses a provider id two messages share).
pub async fn accept_messages(mock: &MockServer) {
    Mock::given(method("POST"))
        .and(path(TWILIO_MESSAGES))
        .respond_with(NewSids(AtomicU64::new(1)))
        .mount(mock)
        .await;
}

struct NewSids(AtomicU64);

impl Respond for NewSids {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        ResponseTemplate::new(201).set_body_json(json!({
            "sid": format!("SM{n:032x}"), "status": "queued"
        }))
    }
}

/// The bodies Twilio received, once there are `n` of them or ten seconds
/// have passed, sorted.
pub async fn sent_bodies(mock: &MockServer, n: usize) -> Vec<String> {
    let mut bodies = Vec::new();
    for _ in 0..100 {
        let received = mock.received_requests().await.unwrap_or_default();
        bodies = received
            .iter()
            .map(|r| String::from_utf8_lossy(&r.body).into_owned())
            .collect::<Vec<_>>();
        if bodies.len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bodies.sort();
    bodies
}
