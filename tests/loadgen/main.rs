//! `examples/loadgen` against `examples/server` over real HTTP on 127.0.0.1:
//! its signatures are the ones Twilio's own Python library computes, every
//! webhook the server acknowledges is in the server's store, a run signed
//! with the wrong auth token is refused whole and stores nothing, and a
//! server killed under load has lost nothing it acknowledged
//! ([`durable_acks`]).
//!
//! The signature test needs `python3` with `twilio` (`pip install twilio`);
//! without it that test prints "skipped", except under `CI=true`, where
//! `.ci/run` installs it and a missing package fails the test.
#![cfg(all(feature = "axum", feature = "http", feature = "sqlite"))]

use std::collections::{BTreeMap, HashMap};

use serde_json::json;

use msgcore::model::ProviderName;

#[allow(dead_code)]
#[path = "../../examples/server/main.rs"]
mod server_example;

#[allow(dead_code)]
#[path = "../../examples/loadgen/main.rs"]
mod loadgen;

#[path = "../support/databases.rs"]
mod databases;

#[path = "../support/python_signer.rs"]
mod python_signer;

mod durable_acks;
mod replicas;

use loadgen::Run;
use loadgen::twilio_sms::TwilioSms;
use server_example::app::{self, Running};
use server_example::config::Config;

const PUBLIC_URL: &str = "https://inbox.example.test/api";
const ROUTE: &str = "/twilio/demo/sms";
const AUTH_TOKEN: &str = "twilio-auth-token-for-load-tests";
const FROM_NUMBER: &str = "+12025551234";

/// The server's configuration with only Twilio configured, its inbox in
/// `database` (a SQLite path or a PostgreSQL URL), its provider API at a
/// closed port (nothing leaves the machine).
fn config(database: &str) -> Config {
    config_sending_to(database, "http://127.0.0.1:9")
}

/// [`config`] with Twilio's API at `provider_api`.
fn config_sending_to(database: &str, provider_api: &str) -> Config {
    let vars: HashMap<&str, String> = HashMap::from([
        ("MSGCORE_LISTEN", "127.0.0.1:0".to_owned()),
        ("MSGCORE_PUBLIC_URL", PUBLIC_URL.to_owned()),
        ("MSGCORE_DATABASE", database.to_owned()),
        (
            "TWILIO_ACCOUNT_SID",
            "AC0123456789abcdef0123456789abcdef".to_owned(),
        ),
        ("TWILIO_AUTH_TOKEN", AUTH_TOKEN.to_owned()),
        ("TWILIO_FROM_NUMBER", FROM_NUMBER.to_owned()),
        ("TWILIO_API_BASE_URL", provider_api.to_owned()),
    ]);
    Config::from_vars(|name| vars.get(name).cloned()).expect("valid configuration")
}

async fn start(database: &databases::TempFile) -> Running {
    let config = config(&database.0.display().to_string());
    app::start(&config).await.expect("the server starts")
}

fn run_against(running: &Running, auth_token: &str, connections: usize, count: u64) -> Run {
    Run {
        url: format!("http://{}/api{ROUTE}", running.addr),
        signed_url: format!("{PUBLIC_URL}{ROUTE}"),
        auth_token: auth_token.to_owned(),
        to: FROM_NUMBER.to_owned(),
        connections,
        count,
        contacts: 50,
        run: 7,
        acked: None,
    }
}

async fn is_stored(running: &Running, message_sid: &str) -> bool {
    running
        .inbox
        .store()
        .message_by_provider_id(running.tenant.id, &ProviderName::TWILIO, message_sid)
        .await
        .expect("the store answers")
        .is_some()
}

