//! `/webhooks`: outgoing endpoints registered with a secret shown once,
//! listed without it, refused at internal or plain-HTTP addresses, and
//! deleted.

use axum::http::Method;
use msgcore::core::api_key::Scope;
use msgcore::service::MAX_WEBHOOKS;
use serde_json::json;

use crate::harness::{World, refused};

#[tokio::test]
async fn an_endpoint_is_registered_with_a_secret_shown_once_and_listed_without_it() {
    let w = World::new().await;
    let key = w.key(&w.a, &[Scope::Admin]).await;
    let body = json!({"url": "https://CRM.example.com/hooks", "events": ["message.received", "consent.changed"],
                      "description": "  CRM sync  "});

    let created = w
        .call(Method::POST, "/webhooks", Some(&key), Some(body))
        .await;

    assert_eq!(created.status.as_u16(), 201, "{created:?}");
    let secret = created.body["secret"].as_str().unwrap();
    assert!(
        secret.starts_with("whsec_") && secret.len() > 40,
        "{secret}"
    );
    assert_eq!(created.body["url"], "https://crm.example.com/hooks");
    assert_eq!(
        created.body["events"],
        json!(["message.received", "consent.changed"])
    );
    assert_eq!(created.body["description"], "CRM sync");
    assert_eq!(created.body["status"], "active");
    let listed = w.get("/webhooks", &key).await;
    let webhooks = listed.body["webhooks"].as_array().unwrap();
    assert_eq!(webhooks.len(), 1);
    assert_eq!(webhooks[0]["id"], created.body["id"]);
    assert!(
        !listed.body.to_string().contains(secret),
        "the secret is shown once"
    );
    assert_eq!(webhooks[0].get("secret"), None);
}

#[tokio::test]
async fn an_internal_or_plain_http_address_or_an_unknown_event_type_is_refused_naming_it() {
    let w = World::new().await;
    let key = w.key(&w.a, &[Scope::Admin]).await;
    let cases = [
        (
            json!({"url": "http://crm.example.com/hooks"}),
            "url: the url must start with https://",
        ),
        (
            json!({"url": "https://169.254.169.254/latest"}),
            "url: the url points inside the server's network (loopback, private or link-local)",
        ),
        (
            json!({"url": "https://[::1]/"}),
            "url: the url points inside the server's network (loopback, private or link-local)",
        ),
        (
            json!({"url": "https://crm.example.com/", "description": "x".repeat(501)}),
            "description: at most 500 characters",
        ),
    ];
    for (body, error) in cases {
        let answer = w
            .call(Method::POST, "/webhooks", Some(&key), Some(body))
            .await;
        refused(&answer, 400);
        assert_eq!(answer.body["error"], error);
    }
    let unknown = json!({"url": "https://crm.example.com/", "events": ["message.deleted"]});
    let answer = w
        .call(Method::POST, "/webhooks", Some(&key), Some(unknown))
        .await;
    refused(&answer, 400);
    let error = answer.body["error"].as_str().unwrap();
    assert!(
        error.contains("\"message.deleted\" is not an event type"),
        "{error}"
    );
    assert!(
        w.get("/webhooks", &key).await.body["webhooks"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_tenant_has_at_most_twenty_endpoints_and_a_deleted_one_is_gone() {
    let w = World::new().await;
    let key = w.key(&w.a, &[Scope::Admin]).await;
    let mut ids = Vec::new();
    for n in 0..MAX_WEBHOOKS {
        let body = json!({"url": format!("https://crm.example.com/{n}")});
        let created = w
            .call(Method::POST, "/webhooks", Some(&key), Some(body))
            .await;
        assert_eq!(created.status.as_u16(), 201, "{created:?}");
        ids.push(created.body["id"].as_str().unwrap().to_owned());
    }
    let one_more = json!({"url": "https://crm.example.com/more"});
    let refusal = w
        .call(
            Method::POST,
            "/webhooks",
            Some(&key),
            Some(one_more.clone()),
        )
        .await;
    refused(&refusal, 409);

    let path = format!("/webhooks/{}", ids[0]);
    let deleted = w.call(Method::DELETE, &path, Some(&key), None).await;
    assert_eq!(deleted.status.as_u16(), 204);
    refused(&w.call(Method::DELETE, &path, Some(&key), None).await, 404);
    refused(
        &w.call(Method::POST, &format!("{path}/enable"), Some(&key), None)
            .await,
        404,
    );
    let again = w
        .call(Method::POST, "/webhooks", Some(&key), Some(one_more))
        .await;
    assert_eq!(again.status.as_u16(), 201, "room for one again");
    let enabled = w
        .call(
            Method::POST,
            &format!("/webhooks/{}/enable", ids[1]),
            Some(&key),
            None,
        )
        .await;
    assert_eq!(
        (enabled.status.as_u16(), &enabled.body["status"]),
        (200, &json!("active"))
    );
}
