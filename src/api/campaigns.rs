//! `/campaigns`: created in SPEC §18's form, listed, read with their counts,
//! and paused, resumed or cancelled.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::Api;
use super::caller::Authorized;
use super::error::{ApiError, BodyRefusals, ErrorBody, JsonBody, PathOf, QueryOf, Refusals};
use super::params::PageQuery;
use crate::core::campaign::{CampaignChange, CampaignCounts, CampaignDefinition};
use crate::model::CampaignRecord;
use crate::service::{CampaignReport, Page, PageRequest};

/// A campaign as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CampaignView {
    /// Its id.
    pub id: String,
    /// `active`, `paused`, `cancelled` or `completed`.
    #[schema(example = "active")]
    pub status: String,
    /// How many recipients were frozen when it was created.
    pub recipients: u64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The campaign as it was created, in SPEC §18's form.
    #[schema(value_type = Object)]
    pub definition: Value,
}

impl From<&CampaignRecord> for CampaignView {
    fn from(record: &CampaignRecord) -> CampaignView {
        CampaignView {
            id: record.id.clone(),
            status: record.status.as_str().to_owned(),
            recipients: record.recipients,
            created_at: record.created_at,
            // A stored definition always serializes; a failure shows as null.
            definition: serde_json::to_value(&record.definition).unwrap_or(Value::Null),
        }
    }
}

/// What a campaign has done so far (SPEC §18).
#[derive(Debug, Serialize, ToSchema)]
pub struct CountsView {
    /// Recipients frozen when it was created.
    pub recipients: u64,
    /// Not yet queued.
    pub pending: u64,
    /// Queued, not yet sent.
    pub queued: u64,
    /// Sent, not yet delivered.
    pub sent: u64,
    /// Delivered (`read` counts as delivered).
    pub delivered: u64,
    /// Failed (`undelivered` counts as failed).
    pub failed: u64,
    /// Skipped, by reason (`opted_out`, `missing_variable`, `outside_window`,
    /// `cancelled`, …).
    pub skipped: BTreeMap<String, u64>,
}

impl From<&CampaignCounts> for CountsView {
    fn from(counts: &CampaignCounts) -> CountsView {
        CountsView {
            recipients: counts.recipients,
            pending: counts.pending,
            queued: counts.queued,
            sent: counts.sent,
            delivered: counts.delivered,
            failed: counts.failed,
            skipped: counts
                .skipped
                .iter()
                .map(|(reason, n)| (reason.as_str().to_owned(), *n))
                .collect(),
        }
    }
}

/// A campaign with its counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignDetail {
    /// The campaign.
    #[serde(flatten)]
    pub campaign: CampaignView,
    /// Its counts.
    pub counts: CountsView,
}

impl From<&CampaignReport> for CampaignDetail {
    fn from(report: &CampaignReport) -> CampaignDetail {
        CampaignDetail {
            campaign: CampaignView::from(&report.campaign),
            counts: CountsView::from(&report.counts),
        }
    }
}

/// A page of campaigns.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CampaignList {
    /// The campaigns of this page, newest first.
    pub campaigns: Vec<CampaignView>,
    /// The page number.
    pub page: u32,
    /// The page size asked for.
    pub limit: u32,
    /// Whether a next page has campaigns.
    pub has_more: bool,
}

impl From<Page<CampaignRecord>> for CampaignList {
    fn from(page: Page<CampaignRecord>) -> CampaignList {
        CampaignList {
            campaigns: page.items.iter().map(CampaignView::from).collect(),
            page: page.page,
            limit: page.limit,
            has_more: page.has_more,
        }
    }
}

/// `POST /campaigns`'s body: SPEC §18's campaign form (snake_case).
#[derive(Debug, Deserialize, ToSchema)]
#[allow(
    dead_code,
    reason = "only its schema is used; the body is read as a CampaignDefinition"
)]
struct NewCampaign {
    /// Your id for it (64 characters at most), unique per tenant.
    #[schema(example = "spring-sale")]
    id: String,
    /// The channel every message goes on.
    channel: super::params::ChannelName,
    /// Who receives it: contacts with any of `tags`; none is every contact.
    #[schema(value_type = Option<Object>, example = json!({"tags": ["vip"]}))]
    audience: Option<Value>,
    /// The text, with `{name}`, `{first_name}`, `{company}`, `{phone}`,
    /// `{email}` and `{attribute}` variables; or `template`.
    #[schema(example = "Hi {name}, 20% off this week. Reply STOP to opt out.")]
    text: Option<String>,
    /// An approved WhatsApp template: `name`, `language`, `components`.
    #[schema(value_type = Option<Object>)]
    template: Option<Value>,
    /// `marketing` (the default: held by quiet hours) or `transactional`.
    kind: Option<super::params::SendKindName>,
    /// When the first recipients may be queued; none is at once.
    start_at: Option<DateTime<Utc>>,
    /// At most this many recipients a minute.
    #[schema(minimum = 1)]
    per_minute: Option<u32>,
    /// The workflow each recipient starts once queued.
    workflow: Option<String>,
}

