//! The memory store's outgoing webhook endpoints.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use crate::core::webhook_retry::DeliveryState;
use crate::model::{TenantId, WebhookEndpoint, WebhookId};
use crate::store::StoreError;

/// Endpoints by id (each one's tenant checked on every read).
#[derive(Debug, Default)]
pub(super) struct Webhooks(HashMap<WebhookId, WebhookEndpoint>);

impl Webhooks {
    /// Stores `endpoint` with its cursor at `latest`.
    pub(super) fn create(
        &mut self,
        endpoint: &WebhookEndpoint,
        latest: u64,
    ) -> Result<WebhookEndpoint, StoreError> {
        if self.0.contains_key(&endpoint.id) {
            return Err(StoreError::Taken {
                what: format!("webhook endpoint {}", endpoint.id),
            });
        }
        let mut stored = endpoint.clone();
        stored.delivery.cursor = latest;
        self.0.insert(stored.id, stored.clone());
        Ok(stored)
    }

    pub(super) fn of_tenant(&self, tenant: TenantId) -> Vec<WebhookEndpoint> {
        let mut endpoints: Vec<WebhookEndpoint> = self
            .0
            .values()
            .filter(|endpoint| endpoint.tenant == tenant)
            .cloned()
            .collect();
        endpoints.sort_by_key(|endpoint| (endpoint.created_at, endpoint.id));
        endpoints
    }

    pub(super) fn get_mut(
        &mut self,
        tenant: TenantId,
        id: WebhookId,
    ) -> Option<&mut WebhookEndpoint> {
        self.0
            .get_mut(&id)
            .filter(|endpoint| endpoint.tenant == tenant)
    }

    pub(super) fn delete(&mut self, tenant: TenantId, id: WebhookId) -> bool {
        match self.get_mut(tenant, id) {
            Some(_) => self.0.remove(&id).is_some(),
            None => false,
        }
    }

    /// Claims the due endpoints `has_events` says have events after their
    /// cursor, the earliest due first.
    pub(super) fn claim(
        &mut self,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
        has_events: impl Fn(TenantId, u64) -> bool,
    ) -> Vec<WebhookEndpoint> {
        let mut due: Vec<&mut WebhookEndpoint> = self
            .0
            .values_mut()
            .filter(|e| e.delivery.is_due(now) && has_events(e.tenant, e.delivery.cursor))
            .collect();
        due.sort_by_key(|e| (e.delivery.due_at(), e.id));
        due.into_iter()
            .take(limit)
            .map(|endpoint| {
                endpoint.delivery.claim(now, lease);
                endpoint.clone()
            })
            .collect()
    }

    pub(super) fn settle(
        &mut self,
        tenant: TenantId,
        id: WebhookId,
        claim: u32,
        state: &DeliveryState,
    ) -> bool {
        match self.get_mut(tenant, id) {
            Some(endpoint) if endpoint.delivery.claim_stands(claim) => {
                endpoint.delivery = state.clone();
                true
            }
            _ => false,
        }
    }
}
