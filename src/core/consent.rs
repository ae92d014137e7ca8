//! Consent per channel, as a ledger of events and the state derived from it
//! (SPEC §1–§2).
//!
//! Each contact has an independent consent record per [`Channel`]: opting out of SMS
//! never touches WhatsApp, and the other way round. A record says whether the
//! contact is opted in or out, what caused it ([`ConsentSource`]), the evidence
//! ([`Proof`]), and when. Every change arrives as a [`ConsentEvent`]; the
//! [`ConsentLedger`] keeps them all, and the current [`Consent`] is what folding the
//! pure [`apply`] over the ledger gives, so the state can always be rebuilt and
//! audited.
//!
//! # What may override an opt-out
//!
//! A recipient who said STOP must not be texted again because a back-office system
//! still thinks they are subscribed: that is the TCPA exposure this module exists to
//! prevent. So the rules are asymmetric:
//!
//! - **Every opt-out applies**, whatever came before: stopping sends is always safe.
//!   Keyword and provider-signal opt-outs (Twilio `OptOutType`, errors 21610 /
//!   40300) in particular are never overridden by anything but the contact.
//! - **An opt-out is reversed only by the contact's own opt-in**: an opt-in keyword
//!   ([`ConsentSource::Keyword`]), the provider reporting one
//!   ([`ConsentSource::ProviderSignal`], e.g. Twilio's `OptOutType=START`), or an
//!   agent recording explicit new consent with evidence of where it came from
//!   ([`ConsentSource::Manual`] with a [`Proof::MessageId`] or a non-blank
//!   [`Proof::Record`]).
//! - **Automatic (first inbound message), CSV import and API opt-ins never reverse
//!   an earlier opt-out.** Those sources describe what a system believes, not what
//!   the contact said after opting out. [`apply`] does not drop them silently: it
//!   returns [`Outcome::Ignored`] with the reason and the opt-out that stands, so the
//!   caller can show it (an import report, an API error).
//!
//! A repeated change (an opt-out while opted out, an opt-in while opted in) keeps the
//! original record (its source, proof and date are the legally relevant ones) and
//! is reported as [`Outcome::Unchanged`], so the caller does not confirm twice.
//!
//! Nothing is sendable until someone opts in: [`Consent::check`] refuses a channel
//! with no recorded consent as well as an opted-out one.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use msgcore::Channel;
//! use msgcore::core::consent::{ConsentChange, ConsentError, ConsentEvent, ConsentLedger};
//! use msgcore::core::consent::{ConsentSource, Outcome, Proof};
//!
//! let t = |minute| Utc.with_ymd_and_hms(2026, 1, 5, 9, minute, 0).unwrap();
//! let sms = |change, source, proof| ConsentEvent { channel: Channel::Sms, change, source, proof };
//! let mut ledger = ConsentLedger::default();
//!
//! // The contact's first message opts them in, on SMS only.
//! let first = sms(ConsentChange::OptIn, ConsentSource::Automatic, Proof::MessageId("SM1".into()));
//! assert_eq!(ledger.record(first, t(0)), Outcome::Applied);
//! assert!(ledger.state().allows(Channel::Sms));
//! assert!(!ledger.state().allows(Channel::WhatsApp));
//!
//! // They text STOP.
//! let stop = sms(ConsentChange::OptOut, ConsentSource::Keyword, Proof::MessageId("SM2".into()));
//! assert_eq!(ledger.record(stop, t(1)), Outcome::Applied);
//!
//! // An import that still lists them as subscribed does not undo it.
//! let import = sms(ConsentChange::OptIn, ConsentSource::CsvImport, Proof::Timestamp(t(2)));
//! assert!(matches!(ledger.record(import, t(2)), Outcome::Ignored { .. }));
//! assert_eq!(
//!     ledger.state().check(Channel::Sms),
//!     Err(ConsentError::OptedOut {
//!         channel: Channel::Sms,
//!         since: t(1),
//!         opted_out_by: ConsentSource::Keyword,
//!     }),
//! );
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::channel::Channel;

