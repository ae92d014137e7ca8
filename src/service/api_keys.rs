//! API keys (SPEC §16): made with a name, scopes and an optional expiry, the
//! token shown once, only its hash stored, checked on every request.
//!
//! ```
//! # async fn demo() -> Result<(), msgcore::Error> {
//! use std::sync::Arc;
//! use msgcore::core::api_key::{Scope, Scopes};
//! use msgcore::engine::Inbox;
//! use msgcore::service::{ApiKeys, NewApiKey};
//! use msgcore::model::{Tenant, TenantId, TenantSettings};
//! use msgcore::store::MemoryStore;
//!
//! let inbox = Arc::new(Inbox::builder(Arc::new(MemoryStore::new())).build());
//! let tenant = Tenant {
//!     id: TenantId::from_uuid(uuid::Uuid::now_v7()),
//!     slug: "acme".into(),
//!     org_name: "Acme".into(),
//!     numbers: Vec::new(),
//!     settings: TenantSettings::default(),
//! };
//! inbox.put_tenant(&tenant).await?;
//! let keys = ApiKeys::new(Arc::clone(&inbox));
//!
//! let created = keys
//!     .create(tenant.id, NewApiKey::new("zapier", Scopes::from([Scope::ContactsRead])))
//!     .await?;
//! let token = created.token(); // show it once; it is never stored
//!
//! let principal = keys.authenticate(Some(token), Scope::ContactsRead).await?;
//! assert_eq!(principal.tenant, tenant.id);
//! let refused = keys.authenticate(Some(token), Scope::MessagesSend).await;
//! assert_eq!(refused.unwrap_err().http_status(), 403);
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::core::api_key::{
    ApiKeyId, IssuedKey, KeyGrant, KeyRefusal, PresentedKey, SECRET_BYTES, Scope, Scopes,
    check_new_key, should_record_use,
};
use crate::engine::{Inbox, NotFound};
use crate::error::Error;
use crate::model::{ApiKeyRecord, TenantId};

/// A key to make: its name, what it may do, and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiKey {
    /// What the tenant calls it.
    pub name: String,
    /// What it may do.
    pub scopes: Scopes,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
}

impl NewApiKey {
    /// A key that never expires.
    pub fn new(name: impl Into<String>, scopes: Scopes) -> NewApiKey {
        NewApiKey {
            name: name.into(),
            scopes,
            expires_at: None,
        }
    }
}

/// A key just made: the record stored, and the token, which exists nowhere
/// else. Its `Debug` hides the token.
#[derive(Clone)]
pub struct CreatedApiKey {
    /// The stored record (the token's hash, not the token).
    pub key: ApiKeyRecord,
    issued: IssuedKey,
}

impl CreatedApiKey {
    /// The token to show the user, once.
    pub fn token(&self) -> &str {
        self.issued.token()
    }
}

impl fmt::Debug for CreatedApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedApiKey")
            .field("key", &self.key)
            .field("issued", &self.issued)
            .finish()
    }
}

/// Who a request is: the tenant and key that its token opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The tenant whose data the request may touch, and no other.
    pub tenant: TenantId,
    /// The key that was presented.
    pub key: ApiKeyId,
    /// What the key may do.
    pub scopes: Scopes,
}

impl Principal {
    /// Whether the key may do what `needed` guards; a
    /// [`KeyRefusal::MissingScope`] (403) when it may not.
    pub fn require(&self, needed: Scope) -> Result<(), Error> {
        match self.scopes.allows(needed) {
            true => Ok(()),
            false => Err(KeyRefusal::MissingScope { needed }.into()),
        }
    }
}

/// Makes, checks, lists and revokes a tenant's API keys. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ApiKeys {
    inbox: Arc<Inbox>,
}

impl ApiKeys {
    /// The keys of `inbox`'s store, checked against its clock.
    pub fn new(inbox: Arc<Inbox>) -> ApiKeys {
        ApiKeys { inbox }
    }

