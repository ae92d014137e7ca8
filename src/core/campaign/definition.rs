//! A campaign as SPEC §18 writes it, and as it stands once checked.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::throttle::Throttle;
pub use crate::core::audience::Audience;
use crate::core::audience::BlankTag;
use crate::core::channel::Channel;
use crate::core::message::{Content, ContentError, ContentProblem, RawContent, RawTemplate};
use crate::core::phone::E164;
use crate::core::quiet_hours::SendKind;
use crate::core::template::{Template, TemplateError};
use crate::core::usage::PricingCategory;

/// The longest campaign id: it is part of every recipient's client id.
const MAX_ID_LEN: usize = 64;

/// A campaign in its wire form (SPEC §18), as an API call or `msgctl` gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignDefinition {
    /// The caller's id for the campaign.
    pub id: String,
    /// The channel every message goes on.
    pub channel: Channel,
    /// Who receives it; none is every contact.
    #[serde(default)]
    pub audience: Option<Audience>,
    /// The message text, with `{name}`, `{company}`, `{{contact.name}}`, … .
    #[serde(default)]
    pub text: Option<String>,
    /// Or an approved WhatsApp template.
    #[serde(default)]
    pub template: Option<TemplateRef>,
    /// Marketing (the default: quiet hours hold it) or transactional.
    #[serde(default)]
    pub kind: CampaignKind,
    /// When the first recipients may be queued; none is at once.
    #[serde(default)]
    pub start_at: Option<DateTime<Utc>>,
    /// At most this many recipients a minute.
    #[serde(default)]
    pub per_minute: Option<u32>,
    /// The workflow a recipient starts once their message is queued.
    #[serde(default)]
    pub workflow: Option<String>,
}

/// An approved WhatsApp template by name and language, with its components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateRef {
    /// Its name.
    pub name: String,
    /// Its language code (`en_US`).
    pub language: String,
    /// Its components (header, body parameters, buttons), as Meta takes them.
    #[serde(default)]
    pub components: Vec<serde_json::Value>,
}

impl TemplateRef {
    /// The template message it sends.
    pub fn content(&self) -> Result<Content, ContentError> {
        let raw = serde_json::json!({
            "template_name": self.name,
            "language": self.language,
            "components": self.components,
        });
        let raw: RawTemplate = serde_json::from_value(raw).map_err(|_| {
            let expected = "a list of Meta template components";
            ContentError::new("components", ContentProblem::Malformed { expected })
        })?;
        RawContent::Template(raw).validate()
    }
}

/// What kind of send a campaign's messages are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignKind {
    /// Promotional: quiet hours hold it.
    #[default]
    Marketing,
    /// A notice the recipient expects (an appointment, an outage): never held.
    Transactional,
}

impl CampaignKind {
    /// The gates' kind of send.
    pub fn send_kind(self) -> SendKind {
        match self {
            CampaignKind::Marketing => SendKind::Marketing,
            CampaignKind::Transactional => SendKind::Transactional,
        }
    }

    /// The WhatsApp pricing category of the campaign's templates: a
    /// transactional notice goes out on a utility template.
    pub fn template_category(self) -> PricingCategory {
        match self {
            CampaignKind::Marketing => PricingCategory::Marketing,
            CampaignKind::Transactional => PricingCategory::Utility,
        }
    }
}

/// What every recipient is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum CampaignContent {
    /// A text rendered for each recipient.
    Text(Template),
    /// An approved WhatsApp template.
    Template(TemplateRef),
}

/// A checked campaign, ready to freeze its audience.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// Its id.
    pub id: String,
    /// Its channel.
    pub channel: Channel,
    /// Who receives it.
    pub audience: Audience,
    /// What they are sent.
    pub content: CampaignContent,
    /// Marketing or transactional.
    pub kind: CampaignKind,
    /// Its pace.
    throttle: Throttle,
    /// The workflow recipients start.
    pub workflow: Option<String>,
}

impl Campaign {
    /// Its pace.
    pub fn throttle(&self) -> Throttle {
        self.throttle
    }
}

