//! What an outgoing webhook says (SPEC §16, §18): each [`InboxEvent`] a
//! tenant's integrations may hear of, by its wire name, and the JSON body a
//! delivery carries.
//!
//! | type | when |
//! |---|---|
//! | `message.received` | a message arrived |
//! | `message.sent` | an outbound message was accepted and queued; its delivery follows as `message.status` |
//! | `message.status` | a message's delivery status moved (`sent`, `delivered`, `read`, `failed`, …) |
//! | `conversation.opened` | a conversation started or was reopened |
//! | `conversation.assigned` | an agent took a conversation |
//! | `conversation.resolved` | a conversation was resolved |
//! | `conversation.status` | any other status change (handed to the bot, the AI, or back to the team) |
//! | `consent.changed` | a contact opted in or out on a channel |
//! | `consent.review` | a reply that may revoke consent needs an agent's review |
//! | `contact.deleted` | a contact's profile was erased |
//! | `tag.added`, `tag.removed` | a contact's tags changed |
//! | `csat.recorded`, `csat.skipped` | a satisfaction rating arrived, or a survey was not sent |
//! | `responder.timed_out` | the bot or AI did not answer in time; a human has it |
//! | `call.logged` | a voice call reached a status |
//!
//! The body is `{"type": …, "timestamp": …, "data": {…}}`, `data` being the
//! event's fields; its `webhook-id` is `evt_` and the event's sequence
//! number, the same on every retry and for every endpoint.
//!
//! ```
//! use chrono::DateTime;
//! use msgcore::core::webhook_event::{EventType, webhook_body, webhook_id};
//! use msgcore::model::{ContactId, EventRecord, InboxEvent, TenantId};
//!
//! let event = InboxEvent::TagAdded { contact: ContactId::from_uuid(Default::default()), tag: "vip".into() };
//! assert_eq!(EventType::of(&event), Some(EventType::TagAdded));
//! let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
//! let record = EventRecord::new(TenantId::from_uuid(Default::default()), at, event);
//! let body: serde_json::Value = serde_json::from_slice(&webhook_body(&record)).unwrap();
//! assert_eq!(body["type"], "tag.added");
//! assert_eq!(body["timestamp"], "2023-11-14T22:13:20Z");
//! assert_eq!(body["data"]["tag"], "vip");
//! assert_eq!(webhook_id(42), "evt_42");
//! ```

use std::fmt;
use std::str::FromStr;

use chrono::SecondsFormat;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::core::conversation::Status;
use crate::model::{EventRecord, InboxEvent};

/// A kind of event an endpoint may subscribe to, by its wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EventType {
    /// `message.received`
    MessageReceived,
    /// `message.sent`
    MessageSent,
    /// `message.status`
    MessageStatus,
    /// `conversation.opened`
    ConversationOpened,
    /// `conversation.assigned`
    ConversationAssigned,
    /// `conversation.resolved`
    ConversationResolved,
    /// `conversation.status`
    ConversationStatus,
    /// `consent.changed`
    ConsentChanged,
    /// `consent.review`
    ConsentReview,
    /// `contact.deleted`
    ContactDeleted,
    /// `tag.added`
    TagAdded,
    /// `tag.removed`
    TagRemoved,
    /// `csat.recorded`
    CsatRecorded,
    /// `csat.skipped`
    CsatSkipped,
    /// `responder.timed_out`
    ResponderTimedOut,
    /// `call.logged`
    CallLogged,
    /// `automation.failed`
    AutomationFailed,
    /// `automation.webhook`: a rule's `webhook` action, delivered only to the
    /// endpoint it names.
    AutomationWebhook,
}

/// A name that is no [`EventType`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an event type; the types are {list}", list = EventType::names())]
pub struct UnknownEventType(pub String);

impl EventType {
    /// Every type, in the table's order.
    pub const ALL: [EventType; 18] = [
        EventType::MessageReceived,
        EventType::MessageSent,
        EventType::MessageStatus,
        EventType::ConversationOpened,
        EventType::ConversationAssigned,
        EventType::ConversationResolved,
        EventType::ConversationStatus,
        EventType::ConsentChanged,
        EventType::ConsentReview,
        EventType::ContactDeleted,
        EventType::TagAdded,
        EventType::TagRemoved,
        EventType::CsatRecorded,
        EventType::CsatSkipped,
        EventType::ResponderTimedOut,
        EventType::CallLogged,
        EventType::AutomationFailed,
        EventType::AutomationWebhook,
    ];

