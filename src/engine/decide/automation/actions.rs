//! Automation rules in the pass (SPEC §14, §18): each trigger's rules in the
//! order they were added, each rule's actions in order; an action that fails
//! is recorded and the next one still runs.

use super::runs::Runs;
use super::triggers::Fired;
use super::working::Working;
use crate::core::automation::{Action, Rule};
use crate::core::quiet_hours::SendKind;
use crate::engine::decide::text_for;
use crate::model::InboxEvent;

impl Working<'_> {
    /// Runs the rules each of `fired` sets off.
    pub(super) fn run_rules(&mut self, runs: &mut Runs, fired: &[Fired]) {
        let rules = self.context.rules;
        for fired in fired {
            let matching: Vec<&Rule> = {
                let subject = self.contact().subject(fired.channel);
                let subject = match &fired.text {
                    Some(text) => subject.with_text(text),
                    None => subject,
                };
                rules.fired(fired.trigger, &subject).collect()
            };
            for rule in matching {
                self.run_rule(runs, rule, fired);
            }
        }
    }

    fn run_rule(&mut self, runs: &mut Runs, rule: &Rule, fired: &Fired) {
        for action in rule.actions() {
            if let Err(error) = self.run_action(runs, rule, action, fired) {
                let contact = self.contact().id;
                self.event(InboxEvent::AutomationFailed {
                    contact,
                    source: format!("rule {}", rule.id()),
                    action: action.name().to_owned(),
                    error,
                });
            }
        }
    }

    /// One action; the error kind it failed with.
    fn run_action(
        &mut self,
        runs: &mut Runs,
        rule: &Rule,
        action: &Action,
        fired: &Fired,
    ) -> Result<(), String> {
        let channel = fired.channel;
        let kind = |error: crate::error::Error| error.kind().as_str().to_owned();
        match action {
            Action::Send(text) => {
                let content = text_for(text, self.contact()).map_err(|r| r.as_str().to_owned())?;
                self.send(channel, content, SendKind::Transactional)
                    .map_err(kind)
            }
            Action::AddTag(tag) => {
                self.tag(tag, true);
                Ok(())
            }
            Action::RemoveTag(tag) => {
                self.tag(tag, false);
                Ok(())
            }
            Action::StartWorkflow(id) => self
                .start_run(runs, id)
                .map(drop)
                .map_err(|refused| refused.as_str().to_owned()),
            Action::Webhook(url) => {
                let contact = self.contact().id;
                self.event(InboxEvent::AutomationWebhook {
                    contact,
                    rule: rule.id().to_owned(),
                    trigger: fired.trigger.as_str().to_owned(),
                    message: fired.message,
                    url: url.as_str().to_owned(),
                });
                Ok(())
            }
            other => match other.conversation_event() {
                Some(event) => self.act(&event).map_err(kind),
                None => Err("unsupported_action".to_owned()),
            },
        }
    }

    /// Adds or removes `tag`, with its event when that changes the contact.
    fn tag(&mut self, tag: &str, add: bool) {
        let contact = self.contact_mut();
        let changed = if add {
            contact.add_tag(tag)
        } else {
            contact.remove_tag(tag)
        };
        if changed {
            let (contact, tag) = (self.contact().id, tag.to_owned());
            self.event(match add {
                true => InboxEvent::TagAdded { contact, tag },
                false => InboxEvent::TagRemoved { contact, tag },
            });
        }
    }
}