/// Why a campaign definition was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CampaignError {
    /// The id is empty or white space.
    #[error("a campaign needs an id")]
    MissingId,
    /// The id is too long to be part of client ids.
    #[error("the campaign id is {len} characters long; at most {MAX_ID_LEN} are allowed")]
    IdTooLong {
        /// Its length in characters.
        len: usize,
    },
    /// Neither `text` nor `template`, or both.
    #[error("a campaign needs exactly one of `text` and `template`")]
    Content,
    /// The text is not a valid template.
    #[error("the campaign text: {0}")]
    Text(#[from] TemplateError),
    /// A template without a name or language.
    #[error("the campaign template needs a name and a language")]
    TemplateName,
    /// A WhatsApp template on an SMS campaign.
    #[error("an approved template is a WhatsApp message; an SMS campaign needs `text`")]
    TemplateOnSms,
    /// `per_minute` is 0.
    #[error("`per_minute` must be at least 1 (leave it out for no limit)")]
    ZeroPace,
    /// The template's components are not a valid template message.
    #[error("the campaign template: {0}")]
    TemplateContent(#[from] ContentError),
    /// An audience tag is empty.
    #[error("{0}")]
    EmptyTag(#[from] BlankTag),
}

impl CampaignDefinition {
    /// The id the campaign is stored and found under: the given one, trimmed.
    pub fn stored_id(&self) -> &str {
        self.id.trim()
    }

    /// Checks the definition; a campaign created at `now` without `start_at`
    /// starts at `now`.
    pub fn validate(self, now: DateTime<Utc>) -> Result<Campaign, CampaignError> {
        let id = self.stored_id().to_owned();
        if id.is_empty() {
            return Err(CampaignError::MissingId);
        }
        let len = id.chars().count();
        if len > MAX_ID_LEN {
            return Err(CampaignError::IdTooLong { len });
        }
        let content = match (self.text, self.template) {
            (Some(text), None) => CampaignContent::Text(Template::parse(&text)?),
            (None, Some(template)) => content_of(template, self.channel)?,
            _ => return Err(CampaignError::Content),
        };
        if self.per_minute == Some(0) {
            return Err(CampaignError::ZeroPace);
        }
        let audience = self.audience.unwrap_or_default();
        audience.check()?;
        Ok(Campaign {
            id,
            channel: self.channel,
            audience,
            content,
            kind: self.kind,
            throttle: Throttle {
                start: self.start_at.unwrap_or(now),
                per_minute: self.per_minute,
            },
            workflow: self.workflow,
        })
    }
}

fn content_of(template: TemplateRef, channel: Channel) -> Result<CampaignContent, CampaignError> {
    if channel == Channel::Sms {
        return Err(CampaignError::TemplateOnSms);
    }
    if template.name.trim().is_empty() || template.language.trim().is_empty() {
        return Err(CampaignError::TemplateName);
    }
    template.content()?;
    Ok(CampaignContent::Template(template))
}

/// A recipient's message's client id, `ID:E164` (SPEC §18): queuing is
/// idempotent on it, so a campaign restarted after a crash never queues a
/// recipient twice.
pub fn client_id(campaign: &str, phone: &E164) -> String {
    format!("{campaign}:{phone}")
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 17, 0, 0).unwrap()
    }

    fn definition(value: serde_json::Value) -> CampaignDefinition {
        serde_json::from_value(value).unwrap()
    }

    fn refused(value: serde_json::Value) -> CampaignError {
        definition(value).validate(now()).unwrap_err()
    }

    #[test]
    fn the_spec_form_reads_with_its_defaults() {
        let campaign = definition(json!({
            "id": " spring ", "channel": "sms", "text": "Hi {name}!"
        }))
        .validate(now())
        .unwrap();
        assert_eq!(campaign.id, "spring");
        assert_eq!(campaign.kind, CampaignKind::Marketing);
        assert_eq!(campaign.audience, Audience::default(), "every contact");
        assert_eq!(campaign.throttle().start, now(), "no start_at: at once");
        assert_eq!(campaign.throttle().per_minute, None);
        assert!(matches!(campaign.content, CampaignContent::Text(_)));
    }

    #[test]
    fn a_whatsapp_template_campaign_keeps_its_template() {
        let campaign = definition(json!({
            "id": "reminder", "channel": "whatsapp", "kind": "transactional",
            "template": {"name": "appointment_reminder", "language": "en_US",
                         "components": [{"type": "body", "parameters":
                                         [{"type": "text", "text": "Tuesday"}]}]},
            "audience": {"tags": ["patients"]}, "per_minute": 30,
            "start_at": "2026-03-03T09:00:00Z", "workflow": "confirm"
        }))
        .validate(now())
        .unwrap();
        assert_eq!(campaign.kind.send_kind(), SendKind::Transactional);
        assert_eq!(campaign.workflow.as_deref(), Some("confirm"));
        let CampaignContent::Template(template) = &campaign.content else {
            panic!("a template campaign");
        };
        assert_eq!(template.name, "appointment_reminder");
        assert_eq!(
            campaign.throttle().start,
            now() + chrono::TimeDelta::hours(16)
        );
    }

    #[test]
    fn a_definition_is_refused_naming_what_is_wrong() {
        let base = |extra: serde_json::Value| {
            let mut value = json!({"id": "c", "channel": "sms", "text": "Hi"});
            for (key, v) in extra.as_object().unwrap() {
                value[key] = v.clone();
            }
            value
        };
        assert_eq!(refused(base(json!({"id": "  "}))), CampaignError::MissingId);
        assert_eq!(
            refused(base(json!({"id": "x".repeat(65)}))),
            CampaignError::IdTooLong { len: 65 }
        );
        assert_eq!(refused(base(json!({"text": null}))), CampaignError::Content);
        assert_eq!(
            refused(base(json!({"template": {"name": "t", "language": "en"}}))),
            CampaignError::Content,
            "text and template both"
        );
        assert!(matches!(
            refused(base(json!({"text": "Hi {{name"}))),
            CampaignError::Text(_)
        ));
        assert_eq!(
            refused(base(json!({"per_minute": 0}))),
            CampaignError::ZeroPace
        );
        assert_eq!(
            refused(base(json!({"audience": {"tags": ["vip", " "]}}))),
            CampaignError::EmptyTag(BlankTag {
                list: "tags",
                index: 1
            })
        );
        assert_eq!(
            refused(json!({"id": "c", "channel": "sms",
                           "template": {"name": "t", "language": "en"}})),
            CampaignError::TemplateOnSms
        );
        assert_eq!(
            refused(json!({"id": "c", "channel": "whatsapp",
                           "template": {"name": "", "language": "en"}})),
            CampaignError::TemplateName
        );
        assert!(
            matches!(
                refused(json!({"id": "c", "channel": "whatsapp",
                           "template": {"name": "t", "language": "en",
                                        "components": [{"type": "body"}]}})),
                CampaignError::TemplateContent(_)
            ),
            "a component without parameters"
        );
    }

    #[test]
    fn a_client_id_is_the_campaign_and_the_number() {
        let phone: E164 = "+14155550100".parse().unwrap();
        assert_eq!(client_id("spring", &phone), "spring:+14155550100");
    }
}