    /// The wire name, as `"message.received"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            EventType::MessageReceived => "message.received",
            EventType::MessageSent => "message.sent",
            EventType::MessageStatus => "message.status",
            EventType::ConversationOpened => "conversation.opened",
            EventType::ConversationAssigned => "conversation.assigned",
            EventType::ConversationResolved => "conversation.resolved",
            EventType::ConversationStatus => "conversation.status",
            EventType::ConsentChanged => "consent.changed",
            EventType::ConsentReview => "consent.review",
            EventType::ContactDeleted => "contact.deleted",
            EventType::TagAdded => "tag.added",
            EventType::TagRemoved => "tag.removed",
            EventType::CsatRecorded => "csat.recorded",
            EventType::CsatSkipped => "csat.skipped",
            EventType::ResponderTimedOut => "responder.timed_out",
            EventType::CallLogged => "call.logged",
            EventType::AutomationFailed => "automation.failed",
            EventType::AutomationWebhook => "automation.webhook",
        }
    }

    /// The type `event` is delivered as; `None` for the engine's own
    /// bookkeeping (automation triggers), which no integration hears of.
    pub fn of(event: &InboxEvent) -> Option<EventType> {
        Some(match event {
            InboxEvent::MessageReceived { .. } => EventType::MessageReceived,
            InboxEvent::MessageQueued { .. } => EventType::MessageSent,
            InboxEvent::MessageStatus { .. } => EventType::MessageStatus,
            InboxEvent::ConversationOpened { .. } => EventType::ConversationOpened,
            InboxEvent::ConversationStatus { status, .. } => match status {
                Status::Assigned => EventType::ConversationAssigned,
                Status::Resolved => EventType::ConversationResolved,
                _ => EventType::ConversationStatus,
            },
            InboxEvent::ConsentChanged { .. } => EventType::ConsentChanged,
            InboxEvent::PossibleRevocation { .. } => EventType::ConsentReview,
            InboxEvent::ContactDeleted { .. } => EventType::ContactDeleted,
            InboxEvent::TagAdded { .. } => EventType::TagAdded,
            InboxEvent::TagRemoved { .. } => EventType::TagRemoved,
            InboxEvent::CsatRecorded { .. } => EventType::CsatRecorded,
            InboxEvent::SurveySkipped { .. } => EventType::CsatSkipped,
            InboxEvent::ResponderTimedOut { .. } => EventType::ResponderTimedOut,
            InboxEvent::CallLogged { .. } => EventType::CallLogged,
            InboxEvent::AutomationFailed { .. } => EventType::AutomationFailed,
            InboxEvent::AutomationWebhook { .. } => EventType::AutomationWebhook,
            InboxEvent::Trigger { .. } => return None,
        })
    }

    fn names() -> String {
        let names: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
        names.join(", ")
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventType {
    type Err = UnknownEventType;

    fn from_str(name: &str) -> Result<EventType, UnknownEventType> {
        EventType::ALL
            .into_iter()
            .find(|t| t.as_str() == name)
            .ok_or_else(|| UnknownEventType(name.to_owned()))
    }
}

impl Serialize for EventType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<EventType, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// The `webhook-id` of the event numbered `sequence`: `evt_` and the
/// number, so a receiver that saw it once knows a retry.
pub fn webhook_id(sequence: u64) -> String {
    format!("evt_{sequence}")
}

/// The JSON body delivering `record`: its type, its time (RFC 3339, UTC) and
/// its fields as `data`. An event of no [`EventType`] is named by its
/// internal tag, though none is ever delivered.
pub fn webhook_body(record: &EventRecord) -> Vec<u8> {
    let mut data = match serde_json::to_value(&record.event) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    };
    let internal = data.remove("type");
    let kind = match EventType::of(&record.event) {
        Some(kind) => Value::from(kind.as_str()),
        None => internal.unwrap_or(Value::Null),
    };
    let body = json!({
        "type": kind,
        "timestamp": record.at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        "data": data,
    });
    body.to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_reads_back_from_its_wire_name() {
        for kind in EventType::ALL {
            assert_eq!(kind.as_str().parse::<EventType>(), Ok(kind));
        }
        let mut names: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EventType::ALL.len(), "names are distinct");
    }

    #[test]
    fn an_unknown_name_is_refused_with_the_list_of_names() {
        let error = "message.deleted".parse::<EventType>().unwrap_err();
        assert_eq!(error, UnknownEventType("message.deleted".into()));
        assert!(error.to_string().contains("message.received, message.sent"));
    }
}
