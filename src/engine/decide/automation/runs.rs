//! Workflow runs in the automation pass: stopped by an opt-out, woken by
//! their timer, answered by the contact, started by a campaign or a rule;
//! each stepped by the pure executor until it waits or ends, its sends
//! through every gate.

use chrono::TimeDelta;
use serde_json::Value;

use super::working::Working;
use crate::core::channel::Channel;
use crate::core::quiet_hours::SendKind;
use crate::core::workflow::{Effect, Run, RunEvent, RunStatus, SendResult, StepSend, Workflow};
use crate::engine::decide::text_for;
use crate::error::{Error, ErrorKind};
use crate::model::{RunId, RunRecord};

/// A held send is tried again no sooner than this, so a gate that gives no
/// time cannot make a run spin.
const MIN_HOLD: TimeDelta = TimeDelta::minutes(1);

/// Why a run could not be started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartRefused {
    /// The contact has a live run of the workflow already.
    AlreadyRunning,
    /// The tenant has no such workflow.
    UnknownWorkflow,
}

impl StartRefused {
    /// The error kind's name (`already_running`).
    pub fn as_str(&self) -> &'static str {
        match self {
            StartRefused::AlreadyRunning => "already_running",
            StartRefused::UnknownWorkflow => "unknown_workflow",
        }
    }
}

/// The contact's runs in the pass: the live ones as loaded and the ones it
/// started, each with whether the pass changed it.
pub(super) struct Runs {
    records: Vec<(RunRecord, bool)>,
}

impl Runs {
    pub(super) fn new(loaded: &[RunRecord]) -> Runs {
        let records = loaded.iter().map(|r| (r.clone(), false)).collect();
        Runs { records }
    }

    /// How many of the contact's runs are live: the loaded ones as the pass
    /// left them, and those it started.
    pub(super) fn live_count(&self) -> u32 {
        let live = self.records.iter().filter(|(r, _)| r.run.status.is_live());
        u32::try_from(live.count()).unwrap_or(u32::MAX)
    }

    /// The runs the pass changed or started, to write with the changeset.
    pub(super) fn changed(self) -> Vec<RunRecord> {
        self.records
            .into_iter()
            .filter_map(|(record, changed)| changed.then_some(record))
            .collect()
    }

    fn live_on(&self, channel: Channel) -> Vec<usize> {
        let live = |(_, (record, _)): &(usize, &(RunRecord, bool))| {
            record.run.status.is_live() && record.run.channel == channel
        };
        self.records
            .iter()
            .enumerate()
            .filter(live)
            .map(|(i, _)| i)
            .collect()
    }
}

