//! What a rule does once it fires: the actions of SPEC §18, read from and
//! written back to their wire form.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::error::{RuleError, RuleProblem};
use super::handoff::Handoff;
use super::read;
use crate::core::conversation::{AgentId, Event};
use crate::core::template::Template;
use crate::core::webhook_endpoint::{EndpointUrl, UrlPolicy};

/// The action names, for the message about a key that is none of them.
const NAMES: &str =
    "one of send, add_tag, remove_tag, assign, resolve, handoff, start_workflow, webhook";

/// One thing a fired rule does, as SPEC §18 writes it: an object with one
/// key, the action's [name](Action::name).
///
/// Each action is independent of the others in its rule: the engine carries
/// them out in order, and one that fails does not stop the rest. It
/// serializes as its wire form (`{"add_tag": "lead"}`); deserializing reads it
/// with the checks of [`Rule::from_json`](super::Rule::from_json) under
/// [`UrlPolicy::PUBLIC`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Action {
    /// `{"send": {"text": T}}`: a message to the contact, on the channel of
    /// the triggering event, rendered with the contact's variables.
    Send(Template),
    /// `{"add_tag": T}`: tags the contact (trimmed, never blank).
    AddTag(String),
    /// `{"remove_tag": T}`: takes a tag off the contact.
    RemoveTag(String),
    /// `{"assign": AGENT}`: gives the contact's conversation to an agent.
    Assign(AgentId),
    /// `{"resolve": true}`: resolves the contact's conversation.
    Resolve,
    /// `{"handoff": "bot" | "ai" | "human"}`: hands the conversation over.
    Handoff(Handoff),
    /// `{"start_workflow": ID}`: starts a workflow for the contact.
    StartWorkflow(String),
    /// `{"webhook": URL}`: an outgoing webhook (SPEC §16) to this address.
    Webhook(EndpointUrl),
}

impl Action {
    /// The action's wire name, the key of its object (`"add_tag"`): how a
    /// report of one failed action names it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Send(_) => "send",
            Action::AddTag(_) => "add_tag",
            Action::RemoveTag(_) => "remove_tag",
            Action::Assign(_) => "assign",
            Action::Resolve => "resolve",
            Action::Handoff(_) => "handoff",
            Action::StartWorkflow(_) => "start_workflow",
            Action::Webhook(_) => "webhook",
        }
    }

    /// The conversation event the action applies, for the actions that are
    /// one (assign, resolve, handoff): the engine runs it through the same
    /// transition table as an agent's request, so a rule can do nothing an
    /// agent could not.
    pub fn conversation_event(&self) -> Option<Event> {
        match self {
            Action::Assign(agent) => Some(Event::Assign {
                agent: agent.clone(),
            }),
            Action::Resolve => Some(Event::Resolve),
            Action::Handoff(target) => Some(target.event()),
            _ => None,
        }
    }

    /// Reads one action; the path of an error is relative to the action.
    pub(super) fn from_json(json: &Value, policy: UrlPolicy) -> Result<Action, RuleError> {
        let Value::Object(object) = json else {
            return Err(RuleError::here(RuleProblem::NotAnObject));
        };
        let mut entries = object.iter();
        let (Some((name, value)), None) = (entries.next(), entries.next()) else {
            let count = object.len();
            return Err(RuleError::here(RuleProblem::NotOneAction { count }));
        };
        let action = match name.as_str() {
            "send" => send(value).map(Action::Send),
            "add_tag" => read::name(value).map(Action::AddTag),
            "remove_tag" => read::name(value).map(Action::RemoveTag),
            "assign" => read::name(value).map(|id| Action::Assign(AgentId::new(id))),
            "resolve" => resolve(value),
            "handoff" => Handoff::from_json(value).map(Action::Handoff),
            "start_workflow" => read::name(value).map(Action::StartWorkflow),
            "webhook" => webhook(value, policy).map(Action::Webhook),
            _ => {
                let key = name.clone();
                let expected = NAMES;
                return Err(RuleError::here(RuleProblem::UnexpectedKey {
                    key,
                    expected,
                }));
            }
        };
        action.map_err(|error| error.within(name))
    }

    /// The action's wire form, borrowed, for serde to write.
    fn wire(&self) -> Wire<'_> {
        match self {
            Action::Send(text) => Wire::Send { text },
            Action::AddTag(tag) => Wire::AddTag(tag),
            Action::RemoveTag(tag) => Wire::RemoveTag(tag),
            Action::Assign(agent) => Wire::Assign(agent),
            Action::Resolve => Wire::Resolve(true),
            Action::Handoff(target) => Wire::Handoff(*target),
            Action::StartWorkflow(id) => Wire::StartWorkflow(id),
            Action::Webhook(url) => Wire::Webhook(url),
        }
    }
}

/// An action as SPEC §18 writes it; serde's externally tagged enums are
/// exactly the one-key objects.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Wire<'a> {
    Send { text: &'a Template },
    AddTag(&'a str),
    RemoveTag(&'a str),
    Assign(&'a AgentId),
    Resolve(bool),
    Handoff(Handoff),
    StartWorkflow(&'a str),
    Webhook(&'a EndpointUrl),
}

fn send(json: &Value) -> Result<Template, RuleError> {
    let object = read::object(json, &["text"], "only text")?;
    read::part(object, "text", text_template)
}

/// A send's text: a template with something in it, since an empty message
/// would be refused by every carrier.
fn text_template(json: &Value) -> Result<Template, RuleError> {
    let text = read::string(json)?;
    if text.trim().is_empty() {
        return Err(RuleError::here(RuleProblem::Blank));
    }
    Template::parse(text).map_err(|error| RuleError::here(RuleProblem::Text(error)))
}

fn resolve(json: &Value) -> Result<Action, RuleError> {
    match json {
        Value::Bool(true) => Ok(Action::Resolve),
        _ => Err(RuleError::here(RuleProblem::NotTrue)),
    }
}

fn webhook(json: &Value, policy: UrlPolicy) -> Result<EndpointUrl, RuleError> {
    EndpointUrl::parse(read::string(json)?, policy)
        .map_err(|error| RuleError::here(RuleProblem::Url(error)))
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.wire().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = Value::deserialize(deserializer)?;
        Action::from_json(&json, UrlPolicy::PUBLIC).map_err(|error| {
            let place = match error.path.as_str() {
                "" => "the action".to_owned(),
                path => format!("`{path}`"),
            };
            serde::de::Error::custom(format!("{place}: {}", error.problem))
        })
    }
}
