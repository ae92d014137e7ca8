//! The `EventSink` port: real-time updates for dashboards and outgoing webhooks.

use std::sync::Mutex;

use async_trait::async_trait;

use crate::model::EventRecord;

/// Receives events after the change they describe has been committed.
///
/// Events are also stored with the change ([`Store::events`](crate::store::Store::events)),
/// so a sink that misses some (a crash between commit and publish) can catch up
/// from the store.
#[async_trait]
pub trait EventSink: Send + Sync {
    /// Publishes committed events, in order.
    async fn publish(&self, events: &[EventRecord]);
}

/// Drops every event.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoEvents;

#[async_trait]
impl EventSink for NoEvents {
    async fn publish(&self, _: &[EventRecord]) {}
}

/// Keeps every event in memory, for tests.
#[derive(Debug, Default)]
pub struct MemoryEvents(Mutex<Vec<EventRecord>>);

impl MemoryEvents {
    /// Every event published so far.
    pub fn all(&self) -> Vec<EventRecord> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

#[async_trait]
impl EventSink for MemoryEvents {
    async fn publish(&self, events: &[EventRecord]) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(events);
    }
}
