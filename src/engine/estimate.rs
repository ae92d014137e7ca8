//! What a campaign would send and cost before it is created (SPEC §12, §16),
//! and what a tenant's messages have cost.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Inbox;
use super::decide::{campaign_billing, frozen_content};
use crate::core::campaign::{CampaignCounts, CampaignDefinition, RecipientState};
use crate::core::plan::PlanLimitExceeded;
use crate::core::usage::{CostReport, RateCard, UsageLine, UsageTally};
use crate::error::Error;
use crate::model::TenantId;

/// What a campaign would send and cost if it were created now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignEstimate {
    /// Its recipients as creating it now would freeze them: pending, or
    /// skipped with the reason.
    pub counts: CampaignCounts,
    /// The pending recipients' messages (each rendered for its recipient),
    /// priced by the rate card.
    pub cost: CostReport,
    /// Set when the audience is over the tenant's plan: creating the
    /// campaign would be refused with `plan_limit`.
    pub plan_limit: Option<PlanLimitExceeded>,
}

impl Inbox {
    /// Estimates a campaign without creating it: its audience as it stands,
    /// each pending recipient's message rendered and billed as it would be
    /// queued at the campaign's start (SMS segments by country; WhatsApp by
    /// category, its templates `marketing` or, for transactional campaigns,
    /// `utility`; free in an open free entry point), priced with `card`.
    ///
    /// The estimate cannot know what changes before the messages go out:
    /// opt-outs, quiet-hour holds, new contacts. A definition that is not
    /// valid is refused as [`create_campaign`](Inbox::create_campaign) would.
    pub async fn estimate_campaign(
        &self,
        tenant: TenantId,
        definition: &CampaignDefinition,
        card: &RateCard,
    ) -> Result<CampaignEstimate, Error> {
        let tenant = self.tenant(tenant).await?;
        let campaign = definition.clone().validate(self.clock.now())?;
        let start = campaign.throttle().start;
        let mut states = Vec::new();
        let mut tally = UsageTally::default();
        self.walk_audience(tenant.id, &campaign.audience, campaign.channel, |page| {
            for contact in page {
                let state = match frozen_content(&campaign, contact) {
                    Ok(content) => {
                        tally.add(&campaign_billing(&campaign, contact, &content, start));
                        RecipientState::Pending
                    }
                    Err(reason) => RecipientState::Skipped(reason),
                };
                states.push((state, None));
            }
            Ok(())
        })
        .await?;
        let plan_limit = tenant.settings.plan.check_broadcast(states.len()).err();
        Ok(CampaignEstimate {
            counts: CampaignCounts::tally(states),
            cost: card.price(tally.lines()),
            plan_limit,
        })
    }

    /// The tenant's usage (SPEC §16): its billed messages first sent from
    /// `from` until `until` (excluded), by channel, country and pricing
    /// category. Price them with [`RateCard::price`].
    pub async fn usage(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<UsageLine>, Error> {
        Ok(self.store.usage(tenant, from, until).await?)
    }
}