#[test]
fn the_load_generators_signatures_are_the_ones_twilios_own_library_computes() {
    let url = format!("{PUBLIC_URL}{ROUTE}");
    let maker = TwilioSms::new(&url, AUTH_TOKEN, FROM_NUMBER, 1_000, 0xfeed).expect("a token");
    for n in [0, 1, 999, 123_456_789] {
        let webhook = maker.webhook(n);
        let params: BTreeMap<&str, &str> = webhook
            .params
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        let Some(lines) = python_signer::sign(json!({
            "provider": "twilio", "auth_token": AUTH_TOKEN, "url": url, "params": params,
        })) else {
            return;
        };
        assert_eq!(lines.first(), Some(&webhook.signature), "webhook {n}");
    }
}

#[test]
fn each_webhook_of_a_run_is_a_new_message_from_one_of_the_runs_contacts() {
    let maker =
        TwilioSms::new("https://x.test/sms", AUTH_TOKEN, FROM_NUMBER, 3, 1).expect("a token");
    let webhooks: Vec<_> = (0..7).map(|n| maker.webhook(n)).collect();
    let sids: std::collections::HashSet<_> = webhooks.iter().map(|w| &w.message_sid).collect();
    let from = |n: usize| {
        let params = &webhooks[n].params;
        params
            .iter()
            .find(|(k, _)| *k == "From")
            .map(|(_, v)| v.clone())
    };
    assert_eq!(sids.len(), 7, "every message id is new");
    assert_eq!(from(0), from(3), "contacts take turns");
    assert_ne!(from(0), from(1));
    for webhook in &webhooks {
        let from = webhook
            .params
            .iter()
            .find(|(k, _)| *k == "From")
            .map(|(_, v)| v);
        let parsed: Result<msgcore::E164, _> = from.expect("a From field").parse();
        assert!(parsed.is_ok(), "{from:?} is a valid number");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_webhook_the_server_acknowledges_under_load_is_in_its_store() {
    let database = databases::TempFile::new();
    let running = start(&database).await;
    let run = run_against(&running, AUTH_TOKEN, 8, 400);

    let outcome = run.execute().await.expect("the run starts");

    assert_eq!(
        outcome.acknowledged.len(),
        400,
        "{}",
        loadgen::summary(&run, &outcome)
    );
    assert!(outcome.refused.is_empty() && outcome.failed == 0);
    for sid in &outcome.acknowledged {
        assert!(
            is_stored(&running, sid).await,
            "acknowledged {sid} is stored"
        );
    }
    assert!(outcome.latencies.percentile(0.5) <= outcome.latencies.max());
    running.stop().await.expect("a clean stop");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_signed_with_the_wrong_auth_token_is_refused_whole_and_stores_nothing() {
    let database = databases::TempFile::new();
    let running = start(&database).await;
    let run = run_against(&running, "not-the-auth-token", 4, 40);

    let outcome = run.execute().await.expect("the run starts");

    assert!(outcome.acknowledged.is_empty());
    assert_eq!(outcome.refused, BTreeMap::from([(403, 40)]));
    let maker = TwilioSms::new("https://x.test", AUTH_TOKEN, FROM_NUMBER, 50, 7).expect("a token");
    for n in 0..40 {
        assert!(!is_stored(&running, &maker.webhook(n).message_sid).await);
    }
    running.stop().await.expect("a clean stop");
}

#[test]
fn the_command_line_names_what_is_missing_or_malformed() {
    let args = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let problem = |list: &[&str]| Run::from_args(args(list)).err().unwrap_or_default();

    assert!(problem(&["--auth-token", "t"]).contains("--url"));
    assert!(
        problem(&["--url", "http://x", "--auth-token", "t", "--count", "ten"]).contains("--count")
    );
    assert!(problem(&["--url"]).contains("needs a value"));
    let run =
        Run::from_args(args(&["--url", "http://x/sms", "--auth-token", "t"])).expect("enough");
    assert_eq!(
        run.signed_url, "http://x/sms",
        "the signed URL defaults to --url"
    );
    assert_eq!((run.connections, run.count), (64, 10_000));
}
