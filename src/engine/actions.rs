//! Agent and automation actions on a conversation (SPEC §4): assign, resolve,
//! reopen, hand to a bot, an AI agent or a human. Resolving sends the CSAT survey.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::inbox::{Committed, Decided, Inbox};
use super::reply::{Outgoing, queue};
use crate::core::channel::Channel;
use crate::core::conversation::{Event, Status};
use crate::core::csat::{SkipReason, Survey, SurveyPlan, SurveyTemplate, plan_survey};
use crate::core::message::{Content, RawContent};
use crate::error::Error;
use crate::model::{
    Contact, ConversationId, ConversationRecord, InboxEvent, MessageOrigin, MessageRecord, Tenant,
    TenantId,
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

impl Inbox {
    /// Moves a conversation with `event` through the SPEC §4 table (an illegal move
    /// is [`Error::Transition`] and writes nothing). Resolving sends the CSAT
    /// survey once, as text, or as the tenant's template outside the WhatsApp
    /// window, or not at all when the contact has opted out or no template is set.
    pub async fn act(
        &self,
        tenant: TenantId,
        conversation: ConversationId,
        event: &Event,
    ) -> Result<ActionOutcome, Error> {
        let tenant = self.tenant(tenant).await?;
        let committed = self
            .commit_loop(|| async {
                let now = self.clock.now();
                let record = self.load_conversation(tenant.id, conversation).await?;
                let contact = self.load_contact(tenant.id, record.contact).await?;
                let (changes, outcome) =
                    self.decide_action(&tenant, contact, record, event, now)?;
                Ok(Decided::write(changes, outcome))
            })
            .await?;
        match committed {
            Committed::Done(outcome) => Ok(outcome),
            // An action inserts no message with a provider or client id.
            Committed::Duplicate(_) => Err(Error::Busy { attempts: 1 }),
        }
    }

    fn decide_action(
        &self,
        tenant: &Tenant,
        contact: Contact,
        mut record: ConversationRecord,
        event: &Event,
        now: DateTime<Utc>,
    ) -> Result<(Changeset, ActionOutcome), Error> {
        let before = record.status();
        record.state = record.state.apply(event, now)?;
        let loaded_version = contact.version;
        let mut changes =
            Changeset::for_contact(tenant.id, ContactWrite::update(loaded_version, contact));
        let status_event = if before == Status::Resolved && record.status() == Status::Open {
            InboxEvent::ConversationOpened {
                conversation: record.id,
                contact: record.contact,
            }
        } else {
            InboxEvent::ConversationStatus {
                conversation: record.id,
                status: record.status(),
                assignee: record.state.assignee().cloned(),
            }
        };
        changes.push_event(now, status_event);
        let mut replies = Vec::new();
        if record.status() == Status::Resolved {
            let contact = changes.contact.contact().clone();
            match self.survey_content(tenant, &contact, &record, now) {
                Ok(Some(content)) => {
                    let origin = MessageOrigin::CsatSurvey;
                    let outgoing = Outgoing {
                        channel: record.channel,
                        content,
                        origin,
                        client_id: None,
                    };
                    let ids = self.ids.as_ref();
                    replies.push(queue(
                        &mut changes,
                        ids,
                        tenant,
                        &contact,
                        &record,
                        outgoing,
                        now,
                    ));
                    record.survey = Some(Survey::sent(now));
                }
                Ok(None) => {}
                Err(reason) => {
                    let event = InboxEvent::SurveySkipped {
                        conversation: record.id,
                        reason: reason.to_owned(),
                    };
                    changes.push_event(now, event);
                }
            }
        }
        changes.conversations.push(record.clone());
        Ok((
            changes,
            ActionOutcome {
                conversation: record,
                replies,
            },
        ))
    }

    /// The survey to send on resolving: `Ok(None)` when none is due (disabled, or
    /// sent before), `Err` with the reason to record when one is due but cannot go.
    fn survey_content(
        &self,
        tenant: &Tenant,
        contact: &Contact,
        record: &ConversationRecord,
        now: DateTime<Utc>,
    ) -> Result<Option<Content>, &'static str> {
        let window_open = record.channel == Channel::WhatsApp
            && contact
                .whatsapp_window
                .service_window(now, &tenant.settings.window)
                .is_open();
        let plan = plan_survey(
            &tenant.settings.survey,
            record.survey.as_ref(),
            record.channel,
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
            _ if !contact.consent.state().allows(record.channel) => Err("opted_out"),
            Some(content) => Ok(Some(content)),
            None => Err("invalid_survey_content"),
        }
    }
}

/// A template message with no parameters.
pub(crate) fn template_content(template: &SurveyTemplate) -> Option<Content> {
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
