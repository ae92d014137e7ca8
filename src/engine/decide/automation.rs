//! The automation pass (SPEC §13, §14, §18): what workflows and rules add to a
//! decision, committed with it.
//!
//! Every decision about a contact goes through it before its commit:
//! [`Inbox`](crate::engine::Inbox) gives it the decision's changeset and the
//! contact's live runs, loaded after the contact, so a run that moved on
//! meanwhile makes the commit a conflict and the whole decision is made
//! again. The contact counts its live runs, kept by the pass, so a contact
//! without any costs no read. In order:
//!
//! 1. an opt-out on a channel ends the contact's runs there (`opted_out`);
//! 2. a run the scheduler woke takes its next steps;
//! 3. an ordinary inbound text answers the runs waiting for a reply on its
//!    channel (STOP and HELP never do; a START that changed nothing does);
//! 4. a campaign recipient whose message was queued starts the campaign's
//!    workflow;
//! 5. the rules set off by the decision's own events (and by a failed message
//!    the decision reports) run, in the order they were added, their actions
//!    in order. What the pass adds never sets a
//!    rule off: the triggers are read from the decision before the pass.
//!
//! Sends go through every gate of SPEC §12 as the contact stands after the
//! decision. A workflow's sends are marketing sends, held by quiet hours; a
//! rule's are transactional. A rule action that fails is recorded as an
//! [`AutomationFailed`](crate::model::InboxEvent::AutomationFailed) event
//! and the next action runs.

mod actions;
mod runs;
mod shelf;
mod triggers;
mod working;

use chrono::{DateTime, Utc};

use crate::core::automation::{Action, RuleSet};
use crate::core::channel::Channel;
use crate::core::quiet_hours::QuietHoursPolicy;
use crate::core::ratelimit::Quota;
use crate::core::trigger::Trigger;
use crate::model::{ConversationRecord, IdSource, InboxEvent, MessageId, RunId, RunRecord, Tenant};
use crate::store::Changeset;

pub use runs::StartRefused;
pub use shelf::WorkflowShelf;

use runs::Runs;
use working::Working;

/// What the automation pass reads besides the decision's changeset.
#[derive(Debug, Clone, Copy)]
pub struct AutomationContext<'a> {
    /// The tenant.
    pub tenant: &'a Tenant,
    /// Its rules.
    pub rules: &'a RuleSet,
    /// The workflows the contact's runs follow, and those that may start.
    pub workflows: &'a WorkflowShelf,
    /// The contact's live runs, loaded after the contact.
    pub runs: &'a [RunRecord],
    /// The contact's latest conversation as loaded, for a decision that
    /// wrote none.
    pub latest: Option<&'a ConversationRecord>,
    /// The quiet hours workflow sends are held by.
    pub quiet_hours: &'a QuietHoursPolicy,
    /// The per-recipient send limit.
    pub send_quota: &'a Quota,
    /// When the decision is made.
    pub now: DateTime<Utc>,
    /// Where new records get their ids.
    pub ids: &'a dyn IdSource,
}

/// What the decision tells the pass beyond its changeset.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prompt {
    /// An ordinary text from the contact, on its channel: runs waiting for a
    /// reply there save it.
    pub reply: Option<(Channel, String)>,
    /// A workflow to start: a campaign recipient's.
    pub start: Option<Start>,
    /// A run the scheduler woke.
    pub timer: Option<RunId>,
    /// A message to the contact that failed, on its channel: `message_failed`
    /// rules run. Never a message an automation queued, so a rule's failing
    /// send cannot set it off again.
    pub failure: Option<(MessageId, Channel)>,
}

/// A workflow a decision starts for its contact, and what starts it.
#[derive(Debug, Clone, PartialEq)]
pub struct Start {
    /// The workflow's id.
    pub workflow: String,
    /// What starts it, as a failure names it (`campaign spring`).
    pub source: String,
}

