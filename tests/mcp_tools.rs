//! The MCP tool layer, driven as a client drives it: JSON-RPC over a pipe
//! (what stdio carries) and over the Streamable HTTP router. Each tool checks
//! its scope, touches only the key's tenant, and refuses as REST does.

use std::net::SocketAddr;
use std::sync::Arc;

use async_trait::async_trait;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode, header};
use chrono::TimeDelta;
use http_body_util::BodyExt;
use msgcore::core::api_key::{KeyRefusal, Scope, Scopes};
use msgcore::core::ratelimit::Quota;
use msgcore::engine::{Inbox, KeywordMenuBot};
use msgcore::mcp::{McpConfig, McpError, router, serve_io};
use msgcore::model::Tenant;
use msgcore::service::{
    ApiKeys, NewApiKey, Operations, PaymentLink, PaymentLinkRequest, PaymentLinks,
};
use msgcore::store::MemoryStore;
use msgcore::{Channel, Error};
use serde_json::{Value, json};
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};
use tower::ServiceExt;

#[path = "support/api_tenants.rs"]
mod api_tenants;

const ALL_SCOPES: [Scope; 5] = [
    Scope::ContactsRead,
    Scope::ContactsWrite,
    Scope::MessagesRead,
    Scope::MessagesSend,
    Scope::CampaignsWrite,
];

/// Two tenants on one inbox with a bot registered, and their keys.
struct World {
    ops: Operations,
    keys: ApiKeys,
    a: Tenant,
    b: Tenant,
}

fn tenant(slug: &str, number: &str) -> Tenant {
    api_tenants::tenant(slug, number, Channel::Sms)
}

impl World {
    async fn new() -> World {
        let bot = Arc::new(KeywordMenuBot::new("Reply HOURS"));
        let inbox = Arc::new(
            Inbox::builder(Arc::new(MemoryStore::new()))
                .bot(bot)
                .build(),
        );
        let (a, b) = (tenant("a", "+14155550911"), tenant("b", "+14155550912"));
        inbox.put_tenant(&a).await.unwrap();
        inbox.put_tenant(&b).await.unwrap();
        World {
            ops: Operations::new(Arc::clone(&inbox)),
            keys: ApiKeys::new(inbox),
            a,
            b,
        }
    }

    async fn key(&self, tenant: &Tenant, scopes: &[Scope]) -> String {
        let scopes: Scopes = scopes.iter().copied().collect();
        let created = self.keys.create(tenant.id, NewApiKey::new("mcp", scopes));
        created.await.unwrap().token().to_owned()
    }

    /// A stdio-like session of `ops` with `token`, initialized.
    async fn session(ops: &Operations, token: &str) -> Session {
        let (client, server) = tokio::io::duplex(1 << 16);
        let (read, write) = tokio::io::split(server);
        let ops = ops.clone();
        let token = token.to_owned();
        tokio::spawn(async move { serve_io(ops, &token, read, write).await });
        let (read, write) = tokio::io::split(client);
        let mut session = Session {
            write,
            lines: BufReader::new(read).lines(),
            next_id: 0,
        };
        let init = json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "test", "version": "0"},
        });
        session.request("initialize", init).await;
        session
            .send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        session
    }
}

struct Session {
    write: WriteHalf<DuplexStream>,
    lines: Lines<BufReader<ReadHalf<DuplexStream>>>,
    next_id: u64,
}

impl Session {
    async fn send(&mut self, message: Value) {
        let line = format!("{message}\n");
        self.write.write_all(line.as_bytes()).await.unwrap();
    }

