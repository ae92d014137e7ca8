//! Campaigns through the [`Inbox`] (SPEC §12, §18): created with a frozen
//! audience, run a batch at a time, paused, resumed, cancelled and counted.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::Inbox;
use super::decide::automation::{Prompt, Start};
use super::decide::{
    CampaignSendContext, RecipientPlan, SendContext, decide_campaign_recipient, frozen_state,
};
use super::inbox::MAX_ATTEMPTS;
use super::not_found::NotFound;
use crate::core::campaign::{
    Campaign, CampaignChange, CampaignCounts, CampaignDefinition, RecipientState, SkipReason,
};
use crate::error::Error;
use crate::model::{
    CampaignRecipient, CampaignRecord, Contact, ContactId, EventRecord, RecipientOutcome,
    RecipientUpdate, Tenant, TenantId,
};
use crate::store::{Changeset, CommitError};

/// How long a scheduler holds the recipients it took up: ample for deciding
/// and committing a batch; if it dies, another takes them up after this.
pub const CAMPAIGN_LEASE: TimeDelta = TimeDelta::minutes(2);
/// Recipients taken up, decided and committed together.
const BATCH: usize = 500;

/// What one run over a campaign did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignPass {
    /// Recipients whose message was queued.
    pub queued: usize,
    /// Recipients held by quiet hours or a rate limit.
    pub held: usize,
    /// Recipients skipped (consent withdrawn, outside the window, …).
    pub skipped: usize,
}

impl CampaignPass {
    /// Recipients taken up: queued, held or skipped.
    pub fn taken_up(&self) -> usize {
        self.queued + self.held + self.skipped
    }

    /// Adds another pass's figures.
    pub fn add(&mut self, other: CampaignPass) {
        self.queued += other.queued;
        self.held += other.held;
        self.skipped += other.skipped;
    }

    fn settled(&mut self, outcome: &RecipientOutcome) {
        match outcome {
            RecipientOutcome::Queued(_) => self.queued += 1,
            RecipientOutcome::Held { .. } => self.held += 1,
            RecipientOutcome::Skipped(_) => self.skipped += 1,
        }
    }
}

impl Inbox {
    /// Creates a campaign (SPEC §18) and freezes its audience: one recipient
    /// per contact with any of its tags (every contact without tags), in
    /// contact creation order. Contacts without consent on the channel are
    /// skipped `opted_out`, those missing a variable of the text
    /// `missing_variable`. An audience over the plan's broadcast limit is
    /// [`Error::PlanLimit`] and nothing is created; an id the tenant has used
    /// is a `conflict`. Its first recipients are queued by the next
    /// [`run_campaign`](Inbox::run_campaign) from its start.
    pub async fn create_campaign(
        &self,
        tenant: TenantId,
        definition: CampaignDefinition,
    ) -> Result<CampaignCounts, Error> {
        let tenant = self.tenant(tenant).await?;
        let now = self.clock.now();
        let campaign = definition.clone().validate(now)?;
        let recipients = self.freeze(&tenant, &campaign).await?;
        let size = recipients.len() as u64;
        let record = CampaignRecord::new(tenant.id, definition, &campaign, size, now);
        self.store.create_campaign(&record, &recipients).await?;
        let counts = recipients.iter().map(|r| (r.state, None));
        Ok(CampaignCounts::tally(counts))
    }

    /// The audience's recipients, checking the plan's limit page by page so an
    /// audience far over it is refused before it is all read.
    async fn freeze(
        &self,
        tenant: &Tenant,
        campaign: &Campaign,
    ) -> Result<Vec<CampaignRecipient>, Error> {
        let mut recipients = Vec::new();
        self.walk_audience(tenant.id, &campaign.audience, campaign.channel, |page| {
            for contact in page {
                recipients.push(CampaignRecipient {
                    tenant: tenant.id,
                    campaign: campaign.id.clone(),
                    position: recipients.len() as u64,
                    contact: contact.id,
                    phone: contact.phone,
                    state: frozen_state(campaign, contact),
                    message: None,
                    not_before: campaign.throttle().start,
                    lease_until: None,
                });
            }
            Ok(tenant.settings.plan.check_broadcast(recipients.len())?)
        })
        .await?;
        Ok(recipients)
    }

