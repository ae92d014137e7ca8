//! The example server's MCP server driven by a client nobody on the project
//! wrote: the official MCP Python SDK (`scripts/mcp_client.py`), over
//! Streamable HTTP at `/mcp` and over stdio (`mcp-stdio`, the example binary
//! spawned by the SDK). Messages it sends reach Twilio (wiremock) through the
//! running server's dispatcher. Outside CI a missing `mcp` package skips
//! these tests; under `CI=true` it fails them, because `.ci/run` installs it.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};
use wiremock::MockServer;

#[allow(dead_code)]
#[path = "../examples/server/main.rs"]
mod server_example;

#[path = "support/databases.rs"]
mod databases;

#[path = "support/twilio_server.rs"]
mod twilio_server;

use databases::skip;
use server_example::app;
use server_example::mcp::MCP_PATH;
use twilio_server::{accept_messages, config, create_key, sent_bodies};

const SCOPES: &str = "contacts:read,contacts:write,messages:read,messages:send,campaigns:write";

/// The seed's twelve tools, and `set_conversation_guide` (SPEC §11).
const TOOLS: [&str; 13] = [
    "create_contact",
    "create_payment_link",
    "get_analytics",
    "get_contact",
    "get_conversation",
    "list_ai_agents",
    "list_contacts",
    "list_conversations",
    "list_quick_replies",
    "list_templates",
    "send_broadcast",
    "send_message",
    "set_conversation_guide",
];

/// Runs `scripts/mcp_client.py` with `args` (and `env` on top of ours): its
/// report, or `None` (after saying so) when Python or the `mcp` package is
/// missing outside CI.
fn python_client(args: &[&str], env: &[(&str, &str)]) -> Option<Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/mcp_client.py");
    let output = Command::new("python3")
        .arg(script)
        .args(args)
        .envs(env.iter().copied())
        .output();
    let missing = match &output {
        Err(error) => Some(format!("python3: {error}")),
        // The script's exit code for a missing SDK.
        Ok(output) if output.status.code() == Some(3) => {
            Some(String::from_utf8_lossy(&output.stderr).trim().to_owned())
        }
        Ok(_) => None,
    };
    if let Some(why) = missing {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the MCP Python SDK is missing under CI: {why}"
        );
        skip::skipped(&format!(
            "the MCP tests with the official Python SDK; pip install mcp to run them ({why})"
        ));
        return None;
    }
    let output = output.expect("python3 ran");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "mcp_client.py failed: {stderr}");
    Some(
        serde_json::from_str(stdout.trim())
            .unwrap_or_else(|_| panic!("mcp_client.py printed no report: {stdout}\n{stderr}")),
    )
}

/// The example server's binary with this test's features, built if it is
/// not fresh (cargo's lock is free while tests run).
fn example_server() -> PathBuf {
    let features = [
        ("twilio", cfg!(feature = "twilio")),
        ("telnyx", cfg!(feature = "telnyx")),
        ("meta", cfg!(feature = "meta")),
        ("tokio", cfg!(feature = "tokio")),
        ("http", cfg!(feature = "http")),
        ("sqlite", cfg!(feature = "sqlite")),
        ("postgres", cfg!(feature = "postgres")),
        ("axum", cfg!(feature = "axum")),
        ("api", cfg!(feature = "api")),
        ("mcp", cfg!(feature = "mcp")),
        ("conformance", cfg!(feature = "conformance")),
    ];
    let on: Vec<&str> = features
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect();
    let output = Command::new(env!("CARGO"))
        .args(["build", "--example", "server", "--no-default-features"])
        .args(["--features", &on.join(",")])
        .args(["--message-format", "json-render-diagnostics"])
        .arg("--manifest-path")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["target"]["name"] == "server")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the example's executable")
}

/// Asserts the report lists exactly the thirteen tools, each with an object
/// schema, and returns its calls' results.
fn calls_of(report: &Value) -> &Vec<Value> {
    assert!(report.get("refused").is_none(), "refused: {report}");
    let tools = report["tools"].as_array().expect("the tools");
    let mut names: Vec<&str> = tools.iter().filter_map(|t| t["name"].as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, TOOLS);
    for tool in tools {
        assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
    }
    report["calls"].as_array().expect("the calls")
}

fn structured(call: &Value) -> &Value {
    assert_eq!(call["isError"], false, "{call}");
    &call["structured"]
}

