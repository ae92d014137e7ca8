//! The closed sets requests name — a conversation's status, a channel, a
//! kind of send — as the OpenAPI document lists them, so that clients and
//! schemathesis see the choices (and, with feature `mcp`, the MCP tools'
//! input schemas).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::core::channel::Channel;
use crate::core::conversation::Status;
use crate::core::quiet_hours::SendKind;

/// Who is handling a conversation (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "mcp", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StatusName {
    /// Awaiting an agent.
    Open,
    /// An agent owns it.
    Assigned,
    /// Closed.
    Resolved,
    /// A flow bot handles it.
    BotActive,
    /// An AI agent handles it.
    AiActive,
}

impl From<StatusName> for Status {
    fn from(name: StatusName) -> Status {
        match name {
            StatusName::Open => Status::Open,
            StatusName::Assigned => Status::Assigned,
            StatusName::Resolved => Status::Resolved,
            StatusName::BotActive => Status::BotActive,
            StatusName::AiActive => Status::AiActive,
        }
    }
}

impl From<Status> for StatusName {
    fn from(status: Status) -> StatusName {
        match status {
            Status::Open => StatusName::Open,
            Status::Assigned => StatusName::Assigned,
            Status::Resolved => StatusName::Resolved,
            Status::BotActive => StatusName::BotActive,
            Status::AiActive => StatusName::AiActive,
        }
    }
}

/// A channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "mcp", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ChannelName {
    /// SMS (and MMS).
    Sms,
    /// WhatsApp.
    Whatsapp,
}

impl From<ChannelName> for Channel {
    fn from(name: ChannelName) -> Channel {
        match name {
            ChannelName::Sms => Channel::Sms,
            ChannelName::Whatsapp => Channel::WhatsApp,
        }
    }
}

impl From<Channel> for ChannelName {
    fn from(channel: Channel) -> ChannelName {
        match channel {
            Channel::Sms => ChannelName::Sms,
            Channel::WhatsApp => ChannelName::Whatsapp,
        }
    }
}

/// Whether quiet hours hold a send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[cfg_attr(feature = "mcp", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum SendKindName {
    /// Marketing: held outside the recipient's allowed hours (the default,
    /// so that forgetting to say is never a violation).
    #[default]
    Marketing,
    /// Transactional (a receipt, a code, an appointment): never held.
    Transactional,
}

impl From<SendKindName> for SendKind {
    fn from(name: SendKindName) -> SendKind {
        match name {
            SendKindName::Marketing => SendKind::Marketing,
            SendKindName::Transactional => SendKind::Transactional,
        }
    }
}

/// A list's page: `page` and `limit`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct PageQuery {
    /// The page, from 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 1)]
    pub(super) page: Option<u32>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub(super) limit: Option<u32>,
}
