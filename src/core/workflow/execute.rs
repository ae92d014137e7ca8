//! The executor: a pure function from a run, an event and the time to the
//! run after it and what the engine must do.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::cursor::Branch;
use super::definition::{MAX_STEPS, Place, Workflow};
use super::event::{Effect, RunEvent, SendResult};
use super::run::{Run, Wait};
use super::status::RunStatus;
use super::step::{Moment, Step, StepKind};
use crate::core::condition::{Condition, Subject};

/// The error kind of a `wait_until` whose attribute holds no moment.
pub const MISSING_FIELD: &str = "missing_field";
/// The error kind of a run whose place is not in the workflow given (it was
/// stored by another definition).
pub const NO_SUCH_STEP: &str = "no_such_step";

/// Takes `event` on `run` at `now`: the run after it, and what the engine must
/// do, in order. `subject` is the contact, read by conditions and by
/// `wait_until` fields; the run's saved replies are added to it.
///
/// An event the run is not waiting for (a stale wake-up, a reply nobody asked
/// for, an outcome of no send, anything on a run that is over) changes nothing
/// and asks nothing, so an engine that delivers an event twice cannot send twice.
pub fn step(
    workflow: &Workflow,
    run: Run,
    subject: &Subject<'_>,
    event: RunEvent<'_>,
    now: DateTime<Utc>,
) -> (Run, Vec<Effect>) {
    let mut taking = Taking {
        workflow,
        subject,
        now,
        effects: Vec::new(),
    };
    match taking.take(run, event) {
        Taken::Changed(mut run) => {
            run.updated_at = now;
            (run, taking.effects)
        }
        Taken::Ignored(run) => (run, Vec::new()),
    }
}

impl Run {
    /// [`step`] as a method.
    pub fn step(
        self,
        workflow: &Workflow,
        subject: &Subject<'_>,
        event: RunEvent<'_>,
        now: DateTime<Utc>,
    ) -> (Run, Vec<Effect>) {
        step(workflow, self, subject, event, now)
    }
}

/// One call's context and the effects it has asked for so far.
struct Taking<'a, 's> {
    workflow: &'a Workflow,
    subject: &'a Subject<'s>,
    now: DateTime<Utc>,
    effects: Vec<Effect>,
}

/// The run after an event.
enum Taken {
    /// The event moved it on.
    Changed(Run),
    /// The event meant nothing to it: it is given back untouched.
    Ignored(Run),
}

impl Taking<'_, '_> {
    fn take(&mut self, run: Run, event: RunEvent<'_>) -> Taken {
        if !run.status.is_live() {
            return Taken::Ignored(run);
        }
        match (event, run.waiting.clone()) {
            (RunEvent::Started, None) => Taken::Changed(self.proceed(run)),
            (RunEvent::TimerFired, Some(wait)) => self.wake(run, wait),
            (RunEvent::Reply { text }, Some(Wait::Reply { save_as, until }))
                if self.now < until =>
            {
                Taken::Changed(self.save(run, save_as, text))
            }
            (RunEvent::SendOutcome(result), Some(Wait::Outcome)) => {
                Taken::Changed(self.outcome(run, result))
            }
            _ => Taken::Ignored(run),
        }
    }

    /// A wake-up: only one at or after the moment waited for counts.
    fn wake(&mut self, mut run: Run, wait: Wait) -> Taken {
        match wait.until() {
            Some(until) if until <= self.now => {}
            _ => return Taken::Ignored(run),
        }
        if let Wait::Retry { .. } = wait {
            return Taken::Changed(self.send_again(run));
        }
        run.at.advance();
        Taken::Changed(self.proceed(run))
    }

    fn save(&mut self, mut run: Run, name: String, text: &str) -> Run {
        let value = text.trim().to_owned();
        run.saved.insert(name.clone(), value.clone());
        self.effects.push(Effect::Save { name, value });
        run.at.advance();
        self.proceed(run)
    }

    fn outcome(&mut self, mut run: Run, result: SendResult) -> Run {
        match result {
            SendResult::Queued => {
                run.at.advance();
                self.proceed(run)
            }
            SendResult::Held { until } => {
                self.effects.push(Effect::WakeAt(until));
                run.wait(Wait::Retry { until });
                run
            }
            SendResult::Refused { kind } => self.fail(run, kind),
        }
    }

    /// The held send at the cursor, asked for again.
    fn send_again(&mut self, mut run: Run) -> Run {
        match self.workflow.locate(&run.at) {
            Place::Step(Step {
                kind: StepKind::Send(send),
                ..
            }) => {
                self.effects.push(Effect::Send(send.clone()));
                run.wait(Wait::Outcome);
                run
            }
            _ => self.fail(run, NO_SUCH_STEP.to_owned()),
        }
    }