#[tokio::test(flavor = "multi_thread")]
async fn the_python_sdk_lists_and_calls_the_tools_over_http_and_stdio_and_the_messages_reach_twilio()
 {
    let mock = MockServer::start().await;
    accept_messages(&mock).await;
    let database = databases::TempFile::new();
    let config = config(&mock, &database, &[]);
    let token = create_key(&config, &format!("--name assistant --scopes {SCOPES}")).await;
    let running = app::start(&config).await.expect("the server starts");
    let url = format!("http://{}{MCP_PATH}", running.addr);

    // Transactional: the test must not depend on the hour in California.
    let plan = json!([
        {"tool": "create_contact",
         "arguments": {"phone": "+14155550131", "name": "Ann", "smsOptedIn": true}},
        {"tool": "list_contacts", "arguments": {}},
        {"tool": "send_message", "arguments": {"to": "+14155550131", "text": "Over HTTP",
                                               "channel": "sms", "kind": "transactional"}},
        {"tool": "send_broadcast", "arguments": {"id": "notice", "channel": "sms",
                                                 "text": "Hi {name}, by broadcast",
                                                 "kind": "transactional"}},
    ]);
    let Some(report) = python_client(&["http", &plan.to_string(), &url, &token], &[]) else {
        running.stop().await.expect("a clean stop");
        return;
    };
    let calls = calls_of(&report);
    let listed = structured(&calls[1]);
    assert_eq!(listed["contacts"][0]["phone"], "+14155550131", "{listed}");
    let sent = structured(&calls[2]);
    assert_eq!(sent["message"]["status"], "queued", "{sent}");
    let broadcast = structured(&calls[3]);
    assert_eq!(broadcast["id"], "notice", "{broadcast}");
    assert_eq!(broadcast["counts"]["recipients"], 1, "{broadcast}");

    let stdio_plan = json!([
        {"tool": "list_contacts", "arguments": {"search": "Ann"}},
        {"tool": "send_message", "arguments": {"to": "+14155550131", "text": "Over stdio",
                                               "channel": "sms", "kind": "transactional"}},
        {"tool": "send_message", "arguments": {"to": "+14155550199", "text": "Nobody"}},
    ]);
    let server = example_server();
    let server = server.to_str().expect("a UTF-8 path");
    let database_var = database.0.display().to_string();
    let env = [
        ("MSGCORE_API_KEY", token.as_str()),
        ("MSGCORE_DATABASE", database_var.as_str()),
    ];
    let args = ["stdio", &stdio_plan.to_string(), server, "mcp-stdio"];
    let report = python_client(&args, &env).expect("the SDK was there a moment ago");
    let calls = calls_of(&report);
    assert_eq!(structured(&calls[0])["contacts"][0]["name"], "Ann");
    assert_eq!(structured(&calls[1])["message"]["status"], "queued");
    assert_eq!(calls[2]["isError"], true, "{}", calls[2]);
    let refusal = &calls[2]["structured"];
    assert!(
        refusal["error"]
            .as_str()
            .is_some_and(|e| e.contains("+14155550199")),
        "REST's refusal of an unknown number: {refusal}"
    );

    let bodies = sent_bodies(&mock, 3).await;
    assert_eq!(bodies.len(), 3, "{bodies:?}");
    for text in ["Hi+Ann%2C+by+broadcast", "Over+HTTP", "Over+stdio"] {
        assert!(
            bodies.iter().any(|body| body.contains(text)),
            "{text}: {bodies:?}"
        );
    }
    running.stop().await.expect("a clean stop");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_python_sdk_is_refused_with_a_bad_key_over_http_and_stdio() {
    let mock = MockServer::start().await;
    let database = databases::TempFile::new();
    let config = config(&mock, &database, &[]);
    let running = app::start(&config).await.expect("the server starts");
    let url = format!("http://{}{MCP_PATH}", running.addr);
    let bad = "msgcore_0190f0f0000070008000000000000000_nope";

    let Some(report) = python_client(&["http", "[]", &url, bad], &[]) else {
        running.stop().await.expect("a clean stop");
        return;
    };
    assert!(report["refused"].is_string(), "{report}");
    let answer = reqwest::Client::new()
        .post(&url)
        .bearer_auth(bad)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).to_string())
        .send()
        .await
        .expect("the server answers");
    assert_eq!(answer.status().as_u16(), 401, "what the SDK was told");
    let body = answer.text().await.expect("a body");
    let body: Value = serde_json::from_str(&body).expect("a JSON body");
    assert_eq!(body, json!({"error": "invalid API key"}));

    let server = example_server();
    let server = server.to_str().expect("a UTF-8 path");
    let database_var = database.0.display().to_string();
    let env = [
        ("MSGCORE_API_KEY", bad),
        ("MSGCORE_DATABASE", database_var.as_str()),
    ];
    let report = python_client(&["stdio", "[]", server, "mcp-stdio"], &env)
        .expect("the SDK was there a moment ago");
    assert!(report["refused"].is_string(), "{report}");
    running.stop().await.expect("a clean stop");
}
