//! `/chats`: the inbox's conversations a page at a time, one with its recent
//! messages, and `POST /conversations/{id}/messages`, a reply into one.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Api;
use super::caller::Authorized;
use super::error::{ApiError, BodyRefusals, ErrorBody, JsonBody, PathOf, QueryOf, Refusals};
use super::messages::{MessageView, SentMessage};
use super::params::{ChannelName, StatusName};
use crate::error::Error;
use crate::service::{Page, PageRequest, Reply, Thread};
use crate::store::ConversationSummary;

/// A conversation as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatView {
    /// Its id.
    pub id: String,
    /// Its contact's id.
    pub contact_id: String,
    /// Its contact's name.
    pub contact_name: Option<String>,
    /// Its contact's number, in E.164.
    #[schema(example = "+919876543210")]
    pub contact_phone: String,
    /// Who is handling it.
    pub status: StatusName,
    /// The agent who owns it (when `ASSIGNED`).
    pub assignee: Option<String>,
    /// The channel a reply goes on by default.
    pub channel: ChannelName,
    /// Inbound messages no agent has read.
    pub unread: u32,
    /// Starred by an agent.
    pub starred: bool,
    /// Archived.
    pub archived: bool,
    /// When it last saw activity.
    pub last_activity_at: DateTime<Utc>,
    /// When it started.
    pub created_at: DateTime<Utc>,
}

impl From<&ConversationSummary> for ChatView {
    fn from(summary: &ConversationSummary) -> ChatView {
        let conversation = &summary.conversation;
        ChatView {
            id: conversation.id.to_string(),
            contact_id: conversation.contact.to_string(),
            contact_name: summary.contact_name.clone(),
            contact_phone: summary.contact_phone.as_str().to_owned(),
            status: conversation.status().into(),
            assignee: conversation.state.assignee().map(ToString::to_string),
            channel: conversation.channel.into(),
            unread: conversation.flags.unread,
            starred: conversation.flags.starred,
            archived: conversation.flags.archived,
            last_activity_at: conversation.last_activity_at(),
            created_at: conversation.created_at,
        }
    }
}

/// A page of conversations.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatList {
    /// The conversations of this page, the most recently active first.
    pub chats: Vec<ChatView>,
    /// The page number.
    pub page: u32,
    /// The page size asked for.
    pub limit: u32,
    /// Whether a next page has conversations.
    pub has_more: bool,
}

impl From<Page<ConversationSummary>> for ChatList {
    fn from(page: Page<ConversationSummary>) -> ChatList {
        ChatList {
            chats: page.items.iter().map(ChatView::from).collect(),
            page: page.page,
            limit: page.limit,
            has_more: page.has_more,
        }
    }
}

/// A conversation with its contact's latest messages.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatThread {
    /// The conversation.
    #[serde(flatten)]
    pub chat: ChatView,
    /// Its AI guide (`PUT /conversations/{id}/guide`), if it has one.
    pub guide: Option<String>,
    /// The contact's latest 50 messages, oldest first, each naming its
    /// conversation (an earlier, resolved one's too).
    pub messages: Vec<MessageView>,
}

impl From<&Thread> for ChatThread {
    fn from(thread: &Thread) -> ChatThread {
        ChatThread {
            chat: ChatView::from(&thread.summary),
            guide: thread.summary.conversation.responder_context.clone(),
            messages: thread.messages.iter().map(MessageView::from).collect(),
        }
    }
}

/// `GET /chats`'s query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ChatsQuery {
    /// Only conversations with this status.
    status: Option<StatusName>,
    /// The page, from 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 1)]
    page: Option<u32>,
    /// Conversations per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    limit: Option<u32>,
}

/// `POST /conversations/{id}/messages`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplyBody {
    /// The text.
    #[schema(example = "Your order ships today.")]
    pub content: String,
    /// The channel; the conversation's own by default.
    pub channel: Option<ChannelName>,
    /// Your id for the message: sending it again answers 200 with the
    /// message queued the first time.
    pub client_id: Option<String>,
}

/// The key's tenant's conversations, the most recently active first.
/// Scope `messages:read`.
#[utoipa::path(
    get,
    path = "/chats",
    tag = "conversations",
    params(ChatsQuery),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "A page of conversations", body = ChatList),
        (status = 400, description = "A bad query", body = ErrorBody),
        (status = 403, description = "The key lacks messages:read", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn list(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    QueryOf(query): QueryOf<ChatsQuery>,
) -> Result<Json<ChatList>, ApiError> {
    let page = PageRequest::new(query.page, query.limit)?;
    let status = query.status.map(Into::into);
    let found = api.ops.list_conversations(&principal, status, page).await?;
    Ok(Json(ChatList::from(found)))
}

/// One conversation of the key's tenant with its recent messages.
/// Scope `messages:read`.
#[utoipa::path(
    get,
    path = "/chats/{id}",
    tag = "conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The conversation", body = ChatThread),
        (status = 403, description = "The key lacks messages:read", body = ErrorBody),
        (status = 404, description = "No such conversation", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn get_one(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    PathOf(id): PathOf<String>,
) -> Result<Json<ChatThread>, ApiError> {
    let thread = api.ops.conversation(&principal, &id).await?;
    Ok(Json(ChatThread::from(&thread)))
}

/// Replies in a conversation of the key's tenant: text to its contact,
/// through every gate but quiet hours (a reply is never held).
/// Scope `messages:send`.
#[utoipa::path(
    post,
    path = "/conversations/{id}/messages",
    tag = "conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    request_body = ReplyBody,
    security(("api_key" = [])),
    responses(
        (status = 201, description = "Queued", body = SentMessage),
        (status = 200, description = "Queued before with this clientId", body = SentMessage),
        (status = 400, description = "A bad body or text", body = ErrorBody),
        (status = 403, description = "The key lacks messages:send; or the contact has not consented, or WhatsApp's window is closed", body = ErrorBody),
        (status = 404, description = "No such conversation", body = ErrorBody),
        Refusals,
        BodyRefusals,
    )
)]
pub(super) async fn reply(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    PathOf(id): PathOf<String>,
    JsonBody(body): JsonBody<ReplyBody>,
) -> Result<(StatusCode, Json<SentMessage>), ApiError> {
    let reply = Reply {
        text: body.content,
        channel: body.channel.map(Into::into),
        client_id: body.client_id,
    };
    let outcome = api
        .ops
        .reply(&principal, &id, reply)
        .await
        .map_err(|error| match error {
            // The service calls the reply's text `text`; this body calls it `content`.
            Error::Content(mut problem) if problem.field == "text" => {
                problem.field = "content".to_owned();
                Error::Content(problem)
            }
            other => other,
        })?;
    Ok(SentMessage::answer(&outcome))
}