/// What caused a consent change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentSource {
    /// The contact's first inbound message on the channel.
    Automatic,
    /// An agent's toggle.
    Manual,
    /// A CSV import.
    CsvImport,
    /// The tenant's API.
    Api,
    /// A compliance keyword the contact sent (STOP, START, …).
    Keyword,
    /// The provider reported it: Twilio's `OptOutType`, or a 21610 / 40300 error.
    ProviderSignal,
}

impl ConsentSource {
    /// The stable wire name (`"csv_import"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            ConsentSource::Automatic => "automatic",
            ConsentSource::Manual => "manual",
            ConsentSource::CsvImport => "csv_import",
            ConsentSource::Api => "api",
            ConsentSource::Keyword => "keyword",
            ConsentSource::ProviderSignal => "provider_signal",
        }
    }
}

impl std::fmt::Display for ConsentSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The evidence for a consent change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proof {
    /// The provider id of the message that caused it (the STOP, the first inbound).
    MessageId(String),
    /// When consent was given or withdrawn, where no message caused it (an import
    /// row's consent date, an API call).
    Timestamp(DateTime<Utc>),
    /// Where consent given outside the conversation is kept, as an agent recorded it
    /// ("signed form #1234", "call recording 2026-01-05 14:02").
    Record(String),
}

impl Proof {
    /// Whether this proof points at something that shows the contact's own consent.
    fn shows_contacts_consent(&self) -> bool {
        match self {
            Proof::MessageId(id) => !id.trim().is_empty(),
            Proof::Record(record) => !record.trim().is_empty(),
            Proof::Timestamp(_) => false,
        }
    }
}

/// Opt in or opt out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentChange {
    /// The contact may be messaged on the channel.
    OptIn,
    /// The contact must not be messaged on the channel.
    OptOut,
}

/// One consent change asked for on one channel.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConsentEvent {
    /// The channel it concerns; the other channel is never touched.
    pub channel: Channel,
    /// Opt in or out.
    pub change: ConsentChange,
    /// What caused it.
    pub source: ConsentSource,
    /// The evidence.
    pub proof: Proof,
}

/// One channel's consent.
///
/// An opted-in record always has its opt-in date, an opted-out one its opt-out date;
/// the other date, when present, is the most recent change the other way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ChannelConsent {
    /// No consent recorded yet: nothing may be sent.
    #[default]
    Unknown,
    /// The contact may be messaged.
    OptedIn {
        /// What caused the opt-in.
        source: ConsentSource,
        /// The evidence for it.
        proof: Proof,
        /// When it was recorded.
        opted_in_at: DateTime<Utc>,
        /// The opt-out it reversed, if any.
        opted_out_at: Option<DateTime<Utc>>,
    },
    /// The contact must not be messaged.
    OptedOut {
        /// What caused the opt-out.
        source: ConsentSource,
        /// The evidence for it.
        proof: Proof,
        /// When it was recorded.
        opted_out_at: DateTime<Utc>,
        /// The opt-in it ended, if any.
        opted_in_at: Option<DateTime<Utc>>,
    },
}

impl ChannelConsent {
    /// Whether the contact may be messaged.
    pub fn is_opted_in(&self) -> bool {
        matches!(self, ChannelConsent::OptedIn { .. })
    }

    /// The most recent opt-in date.
    pub fn opted_in_at(&self) -> Option<DateTime<Utc>> {
        match *self {
            ChannelConsent::Unknown => None,
            ChannelConsent::OptedIn { opted_in_at, .. } => Some(opted_in_at),
            ChannelConsent::OptedOut { opted_in_at, .. } => opted_in_at,
        }
    }

    /// The most recent opt-out date.
    pub fn opted_out_at(&self) -> Option<DateTime<Utc>> {
        match *self {
            ChannelConsent::Unknown => None,
            ChannelConsent::OptedIn { opted_out_at, .. } => opted_out_at,
            ChannelConsent::OptedOut { opted_out_at, .. } => Some(opted_out_at),
        }
    }

