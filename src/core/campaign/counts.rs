//! A campaign's counts (SPEC §18), derived from its recipients' states and
//! their messages' statuses, never kept apart from them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::core::delivery::DeliveryStatus;

/// Why a recipient was not sent the campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// No consent on the channel (when frozen, or withdrawn before queuing).
    OptedOut,
    /// The text names a variable the recipient has no value for.
    MissingVariable,
    /// WhatsApp text outside the 24-hour window.
    OutsideWindow,
    /// The campaign was cancelled before the recipient was queued.
    Cancelled,
    /// The rendered SMS is over the 1,600-character cap (SPEC §12's last gate).
    MessageTooLong,
    /// Another gate refused the message for good (a number quiet hours cannot
    /// place in a time zone, content the channel cannot carry).
    Refused,
    /// The contact was deleted after the audience was frozen.
    ContactDeleted,
}

impl SkipReason {
    /// The snake_case name, as stored and counted.
    pub const fn as_str(self) -> &'static str {
        match self {
            SkipReason::OptedOut => "opted_out",
            SkipReason::MissingVariable => "missing_variable",
            SkipReason::OutsideWindow => "outside_window",
            SkipReason::Cancelled => "cancelled",
            SkipReason::MessageTooLong => "message_too_long",
            SkipReason::Refused => "refused",
            SkipReason::ContactDeleted => "contact_deleted",
        }
    }

    /// Every reason, in order.
    pub const ALL: [SkipReason; 7] = [
        SkipReason::OptedOut,
        SkipReason::MissingVariable,
        SkipReason::OutsideWindow,
        SkipReason::Cancelled,
        SkipReason::MessageTooLong,
        SkipReason::Refused,
        SkipReason::ContactDeleted,
    ];

    /// The reason named `name` (see [`as_str`](SkipReason::as_str)).
    pub fn from_name(name: &str) -> Option<SkipReason> {
        SkipReason::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// Where one recipient stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", content = "reason", rename_all = "snake_case")]
pub enum RecipientState {
    /// Not yet queued (held by the throttle, quiet hours or a rate limit).
    Pending,
    /// Their message was queued; its status says how far it got.
    Queued,
    /// Not sent, and why.
    Skipped(SkipReason),
}

/// What a campaign has done so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignCounts {
    /// Recipients frozen when it was created.
    pub recipients: u64,
    /// Not yet queued.
    pub pending: u64,
    /// Queued, not yet sent.
    pub queued: u64,
    /// Sent, not yet delivered.
    pub sent: u64,
    /// Delivered (`read` counts as delivered).
    pub delivered: u64,
    /// Failed (`undelivered` counts as failed).
    pub failed: u64,
    /// Skipped, by reason.
    pub skipped: BTreeMap<SkipReason, u64>,
}

impl CampaignCounts {
    /// The counts of recipients in these states, each queued one with its
    /// message's status (`None` before the first status).
    pub fn tally(
        recipients: impl IntoIterator<Item = (RecipientState, Option<DeliveryStatus>)>,
    ) -> Self {
        let mut counts = CampaignCounts::default();
        for (state, status) in recipients {
            counts.recipients += 1;
            let slot = match state {
                RecipientState::Pending => &mut counts.pending,
                RecipientState::Skipped(reason) => counts.skipped.entry(reason).or_insert(0),
                RecipientState::Queued => match status {
                    None | Some(DeliveryStatus::Queued | DeliveryStatus::Sending) => {
                        &mut counts.queued
                    }
                    Some(DeliveryStatus::Sent) => &mut counts.sent,
                    Some(DeliveryStatus::Delivered | DeliveryStatus::Read) => &mut counts.delivered,
                    Some(DeliveryStatus::Failed | DeliveryStatus::Undelivered) => {
                        &mut counts.failed
                    }
                },
            };
            *slot += 1;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    #[test]
    fn every_skip_reason_reads_back_from_its_name() {
        for reason in SkipReason::ALL {
            assert_eq!(SkipReason::from_name(reason.as_str()), Some(reason));
            assert_eq!(
                serde_json::to_value(reason).unwrap(),
                json!(reason.as_str())
            );
        }
        assert_eq!(SkipReason::from_name("bored"), None);
    }

    #[test]
    fn read_counts_as_delivered_and_undelivered_as_failed() {
        let counts = CampaignCounts::tally([
            (RecipientState::Pending, None),
            (RecipientState::Queued, None),
            (RecipientState::Queued, Some(DeliveryStatus::Sent)),
            (RecipientState::Queued, Some(DeliveryStatus::Read)),
            (RecipientState::Queued, Some(DeliveryStatus::Undelivered)),
            (RecipientState::Skipped(SkipReason::OptedOut), None),
            (RecipientState::Skipped(SkipReason::OptedOut), None),
        ]);
        assert_eq!(
            serde_json::to_value(&counts).unwrap(),
            json!({"recipients": 7, "pending": 1, "queued": 1, "sent": 1, "delivered": 1,
                   "failed": 1, "skipped": {"opted_out": 2}})
        );
    }

    fn state() -> impl Strategy<Value = RecipientState> {
        prop_oneof![
            Just(RecipientState::Pending),
            Just(RecipientState::Queued),
            Just(RecipientState::Skipped(SkipReason::OptedOut)),
            Just(RecipientState::Skipped(SkipReason::MissingVariable)),
            Just(RecipientState::Skipped(SkipReason::OutsideWindow)),
            Just(RecipientState::Skipped(SkipReason::Cancelled)),
            Just(RecipientState::Skipped(SkipReason::Refused)),
        ]
    }

    fn status() -> impl Strategy<Value = Option<DeliveryStatus>> {
        proptest::option::of(proptest::sample::select(DeliveryStatus::ALL.to_vec()))
    }

    proptest! {
        #[test]
        fn every_recipient_is_counted_exactly_once(
            recipients in proptest::collection::vec((state(), status()), 0..200)
        ) {
            let counts = CampaignCounts::tally(recipients.iter().copied());
            let skipped: u64 = counts.skipped.values().sum();
            prop_assert_eq!(counts.recipients, recipients.len() as u64);
            prop_assert_eq!(
                counts.pending + counts.queued + counts.sent + counts.delivered + counts.failed
                    + skipped,
                counts.recipients
            );
            let queued = recipients.iter().filter(|(s, _)| *s == RecipientState::Queued).count();
            prop_assert_eq!(
                counts.queued + counts.sent + counts.delivered + counts.failed,
                queued as u64
            );
        }
    }
}
