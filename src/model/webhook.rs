//! An outgoing webhook endpoint as a store keeps it (SPEC §16, §18): where
//! it points, what it hears, the secret its deliveries are signed with, and
//! where its deliveries stand.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::TenantId;
use crate::core::id::uuid_id;
use crate::core::webhook_endpoint::{EndpointUrl, EventFilter};
use crate::core::webhook_retry::DeliveryState;
use crate::core::webhook_signing::SigningSecret;

uuid_id!(
    /// A tenant's outgoing webhook endpoint.
    WebhookId
);

/// A tenant's endpoint. Its `Debug` hides the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    /// Its id.
    pub id: WebhookId,
    /// The tenant whose events it receives, and only that tenant's.
    pub tenant: TenantId,
    /// Where deliveries go.
    pub url: EndpointUrl,
    /// What the tenant wrote about it.
    pub description: Option<String>,
    /// The event types it hears.
    pub events: EventFilter,
    /// What its deliveries are signed with; shown to the tenant once.
    pub secret: SigningSecret,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// Where its deliveries stand.
    pub delivery: DeliveryState,
}
