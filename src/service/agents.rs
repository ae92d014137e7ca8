//! The bots and AI agents the embedder registered on the inbox, as the MCP
//! tool `list_ai_agents` shows them.

use serde::Serialize;

use super::api_keys::Principal;
use super::operations::Operations;
use crate::core::api_key::Scope;
use crate::error::Error;

/// Which conversations a responder answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentKind {
    /// A flow bot: conversations in `BOT_ACTIVE`.
    Bot,
    /// An AI agent: conversations in `AI_ACTIVE`.
    Ai,
}

/// A responder registered on the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AiAgent {
    /// Its [`Responder::name`](crate::engine::Responder::name).
    pub name: String,
    /// Which conversations it answers.
    pub kind: AgentKind,
}

impl Operations {
    /// The bot and the AI agent the inbox routes conversations to, those
    /// registered (see [`InboxBuilder::bot`](crate::engine::InboxBuilder::bot)
    /// and [`ai`](crate::engine::InboxBuilder::ai)): the inbox's, so every
    /// tenant sees the same ones. Scope `messages:read`.
    pub fn ai_agents(&self, principal: &Principal) -> Result<Vec<AiAgent>, Error> {
        principal.require(Scope::MessagesRead)?;
        let registered = [
            (AgentKind::Bot, &self.inbox.bot),
            (AgentKind::Ai, &self.inbox.ai),
        ];
        Ok(registered
            .into_iter()
            .filter_map(|(kind, responder)| {
                let name = responder.as_ref()?.name().to_owned();
                Some(AiAgent { name, kind })
            })
            .collect())
    }
}
