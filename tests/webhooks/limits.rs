//! What every route shares: the body limit, failing closed, the console URLs.

use axum::http::StatusCode;
use msgcore::core::channel::Channel;
use msgcore::model::ProviderName;
use msgcore::webhooks::WebhookConfig;

use crate::harness::*;

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413_before_anything_is_stored() {
    let hooks = Hooks::with(full_config().body_limit(1024)).await;
    let long = "a".repeat(2000);
    let mut params = twilio_message("SM1", Channel::Sms, "hi");
    params.retain(|(key, _)| *key != "Body");
    params.push(("Body", long.as_str()));
    let answer = hooks.call(twilio_post("/twilio/demo/sms", &params)).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(hooks.message(ProviderName::TWILIO, "SM1").await.is_none());
}

#[cfg(feature = "sqlite")]
#[tokio::test]
async fn a_store_failure_is_a_server_error_so_the_provider_retries_and_leaks_no_details() {
    let store = std::sync::Arc::new(msgcore::store::SqliteStore::open_in_memory().await.unwrap());
    let hooks = Hooks::on(store.clone(), full_config()).await;
    store.pool().close().await;
    let params = twilio_message("SM2", Channel::Sms, "hi");
    let answer = hooks.call(twilio_post("/twilio/demo/sms", &params)).await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(answer.body, "store");
}

#[tokio::test]
async fn an_unconfigured_provider_is_forbidden_and_says_what_to_configure() {
    let twilio_only = WebhookConfig::new(BASE)
        .unwrap()
        .twilio(TWILIO_TOKEN)
        .unwrap();
    let hooks = Hooks::with(twilio_only).await;
    let body = r#"{"data": {"event_type": "message.received"}}"#;
    let answer = hooks
        .call(telnyx_post("demo", body, t0().timestamp()))
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(
        answer.body.contains("telnyx(public_key_base64)"),
        "{}",
        answer.body
    );
    let meta = hooks.call(meta_post("{}", META_SECRET)).await;
    assert_eq!(meta.status, StatusCode::FORBIDDEN);
    assert!(
        meta.body.contains("meta(app_secret, verify_token)"),
        "{}",
        meta.body
    );
}

#[test]
fn the_console_urls_cover_the_configured_providers_on_the_public_base_url() {
    let urls = full_config().webhook_urls();
    let listed: Vec<(&str, &str)> = urls.iter().map(|u| (u.method, u.url.as_str())).collect();
    assert_eq!(
        listed,
        [
            ("POST", "https://example.com/api/twilio/{tenant}/sms"),
            ("POST", "https://example.com/api/twilio/{tenant}/whatsapp"),
            ("POST", "https://example.com/api/twilio/{tenant}/status"),
            ("POST", "https://example.com/api/telnyx/{tenant}"),
            ("GET, POST", "https://example.com/api/meta"),
        ]
    );
    assert_eq!(urls[0].label, "Twilio: A message comes in (SMS)");
    let none = WebhookConfig::new(BASE).unwrap().webhook_urls();
    assert!(none.is_empty());
}

#[test]
fn secrets_are_refused_when_empty_and_never_shown_in_debug_output() {
    assert!(WebhookConfig::new(BASE).unwrap().twilio("").is_err());
    assert!(
        WebhookConfig::new(BASE)
            .unwrap()
            .meta("secret", "")
            .is_err()
    );
    assert!(
        WebhookConfig::new(BASE)
            .unwrap()
            .telnyx("not a key")
            .is_err()
    );
    assert!(WebhookConfig::new("ftp://example.com").is_err());
    let debug = format!("{:?}", full_config());
    assert!(!debug.contains(TWILIO_TOKEN) && !debug.contains(META_SECRET));
    assert!(!debug.contains(META_VERIFY_TOKEN), "{debug}");
}
