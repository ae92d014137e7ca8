//! An agent's (or an automation's) action on a conversation (SPEC §4): the move
//! through the transition table, and the CSAT survey when it resolves.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::queue::{Outgoing, queue_message, queued_event};
use crate::core::channel::Channel;
use crate::core::conversation::{Event, Status};
use crate::core::csat::{SkipReason, Survey, SurveyPlan, SurveyTemplate, plan_survey};
use crate::core::message::{Content, RawContent};
use crate::error::Error;
use crate::model::{
    Contact, ConversationRecord, EventRecord, IdSource, InboxEvent, MessageOrigin, MessageRecord,
    QueuedMessage, Tenant, TenantId,
};
use crate::store::{Changeset, ContactWrite};

/// What an action did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionOutcome {
    /// The conversation afterwards.
    pub conversation: ConversationRecord,
    /// What the library queued by itself (the CSAT survey on resolve).
    pub replies: Vec<MessageRecord>,
}

/// Everything the action decision needs, loaded from the store.
#[derive(Debug, Clone, Copy)]
pub struct ActionContext<'a> {
    /// The tenant.
    pub tenant: &'a Tenant,
    /// The conversation's contact.
    pub contact: &'a Contact,
    /// The conversation acted on.
    pub conversation: &'a ConversationRecord,
    /// When the action happens.
    pub now: DateTime<Utc>,
    /// Where new records get their ids.
    pub ids: &'a dyn IdSource,
}

/// What an action writes.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionPlan {
    /// The tenant.
    pub tenant: TenantId,
    /// The contact (written back unchanged: its version guards the commit).
    pub contact: ContactWrite,
    /// The conversation, moved.
    pub conversation: ConversationRecord,
    /// The CSAT survey queued on resolving, if one went.
    pub survey: Option<QueuedMessage>,
    /// What happened, in order.
    pub events: Vec<EventRecord>,
    /// When it was decided.
    pub now: DateTime<Utc>,
}

impl ActionPlan {
    fn record(&mut self, event: InboxEvent) {
        self.events
            .push(EventRecord::new(self.tenant, self.now, event));
    }

    /// What to tell the caller once the plan is committed.
    pub fn outcome(&self) -> ActionOutcome {
        ActionOutcome {
            conversation: self.conversation.clone(),
            replies: self.survey.iter().map(|q| q.message.clone()).collect(),
        }
    }

    /// Everything the plan writes, as one changeset.
    pub fn into_changeset(self) -> Changeset {
        let mut changes = Changeset::for_contact(self.tenant, self.contact);
        changes.conversations.push(self.conversation);
        if let Some(survey) = self.survey {
            changes.queue(survey);
        }
        changes.events = self.events;
        changes
    }
}

/// Moves the conversation with `event` through the SPEC §4 table (an illegal
/// move is [`Error::Transition`]); resolving sends the CSAT survey once.
pub fn decide_action(context: ActionContext<'_>, event: &Event) -> Result<ActionPlan, Error> {
    let before = context.conversation.status();
    let mut conversation = context.conversation.clone();
    conversation.state = conversation.state.apply(event, context.now)?;
    let mut plan = ActionPlan {
        tenant: context.tenant.id,
        contact: ContactWrite::update(context.contact.version, context.contact.clone()),
        events: vec![EventRecord::new(
            context.tenant.id,
            context.now,
            moved(&conversation, before),
        )],
        conversation,
        survey: None,
        now: context.now,
    };
    if plan.conversation.status() == Status::Resolved {
        send_survey_on_resolve(&mut plan, &context);
    }
    Ok(plan)
}

/// The event of the move: a reopened conversation is opened again; any other
/// move reports the new status and assignee.
fn moved(conversation: &ConversationRecord, before: Status) -> InboxEvent {
    if before == Status::Resolved && conversation.status() == Status::Open {
        InboxEvent::ConversationOpened {
            conversation: conversation.id,
            contact: conversation.contact,
        }
    } else {
        InboxEvent::ConversationStatus {
            conversation: conversation.id,
            status: conversation.status(),
            assignee: conversation.state.assignee().cloned(),
        }
    }
}

/// SPEC §4: a resolved conversation gets its CSAT survey once — as text, or as
/// the tenant's template outside the WhatsApp window — or, when it cannot go
/// (the contact opted out, no template outside the window), a recorded reason.
fn send_survey_on_resolve(plan: &mut ActionPlan, context: &ActionContext) {
    let content = match survey_content(context, &plan.conversation) {
        Ok(Some(content)) => content,
        Ok(None) => return,
        Err(reason) => {
            let skipped = InboxEvent::SurveySkipped {
                conversation: plan.conversation.id,
                reason: reason.to_owned(),
            };
            plan.record(skipped);
            return;
        }
    };
    let outgoing = Outgoing::new(
        plan.conversation.channel,
        content,
        MessageOrigin::CsatSurvey,
    );
    let (ids, tenant, now) = (context.ids, context.tenant, context.now);
    let queued = queue_message(
        ids,
        tenant,
        context.contact,
        &plan.conversation,
        outgoing,
        now,
    );
    plan.record(queued_event(&queued));
    plan.survey = Some(queued);
    plan.conversation.survey = Some(Survey::sent(now));
}

/// The survey to send on resolving: `Ok(None)` when none is due (disabled, or
/// sent before), `Err` with the reason to record when one is due but cannot go.
fn survey_content(
    context: &ActionContext,
    conversation: &ConversationRecord,
) -> Result<Option<Content>, &'static str> {
    let settings = &context.tenant.settings;
    let window_open = conversation.channel == Channel::WhatsApp
        && context
            .contact
            .whatsapp_window
            .service_window(context.now, &settings.window)
            .is_open();
    let plan = plan_survey(
        &settings.survey,
        conversation.survey.as_ref(),
        conversation.channel,
        window_open,
    );
    let content = match plan {
        SurveyPlan::Text { text } => Content::text(text).ok(),
        SurveyPlan::Template { template } => template_content(&template),
        SurveyPlan::Skip {
            reason: SkipReason::OutsideWhatsAppWindow,
        } => return Err("outside_whatsapp_window"),
        SurveyPlan::Skip { .. } => return Ok(None),
    };
    match content {
        _ if !context.contact.consent.state().allows(conversation.channel) => Err("opted_out"),
        Some(content) => Ok(Some(content)),
        None => Err("invalid_survey_content"),
    }
}

/// A template message with no parameters.
fn template_content(template: &SurveyTemplate) -> Option<Content> {
    let raw = serde_json::json!({
        "type": "template",
        "template_name": template.name,
        "language": template.language,
    });
    serde_json::from_value::<RawContent>(raw)
        .ok()?
        .validate()
        .ok()
}
