//! A tenant: one business, its numbers, and the policies its inbox runs with.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::ids::TenantId;
use crate::core::channel::Channel;
use crate::core::conversation::ResumptionPolicy;
use crate::core::csat::SurveyConfig;
use crate::core::keyword::KeywordConfig;
use crate::core::phone::E164;
use crate::core::plan::PlanLimits;
use crate::core::quick_reply::QuickReplies;
use crate::core::tagging::TagRule;
use crate::core::template::ApprovedTemplate;
use crate::core::window::WindowPolicy;

/// The carrier a message came through or leaves by (`"twilio"`, `"telnyx"`,
/// `"meta"`, or your own adapter's name).
///
/// Part of the deduplication key (tenant, provider, provider message id): two
/// providers may use the same message id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProviderName(Cow<'static, str>);

impl ProviderName {
    /// Twilio.
    pub const TWILIO: ProviderName = ProviderName(Cow::Borrowed("twilio"));
    /// Telnyx.
    pub const TELNYX: ProviderName = ProviderName(Cow::Borrowed("telnyx"));
    /// Meta's WhatsApp Cloud API.
    pub const META: ProviderName = ProviderName(Cow::Borrowed("meta"));

    /// Any other provider's name.
    pub fn new(name: impl Into<String>) -> ProviderName {
        ProviderName(Cow::Owned(name.into()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProviderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A number a tenant receives messages on, per channel.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TenantNumber {
    /// The channel.
    pub channel: Channel,
    /// The number (for WhatsApp, the business phone number).
    pub number: E164,
}

/// One business using the inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tenant {
    /// Its id.
    pub id: TenantId,
    /// The slug in webhook URLs (`/twilio/{slug}/sms`); unique.
    pub slug: String,
    /// The name customers know it by (`{{org.name}}`).
    pub org_name: String,
    /// The numbers it receives on; each number belongs to one tenant, so an inbound
    /// message can be routed by the number it was sent to.
    pub numbers: Vec<TenantNumber>,
    /// Its policies.
    pub settings: TenantSettings,
}

impl Tenant {
    /// The number the tenant sends from on `channel`, if it has one.
    pub fn number_for(&self, channel: Channel) -> Option<&E164> {
        self.numbers
            .iter()
            .find(|n| n.channel == channel)
            .map(|n| &n.number)
    }
}

/// The policies a tenant's inbox runs with; every default is SPEC's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TenantSettings {
    /// Extra keywords and the possible-revocation policy (SPEC §2).
    pub keywords: KeywordConfig,
    /// Whether the provider already answers STOP/START/HELP itself (Twilio's
    /// Advanced Opt-Out, for example). Then the library records the consent change
    /// but sends no confirmation, so the contact never gets two.
    pub provider_sends_keyword_replies: bool,
    /// What the library sends back for keywords; `{{org.name}}` is filled in.
    pub replies: KeywordReplies,
    /// Auto-tagging rules (SPEC §8), in order.
    pub tag_rules: Vec<TagRule>,
    /// The WhatsApp templates Meta approved for the tenant, for agents and
    /// API clients to pick from.
    pub templates: Vec<ApprovedTemplate>,
    /// Its quick replies (SPEC §7), unique by shortcut.
    pub quick_replies: QuickReplies,
    /// The CSAT survey (SPEC §4).
    pub survey: SurveyConfig,
    /// When an inbound message resumes a resolved conversation (SPEC §4).
    pub resumption: ResumptionPolicy,
    /// The WhatsApp window's policy (SPEC §5).
    pub window: WindowPolicy,
    /// The plan's limits (SPEC §10).
    pub plan: PlanLimits,
    /// The tenant's time zone, for `{{date}}` and `{{time}}` (IANA name).
    pub time_zone: String,
}

impl Default for TenantSettings {
    fn default() -> Self {
        TenantSettings {
            keywords: KeywordConfig::default(),
            provider_sends_keyword_replies: false,
            replies: KeywordReplies::default(),
            tag_rules: Vec::new(),
            templates: Vec::new(),
            quick_replies: QuickReplies::new(),
            survey: SurveyConfig::default(),
            resumption: ResumptionPolicy::default(),
            window: WindowPolicy::default(),
            plan: PlanLimits::starter(),
            time_zone: "UTC".to_owned(),
        }
    }
}

/// The texts sent in answer to compliance keywords.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KeywordReplies {
    /// The opt-out confirmation (the last message the contact gets).
    pub opt_out: String,
    /// The opt-in confirmation.
    pub opt_in: String,
    /// The answer to HELP.
    pub help: String,
}

impl Default for KeywordReplies {
    fn default() -> Self {
        KeywordReplies {
            opt_out: "You have been unsubscribed from {{org.name}} messages and will not receive any more. Reply START to resubscribe.".to_owned(),
            opt_in: "You are subscribed to {{org.name}} messages again. Reply STOP to unsubscribe, HELP for help.".to_owned(),
            help: "{{org.name}}: reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply.".to_owned(),
        }
    }
}
