//! A tenant's events, read a batch at a time, for a dashboard's event stream
//! (`GET /events`). A key needs `messages:read`; it is checked again at each
//! read, so a stream opened with a key that is then revoked or expires ends.

use super::api_keys::Principal;
use super::operations::Operations;
use crate::core::api_key::Scope;
use crate::error::Error;
use crate::model::EventRecord;

/// How many events one read takes at most.
pub const EVENT_BATCH: usize = 100;

/// One read of a tenant's event log.
#[derive(Debug, Clone, PartialEq)]
pub struct EventBatch {
    /// The events read, with their sequence numbers, in order (the engine's
    /// own bookkeeping included: see
    /// [`EventType::of`](crate::core::webhook_event::EventType::of)).
    pub events: Vec<(u64, EventRecord)>,
    /// The sequence number to read after next time.
    pub through: u64,
    /// Whether the read was full, so more may be waiting now.
    pub more: bool,
}

impl Operations {
    /// The tenant's events after sequence number `after`, at most
    /// [`EVENT_BATCH`]; with no `after`, none, and the tenant's latest
    /// sequence number to follow from. Scope `messages:read`, and the key
    /// still neither revoked nor expired.
    pub async fn events_after(
        &self,
        principal: &Principal,
        after: Option<u64>,
    ) -> Result<EventBatch, Error> {
        principal.require(Scope::MessagesRead)?;
        self.keys.still_in_force(principal).await?;
        let store = &self.inbox.store;
        let Some(after) = after else {
            let through = store.latest_event(principal.tenant).await?;
            return Ok(EventBatch {
                events: Vec::new(),
                through,
                more: false,
            });
        };
        let events = store.events(principal.tenant, after, EVENT_BATCH).await?;
        let through = events.last().map_or(after, |(sequence, _)| *sequence);
        let more = events.len() == EVENT_BATCH;
        Ok(EventBatch {
            events,
            through,
            more,
        })
    }
}
