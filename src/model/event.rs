//! Events for real-time clients and automations (SPEC §16, §14).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{ContactId, ConversationId, MessageId, TenantId};
use super::tenant::ProviderName;
use crate::core::channel::Channel;
use crate::core::consent::ConsentChange;
use crate::core::conversation::{AgentId, Status};
use crate::core::delivery::DeliveryStatus;
use crate::core::phone::E164;

/// Something that happened in a tenant's inbox.
///
/// Events are written in the same transaction as the change they describe, then
/// handed to the [`EventSink`](crate::engine::EventSink); a crash in between loses
/// none of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum InboxEvent {
    /// A message arrived.
    MessageReceived {
        /// The message.
        message: MessageId,
        /// Its conversation.
        conversation: ConversationId,
        /// Its contact.
        contact: ContactId,
        /// Its channel.
        channel: Channel,
    },
    /// An outbound message was queued.
    MessageQueued {
        /// The message.
        message: MessageId,
        /// Its conversation.
        conversation: ConversationId,
    },
    /// A message's delivery status moved.
    MessageStatus {
        /// The message.
        message: MessageId,
        /// Its new standing status.
        status: DeliveryStatus,
    },
    /// A conversation started or was reopened.
    ConversationOpened {
        /// The conversation.
        conversation: ConversationId,
        /// Its contact.
        contact: ContactId,
    },
    /// A conversation's status changed for any other reason.
    ConversationStatus {
        /// The conversation.
        conversation: ConversationId,
        /// Its new status.
        status: Status,
        /// Its assignee, when assigned.
        assignee: Option<AgentId>,
    },
    /// A contact's consent changed on one channel.
    ConsentChanged {
        /// The contact.
        contact: ContactId,
        /// The channel.
        channel: Channel,
        /// In or out.
        change: ConsentChange,
    },
    /// A contact was deleted: its profile erased, its number and consent
    /// ledger kept ([`Contact::tombstone`](super::Contact::tombstone)).
    ContactDeleted {
        /// The contact.
        contact: ContactId,
    },
    /// A tag was added to a contact.
    TagAdded {
        /// The contact.
        contact: ContactId,
        /// The tag.
        tag: String,
    },
    /// A tag was taken off a contact.
    TagRemoved {
        /// The contact.
        contact: ContactId,
        /// The tag.
        tag: String,
    },
    /// An automation trigger fired (`inbound_sms`, `inbound_whatsapp`, SPEC §14).
    Trigger {
        /// The trigger's wire name ([`Trigger::as_str`](crate::core::trigger::Trigger::as_str)).
        trigger: String,
        /// The message that fired it.
        message: MessageId,
        /// Its contact.
        contact: ContactId,
    },
    /// A CSAT rating was recorded.
    CsatRecorded {
        /// The conversation it rates.
        conversation: ConversationId,
        /// The score, 1–5.
        score: u8,
    },
    /// A CSAT survey was due but not sent (`"outside_whatsapp_window"` with no
    /// template configured, `"opted_out"`, `"invalid_survey_content"`).
    SurveySkipped {
        /// The resolved conversation.
        conversation: ConversationId,
        /// Why.
        reason: String,
    },
    /// The bot or AI agent did not answer `message` in time: the conversation
    /// went to a human.
    ResponderTimedOut {
        /// The conversation, now `OPEN`.
        conversation: ConversationId,
        /// The message left unanswered.
        message: MessageId,
    },
    /// A reply that may revoke consent needs an agent's review (SPEC §2).
    PossibleRevocation {
        /// The message.
        message: MessageId,
        /// Its contact.
        contact: ContactId,
    },
    /// A rule's action, or a campaign's start of a workflow, failed (SPEC
    /// §14: the rule's other actions still ran).
    AutomationFailed {
        /// The contact it was for.
        contact: ContactId,
        /// What asked for it: `rule ID` or `campaign ID`.
        source: String,
        /// The action's wire name (`send`, `start_workflow`, …).
        action: String,
        /// Why it failed: an error kind (`opted_out`, `already_running`, …).
        error: String,
    },
    /// A rule's `webhook` action: delivered to the tenant's outgoing endpoint
    /// at `url`, and to no other (SPEC §14, §16).
    AutomationWebhook {
        /// The contact the rule ran for.
        contact: ContactId,
        /// The rule.
        rule: String,
        /// What set it off (`inbound_sms`, `call_completed`, …).
        trigger: String,
        /// The message that set it off, for message triggers.
        message: Option<MessageId>,
        /// The endpoint's address, as the rule names it.
        url: String,
    },
    /// A voice call reached a status the provider reported (a call log, and the
    /// trigger for automations on calls); once per call and status.
    CallLogged {
        /// The provider that carried the call.
        provider: ProviderName,
        /// The provider's id for the call.
        call: String,
        /// The caller's contact.
        contact: ContactId,
        /// The caller's number.
        from: E164,
        /// The number called, when the provider said.
        to: Option<E164>,
        /// The status, as the provider names it (`completed`, `busy`, …).
        status: String,
        /// How long the call lasted, when it ended.
        duration_seconds: Option<u32>,
    },
}

/// An event with its tenant and time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// The tenant.
    pub tenant: TenantId,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    pub event: InboxEvent,
}

impl InboxEvent {
    /// Whether the event belongs on its contact's timeline as an audit event
    /// (SPEC §1): consent and tag changes, conversations opened and changed,
    /// CSAT, possible revocations and calls. Messages are on the timeline as
    /// themselves, so their events are not.
    pub fn is_on_timeline(&self) -> bool {
        matches!(
            self,
            InboxEvent::ConsentChanged { .. }
                | InboxEvent::ContactDeleted { .. }
                | InboxEvent::TagAdded { .. }
                | InboxEvent::TagRemoved { .. }
                | InboxEvent::ConversationOpened { .. }
                | InboxEvent::ConversationStatus { .. }
                | InboxEvent::CsatRecorded { .. }
                | InboxEvent::PossibleRevocation { .. }
                | InboxEvent::AutomationFailed { .. }
                | InboxEvent::CallLogged { .. }
        )
    }
}

/// The tenants `events` belong to, each once, in order of id.
#[cfg(feature = "tokio")]
pub(crate) fn distinct_tenants(events: &[EventRecord]) -> Vec<TenantId> {
    let mut tenants: Vec<TenantId> = events.iter().map(|record| record.tenant).collect();
    tenants.sort();
    tenants.dedup();
    tenants
}

impl EventRecord {
    /// `event` at `tenant`, happening at `at`.
    pub fn new(tenant: TenantId, at: DateTime<Utc>, event: InboxEvent) -> EventRecord {
        EventRecord { tenant, at, event }
    }
}
