//! `GET /templates` and `GET /quick-replies`: what the tenant's agents and
//! API clients pick a message from.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Api;
use super::caller::Authorized;
use super::error::{ApiError, ErrorBody, QueryOf, Refusals};
use crate::core::quick_reply::QuickReply;
use crate::core::template::ApprovedTemplate;

/// An approved WhatsApp template as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TemplateView {
    /// Its name, as `POST /send` takes it in `templateName`.
    #[schema(example = "order_update")]
    pub name: String,
    /// Its language, as `POST /send` takes it.
    #[schema(example = "en_US")]
    pub language: String,
    /// `marketing`, `utility` or `authentication`.
    #[schema(example = "utility")]
    pub category: String,
    /// Its body, with `{{1}}`…`{{n}}` where the parameters go.
    #[schema(example = "Hi {{1}}, order {{2}} has shipped.")]
    pub body: String,
    /// How many parameters a send supplies.
    pub parameter_count: usize,
}

impl From<&ApprovedTemplate> for TemplateView {
    fn from(template: &ApprovedTemplate) -> TemplateView {
        TemplateView {
            name: template.name.clone(),
            language: template.language.clone(),
            category: template.category.as_str().to_owned(),
            body: template.body.as_str().to_owned(),
            parameter_count: template.body.parameter_count(),
        }
    }
}

/// The tenant's templates.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateList {
    /// Every approved template, as the tenant's settings list them.
    pub templates: Vec<TemplateView>,
}

/// A quick reply as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuickReplyView {
    /// What an agent types (`/greeting`).
    #[schema(example = "/greeting")]
    pub shortcut: String,
    /// The text it stands for, with its `{{contact.name}}`-style variables.
    #[schema(example = "Hi {{contact.firstName}}, thanks for writing to {{org.name}}!")]
    pub content: String,
}

impl From<&QuickReply> for QuickReplyView {
    fn from(reply: &QuickReply) -> QuickReplyView {
        QuickReplyView {
            shortcut: reply.shortcut().as_str().to_owned(),
            content: reply.content().as_str().to_owned(),
        }
    }
}

/// The tenant's quick replies.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuickReplyList {
    /// The matching quick replies, in shortcut order.
    pub quick_replies: Vec<QuickReplyView>,
}

/// `GET /quick-replies`'s query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct QuickRepliesQuery {
    /// Only shortcuts starting with this (any case; the `/` optional).
    #[param(example = "/gre")]
    prefix: Option<String>,
}

/// The key's tenant's approved WhatsApp templates. Scope `messages:read`.
#[utoipa::path(
    get,
    path = "/templates",
    tag = "templates",
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The templates", body = TemplateList),
        (status = 403, description = "The key lacks messages:read", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn templates(
    State(api): State<Api>,
    Authorized(principal): Authorized,
) -> Result<Json<TemplateList>, ApiError> {
    let templates = api.ops.templates(&principal).await?;
    Ok(Json(TemplateList {
        templates: templates.iter().map(TemplateView::from).collect(),
    }))
}

/// The key's tenant's quick replies, by shortcut. Scope `messages:read`.
#[utoipa::path(
    get,
    path = "/quick-replies",
    tag = "templates",
    params(QuickRepliesQuery),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The quick replies", body = QuickReplyList),
        (status = 400, description = "A bad query", body = ErrorBody),
        (status = 403, description = "The key lacks messages:read", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn quick_replies(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    QueryOf(query): QueryOf<QuickRepliesQuery>,
) -> Result<Json<QuickReplyList>, ApiError> {
    let typed = query.prefix.unwrap_or_default();
    let replies = api.ops.quick_replies(&principal, &typed).await?;
    Ok(Json(QuickReplyList {
        quick_replies: replies.iter().map(QuickReplyView::from).collect(),
    }))
}