    /// The campaign's counts, from its recipients and their messages' statuses.
    pub async fn campaign_counts(
        &self,
        tenant: TenantId,
        id: &str,
    ) -> Result<CampaignCounts, Error> {
        self.store
            .campaign_counts(tenant, id)
            .await?
            .ok_or_else(|| NotFound::Campaign(id.to_owned()).into())
    }

    /// The stored campaign.
    pub async fn campaign(&self, tenant: TenantId, id: &str) -> Result<CampaignRecord, Error> {
        self.store
            .campaign(tenant, id)
            .await?
            .ok_or_else(|| NotFound::Campaign(id.to_owned()).into())
    }

    /// Pauses, resumes or cancels a campaign; its counts after. Cancelling
    /// skips every pending recipient `cancelled`; resuming restarts the
    /// throttle's count, so a long pause releases no burst. A cancelled or
    /// completed campaign refuses with `campaign_finished`.
    pub async fn change_campaign(
        &self,
        tenant: TenantId,
        id: &str,
        change: CampaignChange,
    ) -> Result<CampaignCounts, Error> {
        for _ in 0..MAX_ATTEMPTS {
            let record = self.campaign(tenant, id).await?;
            let status = record.status.apply(change)?;
            if status == record.status {
                return self.campaign_counts(tenant, id).await;
            }
            let next = record.with_status(status, self.clock.now());
            match self.store.update_campaign(&next, record.version).await {
                Ok(()) => return self.campaign_counts(tenant, id).await,
                Err(CommitError::Store(error)) => return Err(error.into()),
                // A scheduler claimed from it meanwhile: load it again.
                Err(_) => continue,
            }
        }
        Err(Error::Busy {
            attempts: MAX_ATTEMPTS,
        })
    }

    /// Queues what is due of every running campaign, as
    /// [`run_campaign`](Inbox::run_campaign) does for one.
    pub async fn run_campaigns(&self) -> Result<CampaignPass, Error> {
        let mut pass = CampaignPass::default();
        let running = self
            .store
            .running_campaigns(self.clock.now(), 1_000)
            .await?;
        for (tenant, id) in running {
            pass.add(self.run_campaign(tenant, &id).await?);
        }
        Ok(pass)
    }

    /// Queues the campaign's due recipients at the clock's now, in audience
    /// order, as many as its throttle allows, 500 per transaction: each goes
    /// through the gates of a send again (consent withdrawn since skips them,
    /// quiet hours and rate limits hold them), and its message is queued with
    /// client id `ID:E164` in the same transaction as its recipient row, so a
    /// crash at any point and a restart queue nobody twice and skip nobody.
    /// Several schedulers may run one campaign at once: each recipient is
    /// taken up by one at a time, under a lease ([`CAMPAIGN_LEASE`]).
    pub async fn run_campaign(&self, tenant: TenantId, id: &str) -> Result<CampaignPass, Error> {
        let (tenant, campaign) = self.load_campaign(tenant, id).await?;
        let mut pass = CampaignPass::default();
        loop {
            let batch = self.queue_batch(&tenant, &campaign, BATCH).await?;
            pass.add(batch);
            if batch.taken_up() < BATCH {
                return Ok(pass);
            }
        }
    }

    /// One batch of [`run_campaign`](Inbox::run_campaign): up to `limit` due
    /// recipients taken up, decided and committed together. A scheduler that
    /// shares its time between campaigns calls this.
    pub async fn run_campaign_batch(
        &self,
        tenant: TenantId,
        id: &str,
        limit: usize,
    ) -> Result<CampaignPass, Error> {
        let (tenant, campaign) = self.load_campaign(tenant, id).await?;
        self.queue_batch(&tenant, &campaign, limit).await
    }

