//! Who a `handoff` action gives the conversation to.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{RuleError, RuleProblem};
use super::read;
use crate::core::conversation::Event;

/// The new handler of a conversation a rule hands over, by its SPEC §18 wire
/// name.
///
/// ```
/// use msgcore::core::automation::Handoff;
/// use msgcore::core::conversation::Event;
///
/// assert_eq!(Handoff::Ai.as_str(), "ai");
/// assert_eq!(Handoff::Human.event(), Event::HandToHuman);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Handoff {
    /// A flow bot.
    Bot,
    /// An AI agent.
    Ai,
    /// A person: the conversation waits, open, for an agent.
    Human,
}

impl Handoff {
    /// Every target.
    pub const ALL: [Handoff; 3] = [Handoff::Bot, Handoff::Ai, Handoff::Human];

    /// The wire name (`"bot"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Handoff::Bot => "bot",
            Handoff::Ai => "ai",
            Handoff::Human => "human",
        }
    }

    /// The conversation event that hands over to this target.
    pub fn event(self) -> Event {
        match self {
            Handoff::Bot => Event::HandToBot,
            Handoff::Ai => Event::HandToAi,
            Handoff::Human => Event::HandToHuman,
        }
    }

    /// Reads a target by its exact wire name.
    pub(super) fn from_json(json: &Value) -> Result<Handoff, RuleError> {
        let value = read::string(json)?;
        Handoff::ALL
            .into_iter()
            .find(|target| target.as_str() == value)
            .ok_or_else(|| {
                let value = value.to_owned();
                RuleError::here(RuleProblem::UnknownHandoff { value })
            })
    }
}
