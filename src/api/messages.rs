//! Messages as the API shows them, and `POST /send`: a message of any kind
//! of the seed's table to a contact's number.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::Api;
use super::caller::Authorized;
use super::error::{ApiError, BodyRefusals, ErrorBody, JsonBody, QueryOf, Refusals};
use super::params::{ChannelName, PageQuery, SendKindName, StatusName};
use crate::core::delivery::DeliveryStatus;
use crate::core::message::RawContent;
use crate::engine::SendOutcome;
use crate::model::{Direction, MessageBody, MessageRecord};
use crate::service::{Outgoing, Page, PageRequest};

/// A message as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    /// Its id.
    pub id: String,
    /// Its conversation's id.
    pub conversation_id: String,
    /// Its contact's id.
    pub contact_id: String,
    /// `inbound` (from the contact) or `outbound` (to the contact).
    #[schema(example = "outbound")]
    pub direction: String,
    /// Its channel.
    pub channel: ChannelName,
    /// Its text, or an inbound message's caption.
    pub text: Option<String>,
    /// What it carries: for an outbound message, the content as `POST /send`
    /// takes it (`type` and its fields, snake_case); for an inbound one,
    /// `text`, `media` and any type the provider sent that is not understood.
    #[schema(value_type = Object)]
    pub content: Value,
    /// Its delivery status (outbound; none for inbound): `queued` until the
    /// provider reports, then `sending`, `sent`, `delivered`, `read`,
    /// `failed` or `undelivered`.
    #[schema(example = "queued")]
    pub status: Option<String>,
    /// When it was received or queued.
    pub created_at: DateTime<Utc>,
}

impl From<&MessageRecord> for MessageView {
    fn from(message: &MessageRecord) -> MessageView {
        let content = match &message.body {
            MessageBody::Inbound(content) => serde_json::to_value(content),
            MessageBody::Outbound(content) => serde_json::to_value(content),
        };
        MessageView {
            id: message.id.to_string(),
            conversation_id: message.conversation.to_string(),
            contact_id: message.contact.to_string(),
            direction: match message.direction {
                Direction::Inbound => "inbound",
                Direction::Outbound => "outbound",
            }
            .to_owned(),
            channel: message.channel.into(),
            text: message.text().map(str::to_owned),
            // Stored content always serializes; a failure shows as null, not a 500.
            content: content.unwrap_or(Value::Null),
            status: status_of(message),
            created_at: message.created_at,
        }
    }
}

/// An outbound message's delivery status: `queued` until a provider reports
/// one; none for an inbound message.
fn status_of(message: &MessageRecord) -> Option<String> {
    match message.direction {
        Direction::Inbound => None,
        Direction::Outbound => {
            let status = message.delivery.status().unwrap_or(DeliveryStatus::Queued);
            Some(status.as_str().to_owned())
        }
    }
}

/// A queued message: `POST /send`'s and a reply's answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SentMessage {
    /// The message as queued (the first time, for a repeated `clientId`).
    pub message: MessageView,
    /// Its conversation's status.
    pub conversation_status: StatusName,
    /// Whether the `clientId` had been used already, so nothing new was queued.
    pub duplicate: bool,
}

impl SentMessage {
    /// 201 for a message queued now, 200 for the one a repeated `clientId`
    /// queued before.
    pub(super) fn answer(outcome: &SendOutcome) -> (StatusCode, Json<SentMessage>) {
        let status = match outcome.duplicate {
            true => StatusCode::OK,
            false => StatusCode::CREATED,
        };
        (status, Json(SentMessage::from(outcome)))
    }
}

impl From<&SendOutcome> for SentMessage {
    fn from(outcome: &SendOutcome) -> SentMessage {
        SentMessage {
            message: MessageView::from(&outcome.message),
            conversation_status: outcome.status.into(),
            duplicate: outcome.duplicate,
        }
    }
}

/// `POST /send`'s body: who, how, and the content's `type` with its fields.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SendBody {
    to: String,
    channel: Option<ChannelName>,
    kind: Option<SendKindName>,
    client_id: Option<String>,
    /// `type` and the content's fields, read as [`RawContent`] reads them.
    #[serde(flatten)]
    content: Map<String, Value>,
}

/// `POST /send`'s body as the OpenAPI document describes it: who and how,
/// and one of the seed's content types with the fields it needs.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "only its schema is used; SendBody reads the body")]
struct SendMessage {
    /// The contact's number, E.164 (or national, read as a US number).
    #[schema(example = "+919876543210")]
    to: String,
    /// The channel; by default the contact's latest conversation's, else
    /// WhatsApp when the tenant has a WhatsApp number, else SMS.
    channel: Option<ChannelName>,
    /// `marketing` (the default: held by quiet hours) or `transactional`.
    kind: Option<SendKindName>,
    /// Your id for the message: sending it again answers 200 with the
    /// message queued the first time.
    client_id: Option<String>,
    #[serde(flatten)]
    content: SendContent,
}

