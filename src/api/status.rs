//! `GET /status`: the key's tenant and the numbers it is reachable on.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::Api;
use super::caller::Authorized;
use super::error::{ApiError, Refusals};
use crate::core::channel::Channel;
use crate::model::Tenant;

/// The tenant's WhatsApp connection, as the seed's `GET /status` shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusView {
    /// Whether the tenant has a WhatsApp number.
    pub connected: bool,
    /// The tenant's WhatsApp number, in E.164.
    #[schema(example = "+919876543210")]
    pub phone_number: Option<String>,
    /// The tenant's SMS number, in E.164.
    pub sms_number: Option<String>,
    /// The business's name.
    #[schema(example = "Acme Corp")]
    pub business_name: String,
}

impl StatusView {
    fn of(tenant: &Tenant) -> StatusView {
        let number = |channel: Channel| {
            let mut numbers = tenant.numbers.iter();
            let found = numbers.find(|n| n.channel == channel);
            found.map(|n| n.number.as_str().to_owned())
        };
        let phone_number = number(Channel::WhatsApp);
        StatusView {
            connected: phone_number.is_some(),
            phone_number,
            sms_number: number(Channel::Sms),
            business_name: tenant.org_name.clone(),
        }
    }
}

/// The key's tenant: its business name and its numbers. Any valid key.
#[utoipa::path(
    get,
    path = "/status",
    tag = "status",
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The tenant's connection", body = StatusView),
        Refusals,
    )
)]
pub(super) async fn status(
    State(api): State<Api>,
    Authorized(principal): Authorized,
) -> Result<Json<StatusView>, ApiError> {
    let tenant = api.ops.status(&principal).await?;
    Ok(Json(StatusView::of(&tenant)))
}
