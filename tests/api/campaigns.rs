//! Campaigns through the API: created in SPEC §18's form with a frozen
//! audience, listed and read with their counts, paused, resumed and
//! cancelled, and refused with the seed's status codes.

use axum::http::Method;
use msgcore::core::api_key::Scope;
use serde_json::{Value, json};

use crate::harness::{Answer, World, refused};

async fn key(w: &World) -> String {
    w.key(
        &w.a,
        &[
            Scope::ContactsWrite,
            Scope::MessagesRead,
            Scope::CampaignsWrite,
        ],
    )
    .await
}

async fn post(w: &World, key: &str, path: &str, body: Option<Value>) -> Answer {
    w.call(Method::POST, path, Some(key), body).await
}

/// Tenant A's audience: three `vip` contacts, two of them opted in to SMS,
/// and one other contact.
async fn audience(w: &World, key: &str) {
    let contacts = [
        json!({"phone": "+14155550101", "name": "Ann", "tags": ["vip"], "smsOptedIn": true}),
        json!({"phone": "+14155550102", "name": "Bob", "tags": ["vip"], "smsOptedIn": true}),
        json!({"phone": "+14155550103", "name": "Cy", "tags": ["vip"]}),
        json!({"phone": "+14155550104", "name": "Di", "smsOptedIn": true}),
    ];
    for contact in contacts {
        let created = post(w, key, "/contacts", Some(contact)).await;
        assert_eq!(created.status.as_u16(), 201, "{created:?}");
    }
}

fn sale() -> Value {
    json!({"id": "spring-sale", "channel": "sms", "audience": {"tags": ["vip"]},
           "text": "Hi {name}, 20% off. Reply STOP to opt out.",
           "start_at": "2030-01-01T00:00:00Z"})
}

#[tokio::test]
async fn a_campaign_freezes_its_audience_and_counts_whom_it_skipped() {
    let w = World::new().await;
    let key = key(&w).await;
    audience(&w, &key).await;

    let created = post(&w, &key, "/campaigns", Some(sale())).await;

    assert_eq!(created.status.as_u16(), 201, "{created:?}");
    assert_eq!(created.body["id"], "spring-sale");
    assert_eq!(created.body["status"], "active");
    assert_eq!(created.body["recipients"], 3);
    assert_eq!(
        created.body["definition"]["audience"]["tags"],
        json!(["vip"])
    );
    assert_eq!(
        created.body["counts"],
        json!({"recipients": 3, "pending": 2, "queued": 0, "sent": 0, "delivered": 0,
               "failed": 0, "skipped": {"opted_out": 1}})
    );
    let read = w.get("/campaigns/spring-sale", &key).await;
    assert_eq!(read.body, created.body);
    let listed = w.get("/campaigns", &key).await;
    assert_eq!(listed.body["campaigns"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["campaigns"][0]["id"], "spring-sale");
    assert_eq!(listed.body["hasMore"], false);
}

#[tokio::test]
async fn pause_resume_and_cancel_move_a_campaign_until_it_is_finished() {
    let w = World::new().await;
    let key = key(&w).await;
    audience(&w, &key).await;
    post(&w, &key, "/campaigns", Some(sale())).await;

    let paused = post(&w, &key, "/campaigns/spring-sale/pause", None).await;
    let resumed = post(&w, &key, "/campaigns/spring-sale/resume", None).await;
    let cancelled = post(&w, &key, "/campaigns/spring-sale/cancel", None).await;
    let again = post(&w, &key, "/campaigns/spring-sale/resume", None).await;

    assert_eq!(paused.body["status"], "paused", "{paused:?}");
    assert_eq!(resumed.body["status"], "active");
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(cancelled.body["counts"]["pending"], 0);
    assert_eq!(
        cancelled.body["counts"]["skipped"],
        json!({"opted_out": 1, "cancelled": 2})
    );
    refused(&again, 409);
    refused(&post(&w, &key, "/campaigns/no-such/pause", None).await, 404);
}

#[tokio::test]
async fn a_reused_id_is_409_and_a_campaign_without_content_400() {
    let w = World::new().await;
    let key = key(&w).await;
    audience(&w, &key).await;
    assert_eq!(
        post(&w, &key, "/campaigns", Some(sale()))
            .await
            .status
            .as_u16(),
        201
    );

    let reused = post(&w, &key, "/campaigns", Some(sale())).await;
    let empty = post(
        &w,
        &key,
        "/campaigns",
        Some(json!({"id": "empty", "channel": "sms"})),
    )
    .await;
    let unknown_channel = post(
        &w,
        &key,
        "/campaigns",
        Some(json!({"id": "fax", "channel": "fax", "text": "Hi"})),
    )
    .await;

    refused(&reused, 409);
    refused(&empty, 400);
    refused(&unknown_channel, 400);
    let listed = w.get("/campaigns", &key).await;
    assert_eq!(
        listed.body["campaigns"].as_array().unwrap().len(),
        1,
        "a refused campaign was stored"
    );
}
