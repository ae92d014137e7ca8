//! API key verification (SPEC §16): the pure check (read the token, SHA-256
//! it, compare in constant time, expiry and scope), and a whole
//! `ApiKeys::authenticate` through the memory store and a SQLite file (one
//! read by id per request; the last use is written at most once a minute, so
//! not here).
//!
//! ```sh
//! cargo bench --bench api_key --features sqlite -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use msgcore::core::api_key::{ApiKeyId, IssuedKey, KeyGrant, PresentedKey, Scope, Scopes};
use msgcore::engine::{Inbox, ManualClock};
use msgcore::model::{Tenant, TenantId, TenantSettings};
use msgcore::service::{ApiKeys, NewApiKey};
use msgcore::store::{MemoryStore, SqliteStore, Store};

fn check(c: &mut Criterion) {
    let id = ApiKeyId::from_uuid(uuid::Uuid::now_v7());
    let issued = IssuedKey::new(id, [7; 32]);
    let grant = KeyGrant {
        hash: *issued.hash(),
        scopes: Scopes::from([Scope::ContactsRead, Scope::MessagesSend]),
        expires_at: None,
        revoked_at: None,
    };
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
    let token = issued.token().to_owned();
    c.bench_function("api_key/parse and check", |b| {
        b.iter(|| {
            let presented = PresentedKey::parse(black_box(&token)).unwrap();
            grant.check(&presented, Scope::MessagesSend, now).unwrap();
        })
    });
}

/// A tenant with one key on `store`; the keys service and the key's token.
async fn one_key(store: Arc<dyn Store>) -> (ApiKeys, String) {
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
    let inbox = Inbox::builder(store)
        .clock(Arc::new(ManualClock::new(now)))
        .build();
    let tenant = Tenant {
        id: TenantId::from_uuid(uuid::Uuid::now_v7()),
        slug: "bench".into(),
        org_name: "Bench".into(),
        numbers: Vec::new(),
        settings: TenantSettings::default(),
    };
    inbox.put_tenant(&tenant).await.unwrap();
    let keys = ApiKeys::new(Arc::new(inbox));
    let new = NewApiKey::new("bench", Scopes::from([Scope::ContactsRead]));
    let token = keys
        .create(tenant.id, new)
        .await
        .unwrap()
        .token()
        .to_owned();
    // The first use writes the last-used time; the measured ones do not.
    keys.authenticate(Some(&token), Scope::ContactsRead)
        .await
        .unwrap();
    (keys, token)
}

fn authenticate(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("msgcore-bench-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let stores: [(&str, Arc<dyn Store>); 2] = [
        ("memory", Arc::new(MemoryStore::new())),
        (
            "sqlite",
            Arc::new(
                runtime
                    .block_on(SqliteStore::open(dir.join("keys.db")))
                    .unwrap(),
            ),
        ),
    ];
    for (name, store) in stores {
        let (keys, token) = runtime.block_on(one_key(store));
        c.bench_function(&format!("api_key/authenticate ({name})"), |b| {
            b.iter(|| {
                runtime
                    .block_on(keys.authenticate(Some(black_box(&token)), Scope::ContactsRead))
                    .unwrap()
            })
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

criterion_group!(benches, check, authenticate);
criterion_main!(benches);
