//! The parts of the [`Store`](super::Store) contract that are plain functions of
//! records: what a search matches, which conversations a query lists, what a bulk
//! action does, when an outbox item is claimable and what an outcome changes.
//!
//! Every store uses these, so the memory store and the SQL stores cannot drift
//! apart on them (the SQL stores push the same conditions into SQL and keep the
//! derived columns they filter on computed here).

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};

use super::{BulkAction, Changeset, ConversationQuery, DispatchOutcome};
use crate::core::delivery::{DeliveryStatus, StatusUpdate};
use crate::core::phone::E164;
use crate::core::usage::{Billing, Pricing, UsageLine, UsageTally};
use crate::model::{
    Contact, ContactId, ConversationRecord, MessageId, MessageRecord, OutboxItem, OutboxState,
    ProviderName, TenantId,
};

/// An inbox search, normalized once: a contact matches when its lower-cased name
/// contains [`needle`](Search::needle) or its E.164 number contains
/// [`digits`](Search::digits) (when the text has any digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Search {
    /// The text, trimmed and lower-cased.
    pub(crate) needle: String,
    /// The text's ASCII digits, in order.
    pub(crate) digits: String,
}

impl Search {
    /// The search for `text`.
    pub(crate) fn new(text: &str) -> Search {
        let needle = text.trim().to_lowercase();
        let digits = needle.chars().filter(char::is_ascii_digit).collect();
        Search { needle, digits }
    }

    /// Whether `contact` matches.
    pub(crate) fn matches(&self, contact: &Contact) -> bool {
        let by_name = name_key(contact).is_some_and(|name| name.contains(&self.needle));
        let by_phone = !self.digits.is_empty() && contact.phone.as_str().contains(&self.digits);
        by_name || by_phone
    }
}

/// The form of a contact's name a search compares with: lower-cased.
pub(crate) fn name_key(contact: &Contact) -> Option<String> {
    contact.name.as_ref().map(|name| name.to_lowercase())
}

/// Whether two messages share a unique key: the same id, the same provider
/// message id from the same provider, or the same client id.
pub(crate) fn same_key(a: &MessageRecord, b: &MessageRecord) -> bool {
    let provider_key = |m: &MessageRecord| {
        m.provider
            .as_ref()
            .zip(m.provider_message_id.as_ref())
            .map(|(p, id)| (p.clone(), id.clone()))
    };
    a.id == b.id
        || provider_key(a).is_some_and(|key| Some(key) == provider_key(b))
        || a.client_id.is_some() && a.client_id == b.client_id
}

/// Whether `record` passes the filters of `query` other than the search.
pub(crate) fn conversation_matches(record: &ConversationRecord, query: &ConversationQuery) -> bool {
    let flags = record.flags;
    !flags.deleted
        && (query.include_archived || !flags.archived)
        && (!query.starred_only || flags.starred)
        && query.status.is_none_or(|s| record.status() == s)
        && query.channel.is_none_or(|c| record.channel == c)
        && query
            .assignee
            .as_ref()
            .is_none_or(|a| record.state.assignee() == Some(a))
}

/// Applies a bulk action's flag change; whether anything changed.
pub(crate) fn apply_bulk(record: &mut ConversationRecord, action: BulkAction) -> bool {
    let flags = &mut record.flags;
    let before = *flags;
    match action {
        BulkAction::MarkRead => flags.unread = 0,
        BulkAction::Star => flags.starred = true,
        BulkAction::Unstar => flags.starred = false,
        BulkAction::Archive => flags.archived = true,
        BulkAction::Unarchive => flags.archived = false,
        BulkAction::Delete => flags.deleted = true,
    }
    *flags != before
}

/// The queue an outbox item waits in: its recipient on its channel, at its
/// tenant, written `sms:+14155550100` (the SQL stores' `recipient` column).
///
/// One queue's items leave in the order they were queued (SPEC §18 "Order"): an
/// item is claimed only when no earlier item of its queue [is
/// unfinished](is_unfinished), so a STOP confirmation queued before a START
/// confirmation reaches the provider first, whatever the dispatchers'
/// concurrency. Other queues never wait for it.
pub(crate) fn queue_of(item: &OutboxItem) -> String {
    format!("{}:{}", item.channel.as_str(), item.to)
}

/// Whether an item still holds back the later items of its queue: it is pending
/// (a retry included) or in flight. Sent and failed items are done.
pub(crate) fn is_unfinished(item: &OutboxItem) -> bool {
    matches!(
        item.state,
        OutboxState::Pending | OutboxState::InFlight { .. }
    )
}

