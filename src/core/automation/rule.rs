//! One automation rule: read from its SPEC §18 JSON, checked once, written
//! back the same.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::action::Action;
use super::error::{RuleError, RuleProblem};
use super::read;
use crate::core::condition::{Condition, Subject};
use crate::core::trigger::Trigger;
use crate::core::webhook_endpoint::UrlPolicy;

/// The longest rule id, in characters, once trimmed.
pub const MAX_ID_LEN: usize = 64;

/// The most actions one rule may list: enough for any real follow-up, and a
/// bound on the work one event can cause.
pub const MAX_ACTIONS: usize = 20;

/// The keys of a rule's object.
const KEYS: [&str; 4] = ["id", "trigger", "conditions", "actions"];

/// A checked automation rule: on its [trigger](Rule::trigger), when its
/// [conditions](Rule::conditions) hold, its [actions](Rule::actions) run in
/// order.
///
/// Made only by [`Rule::from_json`], so every rule has an id, a known trigger,
/// conditions on built-in fields and 1 to [`MAX_ACTIONS`] valid actions. It
/// serializes as its wire JSON ([`Rule::to_json`]); deserializing reads that
/// JSON with [`UrlPolicy::PUBLIC`], so a server that allows internal webhook
/// addresses reads its rules with [`Rule::from_json`] instead.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    id: String,
    trigger: Trigger,
    conditions: Option<Condition>,
    actions: Vec<Action>,
}

impl Rule {
    /// Reads and checks a rule, `{"id", "trigger", "conditions"?, "actions"}`,
    /// its webhook addresses against `policy`. The first problem found is
    /// refused, naming its place.
    pub fn from_json(json: &Value, policy: UrlPolicy) -> Result<Rule, RuleError> {
        let object = read::object(json, &KEYS, "id, trigger, conditions and actions")?;
        Ok(Rule {
            id: read::part(object, "id", id)?,
            trigger: read::part(object, "trigger", trigger)?,
            conditions: read::optional(object, "conditions")
                .map(Condition::from_json)
                .transpose()
                .map_err(RuleError::in_conditions)?,
            actions: read::required(object, "actions").and_then(|list| actions(list, policy))?,
        })
    }

    /// Its id, trimmed: unique in its tenant's set.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The event it listens to.
    pub fn trigger(&self) -> Trigger {
        self.trigger
    }

    /// What must hold for it to fire; none is always.
    pub fn conditions(&self) -> Option<&Condition> {
        self.conditions.as_ref()
    }

    /// What it does, in order; never empty.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// Whether its conditions hold for `subject` (the trigger aside).
    pub fn holds_for(&self, subject: &Subject<'_>) -> bool {
        self.conditions
            .as_ref()
            .is_none_or(|conditions| conditions.matches(subject))
    }

    /// Its wire JSON, which [`Rule::from_json`] reads back as the same rule.
    pub fn to_json(&self) -> Value {
        // Every key is a string and every value plain data, so serializing
        // cannot fail; `Null` only keeps this free of a panic path.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// The rule's id, trimmed: a rule is named in listings and errors by it.
fn id(json: &Value) -> Result<String, RuleError> {
    let id = read::name(json)?;
    let len = id.chars().count();
    if len > MAX_ID_LEN {
        let max = MAX_ID_LEN;
        return Err(RuleError::here(RuleProblem::IdTooLong { len, max }));
    }
    Ok(id)
}

/// A trigger by its exact wire name.
fn trigger(json: &Value) -> Result<Trigger, RuleError> {
    let name = read::string(json)?;
    Trigger::from_name(name).ok_or_else(|| {
        let name = name.to_owned();
        RuleError::here(RuleProblem::UnknownTrigger { name })
    })
}

/// The list under `actions`; errors name their place from the rule.
fn actions(json: &Value, policy: UrlPolicy) -> Result<Vec<Action>, RuleError> {
    let refuse = |problem| Err(RuleError::at("actions", problem));
    let Value::Array(actions) = json else {
        return refuse(RuleProblem::NotAList);
    };
    let count = actions.len();
    if count == 0 {
        return refuse(RuleProblem::NoActions);
    }
    if count > MAX_ACTIONS {
        let max = MAX_ACTIONS;
        return refuse(RuleProblem::TooManyActions { count, max });
    }
    let read = |(index, action)| {
        Action::from_json(action, policy).map_err(|e| e.within(&format!("actions[{index}]")))
    };
    actions.iter().enumerate().map(read).collect()
}

/// A rule as SPEC §18 writes it, borrowed, for serde to write.
#[derive(Serialize)]
struct Wire<'r> {
    id: &'r str,
    trigger: Trigger,
    #[serde(skip_serializing_if = "Option::is_none")]
    conditions: Option<&'r Condition>,
    actions: &'r [Action],
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Wire {
            id: &self.id,
            trigger: self.trigger,
            conditions: self.conditions.as_ref(),
            actions: &self.actions,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = Value::deserialize(deserializer)?;
        Rule::from_json(&json, UrlPolicy::PUBLIC).map_err(serde::de::Error::custom)
    }
}