/// The content types of the seed's table, by `type`. Images, audio and
/// video take `mediaUrl` or (WhatsApp) `mediaId`; SMS takes text and media
/// by URL only.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
#[allow(dead_code, reason = "only its schema is used")]
enum SendContent {
    /// Text: at most 4,096 characters (1,600 on SMS).
    Text {
        /// The text.
        text: String,
    },
    /// An image.
    Image(MediaFields),
    /// A document.
    Document(DocumentFields),
    /// An audio clip (no caption).
    Audio(MediaFields),
    /// A video.
    Video(MediaFields),
    /// An approved WhatsApp template.
    Template(TemplateFields),
    /// Reply buttons or a list, in WhatsApp's format.
    Interactive {
        /// The buttons or list.
        #[schema(value_type = Object)]
        interactive: Value,
    },
    /// A map pin.
    Location(LocationFields),
    /// Contact cards, in WhatsApp's format.
    Contacts {
        /// The cards (at least one).
        #[schema(value_type = Vec<Object>, min_items = 1)]
        contacts: Vec<Value>,
    },
    /// An emoji reaction to a message.
    Reaction(ReactionFields),
}

/// An image's, audio clip's or video's fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "only its schema is used")]
struct MediaFields {
    /// A public http(s) URL the provider fetches.
    #[schema(format = "uri")]
    media_url: Option<String>,
    /// An uploaded file's id (WhatsApp); exactly one of the two.
    media_id: Option<String>,
    /// A caption (not for audio), at most 1,024 characters.
    caption: Option<String>,
}

/// A document's fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "only its schema is used")]
struct DocumentFields {
    /// A public http(s) URL the provider fetches.
    #[schema(format = "uri")]
    media_url: Option<String>,
    /// An uploaded file's id (WhatsApp); exactly one of the two.
    media_id: Option<String>,
    /// The file name the recipient sees.
    filename: String,
    /// A caption, at most 1,024 characters.
    caption: Option<String>,
}

/// A template's fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "only its schema is used")]
struct TemplateFields {
    /// The approved template's name.
    #[schema(example = "order_update")]
    template_name: String,
    /// The language it was approved in.
    #[schema(example = "en_US")]
    language: String,
    /// Its parameters, as WhatsApp's components.
    #[schema(value_type = Option<Vec<Object>>)]
    components: Option<Vec<Value>>,
}

/// A location's fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "only its schema is used")]
struct LocationFields {
    /// Degrees north.
    #[schema(minimum = -90.0, maximum = 90.0)]
    latitude: f64,
    /// Degrees east.
    #[schema(minimum = -180.0, maximum = 180.0)]
    longitude: f64,
    /// The place's name.
    name: String,
    /// Its address.
    address: Option<String>,
}

/// A reaction's fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "only its schema is used")]
struct ReactionFields {
    /// The provider id of the message reacted to.
    message_id: String,
    /// One emoji, or "" to remove a reaction.
    emoji: String,
}

/// Sends a message to a contact: every gate of SPEC §12 applies (consent,
/// the WhatsApp window, quiet hours for marketing, the per-recipient limit,
/// the SMS cap). Scope `messages:send`.
#[utoipa::path(
    post,
    path = "/send",
    tag = "messages",
    request_body = SendMessage,
    security(("api_key" = [])),
    responses(
        (status = 201, description = "Queued", body = SentMessage),
        (status = 200, description = "Queued before with this clientId", body = SentMessage),
        (status = 400, description = "A bad number, content or body", body = ErrorBody),
        (status = 403, description = "The key lacks messages:send; or the contact has not consented, or WhatsApp's window is closed", body = ErrorBody),
        (status = 404, description = "No contact with that number", body = ErrorBody),
        Refusals,
        BodyRefusals,
    )
)]
pub(super) async fn send(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    JsonBody(body): JsonBody<SendBody>,
) -> Result<(StatusCode, Json<SentMessage>), ApiError> {
    let content: RawContent =
        serde_json::from_value(Value::Object(body.content)).map_err(|error| {
            ApiError::Rejected {
                status: StatusCode::BAD_REQUEST,
                message: format!("the content: {error}"),
            }
        })?;
    let outgoing = Outgoing {
        to: body.to,
        content,
        channel: body.channel.map(Into::into),
        kind: body.kind.unwrap_or_default().into(),
        client_id: body.client_id,
    };
    let outcome = api.ops.send(&principal, outgoing).await?;
    Ok(SentMessage::answer(&outcome))
}

/// A page of messages.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageList {
    /// The messages of this page, the newest first.
    pub messages: Vec<MessageView>,
    /// The page number.
    pub page: u32,
    /// The page size asked for.
    pub limit: u32,
    /// Whether a next page has messages.
    pub has_more: bool,
}

/// The key's tenant's recent messages across all its conversations, the
/// newest first. Scope `messages:read`.
#[utoipa::path(
    get,
    path = "/messages",
    tag = "messages",
    params(PageQuery),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "A page of messages", body = MessageList),
        (status = 400, description = "A bad query", body = ErrorBody),
        (status = 403, description = "The key lacks messages:read", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn list(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    QueryOf(query): QueryOf<PageQuery>,
) -> Result<Json<MessageList>, ApiError> {
    let page = PageRequest::new(query.page, query.limit)?;
    let found = api.ops.list_messages(&principal, page).await?;
    Ok(Json(MessageList::from(found)))
}

impl From<Page<MessageRecord>> for MessageList {
    fn from(page: Page<MessageRecord>) -> MessageList {
        MessageList {
            messages: page.items.iter().map(MessageView::from).collect(),
            page: page.page,
            limit: page.limit,
            has_more: page.has_more,
        }
    }
}
