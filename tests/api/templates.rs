//! `GET /templates` and `GET /quick-replies`: the tenant's approved WhatsApp
//! templates and quick replies, as its settings hold them, and nobody
//! else's.

use msgcore::core::api_key::Scope;
use msgcore::model::Tenant;
use serde_json::json;

use crate::harness::World;

/// Tenant A with two templates and three quick replies in its settings.
async fn with_a_library(w: &World) {
    let mut a: Tenant = w.a.clone();
    a.settings.templates = serde_json::from_value(json!([
        {"name": "order_update", "language": "en_US", "category": "utility",
         "body": "Hi {{1}}, order {{2}} has shipped."},
        {"name": "spring_sale", "language": "es", "category": "marketing",
         "body": "¡Hola {{1}}! 20% de descuento."}
    ]))
    .unwrap();
    a.settings.quick_replies = serde_json::from_value(json!([
        {"shortcut": "/greeting", "content": "Hi {{contact.firstName}}!"},
        {"shortcut": "/Goodbye", "content": "Thanks for writing to {{org.name}}."},
        {"shortcut": "/hours", "content": "We open at 9."}
    ]))
    .unwrap();
    w.inbox.put_tenant(&a).await.unwrap();
}

#[tokio::test]
async fn templates_are_the_tenants_approved_ones_with_their_parameter_counts() {
    let w = World::new().await;
    with_a_library(&w).await;
    let a = w.key(&w.a, &[Scope::MessagesRead]).await;
    let b = w.key(&w.b, &[Scope::MessagesRead]).await;

    let of_a = w.get("/templates", &a).await;
    let of_b = w.get("/templates", &b).await;

    assert_eq!(
        of_a.body,
        json!({"templates": [
            {"name": "order_update", "language": "en_US", "category": "utility",
             "body": "Hi {{1}}, order {{2}} has shipped.", "parameterCount": 2},
            {"name": "spring_sale", "language": "es", "category": "marketing",
             "body": "¡Hola {{1}}! 20% de descuento.", "parameterCount": 1}
        ]})
    );
    assert_eq!(of_b.body, json!({"templates": []}));
}

#[tokio::test]
async fn quick_replies_are_listed_by_shortcut_and_narrowed_by_a_prefix_in_any_case() {
    let w = World::new().await;
    with_a_library(&w).await;
    let key = w.key(&w.a, &[Scope::MessagesRead]).await;
    let shortcuts = |body: &serde_json::Value| -> Vec<String> {
        body["quickReplies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["shortcut"].as_str().unwrap().to_owned())
            .collect()
    };

    let every = w.get("/quick-replies", &key).await;
    let g = w.get("/quick-replies?prefix=G", &key).await;
    let slash_go = w.get("/quick-replies?prefix=%2Fgo", &key).await;

    assert_eq!(shortcuts(&every.body), ["/Goodbye", "/greeting", "/hours"]);
    assert_eq!(
        every.body["quickReplies"][1]["content"],
        "Hi {{contact.firstName}}!"
    );
    assert_eq!(shortcuts(&g.body), ["/Goodbye", "/greeting"]);
    assert_eq!(shortcuts(&slash_go.body), ["/Goodbye"]);
}

#[test]
fn a_template_named_as_meta_never_would_is_refused_when_read() {
    let bad = [
        json!({"name": "Order Update", "language": "en_US", "category": "utility", "body": "Hi"}),
        json!({"name": "ok", "language": "en US", "category": "utility", "body": "Hi"}),
        json!({"name": "ok", "language": "en", "category": "promo", "body": "Hi"}),
        json!({"name": "ok", "language": "en", "category": "utility", "body": "Hi {{2}}"}),
    ];
    for template in bad {
        let read =
            serde_json::from_value::<msgcore::core::template::ApprovedTemplate>(template.clone());
        assert!(read.is_err(), "{template}");
    }
}
