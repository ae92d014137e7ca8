//! `/contacts` through the API: created once per number, read and changed by
//! id, listed a page at a time, and consent from the API never undoes a STOP.

use axum::http::Method;
use msgcore::core::api_key::Scope;
use serde_json::{Value, json};

use crate::harness::{World, refused};

async fn create(w: &World, key: &str, body: Value) -> Value {
    let answer = w
        .call(Method::POST, "/contacts", Some(key), Some(body))
        .await;
    assert_eq!(answer.status.as_u16(), 201, "{answer:?}");
    answer.body
}

#[tokio::test]
async fn a_contact_is_created_once_per_number_and_read_back_by_id() {
    let w = World::new().await;
    let key = w
        .key(&w.a, &[Scope::ContactsRead, Scope::ContactsWrite])
        .await;
    let body = json!({
        "phone": "+91 98765 43210", "name": "John Doe", "email": "john@example.com",
        "tags": ["vip", "retail"], "optedIn": true
    });
    let created = create(&w, &key, body.clone()).await;
    assert_eq!(created["phone"], "+919876543210");
    assert_eq!(created["tags"], json!(["vip", "retail"]));
    assert_eq!(created["whatsappOptedIn"], true);
    assert_eq!(created["smsOptedIn"], false);

    let again = w
        .call(Method::POST, "/contacts", Some(&key), Some(body))
        .await;
    refused(&again, 409);
    let id = created["id"].as_str().unwrap();
    let read = w.get(&format!("/contacts/{id}"), &key).await;
    assert_eq!(read.body, created);
    refused(&w.get("/contacts/not-an-id", &key).await, 404);
    let bad_phone = json!({"phone": "12"});
    refused(
        &w.call(Method::POST, "/contacts", Some(&key), Some(bad_phone))
            .await,
        400,
    );
}

#[tokio::test]
async fn a_patch_changes_what_it_names_and_an_api_opt_in_never_undoes_an_opt_out() {
    let w = World::new().await;
    let key = w
        .key(&w.a, &[Scope::ContactsRead, Scope::ContactsWrite])
        .await;
    let created = create(
        &w,
        &key,
        json!({"phone": "+14155550123", "smsOptedIn": true, "tags": ["a"]}),
    )
    .await;
    let path = format!("/contacts/{}", created["id"].as_str().unwrap());
    let patch = |body: Value| w.call(Method::PATCH, &path, Some(&key), Some(body));

    let changed = patch(
        json!({"company": "Acme", "addTags": ["b"], "removeTags": ["a"],
                                "attributes": {"plan": "gold"}}),
    )
    .await;
    assert_eq!(changed.status.as_u16(), 200, "{changed:?}");
    assert_eq!(changed.body["company"], "Acme");
    assert_eq!(changed.body["tags"], json!(["b"]));
    assert_eq!(changed.body["attributes"], json!({"plan": "gold"}));
    assert_eq!(changed.body["name"], Value::Null, "a field left out stays");

    let out = patch(json!({"smsOptedIn": false})).await;
    assert_eq!(out.body["smsOptedIn"], false);
    let back = patch(json!({"smsOptedIn": true})).await;
    assert_eq!(back.status.as_u16(), 200);
    assert_eq!(back.body["smsOptedIn"], false, "the API undid an opt-out");
}

#[tokio::test]
async fn contacts_are_listed_a_page_at_a_time_by_tag_or_by_search() {
    let w = World::new().await;
    let key = w
        .key(&w.a, &[Scope::ContactsRead, Scope::ContactsWrite])
        .await;
    for n in 0..5 {
        let tags = if n % 2 == 0 {
            json!(["even"])
        } else {
            json!([])
        };
        let body = json!({"phone": format!("+1415555010{n}"), "name": format!("Person {n}"), "tags": tags});
        create(&w, &key, body).await;
    }
    let names = |answer: &crate::harness::Answer| -> Vec<String> {
        let contacts = answer.body["contacts"].as_array().unwrap();
        contacts
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };

    let first = w.get("/contacts?limit=2", &key).await;
    assert_eq!(names(&first), ["Person 0", "Person 1"]);
    assert_eq!(
        (first.body["page"].clone(), first.body["hasMore"].clone()),
        (json!(1), json!(true))
    );
    let last = w.get("/contacts?limit=2&page=3", &key).await;
    assert_eq!(names(&last), ["Person 4"]);
    assert_eq!(last.body["hasMore"], false);
    assert_eq!(
        names(&w.get("/contacts?tag=even", &key).await),
        ["Person 0", "Person 2", "Person 4"]
    );
    assert_eq!(
        names(&w.get("/contacts?search=person%203", &key).await),
        ["Person 3"]
    );
    assert_eq!(
        names(&w.get("/contacts?search=5550104", &key).await),
        ["Person 4"]
    );
    assert_eq!(
        names(
            &w.get("/contacts?search=person&tag=even&limit=1&page=2", &key)
                .await
        ),
        ["Person 2"]
    );

    for bad in ["limit=0", "limit=101", "page=0", "page=x", "page=101"] {
        refused(&w.get(&format!("/contacts?{bad}"), &key).await, 400);
    }
    let deepest = w.get("/contacts?page=100&limit=100", &key).await;
    assert_eq!(deepest.status, 200, "{}", deepest.body);
    assert_eq!(deepest.body["contacts"], json!([]));
}

#[tokio::test]
async fn status_shows_the_keys_tenant() {
    let w = World::new().await;
    let key = w.key(&w.b, &[Scope::MessagesRead]).await;
    let answer = w.get("/status", &key).await;
    assert_eq!(
        answer.body,
        json!({"connected": true, "phoneNumber": "+14155550902", "smsNumber": null,
               "businessName": "b Corp"})
    );
}
