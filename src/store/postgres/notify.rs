//! Events across replicas on PostgreSQL: each replica's commits `NOTIFY`, and
//! each replica `LISTEN`s, so a dashboard's event stream on any replica wakes
//! for an event committed on any other.

use async_trait::async_trait;
use sqlx::postgres::{PgListener, PgPool};

use super::PostgresStore;
use crate::engine::{EventSink, LiveEvents};
use crate::model::event::distinct_tenants;
use crate::model::{EventRecord, TenantId};
use crate::store::StoreError;
use crate::store::sql::db;

/// The channel replicas notify and listen on; the payload is a tenant id.
pub const EVENTS_CHANNEL: &str = "msgcore_events";

/// An [`EventSink`] that tells every listening replica which tenants have
/// new events ([`PostgresStore::notify_events`]).
#[derive(Debug, Clone)]
pub struct PostgresEvents {
    pool: PgPool,
}

impl PostgresStore {
    /// Listens for the events every replica commits, waking `live`'s
    /// followers, and returns the sink to make the inbox's
    /// ([`InboxBuilder::events`](crate::engine::InboxBuilder::events)) so
    /// that this replica's commits wake the others (and itself). The
    /// listener runs on a connection of its own until the process ends,
    /// reconnecting when the connection drops; a wake-up lost meanwhile
    /// costs a follower one poll interval, never an event, since followers
    /// read events from the store.
    pub async fn notify_events(&self, live: &LiveEvents) -> Result<PostgresEvents, StoreError> {
        let mut listener = PgListener::connect_with(self.pool()).await.map_err(db)?;
        listener.listen(EVENTS_CHANNEL).await.map_err(db)?;
        tokio::spawn(wake_followers(listener, live.clone()));
        Ok(PostgresEvents {
            pool: self.pool().clone(),
        })
    }
}

async fn wake_followers(mut listener: PgListener, live: LiveEvents) {
    loop {
        match listener.recv().await {
            Ok(notification) => match notification.payload().parse::<TenantId>() {
                Ok(tenant) => live.wake(tenant),
                Err(_) => tracing::warn!(
                    channel = EVENTS_CHANNEL,
                    "a notification without a tenant id; ignored"
                ),
            },
            Err(error) => {
                tracing::warn!(%error, "listening for events failed; trying again in a second");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        }
    }
}

#[async_trait]
impl EventSink for PostgresEvents {
    async fn publish(&self, events: &[EventRecord]) {
        for tenant in distinct_tenants(events) {
            let notified = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(EVENTS_CHANNEL)
                .bind(tenant.to_string())
                .execute(&self.pool)
                .await;
            // The events are committed: a lost wake-up only delays followers.
            if let Err(error) = notified {
                tracing::warn!(%tenant, %error, "could not notify replicas of new events");
            }
        }
    }
}
