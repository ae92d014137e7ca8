//! A contact: one person a tenant talks to, with their consent and windows.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{ContactId, TenantId};
use crate::core::channel::Channel;
use crate::core::condition::Subject;
use crate::core::consent::ConsentLedger;
use crate::core::phone::E164;
use crate::core::ratelimit::GcraState;
use crate::core::window::{EntryPoint, WindowState};

/// How a Click-to-WhatsApp ad or a Page button brought a contact (a WhatsApp
/// message's `referral`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// Ad or Page button (opens the 72-hour free entry point).
    pub entry_point: EntryPoint,
    /// The referral's source type (`"ad"`, `"post"`).
    pub source_type: Option<String>,
    /// The ad or post id.
    pub source_id: Option<String>,
    /// The ad's URL.
    pub source_url: Option<String>,
    /// The ad's headline.
    #[serde(default)]
    pub headline: Option<String>,
    /// The ad's body text.
    #[serde(default)]
    pub body: Option<String>,
    /// The ad's media type (`image`, `video`, or a MIME type from Twilio).
    #[serde(default)]
    pub media_type: Option<String>,
    /// The ad's image or video.
    #[serde(default)]
    pub media_url: Option<String>,
    /// The ad's video thumbnail.
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    /// The Click-to-WhatsApp click id (`ctwa_clid`).
    pub ctwa_clid: Option<String>,
}

/// The referral that brought a contact, and when (SPEC §11 step 6), as kept
/// at the contact's `attributes.ctwa`: the referral's fields and `at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// The referral.
    #[serde(flatten)]
    pub referral: Referral,
    /// When it arrived.
    pub at: DateTime<Utc>,
}

/// The attribute a contact's Click-to-WhatsApp attribution is kept under.
pub const CTWA_ATTRIBUTE: &str = "ctwa";

/// One person a tenant talks to, keyed by phone number within the tenant.
///
/// The contact is the unit of consistency: everything that decides about a
/// contact (inbound messages, sends, status opt-outs, agent actions on their
/// conversation) reads it with its [`version`](Contact::version) and commits only if
/// the version is unchanged, so two replicas handling the same person at once
/// cannot both win.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// Its id.
    pub id: ContactId,
    /// Its tenant.
    pub tenant: TenantId,
    /// Its number (SMS address, and WhatsApp id as `wa_id`).
    pub phone: E164,
    /// Its name, from an agent, an import or the WhatsApp profile.
    pub name: Option<String>,
    /// Its e-mail address.
    pub email: Option<String>,
    /// Its company.
    #[serde(default)]
    pub company: Option<String>,
    /// Tags, each once, in the order they were added.
    pub tags: Vec<String>,
    /// Extra attributes (import columns, API fields), as JSON values: an import
    /// column is a string; an API call may store any JSON. The Click-to-WhatsApp
    /// attribution is kept at `ctwa` ([`Contact::attribution`]).
    pub attributes: BTreeMap<String, serde_json::Value>,
    /// Consent per channel, with its ledger (SPEC §2).
    pub consent: ConsentLedger,
    /// The WhatsApp windows (SPEC §5).
    pub whatsapp_window: WindowState,
    /// The send-rate limiter's state for this recipient (SPEC §10).
    pub send_limit: Option<GcraState>,
    /// When recent marketing sends went out, for the quiet-hours caps (SPEC §3);
    /// older than a day are dropped.
    pub marketing_sends: Vec<DateTime<Utc>>,
    /// When the contact was created.
    pub created_at: DateTime<Utc>,
    /// When its name, e-mail, company, tags, attributes or consent last changed
    /// (a contact stored before msgcore kept it reads as the Unix epoch).
    #[serde(default)]
    pub updated_at: DateTime<Utc>,
    /// The optimistic-concurrency version: 1 when created, +1 on every commit.
    pub version: u64,
    /// How WhatsApp knows the contact, where that is not simply its number.
    #[serde(default, skip_serializing_if = "WhatsAppIds::is_empty")]
    pub whatsapp: WhatsAppIds,
    /// When it was deleted: a deleted contact is a tombstone that keeps only
    /// its number and its consent ledger ([`Contact::tombstone`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
    /// How many of its workflow runs are live. The automation pass keeps it
    /// in the changeset that writes the runs, so a decision knows from the
    /// contact alone whether it must read them: an inbound message from a
    /// contact with no run costs no extra read.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub live_runs: u32,
}

fn is_zero(count: &u32) -> bool {
    *count == 0
}

/// How WhatsApp knows a contact, where that is not simply their number
/// (SPEC §1): what Meta said, kept as it said it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatsAppIds {
    /// Meta's `wa_id` when it is not the number's digits: an older Brazilian
    /// number without its ninth digit (`551187654321` for `+5511987654321`),
    /// Mexico's `521…`. Messages to the contact go to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
    /// The business-scoped user id WhatsApp sends since 2026
    /// (`US.13491208655302741918`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

