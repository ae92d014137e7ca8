//! Conversations: their status, the events that move it, and when a message from a
//! contact resumes an old conversation instead of starting a new one (SPEC §4).
//!
//! A conversation is one thread with one contact on one tenant. Its [`Status`] says
//! who is handling it: nobody yet (`OPEN`), an agent (`ASSIGNED`), a flow bot
//! (`BOT_ACTIVE`), an AI agent (`AI_ACTIVE`), or nobody because it is done
//! (`RESOLVED`). The status only ever changes through [`transition`], a total, pure
//! function of the status and an [`Event`], so every path that moves a
//! conversation (the inbox, the API, automation rules, a bot handing off) obeys the
//! same table, and anything else is refused with an [`InvalidTransition`] instead
//! of quietly doing something surprising.
//!
//! # The transition table
//!
//! Events are named by their wire names ([`EventKind`]). A row applies to the
//! statuses in its *from* column; `unchanged` keeps the status.
//!
//! | event | from | to |
//! |---|---|---|
//! | `inbound` | `RESOLVED`, within the resumption window | `OPEN` |
//! | `inbound` | any other | unchanged |
//! | `assign` | `OPEN`, `ASSIGNED` (reassign), `BOT_ACTIVE`, `AI_ACTIVE` | `ASSIGNED` |
//! | `unassign` | `ASSIGNED` | `OPEN` |
//! | `hand_to_bot` | `OPEN`, `ASSIGNED`, `BOT_ACTIVE`, `AI_ACTIVE` | `BOT_ACTIVE` |
//! | `hand_to_ai` | `OPEN`, `ASSIGNED`, `BOT_ACTIVE`, `AI_ACTIVE` | `AI_ACTIVE` |
//! | `hand_to_human` | `BOT_ACTIVE`, `AI_ACTIVE` | `OPEN` |
//! | `resolve` | `OPEN`, `ASSIGNED`, `BOT_ACTIVE`, `AI_ACTIVE` | `RESOLVED` |
//! | `reopen` | `RESOLVED` | `OPEN` |
//!
//! Every other pair (resolving a resolved conversation, reopening an open one,
//! unassigning one nobody owns, handing a human's conversation "back" to a human) is
//! an [`InvalidTransition`]. An inbound message is never refused: a contact can
//! always write. A test reads this very table and checks [`transition`] against it
//! for every status and event, so the two cannot drift apart.
//!
//! # The record, and resumption
//!
//! [`Conversation`] is the little the rules need to remember: the status, the
//! agent who owns it (exactly when it is `ASSIGNED`), and when it last saw
//! activity. Ids, the contact and the messages are the store's business.
//!
//! An inbound message goes to the contact's latest conversation unless that one is
//! `RESOLVED` and its last activity lies outside the [`ResumptionPolicy`] window
//! (30 days by default, the Telnyx system's "automatically resumes conversations
//! within 30 days"); then a new conversation starts. [`on_inbound`] makes that
//! decision and returns the conversation to store. The window is half-open like
//! every window in msgcore: a message 30 days after the last activity, to the
//! nanosecond, starts a new conversation; one a nanosecond earlier resumes the old.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use msgcore::core::conversation::{
//!     AgentId, Conversation, Event, InboundDecision, ResumptionPolicy, Status, on_inbound,
//! };
//!
//! let day = |d| Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + TimeDelta::days(d);
//! let policy = ResumptionPolicy::default();
//!
//! // The first message from a contact starts a conversation; an agent takes it and resolves it.
//! let first = on_inbound(None, day(0), &policy);
//! assert!(matches!(first, InboundDecision::StartNew(_)));
//! let assigned = first.conversation().apply(&Event::Assign { agent: AgentId::new("ann") }, day(0))?;
//! assert_eq!(assigned.assignee().map(AgentId::as_str), Some("ann"));
//! let resolved = assigned.apply(&Event::Resolve, day(1))?;
//! assert_eq!(resolved.assignee(), None);
//!
//! // Resolving twice is refused, with the status and the event named.
//! let error = resolved.apply(&Event::Resolve, day(1)).unwrap_err();
//! assert_eq!(error.to_string(), "cannot resolve a conversation that is RESOLVED");
//!
//! // A message just under 30 days after that last activity reopens it; one exactly
//! // 30 days after starts a new conversation.
//! let resumed = on_inbound(Some(&resolved), day(31) - TimeDelta::nanoseconds(1), &policy);
//! assert!(matches!(resumed, InboundDecision::Resume(_)));
//! assert_eq!(resumed.conversation().status(), Status::Open);
//! assert!(matches!(on_inbound(Some(&resolved), day(31), &policy), InboundDecision::StartNew(_)));
//! # Ok::<(), msgcore::core::conversation::InvalidTransition>(())
//! ```