/// Whether an outbox item may be claimed at `now`, leaving aside the earlier
/// items of its queue ([`queue_of`]).
pub(crate) fn is_claimable(item: &OutboxItem, now: DateTime<Utc>) -> bool {
    match item.state {
        OutboxState::Pending => item.available_at <= now,
        OutboxState::InFlight { lease_until } => lease_until <= now,
        OutboxState::Sent { .. } | OutboxState::Failed { .. } => false,
    }
}

/// Whether the claim made at `attempt` is still the item's current claim: it is in
/// flight and nobody claimed it since.
pub(crate) fn claim_stands(item: &OutboxItem, attempt: u32) -> bool {
    matches!(item.state, OutboxState::InFlight { .. }) && item.attempts == attempt
}

/// What a dispatch outcome changes: the outbox item's new state, its new
/// `available_at` (for a retry), and the status update for the message.
pub(crate) struct OutcomeEffect {
    /// The item's new state.
    pub(crate) state: OutboxState,
    /// When a retried item becomes claimable again.
    pub(crate) available_at: Option<DateTime<Utc>>,
    /// The update to merge into the message's delivery.
    pub(crate) status: Option<StatusUpdate>,
}

impl OutcomeEffect {
    /// The effect of `outcome` recorded at `now`.
    pub(crate) fn of(outcome: &DispatchOutcome, now: DateTime<Utc>) -> OutcomeEffect {
        match outcome {
            DispatchOutcome::Sent {
                provider_message_id,
                ..
            } => OutcomeEffect {
                state: OutboxState::Sent {
                    provider_message_id: provider_message_id.clone(),
                    at: now,
                },
                available_at: None,
                status: Some(StatusUpdate::new(DeliveryStatus::Sent, now)),
            },
            DispatchOutcome::Retry { at, .. } => OutcomeEffect {
                state: OutboxState::Pending,
                available_at: Some(*at),
                status: None,
            },
            DispatchOutcome::Failed { code, error } => OutcomeEffect {
                state: OutboxState::Failed {
                    error: error.clone(),
                    at: now,
                },
                available_at: None,
                status: Some(match code {
                    Some(code) => StatusUpdate::failed(DeliveryStatus::Failed, now, code.clone()),
                    None => StatusUpdate::new(DeliveryStatus::Failed, now),
                }),
            },
        }
    }

    /// Applies the effect to the outbox item.
    pub(crate) fn apply_to_item(&self, item: &mut OutboxItem) {
        item.state = self.state.clone();
        if let Some(at) = self.available_at {
            item.available_at = at;
        }
    }

    /// Applies the effect to the message: a `Sent` outcome records the provider
    /// and its id, and the status update is merged into the delivery.
    pub(crate) fn apply_to_message(&self, outcome: &DispatchOutcome, message: &mut MessageRecord) {
        if let DispatchOutcome::Sent {
            provider,
            provider_message_id,
        } = outcome
        {
            message.provider = Some(provider.clone());
            message.provider_message_id = Some(provider_message_id.clone());
        }
        if let Some(update) = &self.status {
            message.delivery.apply(update.clone());
        }
    }
}

/// Claims an item at `now` for `lease`: in flight until `now + lease`, one more
/// attempt.
pub(crate) fn claim(item: &mut OutboxItem, now: DateTime<Utc>, lease: TimeDelta) {
    item.state = OutboxState::InFlight {
        lease_until: now
            .checked_add_signed(lease)
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
    };
    item.attempts += 1;
}

/// Whether a batch for [`Store::commit_batch`](super::Store::commit_batch) is
/// consistent: each changeset on its own, and no two of them on the same
/// contact or phone or with a message key (id, provider id, client id) or an
/// outbox item in common. Repeats within one changeset are left to the
/// changeset's own checks, which answer them as duplicates.
pub(crate) fn batch_is_consistent(batch: &[Changeset]) -> bool {
    // Every single commit comes through here: one changeset has nothing to share.
    if let [only] = batch {
        return only.is_consistent();
    }
    let mut keys = BatchKeys::default();
    batch.iter().all(|changes| keys.admit(changes))
}

/// The keys the changesets of a batch hold, so that one more joins only when
/// it is consistent and shares none of them.
#[derive(Debug, Default)]
pub(crate) struct BatchKeys(HashSet<BatchKey>);