    /// The tenant and its checked campaign, loaded once for a run's batches.
    async fn load_campaign(&self, tenant: TenantId, id: &str) -> Result<(Tenant, Campaign), Error> {
        let tenant = self.tenant(tenant).await?;
        let campaign = self.campaign(tenant.id, id).await?.campaign()?;
        Ok((tenant, campaign))
    }

    /// Claims up to `limit` due recipients at the clock's now and takes them up.
    async fn queue_batch(
        &self,
        tenant: &Tenant,
        campaign: &Campaign,
        limit: usize,
    ) -> Result<CampaignPass, Error> {
        let now = self.clock.now();
        let claimed = self
            .store
            .claim_recipients(tenant.id, &campaign.id, now, CAMPAIGN_LEASE, limit)
            .await?;
        if claimed.is_empty() {
            return Ok(CampaignPass::default());
        }
        self.take_up(tenant, campaign, claimed, now).await
    }

    /// Decides about claimed recipients and writes the outcomes: the queued
    /// ones in one batch, each on its own if the batch loses to another writer.
    async fn take_up(
        &self,
        tenant: &Tenant,
        campaign: &Campaign,
        claimed: Vec<CampaignRecipient>,
        now: DateTime<Utc>,
    ) -> Result<CampaignPass, Error> {
        let mut contacts = self.recipients_contacts(tenant.id, &claimed).await?;
        let mut pass = CampaignPass::default();
        let mut settled = Vec::new();
        let mut queued = Vec::new();
        for recipient in &claimed {
            match self
                .decide_recipient(
                    tenant,
                    campaign,
                    recipient,
                    contacts.remove(&recipient.contact),
                    now,
                )
                .await?
            {
                RecipientPlan::Queue(changes) => queued.push((recipient, *changes)),
                RecipientPlan::Settle(update) => settled.push(update),
            }
        }
        settled.iter().for_each(|u| pass.settled(&u.outcome));
        self.store.settle_recipients(tenant.id, &settled).await?;
        let (recipients, batch): (Vec<&CampaignRecipient>, Vec<Changeset>) =
            queued.into_iter().unzip();
        let events: Vec<EventRecord> = batch.iter().flat_map(|c| c.events.clone()).collect();
        match self.store.commit_batch(batch).await {
            Ok(()) => {
                self.events.publish(&events).await;
                pass.queued += recipients.len();
            }
            Err(CommitError::Store(error)) => return Err(error.into()),
            Err(_) => {
                for recipient in recipients {
                    if let Some(outcome) = self.take_up_one(tenant, campaign, recipient).await? {
                        pass.settled(&outcome);
                    }
                }
            }
        }
        Ok(pass)
    }

    /// The claimed recipients' contacts by id, in one round trip for most.
    async fn recipients_contacts(
        &self,
        tenant: TenantId,
        claimed: &[CampaignRecipient],
    ) -> Result<HashMap<ContactId, Contact>, Error> {
        let phones: Vec<_> = claimed.iter().map(|r| r.phone).collect();
        let found = self.store.contacts_by_phones(tenant, &phones).await?;
        let mut contacts: HashMap<ContactId, Contact> =
            found.into_iter().map(|c| (c.id, c)).collect();
        // A contact whose number changed since the audience was frozen.
        for recipient in claimed {
            if !contacts.contains_key(&recipient.contact)
                && let Some(contact) = self.store.contact(tenant, recipient.contact).await?
            {
                contacts.insert(contact.id, contact);
            }
        }
        Ok(contacts)
    }