pub mod guide;
mod record;
mod resumption;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use record::{AgentId, Conversation, InconsistentConversation};
pub use resumption::{DEFAULT_RESUMPTION_WINDOW, InboundDecision, ResumptionPolicy, on_inbound};

/// Who is handling a conversation. Serialized exactly as SPEC §4 spells it
/// (`"OPEN"`, `"BOT_ACTIVE"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Active and awaiting an agent.
    Open,
    /// An agent owns it.
    Assigned,
    /// Closed by an agent (or a rule); a new message may resume it.
    Resolved,
    /// A flow bot is handling it.
    BotActive,
    /// An AI agent is handling it.
    AiActive,
}

impl Status {
    /// Every status, in a stable order.
    pub const ALL: [Status; 5] = [
        Status::Open,
        Status::Assigned,
        Status::Resolved,
        Status::BotActive,
        Status::AiActive,
    ];

    /// The wire name: `"OPEN"`, `"ASSIGNED"`, `"RESOLVED"`, `"BOT_ACTIVE"` or `"AI_ACTIVE"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Open => "OPEN",
            Status::Assigned => "ASSIGNED",
            Status::Resolved => "RESOLVED",
            Status::BotActive => "BOT_ACTIVE",
            Status::AiActive => "AI_ACTIVE",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something that happens to a conversation. Serialized with its wire name under
/// `"event"`: `{"event": "assign", "agent": "ann"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A message from the contact.
    Inbound {
        /// Whether the conversation's last activity lies within the resumption
        /// window ([`ResumptionPolicy::is_within`]); only a `RESOLVED` conversation
        /// cares. [`on_inbound`] works it out for the contact's latest conversation.
        within_resumption_window: bool,
    },
    /// An agent takes the conversation (or it is reassigned to them).
    Assign {
        /// The agent who owns it from now on.
        agent: AgentId,
    },
    /// The owning agent lets it go back to the queue.
    Unassign,
    /// The conversation is done.
    Resolve,
    /// A resolved conversation is opened again by hand.
    Reopen,
    /// A flow bot takes over.
    HandToBot,
    /// An AI agent takes over.
    HandToAi,
    /// The bot or AI agent hands off to a human: the conversation awaits an agent.
    HandToHuman,
}

impl Event {
    /// What kind of event this is, without its data.
    pub const fn kind(&self) -> EventKind {
        match self {
            Event::Inbound { .. } => EventKind::Inbound,
            Event::Assign { .. } => EventKind::Assign,
            Event::Unassign => EventKind::Unassign,
            Event::Resolve => EventKind::Resolve,
            Event::Reopen => EventKind::Reopen,
            Event::HandToBot => EventKind::HandToBot,
            Event::HandToAi => EventKind::HandToAi,
            Event::HandToHuman => EventKind::HandToHuman,
        }
    }
}