    /// What caused the current status (`None` when nothing is recorded).
    pub fn source(&self) -> Option<ConsentSource> {
        match *self {
            ChannelConsent::Unknown => None,
            ChannelConsent::OptedIn { source, .. } | ChannelConsent::OptedOut { source, .. } => {
                Some(source)
            }
        }
    }

    /// The evidence for the current status (`None` when nothing is recorded).
    pub fn proof(&self) -> Option<&Proof> {
        match self {
            ChannelConsent::Unknown => None,
            ChannelConsent::OptedIn { proof, .. } | ChannelConsent::OptedOut { proof, .. } => {
                Some(proof)
            }
        }
    }

    fn apply(self, event: &ConsentEvent, now: DateTime<Utc>) -> (ChannelConsent, Outcome) {
        match (self, event.change) {
            (current @ ChannelConsent::OptedOut { .. }, ConsentChange::OptOut)
            | (current @ ChannelConsent::OptedIn { .. }, ConsentChange::OptIn) => {
                (current, Outcome::Unchanged)
            }
            (
                current @ ChannelConsent::OptedOut {
                    source,
                    opted_out_at,
                    ..
                },
                ConsentChange::OptIn,
            ) => match reversal_refused(event) {
                Some(reason) => (
                    current,
                    Outcome::Ignored {
                        reason,
                        opted_out_at,
                        opted_out_by: source,
                    },
                ),
                None => (opted_in(event, now, Some(opted_out_at)), Outcome::Applied),
            },
            (ChannelConsent::Unknown, ConsentChange::OptIn) => {
                (opted_in(event, now, None), Outcome::Applied)
            }
            (previous, ConsentChange::OptOut) => (
                ChannelConsent::OptedOut {
                    source: event.source,
                    proof: event.proof.clone(),
                    opted_out_at: now,
                    opted_in_at: previous.opted_in_at(),
                },
                Outcome::Applied,
            ),
        }
    }
}

fn opted_in(
    event: &ConsentEvent,
    now: DateTime<Utc>,
    opted_out_at: Option<DateTime<Utc>>,
) -> ChannelConsent {
    ChannelConsent::OptedIn {
        source: event.source,
        proof: event.proof.clone(),
        opted_in_at: now,
        opted_out_at,
    }
}

/// Why an opt-in may not reverse an opt-out, if it may not (see the module docs).
fn reversal_refused(event: &ConsentEvent) -> Option<IgnoredReason> {
    match event.source {
        ConsentSource::Keyword | ConsentSource::ProviderSignal => None,
        ConsentSource::Manual if event.proof.shows_contacts_consent() => None,
        ConsentSource::Manual => Some(IgnoredReason::NoEvidenceOfNewConsent),
        ConsentSource::Automatic | ConsentSource::CsvImport | ConsentSource::Api => {
            Some(IgnoredReason::SourceCannotReverseOptOut)
        }
    }
}

/// What [`apply`] did with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The channel's status changed as the event asked (confirm it to the contact).
    Applied,
    /// The channel already had that status; the original record is kept.
    Unchanged,
    /// The opt-in was refused because an earlier opt-out stands.
    Ignored {
        /// Why the opt-in could not reverse it.
        reason: IgnoredReason,
        /// When the standing opt-out was recorded.
        opted_out_at: DateTime<Utc>,
        /// What caused the standing opt-out.
        opted_out_by: ConsentSource,
    },
}

/// Why an opt-in did not reverse an opt-out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IgnoredReason {
    /// Automatic, CSV-import and API opt-ins never speak for a contact who opted out.
    SourceCannotReverseOptOut,
    /// An agent may reverse an opt-out only with a message id or a record of where the
    /// new consent came from, not a bare timestamp.
    NoEvidenceOfNewConsent,
}

/// A contact's consent on every channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    sms: ChannelConsent,
    whatsapp: ChannelConsent,
}

impl Consent {
    /// The consent record of one channel.
    pub fn channel(&self, channel: Channel) -> &ChannelConsent {
        match channel {
            Channel::Sms => &self.sms,
            Channel::WhatsApp => &self.whatsapp,
        }
    }

