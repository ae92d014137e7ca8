//! A campaign as a store keeps it: its definition, status and pace, and one row
//! per recipient frozen when it was created (SPEC §12, §18).

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{ContactId, MessageId, TenantId};
use crate::core::campaign::{
    Campaign, CampaignDefinition, CampaignError, CampaignStatus, RecipientState, SkipReason,
    Throttle,
};
use crate::core::phone::E164;

/// A stored campaign.
///
/// `version` guards it as a contact's version does: every write bumps it, and
/// a write from a stale copy is a conflict, so a pause never overwrites a
/// scheduler's claim or the other way round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignRecord {
    /// Its tenant.
    pub tenant: TenantId,
    /// Its id (the definition's, trimmed): unique per tenant.
    pub id: String,
    /// As the caller gave it.
    pub definition: CampaignDefinition,
    /// Where it stands.
    pub status: CampaignStatus,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Its pace: from `start_at`, or from the last resumption.
    pub throttle: Throttle,
    /// Recipients taken up for queuing since `throttle.start`: the throttle's
    /// count. A recipient taken up and then held counts too, so the pace is
    /// never exceeded.
    pub released: u64,
    /// How many recipients were frozen.
    pub recipients: u64,
    /// Bumped by every write.
    pub version: u64,
}

impl CampaignRecord {
    /// A new active campaign of `recipients` recipients, as checked at `now`.
    pub fn new(
        tenant: TenantId,
        definition: CampaignDefinition,
        campaign: &Campaign,
        recipients: u64,
        now: DateTime<Utc>,
    ) -> CampaignRecord {
        CampaignRecord {
            tenant,
            id: campaign.id.clone(),
            definition,
            status: CampaignStatus::Active,
            created_at: now,
            throttle: campaign.throttle(),
            released: 0,
            recipients,
            version: 1,
        }
    }

    /// The checked campaign (its text parsed), as when it was created.
    pub fn campaign(&self) -> Result<Campaign, CampaignError> {
        self.definition.clone().validate(self.created_at)
    }

    /// How many recipients may be taken up at `now`, at most `limit`.
    pub fn budget(&self, now: DateTime<Utc>, limit: usize) -> usize {
        let left = self.throttle.allowance(now).saturating_sub(self.released);
        usize::try_from(left).unwrap_or(usize::MAX).min(limit)
    }

    /// Whether recipients may be queued at `now`: active and started.
    pub fn is_running(&self, now: DateTime<Utc>) -> bool {
        self.status.is_active() && self.throttle.start <= now
    }

    /// The record taken to `status`; resuming restarts the throttle at `now`, so
    /// a long pause does not release a burst.
    pub fn with_status(&self, status: CampaignStatus, now: DateTime<Utc>) -> CampaignRecord {
        let mut next = self.clone();
        if status.is_active() && !self.status.is_active() {
            next.throttle.start = next.throttle.start.max(now);
            next.released = 0;
        }
        next.status = status;
        next.version += 1;
        next
    }
}

/// One recipient of a campaign, frozen when it was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRecipient {
    /// The tenant.
    pub tenant: TenantId,
    /// The campaign's id.
    pub campaign: String,
    /// Its place in the audience (contact creation order), from 0.
    pub position: u64,
    /// The contact.
    pub contact: ContactId,
    /// Their number when the audience was frozen (the client id's `E164`).
    pub phone: E164,
    /// Where they stand.
    pub state: RecipientState,
    /// Their message, once queued.
    pub message: Option<MessageId>,
    /// Not to be taken up before this instant (held by quiet hours or a rate
    /// limit).
    pub not_before: DateTime<Utc>,
    /// Taken up by a scheduler until this instant; if it passes without an
    /// outcome (the scheduler died), the recipient may be taken up again.
    pub lease_until: Option<DateTime<Utc>>,
}

impl CampaignRecipient {
    /// Whether a scheduler may take the recipient up at `now`.
    pub fn is_claimable(&self, now: DateTime<Utc>) -> bool {
        self.state == RecipientState::Pending
            && self.not_before <= now
            && self.lease_until.is_none_or(|lease| lease <= now)
    }

    /// The recipient after `update`, with no lease.
    pub fn updated(&self, update: &RecipientOutcome) -> CampaignRecipient {
        let mut next = self.clone();
        next.lease_until = None;
        match *update {
            RecipientOutcome::Queued(message) => {
                next.state = RecipientState::Queued;
                next.message = Some(message);
            }
            RecipientOutcome::Skipped(reason) => next.state = RecipientState::Skipped(reason),
            RecipientOutcome::Held { until } => next.not_before = until,
        }
        next
    }

    /// The recipient leased until `now + lease`.
    pub fn leased(&self, now: DateTime<Utc>, lease: TimeDelta) -> CampaignRecipient {
        CampaignRecipient {
            lease_until: Some(now + lease),
            ..self.clone()
        }
    }
}

/// What became of a recipient a scheduler took up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientOutcome {
    /// Their message was queued.
    Queued(MessageId),
    /// They will not be sent it.
    Skipped(SkipReason),
    /// Quiet hours or a rate limit hold them: pending again from `until`.
    Held {
        /// When they may be taken up again.
        until: DateTime<Utc>,
    },
}

/// A recipient's outcome, as a store writes it: only to a recipient still
/// pending (a cancelled campaign's recipients stay cancelled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientUpdate {
    /// The campaign's id.
    pub campaign: String,
    /// The recipient.
    pub contact: ContactId,
    /// What became of them.
    pub outcome: RecipientOutcome,
}