/// The kind of an [`Event`], as the transition table and errors name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// [`Event::Inbound`].
    Inbound,
    /// [`Event::Assign`].
    Assign,
    /// [`Event::Unassign`].
    Unassign,
    /// [`Event::Resolve`].
    Resolve,
    /// [`Event::Reopen`].
    Reopen,
    /// [`Event::HandToBot`].
    HandToBot,
    /// [`Event::HandToAi`].
    HandToAi,
    /// [`Event::HandToHuman`].
    HandToHuman,
}

impl EventKind {
    /// Every kind, in a stable order.
    pub const ALL: [EventKind; 8] = [
        EventKind::Inbound,
        EventKind::Assign,
        EventKind::Unassign,
        EventKind::Resolve,
        EventKind::Reopen,
        EventKind::HandToBot,
        EventKind::HandToAi,
        EventKind::HandToHuman,
    ];

    /// The wire name (`"hand_to_bot"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::Inbound => "inbound",
            EventKind::Assign => "assign",
            EventKind::Unassign => "unassign",
            EventKind::Resolve => "resolve",
            EventKind::Reopen => "reopen",
            EventKind::HandToBot => "hand_to_bot",
            EventKind::HandToAi => "hand_to_ai",
            EventKind::HandToHuman => "hand_to_human",
        }
    }

    /// What the event does, as a verb phrase for messages ("hand to a bot").
    const fn verb(self) -> &'static str {
        match self {
            EventKind::Inbound => "receive a message in",
            EventKind::Assign => "assign",
            EventKind::Unassign => "unassign",
            EventKind::Resolve => "resolve",
            EventKind::Reopen => "reopen",
            EventKind::HandToBot => "hand to a bot",
            EventKind::HandToAi => "hand to an AI agent",
            EventKind::HandToHuman => "hand to a human",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An event that the transition table does not allow from the conversation's
/// status (SPEC §17 error kind `invalid_transition`): the request conflicts with
/// the conversation's current state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {verb} a conversation that is {from}", verb = event.verb())]
#[non_exhaustive]
pub struct InvalidTransition {
    /// The conversation's status when the event arrived.
    pub from: Status,
    /// The event that was refused.
    pub event: EventKind,
}

/// The status after `event`, exactly as the module's transition table says, or an
/// [`InvalidTransition`] naming the status and the event.
///
/// ```
/// use msgcore::core::conversation::{Event, EventKind, InvalidTransition, Status, transition};
///
/// assert_eq!(transition(Status::BotActive, &Event::HandToHuman), Ok(Status::Open));
/// let refused = transition(Status::Open, &Event::Reopen).unwrap_err();
/// assert_eq!((refused.from, refused.event), (Status::Open, EventKind::Reopen));
/// ```
pub fn transition(from: Status, event: &Event) -> Result<Status, InvalidTransition> {
    use Status::{AiActive, Assigned, BotActive, Open, Resolved};
    let to = match (from, event) {
        (
            _,
            Event::Inbound {
                within_resumption_window,
            },
        ) => after_inbound(from, *within_resumption_window),
        (Open | Assigned | BotActive | AiActive, Event::Assign { .. }) => Assigned,
        (Assigned, Event::Unassign) => Open,
        (Open | Assigned | BotActive | AiActive, Event::HandToBot) => BotActive,
        (Open | Assigned | BotActive | AiActive, Event::HandToAi) => AiActive,
        (BotActive | AiActive, Event::HandToHuman) => Open,
        (Open | Assigned | BotActive | AiActive, Event::Resolve) => Resolved,
        (Resolved, Event::Reopen) => Open,
        _ => {
            return Err(InvalidTransition {
                from,
                event: event.kind(),
            });
        }
    };
    Ok(to)
}

/// The status after an inbound message: the one row of the table that never fails.
const fn after_inbound(from: Status, within_resumption_window: bool) -> Status {
    match from {
        Status::Resolved if within_resumption_window => Status::Open,
        unchanged => unchanged,
    }
}

#[cfg(test)]
mod tests;