impl WhatsAppIds {
    /// What a provider said of the sender `from`: its `wa_id` is kept only
    /// when it is not `from`'s digits.
    pub fn of(from: &E164, wa_id: Option<String>, user_id: Option<String>) -> WhatsAppIds {
        WhatsAppIds {
            wa_id: wa_id.filter(|id| id != from.wa_id()),
            user_id,
        }
    }

    /// Whether WhatsApp said nothing beyond the number.
    pub fn is_empty(&self) -> bool {
        self.wa_id.is_none() && self.user_id.is_none()
    }

    /// Takes what `newer` says (what it leaves out stays); whether anything changed.
    pub fn update(&mut self, newer: &WhatsAppIds) -> bool {
        let before = self.clone();
        if newer.wa_id.is_some() {
            self.wa_id.clone_from(&newer.wa_id);
        }
        if newer.user_id.is_some() {
            self.user_id.clone_from(&newer.user_id);
        }
        *self != before
    }
}

impl Contact {
    /// A new contact with no consent, no tags and version 1.
    pub fn new(id: ContactId, tenant: TenantId, phone: E164, now: DateTime<Utc>) -> Contact {
        Contact {
            id,
            tenant,
            phone,
            name: None,
            email: None,
            company: None,
            tags: Vec::new(),
            attributes: BTreeMap::new(),
            consent: ConsentLedger::default(),
            whatsapp_window: WindowState::default(),
            send_limit: None,
            marketing_sends: Vec::new(),
            created_at: now,
            updated_at: now,
            version: 1,
            whatsapp: WhatsAppIds::default(),
            deleted_at: None,
            live_runs: 0,
        }
    }

    /// Whether the contact was deleted.
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }

    /// The contact deleted at `now`: name, e-mail, company, tags and
    /// attributes (the Click-to-WhatsApp attribution with them) are erased.
    /// Its number, consent ledger and send limits are kept, so a STOP
    /// outlives the contact: the number imported or written to again comes
    /// back as a new contact that is still opted out.
    pub fn tombstone(&self, now: DateTime<Utc>) -> Contact {
        Contact {
            name: None,
            email: None,
            company: None,
            tags: Vec::new(),
            attributes: BTreeMap::new(),
            updated_at: now,
            deleted_at: Some(now),
            ..self.clone()
        }
    }

    /// The contact as a live record: a tombstone comes back as a contact
    /// created at `now` with its kept consent ledger; a live contact is
    /// returned as it is.
    pub fn revived(self, now: DateTime<Utc>) -> Contact {
        if !self.is_deleted() {
            return self;
        }
        Contact {
            created_at: now,
            updated_at: now,
            deleted_at: None,
            ..self
        }
    }

    /// Adds `tag` unless the contact has it; whether it was added.
    pub fn add_tag(&mut self, tag: &str) -> bool {
        if self.tags.iter().any(|t| t == tag) {
            return false;
        }
        self.tags.push(tag.to_owned());
        true
    }

    /// How a Click-to-WhatsApp ad or Page button brought the contact, read from
    /// `attributes.ctwa` (where the seed's inbox shows it); `None` if nothing
    /// did, or if the attribute was overwritten with something else.
    pub fn attribution(&self) -> Option<Attribution> {
        let ctwa = self.attributes.get(CTWA_ATTRIBUTE)?;
        serde_json::from_value(ctwa.clone()).ok()
    }

    /// Keeps `attribution` whole at `attributes.ctwa`.
    pub fn set_attribution(&mut self, attribution: &Attribution) {
        if let Ok(value) = serde_json::to_value(attribution) {
            self.attributes.insert(CTWA_ATTRIBUTE.to_owned(), value);
        }
    }

    /// The contact as what a [condition](crate::core::condition) reads, on
    /// `channel` (none: a condition on `channel` finds it absent); add the
    /// message or saved replies with [`Subject::with_text`] and
    /// [`Subject::with_saved_replies`].
    pub fn subject(&self, channel: impl Into<Option<Channel>>) -> Subject<'_> {
        Subject {
            name: self.name.as_deref(),
            phone: Some(self.phone.as_str()),
            email: self.email.as_deref(),
            company: self.company.as_deref(),
            channel: channel.into(),
            tags: &self.tags,
            attributes: Some(&self.attributes),
            ..Subject::default()
        }
    }

    /// Takes `tag` off the contact; whether it had it.
    pub fn remove_tag(&mut self, tag: &str) -> bool {
        let before = self.tags.len();
        self.tags.retain(|t| t != tag);
        self.tags.len() != before
    }
}
