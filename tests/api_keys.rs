//! API keys through the service layer: a token opens its own tenant with its
//! own scopes and nothing else, until it is revoked or expires; only its hash
//! is ever stored.

use std::sync::Arc;

use chrono::{TimeDelta, TimeZone, Utc};
use msgcore::core::api_key::{KeyRefusal, Scope, Scopes};
use msgcore::engine::{Inbox, ManualClock};
use msgcore::model::{Tenant, TenantId, TenantSettings};
use msgcore::service::{ApiKeys, CreatedApiKey, NewApiKey};
use msgcore::store::{MemoryStore, Store};
use msgcore::{Error, ErrorKind};
use proptest::prelude::*;

#[cfg(feature = "sqlite")]
#[path = "support/databases.rs"]
mod databases;

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

fn tenant(slug: &str) -> Tenant {
    Tenant {
        id: TenantId::from_uuid(uuid::Uuid::now_v7()),
        slug: slug.to_owned(),
        org_name: slug.to_owned(),
        numbers: Vec::new(),
        settings: TenantSettings::default(),
    }
}

struct World {
    keys: ApiKeys,
    clock: Arc<ManualClock>,
    store: Arc<dyn Store>,
    a: Tenant,
    b: Tenant,
}

impl World {
    /// A new key of tenant `a` with every scope.
    async fn admin_key(&self) -> CreatedApiKey {
        let new = NewApiKey::new("k", scopes(&[Scope::Admin]));
        self.keys.create(self.a.id, new).await.unwrap()
    }
}

async fn world_on(store: Arc<dyn Store>) -> World {
    let clock = Arc::new(ManualClock::new(t0()));
    let inbox = Inbox::builder(Arc::clone(&store))
        .clock(clock.clone())
        .build();
    let (a, b) = (tenant("a"), tenant("b"));
    inbox.put_tenant(&a).await.unwrap();
    inbox.put_tenant(&b).await.unwrap();
    World {
        keys: ApiKeys::new(Arc::new(inbox)),
        clock,
        store,
        a,
        b,
    }
}

async fn world() -> World {
    world_on(Arc::new(MemoryStore::new())).await
}

fn scopes(list: &[Scope]) -> Scopes {
    list.iter().copied().collect()
}

