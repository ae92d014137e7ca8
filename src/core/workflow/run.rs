//! One contact's way through a workflow, as the stores keep it between events.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::cursor::Cursor;
use super::definition::Workflow;
use super::status::RunStatus;
use crate::core::channel::Channel;

/// A run: where a contact stands in a workflow and what it waits for.
///
/// Stores keep it as JSON; its field names are stable. [`step`](super::step)
/// moves it on; [`Run::end`] ends it from outside (a STOP).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The workflow's id.
    pub workflow: String,
    /// The definition's version the run follows; opaque here.
    pub version: u32,
    /// The channel its sends go on.
    pub channel: Channel,
    /// Live or how it ended.
    pub status: RunStatus,
    /// The step it is at (or the end of a list of steps).
    pub at: Cursor,
    /// When the scheduler should wake it: set exactly while it waits for a
    /// moment, a reply's timeout or a held send's retry.
    pub wake_at: Option<DateTime<Utc>>,
    /// What it waits for, if anything.
    pub waiting: Option<Wait>,
    /// The replies it saved, by `save_as` name.
    pub saved: BTreeMap<String, String>,
    /// Why it failed: the gate's error kind, or `missing_field`.
    pub error: Option<String>,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When an event last changed it.
    pub updated_at: DateTime<Utc>,
}

/// What a live run waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "for", rename_all = "snake_case")]
pub enum Wait {
    /// A moment (a `delay` or a `wait_until`).
    Timer {
        /// The moment.
        until: DateTime<Utc>,
    },
    /// The contact's reply, until a timeout.
    Reply {
        /// The name to save it under.
        save_as: String,
        /// When to go on without it.
        until: DateTime<Utc>,
    },
    /// The moment to try again a send the gates held (quiet hours).
    Retry {
        /// The moment.
        until: DateTime<Utc>,
    },
    /// Whether the send just asked for was queued.
    Outcome,
}

impl Wait {
    /// The moment the wait ends by itself, if it does.
    pub fn until(&self) -> Option<DateTime<Utc>> {
        match self {
            Wait::Timer { until } | Wait::Reply { until, .. } | Wait::Retry { until } => {
                Some(*until)
            }
            Wait::Outcome => None,
        }
    }
}

impl Run {
    /// A run of `workflow` (at `version`) starting at `now`, at its first step;
    /// feed it [`RunEvent::Started`](super::RunEvent::Started) to take it.
    pub fn new(workflow: &Workflow, version: u32, now: DateTime<Utc>) -> Run {
        Run {
            workflow: workflow.id().to_owned(),
            version,
            channel: workflow.channel(),
            status: RunStatus::Active,
            at: Cursor::start(),
            wake_at: None,
            waiting: None,
            saved: BTreeMap::new(),
            error: None,
            started_at: now,
            updated_at: now,
        }
    }

    /// Ends a live run from outside, with `status` (`opted_out` on a STOP). A
    /// run that is already over, or a `status` that is live, changes nothing.
    pub fn end(mut self, status: RunStatus, now: DateTime<Utc>) -> Run {
        if self.status.is_live() && !status.is_live() {
            self.status = status;
            self.waiting = None;
            self.wake_at = None;
            self.updated_at = now;
        }
        self
    }

    /// Waits for `wait`; `wake_at` follows it.
    pub(super) fn wait(&mut self, wait: Wait) {
        self.status = match wait {
            Wait::Outcome => RunStatus::Active,
            _ => RunStatus::Waiting,
        };
        self.wake_at = wait.until();
        self.waiting = Some(wait);
    }
}
