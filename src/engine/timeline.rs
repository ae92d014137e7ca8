//! A contact's timeline (SPEC §1): their messages and the audit events of
//! their record — consent and tag changes, conversations opened, assigned and
//! resolved, CSAT, calls — in time order.

use chrono::{DateTime, Utc};

use super::Inbox;
use crate::error::Error;
use crate::model::{ContactId, EventRecord, MessageRecord, TenantId};

/// One entry of a contact's timeline.
#[derive(Debug, Clone, PartialEq)]
pub enum TimelineEntry {
    /// A message from or to the contact (boxed: a message is several times
    /// the size of an event).
    Message(Box<MessageRecord>),
    /// An audit event of the contact's record
    /// ([`InboxEvent::is_on_timeline`](crate::model::InboxEvent::is_on_timeline)).
    Event(EventRecord),
}

impl TimelineEntry {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineEntry::Message(message) => message.created_at,
            TimelineEntry::Event(event) => event.at,
        }
    }
}

impl Inbox {
    /// The contact's timeline: their latest `limit` messages and audit events
    /// together, oldest first. At one instant a message comes before the events
    /// its arrival caused (the STOP before the consent change).
    pub async fn contact_timeline(
        &self,
        tenant: TenantId,
        contact: ContactId,
        limit: usize,
    ) -> Result<Vec<TimelineEntry>, Error> {
        let messages = self.store.timeline(tenant, contact, limit).await?;
        let events = self.store.contact_events(tenant, contact, limit).await?;
        Ok(merge(messages, events, limit))
    }
}

/// Both lists (each oldest first) merged by time, the newest `limit` kept.
fn merge(
    messages: Vec<MessageRecord>,
    events: Vec<(u64, EventRecord)>,
    limit: usize,
) -> Vec<TimelineEntry> {
    let mut entries: Vec<TimelineEntry> = messages
        .into_iter()
        .map(|m| TimelineEntry::Message(Box::new(m)))
        .chain(events.into_iter().map(|(_, e)| TimelineEntry::Event(e)))
        .collect();
    // A stable sort keeps each list's own order and puts messages first at a tie.
    entries.sort_by_key(TimelineEntry::at);
    let skip = entries.len().saturating_sub(limit);
    entries.split_off(skip)
}
