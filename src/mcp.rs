//! The MCP server (SPEC §19, feature `mcp`): the seed's twelve tools, and
//! `set_conversation_guide` (SPEC §11), for AI assistants, over stdio and stateless Streamable HTTP, on the official
//! Rust SDK ([`rmcp`]).
//!
//! | tool | scope | what |
//! |---|---|---|
//! | `list_contacts` | `contacts:read` | `search`, `tag`, `page`, `limit`, as `GET /contacts` |
//! | `get_contact` | `contacts:read` | one contact by `id` |
//! | `create_contact` | `contacts:write` | `phone` and the profile, tags and consent |
//! | `list_conversations` | `messages:read` | `status`, `page`, `limit`, as `GET /chats` |
//! | `get_conversation` | `messages:read` | one by `id`, with its AI guide and its contact's latest 50 messages |
//! | `set_conversation_guide` | `messages:send` | sets a conversation's AI `guide`, or clears it |
//! | `send_message` | `messages:send` | a text to a contact's number (`channel`, `kind`, `clientId`) |
//! | `list_templates` | `messages:read` | the approved WhatsApp templates |
//! | `send_broadcast` | `campaigns:write` | a campaign in SPEC §18's form, its audience frozen |
//! | `get_analytics` | `messages:read` | conversations by status, messages by direction and channel, CSAT, opt-outs, campaigns, from `from` to `to` |
//! | `list_ai_agents` | `messages:read` | the bot and AI agent registered on the inbox |
//! | `list_quick_replies` | `messages:read` | the quick replies; `prefix` |
//! | `create_payment_link` | `messages:send` | through the embedder's [`PaymentLinks`](crate::service::PaymentLinks); without one, a tool error says so |
//!
//! Every tool is one [`Operations`] call, so scopes, limits and errors are
//! REST's: a refused call is a tool error (`isError`) whose structured
//! content is the body REST would answer, `{"error": "…"}`, and a success
//! is REST's view of the result (camelCase).
//!
//! **Stdio** ([`serve_stdio`]): the operator's own process, so only the
//! key's limit applies ([`Origin::Local`]);
//! the key (conventionally from [`API_KEY_VAR`]) is checked before the
//! session starts and again on every call, so a revoked key stops working
//! at once. **Streamable HTTP** ([`router`]): every request needs
//! `Authorization: Bearer <key>` and counts against its IP's and its key's
//! limits, refused with REST's 401/429 and `{"error"}`; the server keeps no
//! session, so any replica answers any request. Serve it with
//! `into_make_service_with_connect_info::<SocketAddr>()` for the per-IP
//! limit, as the REST API.
//!
//! ```
//! use std::sync::Arc;
//! use msgcore::engine::Inbox;
//! use msgcore::mcp::{McpConfig, router, serve_io};
//! use msgcore::service::Operations;
//! use msgcore::store::MemoryStore;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let inbox = Arc::new(Inbox::builder(Arc::new(MemoryStore::new())).build());
//! let ops = Operations::new(inbox);
//! let app: axum::Router = axum::Router::new().nest("/mcp", router(ops.clone(), McpConfig::default()));
//!
//! // A session over any pipe (stdio in production) starts only with a valid key.
//! let (client, server) = tokio::io::duplex(4096);
//! let (read, write) = tokio::io::split(server);
//! let refused = serve_io(ops, "not-a-key", read, write).await;
//! assert_eq!(refused.unwrap_err().to_string(), "the API key was refused: invalid API key");
//! # drop((app, client));
//! # }
//! ```

mod http;
mod params;
mod tools;

use std::sync::Arc;

use axum::Router;
use rmcp::ServiceExt;
use tokio::io::{AsyncRead, AsyncWrite};

use crate::api::DEFAULT_BODY_LIMIT;
use crate::error::Error;
use crate::service::{Operations, Origin};
use tools::{Access, Tools};

/// The environment variable the stdio server's key is conventionally read
/// from.
pub const API_KEY_VAR: &str = "MSGCORE_API_KEY";

/// How the Streamable HTTP endpoint runs; the rate limits are the
/// [`Operations`]'.
#[derive(Debug, Clone)]
pub struct McpConfig {
    trust_forwarded_for: bool,
    body_limit: usize,
    allowed_hosts: Vec<String>,
}

impl Default for McpConfig {
    /// `X-Forwarded-For` ignored, 1 MiB bodies, any `Host`.
    fn default() -> McpConfig {
        McpConfig {
            trust_forwarded_for: false,
            body_limit: DEFAULT_BODY_LIMIT,
            allowed_hosts: Vec::new(),
        }
    }
}

impl McpConfig {
    /// Whether the client's address is the last entry of `X-Forwarded-For`
    /// (see [`ApiConfig::trust_forwarded_for`](crate::api::ApiConfig::trust_forwarded_for)).
    pub fn trust_forwarded_for(mut self, trust: bool) -> McpConfig {
        self.trust_forwarded_for = trust;
        self
    }

    /// Bodies over `bytes` are refused with 413.
    pub fn body_limit(mut self, bytes: usize) -> McpConfig {
        self.body_limit = bytes;
        self
    }

    /// Answers only requests whose `Host` is one of `hosts` (`example.com`,
    /// or `example.com:8443` for one port); any host by default, since every
    /// request must carry a key.
    pub fn allowed_hosts(
        mut self,
        hosts: impl IntoIterator<Item = impl Into<String>>,
    ) -> McpConfig {
        self.allowed_hosts = hosts.into_iter().map(Into::into).collect();
        self
    }
}

/// Why a stdio session did not run to its end.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum McpError {
    /// The key was refused (malformed, unknown, revoked, expired, or over its
    /// limit) before the session started.
    #[error("the API key was refused: {0}")]
    Refused(#[source] Error),
    /// The client never completed MCP's initialization.
    #[error("the MCP session could not start: {0}")]
    Start(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The session's task failed.
    #[error("the MCP session ended abnormally: {0}")]
    Ended(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The Streamable HTTP endpoint over `ops`, at `/` of the returned router:
/// nest it where you like (the example server: `/mcp`).
pub fn router(ops: Operations, config: McpConfig) -> Router {
    http::router(ops, config)
}

/// Serves MCP on standard input and output with the key `token` until the
/// client closes them; refused at once if the key is not valid now.
pub async fn serve_stdio(ops: Operations, token: &str) -> Result<(), McpError> {
    let (read, write) = rmcp::transport::stdio();
    serve_io(ops, token, read, write).await
}

/// [`serve_stdio`] over any pipe: MCP's newline-delimited JSON-RPC read from
/// `read` and written to `write`.
pub async fn serve_io<R, W>(ops: Operations, token: &str, read: R, write: W) -> Result<(), McpError>
where
    R: AsyncRead + Send + Unpin + 'static,
    W: AsyncWrite + Send + Unpin + 'static,
{
    ops.enter(Origin::Local, Some(token))
        .await
        .map_err(McpError::Refused)?;
    let tools = Tools::new(ops, Access::Key(Arc::from(token)));
    let running = tools
        .serve((read, write))
        .await
        .map_err(|error| McpError::Start(Box::new(error)))?;
    running
        .waiting()
        .await
        .map_err(|error| McpError::Ended(Box::new(error)))?;
    Ok(())
}
