//! `GET /events`: a tenant's events as server-sent events, woken by the
//! inbox's commits, resumed after `Last-Event-ID`, never another tenant's,
//! and ended when the key is revoked.

use std::time::Duration;

use axum::body::Body;
use axum::http::Method;
use http_body_util::BodyExt;
use msgcore::core::api_key::Scope;
use serde_json::{Value, json};

use crate::harness::{World, refused};

/// One server-sent event: its id, its type and its data as JSON.
#[derive(Debug, Clone, PartialEq)]
struct Sent {
    id: String,
    kind: String,
    data: Value,
}

/// Reads events from `body` until it has `count` of them, keep-alive
/// comments skipped; fails after two seconds without one.
async fn read(body: &mut Body, count: usize) -> Vec<Sent> {
    let mut text = String::new();
    let mut sent = Vec::new();
    while sent.len() < count {
        let frame = tokio::time::timeout(Duration::from_secs(2), body.frame())
            .await
            .expect("an event within two seconds")
            .expect("the stream goes on")
            .unwrap();
        text.push_str(std::str::from_utf8(frame.data_ref().unwrap()).unwrap());
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            sent.extend(parse(&block));
        }
    }
    sent
}

fn parse(block: &str) -> Option<Sent> {
    let field = |name: &str| {
        block
            .lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .map(str::trim)
    };
    Some(Sent {
        id: field("id").unwrap_or_default().to_owned(),
        kind: field("event")?.to_owned(),
        data: serde_json::from_str(field("data")?).unwrap(),
    })
}

/// Whether `body` stays silent for a quarter of a second.
async fn silent(body: &mut Body) -> bool {
    let next = tokio::time::timeout(Duration::from_millis(250), body.frame()).await;
    match next {
        Err(_) => true,
        Ok(Some(Ok(frame))) => frame.data_ref().is_some_and(|d| d.starts_with(b":")),
        Ok(_) => false,
    }
}

async fn create_contact(w: &World, key: &str, phone: &str) {
    let body = json!({"phone": phone, "tags": ["vip"], "smsOptedIn": true});
    let created = w
        .call(Method::POST, "/contacts", Some(key), Some(body))
        .await;
    assert_eq!(created.status.as_u16(), 201, "{created:?}");
}

#[tokio::test]
async fn a_stream_starts_with_the_next_event_and_resumes_after_last_event_id() {
    let w = World::new().await;
    let writer = w.key(&w.a, &[Scope::ContactsWrite]).await;
    let reader = w.key(&w.a, &[Scope::MessagesRead]).await;
    create_contact(&w, &writer, "+14155550161").await;
    let (status, mut body) = w.open_events(&reader, None).await;
    assert_eq!(status.as_u16(), 200);

    create_contact(&w, &writer, "+14155550162").await;
    let live = read(&mut body, 2).await;

    let kinds: Vec<&str> = live.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["tag.added", "consent.changed"],
        "only what came after"
    );
    assert_eq!(live[0].data["type"], "tag.added");
    assert_eq!(live[0].data["data"]["tag"], "vip");
    assert_eq!(live[1].data["data"]["change"], "opt_in");
    let first: u64 = live[0].id.parse().unwrap();
    let (_, mut again) = w.open_events(&reader, Some(&first.to_string())).await;
    let resumed = read(&mut again, 1).await;
    assert_eq!(
        resumed,
        live[1..].to_vec(),
        "every event after Last-Event-ID"
    );
    let (_, mut from_start) = w.open_events(&reader, Some("0")).await;
    let history = read(&mut from_start, 4).await;
    assert_eq!(history[2..], live[..], "Last-Event-ID 0 is the whole log");
}

#[tokio::test]
async fn another_tenants_events_never_reach_a_stream() {
    let w = World::new().await;
    let b_writer = w.key(&w.b, &[Scope::ContactsWrite]).await;
    let a_reader = w.key(&w.a, &[Scope::MessagesRead]).await;
    let (_, mut body) = w.open_events(&a_reader, Some("0")).await;

    create_contact(&w, &b_writer, "+14155550163").await;

    assert!(silent(&mut body).await, "nothing of B's reaches A");
}

#[tokio::test]
async fn a_revoked_key_ends_the_stream_with_an_error_event() {
    let w = World::new().await;
    let writer = w.key(&w.a, &[Scope::ContactsWrite]).await;
    let reader = w.key(&w.a, &[Scope::MessagesRead]).await;
    let (_, mut body) = w.open_events(&reader, None).await;
    let reader_id = w.keys.list(w.a.id).await.unwrap()[1].id;

    w.keys.revoke(w.a.id, reader_id).await.unwrap();
    create_contact(&w, &writer, "+14155550164").await;
    let ended = read(&mut body, 1).await;

    assert_eq!(ended[0].kind, "error");
    assert_eq!(ended[0].data, json!({"error": "API key revoked"}));
    let rest = body.frame().await;
    assert!(rest.is_none(), "the stream ends: {rest:?}");
}

#[tokio::test]
async fn a_bad_last_event_id_is_400_and_a_key_without_messages_read_403() {
    let w = World::new().await;
    let reader = w.key(&w.a, &[Scope::MessagesRead]).await;
    let writer = w.key(&w.a, &[Scope::ContactsWrite]).await;

    let bad = w.open_events(&reader, Some("yesterday")).await;
    let without_scope = w.open_events(&writer, None).await;

    assert_eq!(bad.0.as_u16(), 400);
    assert_eq!(without_scope.0.as_u16(), 403);
    let answer = w.call(Method::GET, "/events", Some(&writer), None).await;
    refused(&answer, 403);
}