impl BatchKeys {
    /// Adds `changes` to the batch if it may join (its keys are then held);
    /// `false`, holding nothing more, if it may not.
    pub(crate) fn admit(&mut self, changes: &Changeset) -> bool {
        if !changes.is_consistent() {
            return false;
        }
        // A changeset may repeat its own keys: its own checks answer those.
        let keys: Vec<BatchKey> = batch_keys(changes).collect();
        if keys.iter().any(|key| self.0.contains(key)) {
            return false;
        }
        self.0.extend(keys);
        true
    }
}

/// A key no two changesets of one batch may share.
#[derive(Debug, PartialEq, Eq, Hash)]
enum BatchKey {
    Contact(TenantId, ContactId),
    Phone(TenantId, E164),
    Message(TenantId, MessageId),
    ProviderId(TenantId, ProviderName, String),
    ClientId(TenantId, String),
}

fn batch_keys(changes: &Changeset) -> impl Iterator<Item = BatchKey> + '_ {
    let tenant = changes.tenant;
    let contact = changes.contact.contact();
    let messages = changes.messages.iter().flat_map(move |m| {
        let provider_id = m
            .provider
            .clone()
            .zip(m.provider_message_id.clone())
            .map(|(provider, id)| BatchKey::ProviderId(tenant, provider, id));
        let client_id = m.client_id.clone().map(|id| BatchKey::ClientId(tenant, id));
        [
            Some(BatchKey::Message(tenant, m.id)),
            provider_id,
            client_id,
        ]
        .into_iter()
        .flatten()
    });
    let outbox = changes
        .outbox
        .iter()
        .map(move |item| BatchKey::Message(tenant, item.message));
    [
        BatchKey::Contact(tenant, contact.id),
        BatchKey::Phone(tenant, contact.phone),
    ]
    .into_iter()
    .chain(messages)
    .chain(outbox)
}

/// A message's usage record (SPEC §16): what it is billed as, from when it
/// was first handed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UsageRecord {
    /// The message.
    pub(crate) message: MessageId,
    /// When it was first sent (or reported beyond sent).
    pub(crate) at: DateTime<Utc>,
    /// What it is billed as.
    pub(crate) billing: Billing,
}

/// The statuses that mean the provider took the message on, and charges for
/// it: `failed` alone is not charged, `undelivered` is (the carrier had it).
const CHARGED: [DeliveryStatus; 4] = [
    DeliveryStatus::Sent,
    DeliveryStatus::Undelivered,
    DeliveryStatus::Delivered,
    DeliveryStatus::Read,
];

/// The usage record `message` calls for: one for an outbound message with a
/// billing once any charged status is reported, dated by the earliest.
fn usage_of(message: &MessageRecord) -> Option<UsageRecord> {
    let billing = message.billing.clone()?;
    let at = CHARGED
        .iter()
        .filter_map(|status| message.delivery.report(*status))
        .map(|report| report.first_at)
        .min()?;
    Some(UsageRecord {
        message: message.id,
        at,
        billing,
    })
}

/// The usage record to write when a message `before` became `after`: its
/// record, when it has one that `before`'s is not. A delivery only gains
/// reports, so the record's date is the earliest send whatever the order of
/// the writes, and a later callback that changes neither the date nor the
/// pricing writes nothing.
pub(crate) fn usage_change(before: &MessageRecord, after: &MessageRecord) -> Option<UsageRecord> {
    let record = usage_of(after)?;
    (usage_of(before).as_ref() != Some(&record)).then_some(record)
}

/// Usage records added up into lines, ordered by channel, country and
/// category, as every store answers [`Store::usage`](super::Store::usage).
pub(crate) fn usage_lines<'a>(records: impl IntoIterator<Item = &'a Billing>) -> Vec<UsageLine> {
    let mut tally = UsageTally::default();
    records.into_iter().for_each(|billing| tally.add(billing));
    tally.lines()
}

/// Puts lines a database added up in [`usage_lines`]'s order.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) fn sort_usage(lines: &mut [UsageLine]) {
    lines.sort_by(|a, b| {
        (a.channel, &a.country, &a.category).cmp(&(b.channel, &b.country, &b.category))
    });
}

/// Merges a status callback into a message: the status into its delivery,
/// the provider's pricing into its billing.
pub(crate) fn merge_status(
    message: &mut MessageRecord,
    update: &StatusUpdate,
    pricing: Option<&Pricing>,
) {
    message.delivery.apply(update.clone());
    if let (Some(pricing), Some(billing)) = (pricing, message.billing.take()) {
        message.billing = Some(billing.priced_by(pricing));
    }
}