fn refusal(result: Result<msgcore::service::Principal, Error>) -> KeyRefusal {
    match result {
        Err(Error::ApiKey(refusal)) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_token_opens_its_own_tenant_with_the_scopes_it_was_given() {
    let w = world().await;
    let new = NewApiKey::new(
        "zapier",
        scopes(&[Scope::ContactsRead, Scope::MessagesSend]),
    );
    let created = w.keys.create(w.a.id, new).await.unwrap();
    let token = Some(created.token());

    let principal = w
        .keys
        .authenticate(token, Scope::ContactsRead)
        .await
        .unwrap();
    assert_eq!(principal.tenant, w.a.id);
    assert_eq!(principal.key, created.key.id);
    assert!(
        w.keys
            .authenticate(token, Scope::MessagesSend)
            .await
            .is_ok()
    );
    for needed in [Scope::ContactsWrite, Scope::CampaignsWrite, Scope::Admin] {
        let error = w.keys.authenticate(token, needed).await.unwrap_err();
        assert_eq!(
            (error.kind(), error.http_status()),
            (ErrorKind::Forbidden, 403)
        );
        assert_eq!(
            error.to_string(),
            format!("this API key lacks the scope {needed}")
        );
    }
}

#[tokio::test]
async fn an_admin_key_opens_every_scope() {
    let w = world().await;
    let new = NewApiKey::new("ops", scopes(&[Scope::Admin]));
    let created = w.keys.create(w.a.id, new).await.unwrap();
    for needed in Scope::ALL {
        assert!(
            w.keys
                .authenticate(Some(created.token()), needed)
                .await
                .is_ok()
        );
    }
}

#[tokio::test]
async fn no_key_a_malformed_key_and_a_wrong_secret_are_401_and_say_nothing_more() {
    let w = world().await;
    let created = w.admin_key().await;
    let token = created.token();
    let wrong_secret = format!(
        "{}{}",
        &token[..token.len() - 1],
        if token.ends_with('A') { 'B' } else { 'A' }
    );
    let unknown_id = token.replacen(
        &created.key.id.as_uuid().simple().to_string(),
        &"0".repeat(32),
        1,
    );

    let missing = w.keys.authenticate(None, Scope::ContactsRead).await;
    assert_eq!(refusal(missing), KeyRefusal::Missing);
    for bad in ["", "Bearer", "sk_live_abc", &token[1..]] {
        let malformed = w.keys.authenticate(Some(bad), Scope::ContactsRead).await;
        assert_eq!(refusal(malformed), KeyRefusal::Malformed, "{bad:?}");
    }
    for bad in [&wrong_secret, &unknown_id] {
        let error = w
            .keys
            .authenticate(Some(bad), Scope::ContactsRead)
            .await
            .unwrap_err();
        assert_eq!(
            (error.kind(), error.http_status()),
            (ErrorKind::Unauthorized, 401)
        );
        assert_eq!(error.to_string(), "invalid API key");
    }
    let stored = w.store.api_key(created.key.id).await.unwrap().unwrap();
    assert_eq!(
        stored.last_used_at, None,
        "a refused key was recorded as used"
    );
}

#[tokio::test]
async fn a_revoked_key_is_refused_from_then_on_and_only_its_tenant_can_revoke_it() {
    let w = world().await;
    let created = w.admin_key().await;
    let token = Some(created.token());

    let by_b = w.keys.revoke(w.b.id, created.key.id).await.unwrap_err();
    assert_eq!(
        (by_b.kind(), by_b.http_status()),
        (ErrorKind::UnknownApiKey, 404)
    );
    assert!(w.keys.authenticate(token, Scope::Admin).await.is_ok());

    w.clock.advance(TimeDelta::seconds(5));
    w.keys.revoke(w.a.id, created.key.id).await.unwrap();
    let revoked = w.keys.authenticate(token, Scope::ContactsRead).await;
    assert_eq!(refusal(revoked), KeyRefusal::Revoked);
    let listed = w.keys.list(w.a.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].grant.revoked_at,
        Some(t0() + TimeDelta::seconds(5))
    );
    assert!(w.keys.list(w.b.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_key_expires_at_its_expiry_and_a_past_expiry_is_refused_when_made() {
    let w = world().await;
    let mut new = NewApiKey::new("temp", scopes(&[Scope::ContactsRead]));
    new.expires_at = Some(t0() + TimeDelta::hours(1));
    let created = w.keys.create(w.a.id, new.clone()).await.unwrap();
    let token = Some(created.token());

    w.clock.advance(TimeDelta::minutes(59));
    assert!(
        w.keys
            .authenticate(token, Scope::ContactsRead)
            .await
            .is_ok()
    );
    w.clock.advance(TimeDelta::minutes(1));
    let expired = w.keys.authenticate(token, Scope::ContactsRead).await;
    assert_eq!(refusal(expired), KeyRefusal::Expired);

    let late = w.keys.create(w.a.id, new).await.unwrap_err();
    assert_eq!(
        (late.kind(), late.http_status()),
        (ErrorKind::InvalidApiKeyRequest, 400)
    );
}

#[tokio::test]
async fn a_key_for_a_tenant_that_does_not_exist_is_not_made() {
    let w = world().await;
    let nobody = TenantId::from_uuid(uuid::Uuid::now_v7());
    let error = w
        .keys
        .create(nobody, NewApiKey::new("k", scopes(&[Scope::Admin])))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnknownTenant);
    assert!(w.keys.list(nobody).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_last_use_is_written_at_most_once_a_minute() {
    let w = world().await;
    let created = w.admin_key().await;
    let last_used = || async {
        let key = w.store.api_key(created.key.id).await.unwrap().unwrap();
        key.last_used_at
    };
    let use_key = || w.keys.authenticate(Some(created.token()), Scope::Admin);

    use_key().await.unwrap();
    assert_eq!(last_used().await, Some(t0()));
    w.clock.advance(TimeDelta::seconds(59));
    use_key().await.unwrap();
    assert_eq!(
        last_used().await,
        Some(t0()),
        "written again within the minute"
    );
    w.clock.advance(TimeDelta::seconds(1));
    use_key().await.unwrap();
    assert_eq!(last_used().await, Some(t0() + TimeDelta::minutes(1)));
}

#[tokio::test]
async fn two_keys_never_share_a_token_and_no_record_or_debug_output_holds_the_secret() {
    let w = world().await;
    let new = NewApiKey::new("k", scopes(&[Scope::Admin]));
    let one = w.keys.create(w.a.id, new.clone()).await.unwrap();
    let two = w.keys.create(w.a.id, new).await.unwrap();
    assert_ne!(one.token(), two.token());
    assert_ne!(one.key.grant.hash, two.key.grant.hash);
    let secret = &one.token()["msgcore_".len() + 33..];
    assert_eq!(secret.len(), 43, "256 bits in base64url");
    let shown = format!("{one:?} {:?}", one.key);
    assert!(!shown.contains(secret), "{shown}");
    let json = serde_json::to_string(&one.key).unwrap();
    assert!(!json.contains(secret), "{json}");
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use msgcore::store::SqliteStore;

    use crate::databases;

    /// Every byte SQLite wrote for the database: the file and its WAL.
    fn bytes_on_disk(file: &databases::TempFile) -> Vec<u8> {
        let mut bytes = std::fs::read(&file.0).unwrap_or_default();
        let mut wal = file.0.clone().into_os_string();
        wal.push("-wal");
        bytes.extend(std::fs::read(wal).unwrap_or_default());
        bytes
    }

    #[tokio::test]
    async fn only_the_hash_reaches_the_disk_and_the_key_opens_after_a_restart() {
        let file = databases::TempFile::new();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&file.0).await.unwrap());
        let w = world_on(store).await;
        let created = w
            .keys
            .create(
                w.a.id,
                NewApiKey::new("backend", scopes(&[Scope::MessagesRead])),
            )
            .await
            .unwrap();
        let token = created.token().to_owned();
        let secret = token["msgcore_".len() + 33..].to_owned();
        drop(w);

        let disk = bytes_on_disk(&file);
        let hash = created.key.grant.hash.to_hex();
        let holds = |needle: &str| disk.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(holds(&hash), "the hash was not written");
        assert!(!holds(&secret), "the secret reached the disk");

        let reopened: Arc<dyn Store> = Arc::new(SqliteStore::open(&file.0).await.unwrap());
        let inbox = Inbox::builder(reopened)
            .clock(Arc::new(ManualClock::new(t0())))
            .build();
        let keys = ApiKeys::new(Arc::new(inbox));
        let principal = keys
            .authenticate(Some(&token), Scope::MessagesRead)
            .await
            .unwrap();
        assert_eq!(principal.key, created.key.id);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever text a request carries, authenticating never panics, and only
    /// the exact token opens: a token with any one character changed, removed
    /// or added is refused.
    #[test]
    fn only_the_exact_token_opens(
        edit in 0_usize..3,
        at in any::<prop::sample::Index>(),
        c in prop::char::any(),
        noise in ".{0,120}",
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let w = world().await;
            let created = w.admin_key().await;
            let mut chars: Vec<char> = created.token().chars().collect();
            let i = at.index(chars.len());
            match edit {
                0 => chars[i] = c,
                1 => { chars.remove(i); }
                _ => chars.insert(i, c),
            }
            let edited: String = chars.into_iter().collect();
            let opened = w.keys.authenticate(Some(&edited), Scope::ContactsRead).await;
            prop_assert_eq!(opened.is_ok(), edited == created.token());
            let noise_opened = w.keys.authenticate(Some(&noise), Scope::ContactsRead).await;
            prop_assert!(noise_opened.is_err());
            Ok(())
        })?;
    }
}