    /// Takes steps from the cursor until one must wait or the run ends.
    ///
    /// Every turn moves the cursor forward through the steps in order
    /// (entering a branch, passing a step, or leaving a branch past its end)
    /// or returns, and a checked workflow has at most [`MAX_STEPS`] steps, so
    /// the bound is never reached; it is there so that termination need not be
    /// taken on trust.
    fn proceed(&mut self, mut run: Run) -> Run {
        run.waiting = None;
        run.wake_at = None;
        run.status = RunStatus::Active;
        for _ in 0..4 * MAX_STEPS + 4 {
            let step = match self.workflow.locate(&run.at) {
                Place::Step(step) => step,
                Place::End if run.at.leave() => {
                    run.at.advance();
                    continue;
                }
                Place::End => return self.finish(run, RunStatus::Completed),
                Place::Lost => return self.fail(run, NO_SUCH_STEP.to_owned()),
            };
            if step
                .when
                .as_ref()
                .is_some_and(|when| !self.holds(when, &run))
            {
                run.at.advance();
                continue;
            }
            match self.enter(step, &mut run) {
                Next::Passed => run.at.advance(),
                Next::Entered(branch) => run.at.enter(branch),
                Next::Waits(wait) => {
                    run.wait(wait);
                    return run;
                }
                Next::Ends(status) => return self.finish(run, status),
                Next::Fails(kind) => return self.fail(run, kind.to_owned()),
            }
        }
        self.fail(run, NO_SUCH_STEP.to_owned())
    }

    /// What taking `step` leads to; the effects it asks for are pushed.
    fn enter(&mut self, step: &Step, run: &mut Run) -> Next {
        match &step.kind {
            StepKind::Send(send) => {
                self.effects.push(Effect::Send(send.clone()));
                Next::Waits(Wait::Outcome)
            }
            StepKind::Delay(span) if span.is_zero() => Next::Passed,
            StepKind::Delay(span) => self.timer(later(self.now, *span)),
            StepKind::WaitUntil(moment) => match self.moment(moment) {
                Some(until) if until <= self.now => Next::Passed,
                Some(until) => self.timer(until),
                None => Next::Fails(MISSING_FIELD),
            },
            StepKind::Filter(condition) if self.holds(condition, run) => Next::Passed,
            StepKind::Filter(_) => Next::Ends(RunStatus::Filtered),
            StepKind::If { condition, .. } if self.holds(condition, run) => {
                Next::Entered(Branch::Then)
            }
            StepKind::If { .. } => Next::Entered(Branch::Else),
            StepKind::WaitReply { save_as, timeout } => {
                let until = later(self.now, *timeout);
                self.effects.push(Effect::WakeAt(until));
                let save_as = save_as.clone();
                Next::Waits(Wait::Reply { save_as, until })
            }
        }
    }

    fn timer(&mut self, until: DateTime<Utc>) -> Next {
        self.effects.push(Effect::WakeAt(until));
        Next::Waits(Wait::Timer { until })
    }

    /// The moment a `wait_until` names, if its attribute holds one.
    fn moment(&self, moment: &Moment) -> Option<DateTime<Utc>> {
        match moment {
            Moment::At(at) => Some(*at),
            Moment::Attribute { name, offset } => {
                let text = self.subject.attributes?.get(name)?.as_str()?;
                let at = DateTime::parse_from_rfc3339(text.trim()).ok()?;
                Some(later(at.with_timezone(&Utc), *offset))
            }
        }
    }

    /// Whether `condition` holds for the contact, with the run's saved
    /// replies over any the subject brings.
    fn holds(&self, condition: &Condition, run: &Run) -> bool {
        let saved = match self.subject.saved_replies {
            Some(theirs) if !theirs.is_empty() => {
                let mut both: BTreeMap<String, String> = theirs.clone();
                both.extend(run.saved.iter().map(|(k, v)| (k.clone(), v.clone())));
                Cow::Owned(both)
            }
            _ => Cow::Borrowed(&run.saved),
        };
        let mut subject = self.subject.with_saved_replies(&saved);
        subject.channel = subject.channel.or(Some(run.channel));
        condition.matches(&subject)
    }

    fn finish(&mut self, mut run: Run, status: RunStatus) -> Run {
        run.status = status;
        run.waiting = None;
        run.wake_at = None;
        self.effects.push(Effect::End(status));
        run
    }

    fn fail(&mut self, mut run: Run, kind: String) -> Run {
        run.error = Some(kind);
        self.finish(run, RunStatus::Failed)
    }
}

/// Where taking one step leads.
enum Next {
    /// To the step after it.
    Passed,
    /// Into one of its branches.
    Entered(Branch),
    /// To a wait.
    Waits(Wait),
    /// To the run's end.
    Ends(RunStatus),
    /// To the run's failure, with this error kind.
    Fails(&'static str),
}

/// `at` moved by `span`, held at chrono's bounds rather than overflowing.
fn later(at: DateTime<Utc>, span: TimeDelta) -> DateTime<Utc> {
    at.checked_add_signed(span)
        .unwrap_or(if span < TimeDelta::zero() {
            DateTime::<Utc>::MIN_UTC
        } else {
            DateTime::<Utc>::MAX_UTC
        })
}
