//! Tenants found recently, so that a webhook does not read its tenant from
//! the store every time.
//!
//! A tenant changed through this `Inbox` is seen at once (the cache is
//! emptied); one changed by another replica or straight in the store is seen
//! within the cache's lifetime.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};

use crate::model::{Tenant, TenantRef};

/// How long a tenant found in the store is used before it is read again.
pub const DEFAULT_TENANT_CACHE: std::time::Duration = std::time::Duration::from_secs(5);

/// Tenants by the reference that found them, with when they were read.
#[derive(Debug)]
pub(crate) struct TenantCache {
    lifetime: TimeDelta,
    found: Mutex<HashMap<TenantRef, (Tenant, DateTime<Utc>)>>,
}

impl TenantCache {
    /// A cache keeping each tenant for `lifetime` (zero keeps none).
    pub(crate) fn new(lifetime: std::time::Duration) -> TenantCache {
        TenantCache {
            lifetime: TimeDelta::from_std(lifetime).unwrap_or(TimeDelta::MAX),
            found: Mutex::new(HashMap::new()),
        }
    }

    /// The tenant `reference` found less than the lifetime before `now`.
    pub(crate) fn get(&self, reference: &TenantRef, now: DateTime<Utc>) -> Option<Tenant> {
        let found = self.found.lock().unwrap_or_else(|p| p.into_inner());
        let (tenant, read_at) = found.get(reference)?;
        let fresh = now >= *read_at && now - *read_at < self.lifetime;
        fresh.then(|| tenant.clone())
    }

    /// Keeps `tenant`, read from the store at `now`, under `reference`.
    pub(crate) fn keep(&self, reference: &TenantRef, tenant: &Tenant, now: DateTime<Utc>) {
        if self.lifetime > TimeDelta::zero() {
            let mut found = self.found.lock().unwrap_or_else(|p| p.into_inner());
            found.insert(reference.clone(), (tenant.clone(), now));
        }
    }

    /// Forgets every tenant: one of them changed.
    pub(crate) fn clear(&self) {
        self.found.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}