    /// Whether anything may be sent to the contact on `channel`.
    pub fn allows(&self, channel: Channel) -> bool {
        self.channel(channel).is_opted_in()
    }

    /// What a send path returns before sending on `channel`.
    pub fn check(&self, channel: Channel) -> Result<(), ConsentError> {
        match *self.channel(channel) {
            ChannelConsent::OptedIn { .. } => Ok(()),
            ChannelConsent::OptedOut {
                opted_out_at,
                source,
                ..
            } => Err(ConsentError::OptedOut {
                channel,
                since: opted_out_at,
                opted_out_by: source,
            }),
            ChannelConsent::Unknown => Err(ConsentError::NoConsent { channel }),
        }
    }

    fn channel_mut(&mut self, channel: Channel) -> &mut ChannelConsent {
        match channel {
            Channel::Sms => &mut self.sms,
            Channel::WhatsApp => &mut self.whatsapp,
        }
    }
}

/// Applies one event to a contact's consent at `now`: the next state, and what
/// happened (see the module docs for the rules). Pure and deterministic; only the
/// event's channel can change.
pub fn apply(mut state: Consent, event: &ConsentEvent, now: DateTime<Utc>) -> (Consent, Outcome) {
    let record = state.channel_mut(event.channel);
    let (next, outcome) = std::mem::take(record).apply(event, now);
    *record = next;
    (state, outcome)
}

/// A refused send: what a provider would answer for an unsubscribed recipient
/// (Twilio error 21610, Telnyx 40300), raised before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConsentError {
    /// The contact opted out of this channel.
    #[error("the recipient opted out of {channel} on {since} ({opted_out_by})")]
    OptedOut {
        /// The channel of the refused send.
        channel: Channel,
        /// When the opt-out was recorded.
        since: DateTime<Utc>,
        /// What caused it. (Not named `source`: that would make it the error's cause.)
        opted_out_by: ConsentSource,
    },
    /// No consent was ever recorded for this channel.
    #[error("the recipient never opted in to {channel}")]
    NoConsent {
        /// The channel of the refused send.
        channel: Channel,
    },
}

/// One recorded event and when it was applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// When the event was applied (the `now` given to [`apply`]).
    pub at: DateTime<Utc>,
    /// The event.
    pub event: ConsentEvent,
}

/// Every consent event of one contact, in the order they were recorded, and the
/// state they add up to.
///
/// Serializes as the list of entries; deserializing replays them, so a stored
/// ledger can never disagree with its state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<LedgerEntry>", into = "Vec<LedgerEntry>")]
pub struct ConsentLedger {
    entries: Vec<LedgerEntry>,
    state: Consent,
}

impl ConsentLedger {
    /// Applies `event` at `now`, appends it (ignored events too: they are part of
    /// the audit trail) and returns what happened.
    pub fn record(&mut self, event: ConsentEvent, now: DateTime<Utc>) -> Outcome {
        let (state, outcome) = apply(std::mem::take(&mut self.state), &event, now);
        self.state = state;
        self.entries.push(LedgerEntry { at: now, event });
        outcome
    }

    /// The current consent on every channel.
    pub fn state(&self) -> &Consent {
        &self.state
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// Every entry with what it did when it was recorded, oldest first (for a
    /// contact's timeline).
    pub fn history(&self) -> impl Iterator<Item = (&LedgerEntry, Outcome)> + '_ {
        self.entries
            .iter()
            .scan(Consent::default(), |state, entry| {
                let (next, outcome) = apply(std::mem::take(state), &entry.event, entry.at);
                *state = next;
                Some((entry, outcome))
            })
    }
}

impl From<Vec<LedgerEntry>> for ConsentLedger {
    /// Replays stored entries.
    fn from(entries: Vec<LedgerEntry>) -> Self {
        let mut ledger = ConsentLedger::default();
        for entry in entries {
            ledger.record(entry.event, entry.at);
        }
        ledger
    }
}

impl From<ConsentLedger> for Vec<LedgerEntry> {
    fn from(ledger: ConsentLedger) -> Self {
        ledger.entries
    }
}

#[cfg(test)]
mod tests;
