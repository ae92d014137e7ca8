//! The survey's life: planning the send when a conversation is resolved, and
//! deciding whether a reply answers it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Rating;
use crate::core::channel::Channel;
use crate::core::conversation::{ResumptionPolicy, Status};

/// The question sent when the tenant has not written its own. It asks for the
/// simplest form the grammar accepts.
pub const DEFAULT_QUESTION: &str = "How did we do? Please reply with a number from 1 to 5, where 5 is best. A comment is welcome too.";

/// A tenant's survey settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyConfig {
    /// Whether resolved conversations are surveyed at all.
    pub enabled: bool,
    /// The question sent as a free-form message.
    pub question: String,
    /// The approved WhatsApp template to send instead when the contact's
    /// customer-service window is closed; without one the survey is skipped there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whatsapp_template: Option<SurveyTemplate>,
}

impl Default for SurveyConfig {
    /// Enabled, with [`DEFAULT_QUESTION`] and no WhatsApp template.
    fn default() -> Self {
        SurveyConfig {
            enabled: true,
            question: DEFAULT_QUESTION.to_owned(),
            whatsapp_template: None,
        }
    }
}

/// An approved WhatsApp template, by the name and language Meta knows it by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SurveyTemplate {
    /// The template's name (`"csat_survey"`).
    pub name: String,
    /// Its language code (`"en_US"`).
    pub language: String,
}

/// What to do about the survey when a conversation becomes `RESOLVED`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "plan", rename_all = "snake_case")]
pub enum SurveyPlan {
    /// Send this text as an ordinary message (SMS, or WhatsApp inside the window).
    Text {
        /// The question.
        text: String,
    },
    /// Send this approved template (WhatsApp outside the window).
    Template {
        /// The template.
        template: SurveyTemplate,
    },
    /// Send nothing; record why.
    Skip {
        /// Why no survey goes out.
        reason: SkipReason,
    },
}

/// Why a resolved conversation gets no survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The tenant turned surveys off.
    Disabled,
    /// This conversation was surveyed before: a contact is asked once.
    AlreadySent,
    /// The contact's WhatsApp window is closed and the tenant has no survey template.
    #[serde(rename = "outside_whatsapp_window")]
    OutsideWhatsAppWindow,
}

/// Decides how to survey a conversation that was just resolved.
///
/// `previous` is the conversation's survey, if one was ever sent. `channel` is the
/// channel the survey would go out on (the contact's last one), and
/// `whatsapp_window_open` whether the contact's WhatsApp customer-service window is
/// open now; it does not matter for SMS, which has no window. Consent and the other
/// send gates still apply to whatever is sent.
pub fn plan_survey(
    config: &SurveyConfig,
    previous: Option<&Survey>,
    channel: Channel,
    whatsapp_window_open: bool,
) -> SurveyPlan {
    let skip = |reason| SurveyPlan::Skip { reason };
    if !config.enabled {
        return skip(SkipReason::Disabled);
    }
    if previous.is_some() {
        return skip(SkipReason::AlreadySent);
    }
    let text = || SurveyPlan::Text {
        text: config.question.clone(),
    };
    match (channel, whatsapp_window_open, &config.whatsapp_template) {
        (Channel::Sms, _, _) | (Channel::WhatsApp, true, _) => text(),
        (Channel::WhatsApp, false, Some(template)) => SurveyPlan::Template {
            template: template.clone(),
        },
        (Channel::WhatsApp, false, None) => skip(SkipReason::OutsideWhatsAppWindow),
    }
}

/// A conversation's survey: when it went out, and its answer once one came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    /// When the survey was sent.
    pub sent_at: DateTime<Utc>,
    /// The answer, once the contact gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answer>,
}

impl Survey {
    /// A survey sent at `now`, not answered yet.
    pub fn sent(now: DateTime<Utc>) -> Survey {
        Survey {
            sent_at: now,
            answer: None,
        }
    }
}

/// A contact's answer to a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The score and comment.
    pub rating: Rating,
    /// When the answer arrived.
    pub answered_at: DateTime<Utc>,
}

/// What to do with an inbound message, as far as the survey is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum ReplyDecision {
    /// The message answers the survey: store this survey, which now holds the
    /// answer. The conversation stays as it is.
    RecordRating {
        /// The survey with its answer.
        survey: Survey,
    },
    /// The message is not a survey answer: handle it as any inbound message (it may
    /// resume the conversation).
    Ordinary {
        /// Why it is not an answer.
        reason: OrdinaryReason,
    },
}

/// Why an inbound message does not answer a survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrdinaryReason {
    /// The conversation was never surveyed.
    NoSurvey,
    /// The survey was answered already.
    AlreadyAnswered,
    /// The conversation is no longer `RESOLVED`: the contact or an agent reopened it.
    ConversationNotResolved,
    /// The survey went out longer ago than the resumption window.
    Expired,
    /// The message is not a rating by the grammar in the [module docs](super).
    NotARating,
}

/// Decides whether `reply`, arriving at `now` in a conversation whose status is
/// `status` and whose survey is `survey`, answers that survey (rules in the
/// [module docs](super)). Ask this before
/// [`on_inbound`](crate::core::conversation::on_inbound): only an ordinary message
/// goes on to continue or resume the conversation.
pub fn on_reply(
    survey: Option<&Survey>,
    status: Status,
    reply: &str,
    now: DateTime<Utc>,
    policy: &ResumptionPolicy,
) -> ReplyDecision {
    let ordinary = |reason| ReplyDecision::Ordinary { reason };
    let Some(survey) = survey else {
        return ordinary(OrdinaryReason::NoSurvey);
    };
    if survey.answer.is_some() {
        return ordinary(OrdinaryReason::AlreadyAnswered);
    }
    if status != Status::Resolved {
        return ordinary(OrdinaryReason::ConversationNotResolved);
    }
    if !policy.is_within(survey.sent_at, now) {
        return ordinary(OrdinaryReason::Expired);
    }
    let Some(rating) = Rating::parse(reply) else {
        return ordinary(OrdinaryReason::NotARating);
    };
    ReplyDecision::RecordRating {
        survey: Survey {
            sent_at: survey.sent_at,
            answer: Some(Answer {
                rating,
                answered_at: now,
            }),
        },
    }
}
