//! A line per request names the key that was accepted by its id, and no
//! token or secret reaches the log at any level: routes called with a valid
//! key, a wrong secret and a malformed token, logged at `trace`.

use axum::http::Method;
use msgcore::core::api_key::Scope;
use serde_json::json;

#[path = "../support/captured_log.rs"]
mod captured_log;

use crate::harness::World;

#[tokio::test]
async fn each_request_is_logged_by_route_and_key_id_and_no_token_or_secret_ever_is() {
    captured_log::log(tracing::Level::TRACE);
    let w = World::new().await;
    let good = w.key(&w.a, &[Scope::Admin]).await;
    // msgcore_<id>_<secret>: the secret itself may hold underscores.
    let secret = good.splitn(3, '_').nth(2).unwrap().to_owned();
    assert_eq!(secret.len(), 43);
    let wrong = format!("{}{}", &good[..good.len() - 4], "AAAA");
    let create = json!({"phone": "+14155550123", "smsOptedIn": true});
    w.call(Method::POST, "/contacts", Some(&good), Some(create))
        .await;
    let send = json!({"to": "+14155550123", "type": "text", "text": "Hi", "channel": "sms",
                      "kind": "transactional"});
    let endpoint = json!({"url": "https://hooks.example.com/in"});
    let registered = w
        .call(Method::POST, "/webhooks", Some(&good), Some(endpoint))
        .await;
    let webhook_secret = registered.body["secret"].as_str().unwrap().to_owned();
    for key in [good.as_str(), wrong.as_str(), "Bearer-less nonsense"] {
        w.call(Method::POST, "/send", Some(key), Some(send.clone()))
            .await;
        w.call(Method::GET, "/contacts?limit=1", Some(key), None)
            .await;
        w.call(Method::GET, "/chats/not-an-id", Some(key), None)
            .await;
    }

    let log = captured_log::everything(tracing::Level::TRACE);
    let key_id = w.keys.list(w.a.id).await.unwrap()[0].id.to_string();
    let accepted: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("API request") && line.contains(&key_id))
        .collect();
    assert!(
        accepted
            .iter()
            .any(|line| line.contains("route=/send") && line.contains("status=201")),
        "no line for the accepted send: {log}"
    );
    assert!(
        log.lines()
            .any(|line| line.contains("route=/chats/{id}") && line.contains("status=401")),
        "no line for a refused request: {log}"
    );
    assert!(
        !log.contains("+14155550123"),
        "a contact's number is in the log"
    );
    let leaks: Vec<&str> = log.lines().filter(|l| l.contains(&secret)).collect();
    assert!(leaks.is_empty(), "a key's secret is in the log: {leaks:#?}");
    assert!(!log.contains("msgcore_"), "a token is in the log");
    assert!(
        !log.contains(&webhook_secret) && !log.contains("whsec_"),
        "a webhook endpoint's secret is in the log"
    );
}
