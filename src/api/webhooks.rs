//! `/webhooks`: the tenant's outgoing webhook endpoints, registered with a
//! secret shown once, listed with where their deliveries stand, enabled
//! again, and deleted.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{RefOr, schema::SchemaType};
use utoipa::{PartialSchema, ToSchema};

use super::Api;
use super::caller::Authorized;
use super::error::{ApiError, BodyRefusals, ErrorBody, JsonBody, PathOf, Refusals};
use crate::core::webhook_event::EventType;
use crate::model::WebhookEndpoint;
use crate::service::NewWebhook;

impl PartialSchema for EventType {
    fn schema() -> RefOr<Schema> {
        let names = EventType::ALL.map(EventType::as_str);
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::String))
            .enum_values(Some(names))
            .into()
    }
}

impl ToSchema for EventType {}

/// An endpoint as the API shows it; never its secret.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookView {
    /// Its id.
    pub id: String,
    /// Where deliveries go.
    pub url: String,
    /// The event types it hears; empty is every type.
    pub events: Vec<EventType>,
    /// What the tenant wrote about it.
    pub description: Option<String>,
    /// `active`, or `disabled` after failing every retry.
    #[schema(example = "active")]
    pub status: String,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// When it last accepted an event.
    pub last_delivered_at: Option<DateTime<Utc>>,
    /// Failed attempts in a row at its next event.
    pub failures: u32,
    /// Why the last attempt failed, until one succeeds.
    pub last_error: Option<String>,
    /// When it was disabled.
    pub disabled_at: Option<DateTime<Utc>>,
}

impl From<&WebhookEndpoint> for WebhookView {
    fn from(endpoint: &WebhookEndpoint) -> WebhookView {
        let delivery = &endpoint.delivery;
        let status = match delivery.disabled_at {
            Some(_) => "disabled",
            None => "active",
        };
        WebhookView {
            id: endpoint.id.to_string(),
            url: endpoint.url.as_str().to_owned(),
            events: endpoint.events.types().collect(),
            description: endpoint.description.clone(),
            status: status.to_owned(),
            created_at: endpoint.created_at,
            last_delivered_at: delivery.last_delivered_at,
            failures: delivery.failures,
            last_error: delivery.last_error.clone(),
            disabled_at: delivery.disabled_at,
        }
    }
}

/// A new endpoint, with the secret its deliveries are signed with: shown
/// here and never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhook {
    /// The endpoint.
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// `whsec_` and base64: verify each delivery's `webhook-signature` with
    /// it (any Standard Webhooks library does).
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: String,
}

/// The tenant's endpoints.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    /// Oldest first.
    pub webhooks: Vec<WebhookView>,
}

/// `POST /webhooks`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhookBody {
    /// Where deliveries go: `https://`, at a public address.
    #[schema(example = "https://crm.example.com/hooks/inbox")]
    pub url: String,
    /// The event types it hears; none or empty is every type.
    #[serde(default)]
    pub events: Vec<EventType>,
    /// What it is for (500 characters at most).
    pub description: Option<String>,
}

/// Registers an endpoint; every event of the tenant it hears from now on is
/// delivered to it, signed with the secret in the answer. Scope `admin`.
#[utoipa::path(
    post,
    path = "/webhooks",
    tag = "webhooks",
    request_body = NewWebhookBody,
    security(("api_key" = [])),
    responses(
        (status = 201, description = "Registered; the secret is shown this once", body = CreatedWebhook),
        (status = 400, description = "A bad body, URL or description", body = ErrorBody),
        (status = 403, description = "The key lacks admin", body = ErrorBody),
        (status = 409, description = "The tenant has as many endpoints as it may", body = ErrorBody),
        Refusals,
        BodyRefusals,
    )
)]
pub(super) async fn create(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    JsonBody(body): JsonBody<NewWebhookBody>,
) -> Result<(StatusCode, Json<CreatedWebhook>), ApiError> {
    let new = NewWebhook {
        url: body.url,
        events: body.events,
        description: body.description,
    };
    let endpoint = api.ops.create_webhook(&principal, new).await?;
    let created = CreatedWebhook {
        webhook: WebhookView::from(&endpoint),
        secret: endpoint.secret.to_text(),
    };
    Ok((StatusCode::CREATED, Json(created)))
}

/// The tenant's endpoints, oldest first, with where their deliveries stand.
/// Scope `admin`.
#[utoipa::path(
    get,
    path = "/webhooks",
    tag = "webhooks",
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The endpoints", body = WebhookList),
        (status = 403, description = "The key lacks admin", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn list(
    State(api): State<Api>,
    Authorized(principal): Authorized,
) -> Result<Json<WebhookList>, ApiError> {
    let endpoints = api.ops.list_webhooks(&principal).await?;
    let webhooks = endpoints.iter().map(WebhookView::from).collect();
    Ok(Json(WebhookList { webhooks }))
}

/// Deletes an endpoint; its deliveries stop. Scope `admin`.
#[utoipa::path(
    delete,
    path = "/webhooks/{id}",
    tag = "webhooks",
    params(("id" = String, Path, description = "The endpoint's id")),
    security(("api_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "The key lacks admin", body = ErrorBody),
        (status = 404, description = "No such endpoint", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn delete(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    PathOf(id): PathOf<String>,
) -> Result<StatusCode, ApiError> {
    api.ops.delete_webhook(&principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enables an endpoint that was disabled: it resumes with the first event
/// it did not deliver. Scope `admin`.
#[utoipa::path(
    post,
    path = "/webhooks/{id}/enable",
    tag = "webhooks",
    params(("id" = String, Path, description = "The endpoint's id")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The endpoint, active", body = WebhookView),
        (status = 403, description = "The key lacks admin", body = ErrorBody),
        (status = 404, description = "No such endpoint", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn enable(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    PathOf(id): PathOf<String>,
) -> Result<Json<WebhookView>, ApiError> {
    let endpoint = api.ops.enable_webhook(&principal, &id).await?;
    Ok(Json(WebhookView::from(&endpoint)))
}
