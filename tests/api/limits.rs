//! Rate limits per IP and per key (429 with `Retry-After`), body limits,
//! unknown routes and malformed requests: all answered `{"error": …}`.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{Method, Request, header};
use chrono::TimeDelta;
use msgcore::api::ApiConfig;
use msgcore::core::api_key::Scope;
use msgcore::core::ratelimit::Quota;
use serde_json::json;

use crate::harness::{World, refused};

fn three_a_minute() -> ApiConfig {
    ApiConfig::default().rate_limit(Quota::new(3, TimeDelta::minutes(1)).unwrap())
}

#[tokio::test]
async fn a_key_over_its_limit_gets_429_with_retry_after_until_the_limit_allows_again() {
    let w = World::with(three_a_minute()).await;
    let key = w.key(&w.a, &[Scope::ContactsRead]).await;
    for _ in 0..3 {
        assert_eq!(w.get("/contacts", &key).await.status.as_u16(), 200);
    }
    let limited = w.get("/contacts", &key).await;
    refused(&limited, 429);
    assert_eq!(limited.retry_after.as_deref(), Some("20"));
    w.clock.advance(TimeDelta::seconds(20));
    assert_eq!(w.get("/contacts", &key).await.status.as_u16(), 200);
}

#[tokio::test]
async fn guessing_keys_from_one_address_is_limited_before_any_key_is_checked() {
    let w = World::with(three_a_minute()).await;
    for _ in 0..3 {
        let answer = w.get("/contacts", "msgcore_guess").await;
        refused(&answer, 401);
    }
    let limited = w.get("/contacts", "msgcore_guess").await;
    refused(&limited, 429);
    let good = w.key(&w.a, &[Scope::ContactsRead]).await;
    refused(&w.get("/contacts", &good).await, 429);
}

/// A request from `client` (as the proxy names it) through the proxy at
/// 10.0.0.1, with `key`.
fn through_proxy(client: &str, key: &str) -> Request<Body> {
    let mut request = Request::builder()
        .uri("/status")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header("x-forwarded-for", format!("198.51.100.1, {client}"))
        .body(Body::empty())
        .unwrap();
    let proxy = SocketAddr::from(([10, 0, 0, 1], 1));
    request.extensions_mut().insert(ConnectInfo(proxy));
    request
}

#[tokio::test]
async fn forwarded_for_names_the_client_only_when_the_proxy_is_trusted() {
    for trusted in [false, true] {
        let w = World::with(three_a_minute().trust_forwarded_for(trusted)).await;
        let (one, two) = (
            w.key(&w.a, &[Scope::Admin]).await,
            w.key(&w.a, &[Scope::Admin]).await,
        );
        for _ in 0..3 {
            let answer = w.send(through_proxy("192.0.2.1", &one)).await;
            assert_eq!(answer.status.as_u16(), 200, "{answer:?}");
        }
        let other_client = w.send(through_proxy("192.0.2.2", &two)).await;
        let same_client = w.send(through_proxy("192.0.2.1", &two)).await;
        if trusted {
            assert_eq!(other_client.status.as_u16(), 200, "a client of its own");
        } else {
            refused(&other_client, 429); // every client is the proxy
        }
        refused(&same_client, 429);
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_and_a_malformed_one_400_both_as_json() {
    let w = World::with(ApiConfig::default().body_limit(256)).await;
    let key = w.key(&w.a, &[Scope::ContactsWrite]).await;
    let big = json!({"phone": "+14155550123", "name": "x".repeat(300)});
    refused(
        &w.call(Method::POST, "/contacts", Some(&key), Some(big))
            .await,
        413,
    );
    let request = Request::builder()
        .method(Method::POST)
        .uri("/contacts")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"phone\":"))
        .unwrap();
    refused(&w.send(request).await, 400);
    let unknown_field = json!({"phone": "+14155550123", "nmae": "typo"});
    let answer = w
        .call(Method::POST, "/contacts", Some(&key), Some(unknown_field))
        .await;
    refused(&answer, 400);
    assert!(
        answer.body["error"].as_str().unwrap().contains("nmae"),
        "{answer:?}"
    );
}

#[tokio::test]
async fn an_unknown_route_is_404_and_a_wrong_method_405_both_as_json() {
    let w = World::new().await;
    let key = w.key(&w.a, &[Scope::Admin]).await;
    refused(&w.get("/nothing-here", &key).await, 404);
    refused(
        &w.call(Method::DELETE, "/status", Some(&key), None).await,
        405,
    );
}

#[tokio::test]
async fn the_openapi_document_is_served_without_a_key_and_is_openapi_3_1() {
    let w = World::new().await;
    let request = Request::builder()
        .uri("/openapi.json")
        .body(Body::empty())
        .unwrap();
    let answer = w.send(request).await;
    assert_eq!(answer.status.as_u16(), 200);
    assert!(answer.body["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(answer.body["paths"]["/contacts/{id}"]["patch"].is_object());
    let schemes = &answer.body["components"]["securitySchemes"]["api_key"];
    assert_eq!(schemes["scheme"], "bearer");
}
