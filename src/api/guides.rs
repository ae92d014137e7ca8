//! `/conversations/{id}/guide`: the AI conversation guide (SPEC §11) an
//! agent sets for a conversation, which the AI responder reads with every
//! message it answers.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Api;
use super::caller::Authorized;
use super::error::{ApiError, BodyRefusals, ErrorBody, JsonBody, PathOf, Refusals};

/// A conversation's guide.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GuideView {
    /// The conversation.
    pub conversation_id: String,
    /// What the AI responder is told about it; none when it has no guide.
    pub guide: Option<String>,
}

/// `PUT /conversations/{id}/guide`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuideBody {
    /// The guide (4,000 characters at most); `null` clears it.
    #[schema(example = "A returning customer; offer the code SPRING20 if they ask about price.")]
    pub guide: Option<String>,
}

/// The AI guide of a conversation of the key's tenant. Scope
/// `messages:read`.
#[utoipa::path(
    get,
    path = "/conversations/{id}/guide",
    tag = "conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The guide", body = GuideView),
        (status = 403, description = "The key lacks messages:read", body = ErrorBody),
        (status = 404, description = "No such conversation", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn get_one(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    PathOf(id): PathOf<String>,
) -> Result<Json<GuideView>, ApiError> {
    let guide = api.ops.guide(&principal, &id).await?;
    Ok(Json(GuideView {
        conversation_id: id,
        guide,
    }))
}

/// Sets or clears the AI guide of a conversation of the key's tenant.
/// Scope `messages:send`.
#[utoipa::path(
    put,
    path = "/conversations/{id}/guide",
    tag = "conversations",
    params(("id" = String, Path, description = "The conversation's id")),
    request_body = GuideBody,
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The guide as set", body = GuideView),
        (status = 400, description = "A bad body, or a guide empty or over 4,000 characters", body = ErrorBody),
        (status = 403, description = "The key lacks messages:send", body = ErrorBody),
        (status = 404, description = "No such conversation", body = ErrorBody),
        Refusals,
        BodyRefusals,
    )
)]
pub(super) async fn put(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    PathOf(id): PathOf<String>,
    JsonBody(body): JsonBody<GuideBody>,
) -> Result<Json<GuideView>, ApiError> {
    let guide = api
        .ops
        .set_guide(&principal, &id, body.guide.as_deref())
        .await?;
    Ok(Json(GuideView {
        conversation_id: id,
        guide,
    }))
}
