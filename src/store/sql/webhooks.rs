//! Outgoing webhook endpoints on the SQL stores: each endpoint's record as a
//! document, with the two columns its claims are chosen by (when it is due,
//! and the last event it settled) kept beside it.

use chrono::{DateTime, TimeDelta, Utc};

use super::commit::lock_tenant_events;
use super::ops::{finish, id, latest_in, locked, read_all, read_one};
use super::{Backend, Session, Value, count, db, encode, nanos};
use crate::core::webhook_retry::DeliveryState;
use crate::model::{TenantId, WebhookEndpoint, WebhookId};
use crate::store::StoreError;

const INSERT: &str = "INSERT INTO webhook_endpoints \
     (id, tenant, created_at, due_at, after_seq, doc) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING";
const OF_TENANT: &str = "SELECT doc FROM webhook_endpoints \
     WHERE tenant = $1 ORDER BY created_at, id";
const BY_ID: &str = "SELECT doc FROM webhook_endpoints WHERE tenant = $1 AND id = $2";
const DELETE: &str = "DELETE FROM webhook_endpoints WHERE tenant = $1 AND id = $2";
const UPDATE: &str = "UPDATE webhook_endpoints SET due_at = $3, after_seq = $4, doc = $5 \
     WHERE tenant = $1 AND id = $2";

fn key(tenant: TenantId, endpoint: WebhookId) -> Vec<Value> {
    vec![id(tenant), Value::Id(endpoint.as_uuid())]
}

fn sequence(number: u64) -> Value {
    Value::Int(i64::try_from(number).unwrap_or(i64::MAX))
}

/// The columns derived from the document, after the key.
fn derived(endpoint: &WebhookEndpoint) -> Result<Vec<Value>, StoreError> {
    Ok(vec![
        Value::OptInt(endpoint.delivery.due_at().map(nanos)),
        sequence(endpoint.delivery.cursor),
        Value::Text(encode(endpoint)?),
    ])
}

pub(crate) async fn create_webhook<B: Backend>(
    backend: &B,
    endpoint: &WebhookEndpoint,
) -> Result<WebhookEndpoint, StoreError> {
    let mut session = backend.write().await.map_err(db)?;
    let created = insert::<B, _>(&mut session, endpoint).await;
    finish(session, created).await
}

async fn insert<B: Backend, S: Session>(
    session: &mut S,
    endpoint: &WebhookEndpoint,
) -> Result<WebhookEndpoint, StoreError> {
    // Under the lock commits take to append the tenant's events, so an event
    // committing now is either counted in the cursor or comes after it.
    lock_tenant_events(session, &B::DIALECT, endpoint.tenant)
        .await
        .map_err(db)?;
    let mut stored = endpoint.clone();
    stored.delivery.cursor = latest_in(session, endpoint.tenant).await?;
    let mut row = vec![
        Value::Id(stored.id.as_uuid()),
        id(stored.tenant),
        Value::Int(nanos(stored.created_at)),
    ];
    row.extend(derived(&stored)?);
    match session.execute(INSERT, row).await.map_err(db)? {
        0 => Err(StoreError::Taken {
            what: format!("webhook endpoint {}", stored.id),
        }),
        _ => Ok(stored),
    }
}

pub(crate) async fn webhooks<B: Backend>(
    backend: &B,
    tenant: TenantId,
) -> Result<Vec<WebhookEndpoint>, StoreError> {
    read_all(backend, OF_TENANT, vec![id(tenant)], "webhook endpoint").await
}

pub(crate) async fn webhook<B: Backend>(
    backend: &B,
    tenant: TenantId,
    endpoint: WebhookId,
) -> Result<Option<WebhookEndpoint>, StoreError> {
    read_one(backend, BY_ID, key(tenant, endpoint), "webhook endpoint").await
}

