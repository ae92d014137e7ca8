//! API keys (SPEC §16) on the SQL stores: the record as a document, its
//! revocation and last use as columns of their own, so that neither write
//! can undo the other.

use chrono::{DateTime, Utc};

use super::ops::{finish, id};
use super::{Backend, Session, Value, db, decode, encode, nanos};
use crate::model::{ApiKeyId, ApiKeyRecord, TenantId};
use crate::store::StoreError;

const INSERT: &str = "INSERT INTO api_keys \
     (id, tenant, created_at, revoked_at, last_used_at, doc) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING";
const BY_ID: &str = "SELECT doc, revoked_at, last_used_at FROM api_keys WHERE id = $1";
const OF_TENANT: &str = "SELECT doc, revoked_at, last_used_at FROM api_keys \
     WHERE tenant = $1 ORDER BY created_at, id";
const REVOKE: &str = "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3) \
     WHERE tenant = $1 AND id = $2";
const RECORD_USE: &str = "UPDATE api_keys SET last_used_at = $2 \
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)";

/// A key's row as `BY_ID` and `OF_TENANT` read it.
pub(crate) type KeyRow = (String, Option<i64>, Option<i64>);

fn key_id(key: ApiKeyId) -> Value {
    Value::Id(key.as_uuid())
}

pub(crate) async fn create_api_key<B: Backend>(
    backend: &B,
    key: &ApiKeyRecord,
) -> Result<(), StoreError> {
    let row = vec![
        key_id(key.id),
        id(key.tenant),
        Value::Int(nanos(key.created_at)),
        Value::OptInt(key.grant.revoked_at.map(nanos)),
        Value::OptInt(key.last_used_at.map(nanos)),
        Value::Text(encode(key)?),
    ];
    let mut session = backend.write().await.map_err(db)?;
    let inserted = session.execute(INSERT, row).await.map_err(db);
    match finish(session, inserted).await? {
        0 => Err(StoreError::Taken {
            what: format!("API key {}", key.id),
        }),
        _ => Ok(()),
    }
}

pub(crate) async fn api_key<B: Backend>(
    backend: &B,
    key: ApiKeyId,
) -> Result<Option<ApiKeyRecord>, StoreError> {
    let mut session = backend.read().await.map_err(db)?;
    let rows = session
        .key_rows(BY_ID, vec![key_id(key)])
        .await
        .map_err(db)?;
    rows.into_iter().next().map(record_of).transpose()
}

pub(crate) async fn api_keys<B: Backend>(
    backend: &B,
    tenant: TenantId,
) -> Result<Vec<ApiKeyRecord>, StoreError> {
    let mut session = backend.read().await.map_err(db)?;
    let rows = session
        .key_rows(OF_TENANT, vec![id(tenant)])
        .await
        .map_err(db)?;
    rows.into_iter().map(record_of).collect()
}

fn record_of((doc, revoked_at, last_used_at): KeyRow) -> Result<ApiKeyRecord, StoreError> {
    let mut record: ApiKeyRecord = decode(&doc, "api_keys.doc")?;
    // The columns, not the document, say whether and when it was revoked and used.
    record.grant.revoked_at = revoked_at.map(DateTime::from_timestamp_nanos);
    record.last_used_at = last_used_at.map(DateTime::from_timestamp_nanos);
    Ok(record)
}

pub(crate) async fn revoke_api_key<B: Backend>(
    backend: &B,
    tenant: TenantId,
    key: ApiKeyId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let args = vec![id(tenant), key_id(key), Value::Int(nanos(at))];
    let changed = write(backend, REVOKE, args).await?;
    Ok(changed > 0)
}

pub(crate) async fn record_api_key_use<B: Backend>(
    backend: &B,
    key: ApiKeyId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    write(
        backend,
        RECORD_USE,
        vec![key_id(key), Value::Int(nanos(at))],
    )
    .await?;
    Ok(())
}

/// Runs one statement in a transaction of its own; the rows it changed.
async fn write<B: Backend>(
    backend: &B,
    sql: &'static str,
    args: Vec<Value>,
) -> Result<u64, StoreError> {
    let mut session = backend.write().await.map_err(db)?;
    let changed = session.execute(sql, args).await.map_err(db);
    finish(session, changed).await
}
