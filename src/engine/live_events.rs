//! [`LiveEvents`] (feature `tokio`): wakes whoever follows a tenant's events
//! (a dashboard's event stream) as soon as new ones are committed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use tokio::sync::watch;

use super::events::EventSink;
use crate::model::event::distinct_tenants;
use crate::model::{EventRecord, TenantId};

/// A wake-up per tenant: an [`EventSink`] that tells followers a tenant has
/// new events, which they then read from the store.
///
/// Followers never miss a wake-up: each holds a [`Follower`] whose
/// [`changed`](Follower::changed) returns at once if the tenant had events
/// since the follower last looked. The events themselves come from the
/// store ([`Store::events`](crate::store::Store::events)), so a wake-up
/// lost in a crash costs only latency, never an event. Cheap to clone: the
/// clones share the wake-ups.
///
/// In one process, make it the inbox's sink
/// ([`InboxBuilder::events`](super::InboxBuilder::events)). With replicas on
/// PostgreSQL, `PostgresStore::notify_events` makes every replica's commits
/// wake every replica's followers.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use msgcore::engine::LiveEvents;
/// use msgcore::model::TenantId;
///
/// let live = LiveEvents::default();
/// let tenant = TenantId::from_uuid(uuid::Uuid::now_v7());
/// let mut follower = live.follow(tenant);
/// live.wake(tenant);
/// follower.changed().await; // returns at once: there was news
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct LiveEvents {
    tenants: Arc<Mutex<HashMap<TenantId, watch::Sender<u64>>>>,
}

/// One follower of one tenant's events.
#[derive(Debug)]
pub struct Follower(watch::Receiver<u64>);

impl LiveEvents {
    /// Follows `tenant`'s events from now.
    pub fn follow(&self, tenant: TenantId) -> Follower {
        let mut tenants = self.tenants.lock().unwrap_or_else(PoisonError::into_inner);
        let sender = tenants.entry(tenant).or_insert_with(|| watch::channel(0).0);
        Follower(sender.subscribe())
    }

    /// Tells `tenant`'s followers it has new events.
    pub fn wake(&self, tenant: TenantId) {
        let tenants = self.tenants.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = tenants.get(&tenant) {
            sender.send_modify(|count| *count = count.wrapping_add(1));
        }
    }
}

impl Follower {
    /// Waits until the tenant has had events since this follower last
    /// returned from here (at once if it has).
    pub async fn changed(&mut self) {
        // The sender lives in the map as long as the `LiveEvents` does; if it
        // is gone, nothing will ever wake us, and the caller's poll remains.
        if self.0.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[async_trait]
impl EventSink for LiveEvents {
    async fn publish(&self, events: &[EventRecord]) {
        for tenant in distinct_tenants(events) {
            self.wake(tenant);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn tenant() -> TenantId {
        TenantId::from_uuid(uuid::Uuid::now_v7())
    }

    async fn woken(follower: &mut Follower) -> bool {
        tokio::time::timeout(Duration::from_millis(50), follower.changed())
            .await
            .is_ok()
    }

    #[tokio::test]
    async fn a_follower_is_woken_by_its_tenants_events_only_and_never_misses_one() {
        let live = LiveEvents::default();
        let (a, b) = (tenant(), tenant());
        let mut follower = live.follow(a);
        assert!(!woken(&mut follower).await, "nothing yet");
        live.wake(b);
        assert!(!woken(&mut follower).await, "another tenant's news");
        // Woken before it waits: the wake-up is kept for it.
        live.wake(a);
        assert!(woken(&mut follower).await);
        assert!(!woken(&mut follower).await, "each wake-up counts once");
    }
}