    /// The result of `method`, skipping notifications.
    async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send(message).await;
        loop {
            let line = self.lines.next_line().await.unwrap().expect("an answer");
            let answer: Value = serde_json::from_str(&line).unwrap();
            if answer["id"] == json!(id) {
                assert!(answer.get("error").is_none(), "{method}: {answer}");
                return answer["result"].clone();
            }
        }
    }

    /// `name`'s result: `Ok(structured content)` or `Err(the error text)`.
    async fn call(&mut self, name: &str, arguments: Value) -> Result<Value, String> {
        let params = json!({"name": name, "arguments": arguments});
        let result = self.request("tools/call", params).await;
        let content = result["structuredContent"].clone();
        match result["isError"].as_bool() {
            Some(true) => {
                let keys: Vec<&String> = content.as_object().unwrap().keys().collect();
                assert_eq!(keys, ["error"], "a refusal is REST's body: {content}");
                Err(content["error"].as_str().unwrap().to_owned())
            }
            _ => Ok(content),
        }
    }
}

/// The text REST puts in `{"error"}` for `error`.
fn rest_says(error: impl Into<Error>) -> String {
    error.into().to_string()
}

/// Each tool with arguments it accepts, and the scope it needs.
fn every_tool() -> Vec<(&'static str, Value, Scope)> {
    let unknown = "0190f0f0-0000-7000-8000-000000000000";
    vec![
        ("list_contacts", json!({}), Scope::ContactsRead),
        ("get_contact", json!({"id": unknown}), Scope::ContactsRead),
        (
            "create_contact",
            json!({"phone": "+14155550177"}),
            Scope::ContactsWrite,
        ),
        ("list_conversations", json!({}), Scope::MessagesRead),
        (
            "get_conversation",
            json!({"id": unknown}),
            Scope::MessagesRead,
        ),
        (
            "send_message",
            json!({"to": "+14155550177", "text": "hi"}),
            Scope::MessagesSend,
        ),
        (
            "set_conversation_guide",
            json!({"id": unknown, "guide": "Be brief."}),
            Scope::MessagesSend,
        ),
        ("list_templates", json!({}), Scope::MessagesRead),
        (
            "send_broadcast",
            json!({"id": "b1", "channel": "sms", "text": "hi"}),
            Scope::CampaignsWrite,
        ),
        ("get_analytics", json!({}), Scope::MessagesRead),
        ("list_ai_agents", json!({}), Scope::MessagesRead),
        ("list_quick_replies", json!({}), Scope::MessagesRead),
        (
            "create_payment_link",
            json!({"contactId": unknown, "amount": 100, "currency": "USD", "description": "x"}),
            Scope::MessagesSend,
        ),
    ]
}

