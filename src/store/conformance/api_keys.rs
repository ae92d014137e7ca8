//! Checks of API keys: [`Store::create_api_key`], [`Store::api_key`],
//! [`Store::api_keys`], [`Store::revoke_api_key`] and
//! [`Store::record_api_key_use`].

use chrono::{DateTime, TimeDelta, Utc};

use super::{put, t0, tenant};
use crate::core::api_key::{ApiKeyId, IssuedKey, KeyGrant, Scope, Scopes};
use crate::model::{ApiKeyRecord, IdSource, RandomIds, TenantId};
use crate::store::{Store, StoreError};

/// A new key of `tenant`, created at `at`, expiring a day later.
pub(super) fn api_key(tenant: TenantId, name: &str, at: DateTime<Utc>) -> ApiKeyRecord {
    let id = ApiKeyId::from_uuid(RandomIds.next_id());
    let issued = IssuedKey::new(id, [7; 32]);
    ApiKeyRecord {
        id,
        tenant,
        name: name.to_owned(),
        grant: KeyGrant {
            hash: *issued.hash(),
            scopes: Scopes::from([Scope::ContactsRead, Scope::MessagesSend]),
            expires_at: Some(at + TimeDelta::days(1)),
            revoked_at: None,
        },
        created_at: at,
        last_used_at: None,
    }
}

/// The stored key `id`, which must exist.
async fn stored<S: Store + ?Sized>(store: &S, id: ApiKeyId) -> ApiKeyRecord {
    let key = store.api_key(id).await.expect("api_key");
    key.expect("the key was created")
}

/// A key reads back exactly as created, by its id whatever the tenant; a
/// tenant lists its own keys only, oldest first; a taken id is refused and
/// leaves the stored key as it was.
pub async fn api_keys_are_found_by_id_and_listed_per_tenant<S: Store + ?Sized>(store: &S) {
    let (a, b) = (tenant(), tenant());
    put(store, &a).await;
    put(store, &b).await;
    let second = api_key(a.id, "second", t0() + TimeDelta::seconds(1));
    let first = api_key(a.id, "first", t0());
    let other = api_key(b.id, "other", t0());
    for key in [&second, &first, &other] {
        store.create_api_key(key).await.expect("create_api_key");
    }
    let found = store.api_key(first.id).await.expect("api_key");
    assert_eq!(found.as_ref(), Some(&first), "a key reads back as created");
    let listed = store.api_keys(a.id).await.expect("api_keys");
    assert_eq!(
        listed,
        vec![first.clone(), second.clone()],
        "a tenant's keys, oldest first"
    );
    assert_eq!(store.api_keys(b.id).await.expect("api_keys"), vec![other]);

    let mut again = api_key(a.id, "impostor", t0());
    again.id = first.id;
    let refused = store.create_api_key(&again).await;
    assert!(
        matches!(refused, Err(StoreError::Taken { .. })),
        "a taken key id is refused, got {refused:?}"
    );
    let kept = store.api_key(first.id).await.expect("api_key");
    assert_eq!(kept, Some(first), "a refused create changes nothing");
    let unknown = ApiKeyId::from_uuid(RandomIds.next_id());
    assert_eq!(store.api_key(unknown).await.expect("api_key"), None);
}

/// A revocation keeps its first time and only the key's own tenant can make
/// it; a use is recorded forwards only and never undoes a revocation.
pub async fn a_revocation_sticks_and_uses_are_recorded_forwards<S: Store + ?Sized>(store: &S) {
    let (a, b) = (tenant(), tenant());
    put(store, &a).await;
    put(store, &b).await;
    let key = api_key(a.id, "zapier", t0());
    store.create_api_key(&key).await.expect("create_api_key");
    let (t1, t2) = (t0() + TimeDelta::minutes(1), t0() + TimeDelta::minutes(2));

    let by_other = store
        .revoke_api_key(b.id, key.id, t1)
        .await
        .expect("revoke");
    assert!(!by_other, "another tenant cannot revoke the key");
    let read = stored(store, key.id).await;
    assert_eq!(
        read.grant.revoked_at, None,
        "another tenant's revocation changed it"
    );

    store
        .record_api_key_use(key.id, t2)
        .await
        .expect("record use");
    store
        .record_api_key_use(key.id, t1)
        .await
        .expect("record use");
    assert!(
        store
            .revoke_api_key(a.id, key.id, t1)
            .await
            .expect("revoke")
    );
    assert!(
        store
            .revoke_api_key(a.id, key.id, t2)
            .await
            .expect("revoke")
    );
    store
        .record_api_key_use(key.id, t2 + TimeDelta::seconds(1))
        .await
        .expect("record use");

    let read = stored(store, key.id).await;
    assert_eq!(
        read.grant.revoked_at,
        Some(t1),
        "the first revocation's time stays"
    );
    assert_eq!(
        read.last_used_at,
        Some(t2 + TimeDelta::seconds(1)),
        "the latest use is kept"
    );
    let unchanged = ApiKeyRecord {
        grant: read.grant.clone(),
        last_used_at: read.last_used_at,
        ..key
    };
    assert_eq!(read, unchanged, "nothing else of the key changed");
}
