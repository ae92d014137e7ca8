//! The memory store's campaigns and their recipients.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use crate::core::campaign::{CampaignCounts, CampaignStatus, RecipientState, SkipReason};
use crate::core::delivery::DeliveryStatus;
use crate::model::{
    CampaignRecipient, CampaignRecord, ContactId, MessageId, RecipientOutcome, RecipientUpdate,
    TenantId,
};
use crate::store::{CommitError, StoreError};

type CampaignKey = (TenantId, String);

/// Campaigns by (tenant, id), each with its recipients in audience order.
#[derive(Debug, Default)]
pub(super) struct Campaigns {
    records: HashMap<CampaignKey, CampaignRecord>,
    recipients: HashMap<CampaignKey, Vec<CampaignRecipient>>,
    /// Where each (campaign, contact) is in its campaign's list.
    positions: HashMap<(TenantId, String, ContactId), usize>,
}

impl Campaigns {
    pub(super) fn create(
        &mut self,
        campaign: &CampaignRecord,
        recipients: &[CampaignRecipient],
    ) -> Result<(), StoreError> {
        let key = (campaign.tenant, campaign.id.clone());
        if self.records.contains_key(&key) {
            return Err(StoreError::Taken {
                what: format!("campaign {}", campaign.id),
            });
        }
        for (index, recipient) in recipients.iter().enumerate() {
            let at = (campaign.tenant, campaign.id.clone(), recipient.contact);
            self.positions.insert(at, index);
        }
        self.records.insert(key.clone(), campaign.clone());
        self.recipients.insert(key, recipients.to_vec());
        Ok(())
    }

    /// The tenant's campaigns, in no particular order.
    pub(super) fn created(&self, tenant: TenantId) -> impl Iterator<Item = &CampaignRecord> {
        self.records.values().filter(move |c| c.tenant == tenant)
    }

    pub(super) fn get(&self, tenant: TenantId, id: &str) -> Option<&CampaignRecord> {
        self.records.get(&(tenant, id.to_owned()))
    }

    /// Where the update's recipient is: its campaign's key and its index.
    fn place(&self, tenant: TenantId, update: &RecipientUpdate) -> Option<(CampaignKey, usize)> {
        let at = (tenant, update.campaign.clone(), update.contact);
        let index = *self.positions.get(&at)?;
        Some(((tenant, update.campaign.clone()), index))
    }

    fn recipient(&self, tenant: TenantId, update: &RecipientUpdate) -> Option<&CampaignRecipient> {
        let (key, index) = self.place(tenant, update)?;
        self.recipients.get(&key)?.get(index)
    }

    fn recipient_mut(
        &mut self,
        tenant: TenantId,
        update: &RecipientUpdate,
    ) -> Option<&mut CampaignRecipient> {
        let (key, index) = self.place(tenant, update)?;
        self.recipients.get_mut(&key)?.get_mut(index)
    }

    /// A changeset's recipient updates may be applied: each names a pending
    /// recipient.
    pub(super) fn check(
        &self,
        tenant: TenantId,
        updates: &[RecipientUpdate],
    ) -> Result<(), CommitError> {
        let pending = |u: &RecipientUpdate| {
            self.recipient(tenant, u)
                .is_some_and(|r| r.state == RecipientState::Pending)
        };
        if updates.iter().all(pending) {
            Ok(())
        } else {
            Err(CommitError::Conflict)
        }
    }

    /// Writes each update to its recipient if that is still pending.
    pub(super) fn settle(&mut self, tenant: TenantId, updates: &[RecipientUpdate]) {
        for update in updates {
            if let Some(recipient) = self.recipient_mut(tenant, update)
                && recipient.state == RecipientState::Pending
            {
                *recipient = recipient.updated(&update.outcome);
            }
        }
    }

    pub(super) fn update(
        &mut self,
        campaign: &CampaignRecord,
        expected_version: u64,
    ) -> Result<(), CommitError> {
        let key = (campaign.tenant, campaign.id.clone());
        let stored = self.records.get_mut(&key).ok_or(CommitError::Conflict)?;
        if stored.version != expected_version {
            return Err(CommitError::Conflict);
        }
        *stored = campaign.clone();
        if campaign.status == CampaignStatus::Cancelled {
            let cancelled = RecipientOutcome::Skipped(SkipReason::Cancelled);
            for recipient in self.recipients.get_mut(&key).into_iter().flatten() {
                if recipient.state == RecipientState::Pending {
                    *recipient = recipient.updated(&cancelled);
                }
            }
        }
        Ok(())
    }

    pub(super) fn claim(
        &mut self,
        tenant: TenantId,
        id: &str,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: usize,
    ) -> Vec<CampaignRecipient> {
        let key = (tenant, id.to_owned());
        let (Some(record), Some(recipients)) =
            (self.records.get_mut(&key), self.recipients.get_mut(&key))
        else {
            return Vec::new();
        };
        if !record.is_running(now) {
            return Vec::new();
        }
        let budget = record.budget(now, limit);
        let mut claimed = Vec::new();
        for recipient in recipients.iter_mut() {
            if claimed.len() >= budget {
                break;
            }
            if recipient.is_claimable(now) {
                *recipient = recipient.leased(now, lease);
                claimed.push(recipient.clone());
            }
        }
        let none_pending = || {
            recipients
                .iter()
                .all(|r| r.state != RecipientState::Pending)
        };
        if !claimed.is_empty() {
            record.released += claimed.len() as u64;
            record.version += 1;
        } else if none_pending() {
            *record = record.with_status(CampaignStatus::Completed, now);
        }
        claimed
    }

    pub(super) fn page(
        &self,
        tenant: TenantId,
        id: &str,
        after: Option<u64>,
        limit: usize,
    ) -> Vec<CampaignRecipient> {
        self.recipients
            .get(&(tenant, id.to_owned()))
            .into_iter()
            .flatten()
            .filter(|r| after.is_none_or(|after| r.position > after))
            .take(limit)
            .cloned()
            .collect()
    }

    pub(super) fn counts(
        &self,
        tenant: TenantId,
        id: &str,
        status_of: impl Fn(MessageId) -> Option<DeliveryStatus>,
    ) -> Option<CampaignCounts> {
        let recipients = self.recipients.get(&(tenant, id.to_owned()))?;
        Some(CampaignCounts::tally(
            recipients
                .iter()
                .map(|r| (r.state, r.message.and_then(&status_of))),
        ))
    }

    /// The tenant's campaigns, newest first.
    pub(super) fn list(&self, tenant: TenantId, limit: usize) -> Vec<CampaignRecord> {
        let mut found: Vec<&CampaignRecord> = self.created(tenant).collect();
        found.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        found.into_iter().take(limit).cloned().collect()
    }

    pub(super) fn running(&self, now: DateTime<Utc>, limit: usize) -> Vec<(TenantId, String)> {
        let mut running: Vec<&CampaignRecord> = self
            .records
            .values()
            .filter(|r| r.is_running(now))
            .collect();
        running.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        running
            .into_iter()
            .take(limit)
            .map(|r| (r.tenant, r.id.clone()))
            .collect()
    }
}
