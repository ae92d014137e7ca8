//! Campaigns through the API (SPEC §12, §18): created with a frozen
//! audience, listed, read with their counts, paused, resumed and cancelled.
//! A key needs `campaigns:write` to create or change one and
//! `messages:read` to read them.

use super::api_keys::Principal;
use super::operations::Operations;
use super::page::{Page, PageRequest};
use crate::core::api_key::Scope;
use crate::core::campaign::{CampaignChange, CampaignCounts, CampaignDefinition};
use crate::error::Error;
use crate::model::CampaignRecord;

/// A campaign and what it has done so far.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignReport {
    /// The stored campaign.
    pub campaign: CampaignRecord,
    /// Its recipients' counts (SPEC §18).
    pub counts: CampaignCounts,
}

impl Operations {
    /// Creates a campaign and freezes its audience (see
    /// [`Inbox::create_campaign`](crate::engine::Inbox::create_campaign)):
    /// an audience over the plan's broadcast limit is refused (403) and an id
    /// the tenant has used is a conflict (409). The campaign scheduler queues
    /// its recipients from its start. Scope `campaigns:write`.
    pub async fn create_campaign(
        &self,
        principal: &Principal,
        definition: CampaignDefinition,
    ) -> Result<CampaignReport, Error> {
        principal.require(Scope::CampaignsWrite)?;
        let id = definition.stored_id().to_owned();
        let counts = self
            .inbox
            .create_campaign(principal.tenant, definition)
            .await?;
        let campaign = self.inbox.campaign(principal.tenant, &id).await?;
        Ok(CampaignReport { campaign, counts })
    }

    /// A page of the tenant's campaigns, newest first. Scope `messages:read`.
    pub async fn list_campaigns(
        &self,
        principal: &Principal,
        page: PageRequest,
    ) -> Result<Page<CampaignRecord>, Error> {
        principal.require(Scope::MessagesRead)?;
        let found = self
            .inbox
            .store
            .campaigns(principal.tenant, page.reach())
            .await?;
        Ok(page.cut(found))
    }

    /// The tenant's campaign `id` with its counts. Scope `messages:read`.
    pub async fn campaign(&self, principal: &Principal, id: &str) -> Result<CampaignReport, Error> {
        principal.require(Scope::MessagesRead)?;
        let campaign = self.inbox.campaign(principal.tenant, id).await?;
        let counts = self.inbox.campaign_counts(principal.tenant, id).await?;
        Ok(CampaignReport { campaign, counts })
    }

    /// Pauses, resumes or cancels the tenant's campaign `id` (cancelling
    /// skips every pending recipient); a cancelled or completed campaign is
    /// a conflict (409). Scope `campaigns:write`.
    pub async fn change_campaign(
        &self,
        principal: &Principal,
        id: &str,
        change: CampaignChange,
    ) -> Result<CampaignReport, Error> {
        principal.require(Scope::CampaignsWrite)?;
        let counts = self
            .inbox
            .change_campaign(principal.tenant, id, change)
            .await?;
        let campaign = self.inbox.campaign(principal.tenant, id).await?;
        Ok(CampaignReport { campaign, counts })
    }
}