    /// Makes a key for `tenant`: 256 random bits from the operating system,
    /// only their hash stored. The token is in the answer and nowhere else.
    pub async fn create(&self, tenant: TenantId, new: NewApiKey) -> Result<CreatedApiKey, Error> {
        let now = self.inbox.clock.now();
        let name = check_new_key(&new.name, &new.scopes, new.expires_at, now)?;
        self.inbox.tenant(tenant).await?;
        let id = ApiKeyId::from_uuid(self.inbox.ids.next_id());
        let mut secret = [0_u8; SECRET_BYTES];
        getrandom::fill(&mut secret).map_err(Error::Randomness)?;
        let issued = IssuedKey::new(id, secret);
        let key = ApiKeyRecord {
            id,
            tenant,
            name,
            grant: KeyGrant {
                hash: *issued.hash(),
                scopes: new.scopes,
                expires_at: new.expires_at,
                revoked_at: None,
            },
            created_at: now,
            last_used_at: None,
        };
        self.inbox.store.create_api_key(&key).await?;
        Ok(CreatedApiKey { key, issued })
    }

    /// Who presents `token` (the `Bearer` value of a request's `Authorization`
    /// header, `None` when there is none), if the key opens a request that
    /// needs `needed`: [`Error::ApiKey`] (401, or 403 for a missing scope)
    /// when it does not. Records the key's use, at most once a minute.
    pub async fn authenticate(
        &self,
        token: Option<&str>,
        needed: Scope,
    ) -> Result<Principal, Error> {
        let principal = self.identify(token).await?;
        principal.require(needed)?;
        Ok(principal)
    }

    /// Who presents `token`, whatever the key's scopes, if it is a valid key
    /// neither revoked nor expired: for a request any key may make.
    pub async fn identify(&self, token: Option<&str>) -> Result<Principal, Error> {
        let presented = PresentedKey::parse(token.ok_or(KeyRefusal::Missing)?)?;
        let key = self
            .inbox
            .store
            .api_key(presented.id())
            .await?
            .ok_or(KeyRefusal::Invalid)?;
        let now = self.inbox.clock.now();
        key.grant.opens(&presented, now)?;
        if should_record_use(key.last_used_at, now) {
            // Bookkeeping: a failure to note the use must not refuse a valid key.
            if let Err(error) = self.inbox.store.record_api_key_use(key.id, now).await {
                tracing::warn!(key = %key.id, %error, "could not record an API key's use");
            }
        }
        Ok(Principal {
            tenant: key.tenant,
            key: key.id,
            scopes: key.grant.scopes,
        })
    }

    /// Whether the key that opened `principal` is still neither revoked nor
    /// expired ([`Error::ApiKey`], 401, when it is, or is gone): for a
    /// request that lasts, such as an event stream.
    pub async fn still_in_force(&self, principal: &Principal) -> Result<(), Error> {
        let key = self.inbox.store.api_key(principal.key).await?;
        let key = key.ok_or(KeyRefusal::Invalid)?;
        key.grant.in_force(self.inbox.clock.now())?;
        Ok(())
    }

    /// The tenant's keys, revoked ones included, oldest first.
    pub async fn list(&self, tenant: TenantId) -> Result<Vec<ApiKeyRecord>, Error> {
        Ok(self.inbox.store.api_keys(tenant).await?)
    }

    /// Revokes the tenant's key `id` from now on; revoking it again keeps the
    /// first time. Another tenant's key is [`NotFound::ApiKey`].
    pub async fn revoke(&self, tenant: TenantId, id: ApiKeyId) -> Result<(), Error> {
        let now = self.inbox.clock.now();
        match self.inbox.store.revoke_api_key(tenant, id, now).await? {
            true => Ok(()),
            false => Err(NotFound::ApiKey(id.to_string()).into()),
        }
    }
}
