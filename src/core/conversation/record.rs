//! What the rules remember about one conversation.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use super::{Event, InvalidTransition, Status, after_inbound, transition};

/// The id of an agent (a person working the inbox), as the tenant's system names
/// them. Opaque to msgcore.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AgentId(String);

impl AgentId {
    /// Wraps the tenant's id for an agent.
    pub fn new(id: impl Into<String>) -> AgentId {
        AgentId(id.into())
    }

    /// The id as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AgentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One conversation's state: its status, the agent who owns it, and its last
/// activity.
///
/// The assignee is present exactly when the status is `ASSIGNED`: handing the
/// conversation to a bot, resolving it or unassigning it lets the agent go, and a
/// resumed conversation is `OPEN`, awaiting whichever agent takes it. The fields are
/// private so that nothing but [`Conversation::apply`] (or a checked
/// [`Conversation::restore`]) can break that.
///
/// Serialized as `{"status": "ASSIGNED", "assignee": "ann", "last_activity_at": …}`
/// (no `assignee` unless assigned); deserializing checks the same rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversation {
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignee: Option<AgentId>,
    last_activity_at: DateTime<Utc>,
}

impl Conversation {
    /// A new conversation, `OPEN` and unassigned, started by a message at `now`.
    pub fn start(now: DateTime<Utc>) -> Conversation {
        Conversation {
            status: Status::Open,
            assignee: None,
            last_activity_at: now,
        }
    }

    /// Rebuilds a stored conversation, refusing an assignee on a conversation that
    /// is not `ASSIGNED` or an `ASSIGNED` one without an agent.
    pub fn restore(
        status: Status,
        assignee: Option<AgentId>,
        last_activity_at: DateTime<Utc>,
    ) -> Result<Conversation, InconsistentConversation> {
        if assignee.is_some() != (status == Status::Assigned) {
            return Err(InconsistentConversation { status, assignee });
        }
        Ok(Conversation {
            status,
            assignee,
            last_activity_at,
        })
    }

    /// Who is handling it.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The agent who owns it: `Some` exactly when the status is `ASSIGNED`.
    pub fn assignee(&self) -> Option<&AgentId> {
        self.assignee.as_ref()
    }

    /// When a message or a status change last happened in it.
    pub fn last_activity_at(&self) -> DateTime<Utc> {
        self.last_activity_at
    }

    /// The conversation after `event` at `now`, or why the event is not allowed
    /// from its status (see the table in the [module docs](super)).
    ///
    /// Every allowed event counts as activity. The last activity never moves
    /// backwards: a provider's late webhook may carry an older `now`.
    pub fn apply(
        &self,
        event: &Event,
        now: DateTime<Utc>,
    ) -> Result<Conversation, InvalidTransition> {
        let status = transition(self.status, event)?;
        let agent = match event {
            Event::Assign { agent } => Some(agent),
            _ => None,
        };
        Ok(self.moved_to(status, agent, now))
    }

    /// The conversation after a message from the contact at `now`: the `inbound`
    /// row of the table, which never fails. `within_resumption_window` says whether
    /// the last activity lies within the [`ResumptionPolicy`](super::ResumptionPolicy)
    /// window; [`on_inbound`](super::on_inbound) works it out and also decides when
    /// a new conversation starts instead.
    pub fn receive(&self, within_resumption_window: bool, now: DateTime<Utc>) -> Conversation {
        self.moved_to(
            after_inbound(self.status, within_resumption_window),
            None,
            now,
        )
    }

    /// The conversation with its new status, owned by `agent` when one was just
    /// assigned, by its current agent when it stays `ASSIGNED`, else by nobody.
    fn moved_to(
        &self,
        status: Status,
        agent: Option<&AgentId>,
        now: DateTime<Utc>,
    ) -> Conversation {
        let assignee = match agent {
            Some(agent) => Some(agent.clone()),
            None if status == Status::Assigned => self.assignee.clone(),
            None => None,
        };
        Conversation {
            status,
            assignee,
            last_activity_at: self.last_activity_at.max(now),
        }
    }

    /// The conversation after a message that changes nothing else (one the
    /// business sent, say) at `now`: only the last activity moves, and never
    /// backwards.
    pub fn touch(&self, now: DateTime<Utc>) -> Conversation {
        Conversation {
            last_activity_at: self.last_activity_at.max(now),
            ..self.clone()
        }
    }
}

/// The form [`Conversation`] is stored in, checked by [`Conversation::restore`]
/// when read back.
#[derive(Deserialize)]
struct StoredConversation {
    status: Status,
    #[serde(default)]
    assignee: Option<AgentId>,
    last_activity_at: DateTime<Utc>,
}

impl<'de> Deserialize<'de> for Conversation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = StoredConversation::deserialize(deserializer)?;
        Conversation::restore(stored.status, stored.assignee, stored.last_activity_at)
            .map_err(serde::de::Error::custom)
    }
}

/// A stored conversation whose assignee does not fit its status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a conversation that is {status} {}",
    match assignee {
        Some(agent) => format!(
            "cannot be assigned to {:?}: only an ASSIGNED one has an assignee",
            agent.as_str()
        ),
        None => "must name its assignee".to_owned(),
    }
)]
#[non_exhaustive]
pub struct InconsistentConversation {
    /// The stored status.
    pub status: Status,
    /// The stored assignee.
    pub assignee: Option<AgentId>,
}