    /// One recipient's plan; a contact deleted since the freeze is skipped.
    async fn decide_recipient(
        &self,
        tenant: &Tenant,
        campaign: &Campaign,
        recipient: &CampaignRecipient,
        contact: Option<Contact>,
        now: DateTime<Utc>,
    ) -> Result<RecipientPlan, Error> {
        let Some(contact) = contact.filter(|c| !c.is_deleted()) else {
            return Ok(RecipientPlan::Settle(RecipientUpdate {
                campaign: campaign.id.clone(),
                contact: recipient.contact,
                outcome: RecipientOutcome::Skipped(SkipReason::ContactDeleted),
            }));
        };
        let latest = self
            .store
            .latest_conversation(tenant.id, contact.id)
            .await?;
        let context = CampaignSendContext {
            send: SendContext {
                tenant,
                contact: &contact,
                latest: latest.as_ref(),
                replying_to: None,
                quiet_hours: &self.quiet_hours,
                send_quota: &self.send_quota,
                now,
                ids: self.ids.as_ref(),
            },
            campaign,
        };
        let plan = decide_campaign_recipient(context, recipient);
        self.start_campaign_workflow(campaign, plan).await
    }

    /// A queued recipient starts the campaign's workflow, if it has one, in
    /// the changeset that queues their message (SPEC §18).
    async fn start_campaign_workflow(
        &self,
        campaign: &Campaign,
        plan: RecipientPlan,
    ) -> Result<RecipientPlan, Error> {
        let (changes, workflow) = match (plan, &campaign.workflow) {
            (RecipientPlan::Queue(changes), Some(workflow)) => (*changes, workflow),
            (plan, _) => return Ok(plan),
        };
        let prompt = Prompt {
            start: Some(Start {
                workflow: workflow.clone(),
                source: format!("campaign {}", campaign.id),
            }),
            ..Prompt::default()
        };
        let changes = self.automate(changes, &prompt).await?;
        Ok(RecipientPlan::Queue(Box::new(changes)))
    }

    /// One recipient decided and committed on its own, on fresh data, until
    /// its commit stands or it is no longer pending; what became of it (`None`
    /// when another writer settled it first).
    async fn take_up_one(
        &self,
        tenant: &Tenant,
        campaign: &Campaign,
        recipient: &CampaignRecipient,
    ) -> Result<Option<RecipientOutcome>, Error> {
        for _ in 0..MAX_ATTEMPTS {
            if !self.still_pending(tenant.id, recipient).await? {
                return Ok(None);
            }
            let contact = self.store.contact(tenant.id, recipient.contact).await?;
            let now = self.clock.now();
            let plan = self
                .decide_recipient(tenant, campaign, recipient, contact, now)
                .await?;
            let changes = match plan {
                RecipientPlan::Settle(update) => {
                    self.store
                        .settle_recipients(tenant.id, std::slice::from_ref(&update))
                        .await?;
                    return Ok(Some(update.outcome));
                }
                RecipientPlan::Queue(changes) => *changes,
            };
            let events = changes.events.clone();
            let message = changes.messages.first().map(|m| m.id);
            match self.store.commit(changes).await {
                Ok(()) => {
                    self.events.publish(&events).await;
                    return Ok(message.map(RecipientOutcome::Queued));
                }
                Err(CommitError::Store(error)) => return Err(error.into()),
                // A message with its client id was queued some other way (a
                // send through the API naming it): that is its message.
                Err(CommitError::Duplicate { existing }) => {
                    let outcome = RecipientOutcome::Queued(existing);
                    let update = RecipientUpdate {
                        campaign: campaign.id.clone(),
                        contact: recipient.contact,
                        outcome,
                    };
                    self.store.settle_recipients(tenant.id, &[update]).await?;
                    return Ok(Some(outcome));
                }
                Err(CommitError::Conflict | CommitError::DuplicateCallLog) => continue,
            }
        }
        Err(Error::Busy {
            attempts: MAX_ATTEMPTS,
        })
    }

    async fn still_pending(
        &self,
        tenant: TenantId,
        recipient: &CampaignRecipient,
    ) -> Result<bool, Error> {
        let row = self
            .store
            .campaign_recipients(
                tenant,
                &recipient.campaign,
                recipient.position.checked_sub(1),
                1,
            )
            .await?;
        Ok(row.first().is_some_and(|r| {
            r.position == recipient.position && r.state == RecipientState::Pending
        }))
    }
}
