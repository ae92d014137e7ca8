//! The MCP server (feature `mcp`): the Streamable HTTP endpoint at
//! [`MCP_PATH`] beside the REST API, and `mcp-stdio`, which serves the same
//! tools on standard input and output for a desktop assistant, with the key
//! in `MSGCORE_API_KEY`, on the inbox `MSGCORE_DATABASE` names. A message it
//! sends is queued in that database; the running server's dispatcher sends
//! it.

use std::sync::Arc;

use axum::Router;
use msgcore::engine::Inbox;
use msgcore::mcp::{self, API_KEY_VAR, McpConfig};
use msgcore::service::Operations;

use super::app::{StartError, open_store};
use super::config::{ApiSettings, InboxConfig};

/// Where the MCP endpoint is mounted.
pub const MCP_PATH: &str = "/mcp";

/// `app` with the MCP endpoint over `inbox`, limited as the REST API is.
pub fn mount(app: Router, inbox: Arc<Inbox>, api: &ApiSettings) -> Result<Router, StartError> {
    let ops = Operations::new(inbox).rate_limit(api.quota()?);
    let config = McpConfig::default().trust_forwarded_for(api.trust_forwarded_for);
    Ok(app.nest(MCP_PATH, mcp::router(ops, config)))
}

/// `mcp-stdio`: serves until the client closes standard input; a missing or
/// refused key is said on standard error, and nothing starts.
pub async fn serve_stdio(config: &InboxConfig) -> Result<(), StartError> {
    let token = std::env::var(API_KEY_VAR)
        .ok()
        .filter(|token| !token.trim().is_empty())
        .ok_or_else(|| {
            format!("{API_KEY_VAR} is not set: make a key with `create-key` and export it")
        })?;
    let store = open_store(&config.database).await?;
    let inbox = Arc::new(Inbox::builder(store).build());
    mcp::serve_stdio(Operations::new(inbox), token.trim()).await?;
    Ok(())
}