pub(crate) async fn delete_webhook<B: Backend>(
    backend: &B,
    tenant: TenantId,
    endpoint: WebhookId,
) -> Result<bool, StoreError> {
    let mut session = backend.write().await.map_err(db)?;
    let deleted = session
        .execute(DELETE, key(tenant, endpoint))
        .await
        .map_err(db);
    Ok(finish(session, deleted).await? > 0)
}

pub(crate) async fn enable_webhook<B: Backend>(
    backend: &B,
    tenant: TenantId,
    endpoint: WebhookId,
    now: DateTime<Utc>,
) -> Result<Option<WebhookEndpoint>, StoreError> {
    change(backend, tenant, endpoint, |stored| {
        stored.delivery.enable(now);
        true
    })
    .await
}

pub(crate) async fn settle_webhook<B: Backend>(
    backend: &B,
    tenant: TenantId,
    endpoint: WebhookId,
    claim: u32,
    state: &DeliveryState,
) -> Result<bool, StoreError> {
    let settled = change(backend, tenant, endpoint, |stored| {
        let stands = stored.delivery.claim_stands(claim);
        if stands {
            stored.delivery = state.clone();
        }
        stands
    })
    .await?;
    Ok(settled.is_some())
}

/// Reads the endpoint locked, lets `edit` change it, and writes it back when
/// `edit` says so: the endpoint as written, or `None` (nothing written).
async fn change<B: Backend>(
    backend: &B,
    tenant: TenantId,
    endpoint: WebhookId,
    edit: impl FnOnce(&mut WebhookEndpoint) -> bool + Send,
) -> Result<Option<WebhookEndpoint>, StoreError> {
    let mut session = backend.write().await.map_err(db)?;
    let changed = change_in::<B, _>(&mut session, tenant, endpoint, edit).await;
    finish(session, changed).await
}

async fn change_in<B: Backend, S: Session>(
    session: &mut S,
    tenant: TenantId,
    endpoint: WebhookId,
    edit: impl FnOnce(&mut WebhookEndpoint) -> bool + Send,
) -> Result<Option<WebhookEndpoint>, StoreError> {
    let args = key(tenant, endpoint);
    let found: Option<WebhookEndpoint> = locked(
        session,
        B::DIALECT.webhook_for_update,
        args,
        "webhook endpoint",
    )
    .await?;
    let Some(mut stored) = found else {
        return Ok(None);
    };
    if !edit(&mut stored) {
        return Ok(None);
    }
    update(session, &stored).await?;
    Ok(Some(stored))
}

async fn update<S: Session>(session: &mut S, endpoint: &WebhookEndpoint) -> Result<(), StoreError> {
    let mut args = key(endpoint.tenant, endpoint.id);
    args.extend(derived(endpoint)?);
    session.execute(UPDATE, args).await.map_err(db)?;
    Ok(())
}

pub(crate) async fn claim_webhooks<B: Backend>(
    backend: &B,
    now: DateTime<Utc>,
    lease: TimeDelta,
    limit: usize,
) -> Result<Vec<WebhookEndpoint>, StoreError> {
    let mut session = backend.write().await.map_err(db)?;
    let claimed = claim::<B, _>(&mut session, now, lease, limit).await;
    finish(session, claimed).await
}

async fn claim<B: Backend, S: Session>(
    session: &mut S,
    now: DateTime<Utc>,
    lease: TimeDelta,
    limit: usize,
) -> Result<Vec<WebhookEndpoint>, StoreError> {
    let args = vec![Value::Int(nanos(now)), Value::Int(count(limit))];
    let docs = session
        .texts(B::DIALECT.claimable_webhooks, args)
        .await
        .map_err(db)?;
    let mut claimed = Vec::with_capacity(docs.len());
    for doc in docs {
        let mut endpoint: WebhookEndpoint = super::decode(&doc, "webhook endpoint")?;
        endpoint.delivery.claim(now, lease);
        update(session, &endpoint).await?;
        claimed.push(endpoint);
    }
    Ok(claimed)
}