#[tokio::test]
async fn every_tool_refuses_a_key_without_its_scope_as_rest_does() {
    let world = World::new().await;
    for (name, arguments, needed) in every_tool() {
        let others: Vec<Scope> = ALL_SCOPES.into_iter().filter(|s| *s != needed).collect();
        let key = world.key(&world.a, &others).await;
        let mut session = World::session(&world.ops, &key).await;
        let refused = session.call(name, arguments).await;
        assert_eq!(
            refused,
            Err(rest_says(KeyRefusal::MissingScope { needed })),
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_server_lists_the_seeds_twelve_tools_and_the_guide_tool_each_with_an_object_schema() {
    let world = World::new().await;
    let key = world.key(&world.a, &ALL_SCOPES).await;
    let mut session = World::session(&world.ops, &key).await;
    let listed = session.request("tools/list", json!({})).await;
    let mut names: Vec<String> = listed["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| {
            assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
            tool["name"].as_str().unwrap().to_owned()
        })
        .collect();
    names.sort();
    let mut expected: Vec<&str> = every_tool().iter().map(|(name, ..)| *name).collect();
    expected.sort();
    assert_eq!(names, expected);
}

#[tokio::test]
async fn a_tenant_reads_and_lists_only_its_own_contacts() {
    let world = World::new().await;
    let key_a = world.key(&world.a, &ALL_SCOPES).await;
    let key_b = world.key(&world.b, &ALL_SCOPES).await;
    let mut a = World::session(&world.ops, &key_a).await;
    let mut b = World::session(&world.ops, &key_b).await;
    let created = b
        .call(
            "create_contact",
            json!({"phone": "+14155550178", "name": "Bea"}),
        )
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();

    assert_eq!(
        a.call("get_contact", json!({"id": id})).await,
        Err(rest_says(msgcore::engine::NotFound::Contact(id.to_owned())))
    );
    let listed = a.call("list_contacts", json!({})).await.unwrap();
    assert_eq!(listed["contacts"], json!([]));
    let own = b.call("get_contact", json!({"id": id})).await.unwrap();
    assert_eq!(own["name"], "Bea");
}

#[tokio::test]
async fn a_payment_link_without_a_provider_is_a_tool_error_saying_none_is_configured() {
    let world = World::new().await;
    let key = world.key(&world.a, &ALL_SCOPES).await;
    let mut session = World::session(&world.ops, &key).await;
    let contact = session
        .call("create_contact", json!({"phone": "+14155550179"}))
        .await
        .unwrap();
    let asked = json!({
        "contactId": contact["id"], "amount": 4999, "currency": "usd", "description": "Order 42",
    });
    let refused = session
        .call("create_payment_link", asked)
        .await
        .unwrap_err();
    assert!(
        refused.starts_with("no payment provider is configured"),
        "{refused}"
    );
}

struct Checkout;

#[async_trait]
impl PaymentLinks for Checkout {
    async fn create(
        &self,
        request: PaymentLinkRequest<'_>,
    ) -> Result<PaymentLink, Box<dyn std::error::Error + Send + Sync>> {
        Ok(PaymentLink {
            url: format!(
                "https://pay.example.com/{}/{}{}",
                request.contact.phone, request.amount, request.currency
            ),
            id: Some("pl_1".to_owned()),
            expires_at: None,
        })
    }
}

#[tokio::test]
async fn a_payment_link_comes_from_the_configured_provider_for_the_tenants_contact() {
    let world = World::new().await;
    let ops = world.ops.clone().payment_links(Arc::new(Checkout));
    let key = world.key(&world.a, &ALL_SCOPES).await;
    let mut session = World::session(&ops, &key).await;
    let contact = session
        .call("create_contact", json!({"phone": "+14155550180"}))
        .await
        .unwrap();
    let asked = json!({
        "contactId": contact["id"], "amount": 4999, "currency": "usd", "description": "Order 42",
    });
    let link = session.call("create_payment_link", asked).await.unwrap();
    assert_eq!(link["url"], "https://pay.example.com/+14155550180/4999USD");
    assert_eq!(link["id"], "pl_1");
}

#[tokio::test]
async fn the_registered_bot_is_listed_and_analytics_count_the_tenants_new_contact_thread() {
    let world = World::new().await;
    let key = world.key(&world.a, &ALL_SCOPES).await;
    let mut session = World::session(&world.ops, &key).await;
    let agents = session.call("list_ai_agents", json!({})).await.unwrap();
    assert_eq!(
        agents,
        json!({"agents": [{"name": "KeywordMenuBot", "kind": "bot"}]})
    );

    let seen = session.call("get_analytics", json!({})).await.unwrap();
    assert_eq!(
        seen["messages"]["outbound"],
        json!({"sms": 0, "whatsapp": 0})
    );
    assert_eq!(seen["csat"], json!({"average": null, "count": 0}));
    let backwards = json!({"from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"});
    let refused = session.call("get_analytics", backwards).await.unwrap_err();
    assert!(refused.starts_with("from: must be before to"), "{refused}");
    let too_long = json!({"from": "2025-01-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"});
    let refused = session.call("get_analytics", too_long).await.unwrap_err();
    assert_eq!(
        refused,
        "from, to: at most 366 days apart; ask for a shorter range"
    );
}

#[tokio::test]
async fn a_refused_key_never_starts_a_stdio_session() {
    let world = World::new().await;
    let (_client, server) = tokio::io::duplex(1024);
    let (read, write) = tokio::io::split(server);
    let refused = serve_io(world.ops.clone(), "msgcore_nope", read, write).await;
    assert!(matches!(refused, Err(McpError::Refused(_))), "{refused:?}");
}

#[tokio::test]
async fn over_http_a_missing_or_bad_key_is_refused_with_rests_status_and_body() {
    let world = World::new().await;
    let peer = SocketAddr::from(([203, 0, 113, 9], 40_000));
    let app = router(world.ops.clone(), McpConfig::default()).layer(MockConnectInfo(peer));
    let list = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).to_string();
    for token in [None, Some("msgcore_nope")] {
        let mut request = Request::post("/")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json, text/event-stream");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let response = app
            .clone()
            .oneshot(request.body(Body::from(list.clone())).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{token:?}");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        let error = body["error"].as_str().unwrap();
        assert!(
            !error.is_empty() && body.as_object().unwrap().len() == 1,
            "{body}"
        );
    }
}

#[tokio::test]
async fn over_http_a_valid_key_lists_the_tools_without_a_session() {
    let world = World::new().await;
    let key = world.key(&world.a, &[Scope::ContactsRead]).await;
    let app = router(world.ops.clone(), McpConfig::default());
    let list = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).to_string();
    let request = Request::post("/")
        .header(header::HOST, "inbox.example.com")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json, text/event-stream")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::from(list))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let session = response.headers().get("mcp-session-id").cloned();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    assert!(session.is_none());
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        body["result"]["tools"].as_array().map(Vec::len),
        Some(every_tool().len()),
        "{body}"
    );
}