/// Creates a campaign and freezes its audience; its recipients are queued
/// from its start. Scope `campaigns:write`.
#[utoipa::path(
    post,
    path = "/campaigns",
    tag = "campaigns",
    request_body = NewCampaign,
    security(("api_key" = [])),
    responses(
        (status = 201, description = "Created, its audience frozen", body = CampaignDetail),
        (status = 400, description = "A bad body or campaign", body = ErrorBody),
        (status = 403, description = "The key lacks campaigns:write, or the audience is over the plan's broadcast limit", body = ErrorBody),
        (status = 409, description = "The tenant has a campaign with this id", body = ErrorBody),
        Refusals,
        BodyRefusals,
    )
)]
pub(super) async fn create(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    JsonBody(definition): JsonBody<CampaignDefinition>,
) -> Result<(StatusCode, Json<CampaignDetail>), ApiError> {
    let report = api.ops.create_campaign(&principal, definition).await?;
    Ok((StatusCode::CREATED, Json(CampaignDetail::from(&report))))
}

/// The key's tenant's campaigns, newest first. Scope `messages:read`.
#[utoipa::path(
    get,
    path = "/campaigns",
    tag = "campaigns",
    params(PageQuery),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "A page of campaigns", body = CampaignList),
        (status = 400, description = "A bad query", body = ErrorBody),
        (status = 403, description = "The key lacks messages:read", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn list(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    QueryOf(query): QueryOf<PageQuery>,
) -> Result<Json<CampaignList>, ApiError> {
    let page = PageRequest::new(query.page, query.limit)?;
    let found = api.ops.list_campaigns(&principal, page).await?;
    Ok(Json(CampaignList::from(found)))
}

/// One campaign of the key's tenant with its counts. Scope `messages:read`.
#[utoipa::path(
    get,
    path = "/campaigns/{id}",
    tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The campaign", body = CampaignDetail),
        (status = 403, description = "The key lacks messages:read", body = ErrorBody),
        (status = 404, description = "No such campaign", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn get_one(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    PathOf(id): PathOf<String>,
) -> Result<Json<CampaignDetail>, ApiError> {
    let report = api.ops.campaign(&principal, &id).await?;
    Ok(Json(CampaignDetail::from(&report)))
}

/// Declares `POST /campaigns/{id}/<action>`: a change of the campaign.
macro_rules! change_route {
    ($name:ident, $action:literal, $change:expr, $what:literal) => {
        #[doc = $what]
        #[doc = " Scope `campaigns:write`."]
        #[utoipa::path(
            post,
            path = concat!("/campaigns/{id}/", $action),
            tag = "campaigns",
            params(("id" = String, Path, description = "The campaign's id")),
            security(("api_key" = [])),
            responses(
                (status = 200, description = "The campaign as changed", body = CampaignDetail),
                (status = 403, description = "The key lacks campaigns:write", body = ErrorBody),
                (status = 404, description = "No such campaign", body = ErrorBody),
                (status = 409, description = "The campaign is cancelled or completed", body = ErrorBody),
                Refusals,
            )
        )]
        pub(super) async fn $name(
            State(api): State<Api>,
            Authorized(principal): Authorized,
            PathOf(id): PathOf<String>,
        ) -> Result<Json<CampaignDetail>, ApiError> {
            let report = api.ops.change_campaign(&principal, &id, $change).await?;
            Ok(Json(CampaignDetail::from(&report)))
        }
    };
}

change_route!(
    pause,
    "pause",
    CampaignChange::Pause,
    "Pauses a campaign: nobody is queued until it is resumed."
);
change_route!(
    resume,
    "resume",
    CampaignChange::Resume,
    "Resumes a paused campaign, its throttle counting from now."
);
change_route!(
    cancel,
    "cancel",
    CampaignChange::Cancel,
    "Cancels a campaign: its pending recipients are skipped `cancelled`."
);
