//! An API key as a store keeps it: whose it is, what it is called, what it
//! grants, and when it was last used. Never its secret (SPEC §16).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::TenantId;
use crate::core::api_key::{ApiKeyId, KeyGrant};

/// A tenant's API key: the [`KeyGrant`] a request is checked against, and
/// what a dashboard lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyRecord {
    /// The key's id: the token names it.
    pub id: ApiKeyId,
    /// The tenant whose data the key opens, and only that tenant's.
    pub tenant: TenantId,
    /// What the tenant called it (`"zapier"`, `"billing backend"`).
    pub name: String,
    /// Its hash, scopes, expiry and revocation.
    pub grant: KeyGrant,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When a request last used it, to the minute
    /// ([`LAST_USED_GRANULARITY`](crate::core::api_key::LAST_USED_GRANULARITY)).
    pub last_used_at: Option<DateTime<Utc>>,
}