impl Working<'_> {
    /// A STOP on `channel` ends every live run of the contact there.
    pub(super) fn stop_runs(&mut self, runs: &mut Runs, channel: Channel) {
        let now = self.now();
        for index in runs.live_on(channel) {
            if let Some((record, changed)) = runs.records.get_mut(index) {
                record.run = record.run.clone().end(RunStatus::OptedOut, now);
                *changed = true;
            }
        }
    }

    /// The scheduler woke run `id`: a stale or early wake-up changes nothing.
    /// A deleted contact's run ends `failed` (`contact_deleted`).
    pub(super) fn wake_run(&mut self, runs: &mut Runs, id: RunId) {
        let Some(index) = runs.records.iter().position(|(r, _)| r.id == id) else {
            return;
        };
        if !self.contact().is_deleted() {
            return self.drive(runs, index, RunEvent::TimerFired);
        }
        if let Some((record, changed)) = runs.records.get_mut(index) {
            record.run = failed(record.run.clone(), "contact_deleted", self.context.now);
            *changed = true;
        }
    }

    /// The contact wrote `text` on `channel`: every run there waiting for a
    /// reply saves it.
    pub(super) fn answer_runs(&mut self, runs: &mut Runs, channel: Channel, text: &str) {
        for index in runs.live_on(channel) {
            self.drive(runs, index, RunEvent::Reply { text });
        }
    }

    /// Starts the latest version of workflow `id` for the contact and takes
    /// its first steps.
    pub(super) fn start_run(&mut self, runs: &mut Runs, id: &str) -> Result<RunId, StartRefused> {
        let shelf = self.context.workflows;
        let Some((version, workflow)) = shelf.latest(id) else {
            return Err(StartRefused::UnknownWorkflow);
        };
        let running = |(record, _): &(RunRecord, bool)| {
            record.run.workflow == id && record.run.status.is_live()
        };
        if runs.records.iter().any(running) {
            return Err(StartRefused::AlreadyRunning);
        }
        let context = self.context;
        let record = RunRecord {
            id: RunId::from_uuid(context.ids.next_id()),
            tenant: context.tenant.id,
            contact: self.contact().id,
            run: Run::new(workflow, version, context.now),
        };
        let started = record.id;
        runs.records.push((record, true));
        self.drive(runs, runs.records.len() - 1, RunEvent::Started);
        Ok(started)
    }

    /// Steps run `index` with `event`, and with each send's outcome after,
    /// until it waits or ends.
    fn drive(&mut self, runs: &mut Runs, index: usize, event: RunEvent<'_>) {
        let Some((record, _)) = runs.records.get(index) else {
            return;
        };
        let mut run = record.run.clone();
        let shelf = self.context.workflows;
        run = match shelf.version(&run.workflow, run.version) {
            Some(workflow) => self.take_steps(workflow, run, event),
            // Definitions are never deleted; a run whose version is missing
            // cannot go on, and would otherwise be woken again and again.
            None => failed(run, "unknown_workflow", self.now()),
        };
        if let Some((record, changed)) = runs.records.get_mut(index)
            && record.run != run
        {
            record.run = run;
            *changed = true;
        }
    }

    fn take_steps(&mut self, workflow: &Workflow, mut run: Run, event: RunEvent<'_>) -> Run {
        let now = self.now();
        let mut next = Some(event);
        while let Some(event) = next.take() {
            let effects;
            (run, effects) = {
                let subject = self.contact().subject(run.channel);
                crate::core::workflow::step(workflow, run, &subject, event, now)
            };
            for effect in effects {
                match effect {
                    Effect::Send(send) => {
                        next = Some(RunEvent::SendOutcome(self.run_send(run.channel, &send)));
                    }
                    Effect::Save { name, value } => {
                        let attributes = &mut self.contact_mut().attributes;
                        attributes.insert(name, Value::String(value));
                    }
                    Effect::WakeAt(_) | Effect::End(_) => {}
                }
            }
        }
        run
    }

    /// A run's send, rendered for the contact and put through the gates as a
    /// marketing send: quiet hours hold it, any other refusal fails the run.
    fn run_send(&mut self, channel: Channel, send: &StepSend) -> SendResult {
        let content = match send {
            StepSend::Text(text) => text_for(text, self.contact()).map_err(|r| r.as_str()),
            StepSend::Template(template) => template.content().map_err(|_| "invalid_content"),
        };
        let content = match content {
            Ok(content) => content,
            Err(kind) => return refused(kind),
        };
        match self.send(channel, content, SendKind::Marketing) {
            Ok(()) => SendResult::Queued,
            Err(error) => self.held_or_refused(&error),
        }
    }

    fn held_or_refused(&self, error: &Error) -> SendResult {
        match (error.kind(), error.retry_at()) {
            (ErrorKind::QuietHours, Some(until)) => SendResult::Held {
                until: until.max(self.now() + MIN_HOLD),
            },
            (kind, _) => refused(kind.as_str()),
        }
    }
}

fn refused(kind: &str) -> SendResult {
    SendResult::Refused {
        kind: kind.to_owned(),
    }
}

/// `run` ended as failed with error `kind`, if it was live.
fn failed(run: Run, kind: &str, now: chrono::DateTime<chrono::Utc>) -> Run {
    if !run.status.is_live() {
        return run;
    }
    let mut run = run.end(RunStatus::Failed, now);
    run.error = Some(kind.to_owned());
    run
}