#[tokio::test]
async fn over_http_an_address_over_its_limit_is_answered_429_with_retry_after() {
    let world = World::new().await;
    let key = world.key(&world.a, &[Scope::ContactsRead]).await;
    let once_a_minute = Quota::new(1, TimeDelta::minutes(1)).unwrap();
    let ops = world.ops.clone().rate_limit(once_a_minute);
    let peer = SocketAddr::from(([203, 0, 113, 10], 40_000));
    let app = router(ops, McpConfig::default()).layer(MockConnectInfo(peer));
    let list = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).to_string();
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let request = Request::post("/")
            .header(header::HOST, "inbox.example.com")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json, text/event-stream")
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::from(list.clone()))
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
        statuses.push((response.status().as_u16(), retry_after.is_some()));
    }
    assert_eq!(statuses, [(200, false), (429, true)]);
}

#[tokio::test]
async fn a_guide_set_by_tool_is_shown_by_get_conversation_and_only_to_its_tenant() {
    let world = World::new().await;
    let key_a = world.key(&world.a, &ALL_SCOPES).await;
    let key_b = world.key(&world.b, &ALL_SCOPES).await;
    let mut a = World::session(&world.ops, &key_a).await;
    let mut b = World::session(&world.ops, &key_b).await;
    let contact = json!({"phone": "+14155550179", "smsOptedIn": true});
    a.call("create_contact", contact).await.unwrap();
    let message = json!({"to": "+14155550179", "text": "Hello", "channel": "sms",
                         "kind": "transactional"});
    let sent = a.call("send_message", message).await.unwrap();
    let id = sent["message"]["conversationId"]
        .as_str()
        .unwrap()
        .to_owned();

    let set = a
        .call(
            "set_conversation_guide",
            json!({"id": id, "guide": " Prefers email. "}),
        )
        .await
        .unwrap();
    let shown = a.call("get_conversation", json!({"id": id})).await.unwrap();
    let by_b = b
        .call(
            "set_conversation_guide",
            json!({"id": id, "guide": "Hijacked"}),
        )
        .await;

    assert_eq!(
        set,
        json!({"conversationId": id, "guide": "Prefers email."})
    );
    assert_eq!(shown["guide"], "Prefers email.");
    assert_eq!(
        by_b,
        Err(rest_says(msgcore::engine::NotFound::Conversation(
            id.clone()
        )))
    );
    let cleared = a
        .call("set_conversation_guide", json!({"id": id}))
        .await
        .unwrap();
    assert_eq!(cleared["guide"], Value::Null);
}