impl Prompt {
    /// Whether the prompt asks the pass for anything.
    pub fn is_empty(&self) -> bool {
        self.reply.is_none()
            && self.start.is_none()
            && self.timer.is_none()
            && self.failure.is_none()
    }
}

/// Whether the pass has anything to do for `changes`: a workflow to start,
/// a trigger of the decision with rules, or, when the contact has live runs
/// ([`Contact::live_runs`]), a wake-up, a reply or an opt-out for them. When
/// not, the changeset is committed as decided.
///
/// [`Contact::live_runs`]: crate::model::Contact::live_runs
pub fn wants_automation(changes: &Changeset, prompt: &Prompt, rules: &RuleSet) -> bool {
    let fired = triggers::fired(changes);
    prompt.start.is_some()
        || (prompt.failure.is_some() && rules.listens_to(Trigger::MessageFailed))
        || has_runs_to_move(changes, prompt, &fired)
        || fired.iter().any(|fired| rules.listens_to(fired.trigger))
}

/// Whether the pass must read the contact's live runs: it has some, and the
/// decision wakes or answers them, or has a trigger (an opt-out stops them;
/// a rule may start a workflow the contact is running).
pub fn wants_runs(changes: &Changeset, prompt: &Prompt) -> bool {
    has_runs_to_move(changes, prompt, &triggers::fired(changes))
}

fn has_runs_to_move(changes: &Changeset, prompt: &Prompt, fired: &[triggers::Fired]) -> bool {
    changes.contact.contact().live_runs > 0 && (!prompt.is_empty() || !fired.is_empty())
}

/// The workflows rules of `rules` may start.
pub fn startable(rules: &RuleSet) -> Vec<&str> {
    let mut ids: Vec<&str> = rules
        .rules()
        .iter()
        .flat_map(|rule| rule.actions())
        .filter_map(|action| match action {
            Action::StartWorkflow(id) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The pass over a decision's changeset (see the [module](self)): the
/// changeset with what workflows and rules add to it.
pub fn decide_automation(
    context: &AutomationContext<'_>,
    prompt: &Prompt,
    changes: Changeset,
) -> Changeset {
    let mut fired = triggers::fired(&changes);
    let stopped = triggers::opted_out(&changes);
    let mut runs = Runs::new(context.runs);
    let mut working = Working::new(context, changes);
    if let Some((message, channel)) = prompt.failure {
        fired.push(working.message_failed(message, channel));
    }
    for channel in stopped {
        working.stop_runs(&mut runs, channel);
    }
    if let Some(id) = prompt.timer {
        working.wake_run(&mut runs, id);
    }
    if let Some((channel, text)) = &prompt.reply {
        working.answer_runs(&mut runs, *channel, text);
    }
    if let Some(start) = &prompt.start
        && let Err(refused) = working.start_run(&mut runs, &start.workflow)
    {
        let contact = working.contact().id;
        working.event(InboxEvent::AutomationFailed {
            contact,
            source: start.source.clone(),
            action: "start_workflow".to_owned(),
            error: refused.as_str().to_owned(),
        });
    }
    working.run_rules(&mut runs, &fired);
    finish(working, runs)
}

/// The changeset with the runs the pass changed, and the contact's count of
/// live runs as they leave it.
fn finish(mut working: Working<'_>, runs: Runs) -> Changeset {
    working.contact_mut().live_runs = runs.live_count();
    let mut changes = working.finish();
    changes.runs.extend(runs.changed());
    changes
}

/// Starts workflow `id` for the changeset's contact, as an API call or
/// `msgctl` asks: the changeset with the run and its first steps, and the
/// run's id; or why it could not start.
pub fn decide_start(
    context: &AutomationContext<'_>,
    changes: Changeset,
    id: &str,
) -> Result<(Changeset, RunId), StartRefused> {
    let mut runs = Runs::new(context.runs);
    let mut working = Working::new(context, changes);
    let started = working.start_run(&mut runs, id)?;
    Ok((finish(working, runs), started))
}
