//! A workflow as SPEC §18 writes it, checked once when it is read.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::cursor::{Branch, Cursor};
use super::error::{WorkflowError, WorkflowProblem};
use super::read::{Reader, object, only_keys, required, saved_names, text};
use super::step::{Step, StepKind};
use crate::core::channel::Channel;

/// The longest workflow id: the stores key runs by it.
pub const MAX_ID_LEN: usize = 64;
/// The most steps a workflow may have, every nested step counted.
pub const MAX_STEPS: usize = 100;
/// How many `if`s may enclose one another.
pub const MAX_IF_DEPTH: usize = 8;
/// The longest `save_as` name.
pub const MAX_NAME_LEN: usize = 64;

/// A checked workflow (see the [module](super) for its form and meaning).
///
/// Made by [`Workflow::from_json`]. It serializes as the JSON it was read from
/// and deserializes through the same checks, so stores keep the definition
/// as its author wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Value", into = "Value")]
pub struct Workflow {
    id: String,
    channel: Channel,
    steps: Vec<Step>,
    json: Value,
}

impl Workflow {
    /// Reads and checks a definition, refusing it with the place of the first
    /// problem found.
    pub fn from_json(json: &Value) -> Result<Workflow, WorkflowError> {
        let top = object(json, "")?;
        only_keys(
            top,
            "",
            &["id", "channel", "steps"],
            "id, channel and steps",
        )?;
        let id = checked_id(text(required(top, "id", "")?, "id")?)?;
        let channel = text(required(top, "channel", "")?, "channel")?;
        let channel = channel.parse::<Channel>().map_err(|_| {
            let value = channel.to_owned();
            WorkflowError::new("channel", WorkflowProblem::UnknownChannel { value })
        })?;
        let steps = required(top, "steps", "")?;
        let mut saved = Vec::new();
        saved_names(steps, 0, &mut saved);
        let mut reader = Reader {
            channel,
            saved: &saved,
            count: 0,
        };
        let steps = reader.steps(steps, "steps", 0)?;
        Ok(Workflow {
            id,
            channel,
            steps,
            json: json.clone(),
        })
    }

    /// Its id, trimmed.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The channel every send goes on.
    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// Its steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The JSON it was read from.
    pub fn to_json(&self) -> &Value {
        &self.json
    }

    /// What stands at `cursor`.
    pub(super) fn locate(&self, cursor: &Cursor) -> Place<'_> {
        let mut list = self.steps.as_slice();
        let mut index = cursor.top();
        for (branch, inner) in cursor.branches() {
            let Some(StepKind::If {
                then, otherwise, ..
            }) = list.get(index).map(|step| &step.kind)
            else {
                return Place::Lost;
            };
            list = match branch {
                Branch::Then => then,
                Branch::Else => otherwise,
            };
            index = inner;
        }
        match list.get(index) {
            Some(step) => Place::Step(step),
            None if index == list.len() => Place::End,
            None => Place::Lost,
        }
    }
}

/// What a cursor points at.
pub(super) enum Place<'w> {
    /// A step.
    Step(&'w Step),
    /// Just past the last step of its list.
    End,
    /// Nothing in this workflow: the run was stored by another definition.
    Lost,
}

fn checked_id(id: &str) -> Result<String, WorkflowError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(WorkflowError::new("id", WorkflowProblem::Blank));
    }
    let len = id.chars().count();
    if len > MAX_ID_LEN {
        let max = MAX_ID_LEN;
        return Err(WorkflowError::new(
            "id",
            WorkflowProblem::TooLong { len, max },
        ));
    }
    Ok(id.to_owned())
}

impl TryFrom<Value> for Workflow {
    type Error = WorkflowError;

    fn try_from(json: Value) -> Result<Self, Self::Error> {
        Workflow::from_json(&json)
    }
}

impl From<Workflow> for Value {
    fn from(workflow: Workflow) -> Self {
        workflow.json
    }
}
