//! A campaign's recipients (SPEC §12, §18): who is frozen as pending, and what
//! becomes of a pending one when a scheduler takes them up.
//!
//! When the audience is frozen, a contact without consent on the channel is
//! skipped `opted_out` and one the text names a missing variable for is
//! skipped `missing_variable`. When taken up, the recipient goes through the
//! gates of an ordinary send ([`decide_send`]) once more, and each refusal
//! says what becomes of them:
//!
//! | the gate refused | the recipient |
//! |---|---|
//! | consent (withdrawn since) | skipped `opted_out` |
//! | the WhatsApp window | skipped `outside_window` |
//! | quiet hours | held until the window opens |
//! | the per-recipient rate limit | held for its `retry_after` |
//! | the segment cap | skipped `message_too_long` |
//! | anything else | skipped `refused` |

use chrono::{DateTime, TimeDelta, Utc};

use super::send::{SendContext, SendPlan, SendRequest, decide_send};
use crate::core::campaign::{Campaign, CampaignContent, RecipientState, SkipReason, client_id};
use crate::core::channel::Channel;
use crate::core::message::Content;
use crate::core::template::{MissingPolicy, Template};
use crate::core::usage::Billing;
use crate::error::{Error, ErrorKind};
use crate::model::{
    CampaignRecipient, Contact, ContactVariables, MessageOrigin, RecipientOutcome, RecipientUpdate,
};
use crate::store::Changeset;

/// The shortest hold: a gate that gives no time to come back asks again after
/// this, so a run never takes the same recipient up twice at one instant.
const MIN_HOLD: TimeDelta = TimeDelta::minutes(1);

/// Everything a recipient's decision needs.
#[derive(Debug, Clone, Copy)]
pub struct CampaignSendContext<'a> {
    /// The send's context: the tenant, the recipient's contact as loaded, their
    /// latest conversation, the gates' policies, the time and the ids.
    pub send: SendContext<'a>,
    /// The campaign.
    pub campaign: &'a Campaign,
}

/// What becomes of a recipient taken up.
#[derive(Debug, Clone, PartialEq)]
pub enum RecipientPlan {
    /// Their message is queued: the send's writes and the recipient's row, in
    /// one changeset.
    Queue(Box<Changeset>),
    /// Nothing is queued: they are held or skipped.
    Settle(RecipientUpdate),
}

/// Where a contact starts in a campaign's frozen audience.
pub fn frozen_state(campaign: &Campaign, contact: &Contact) -> RecipientState {
    match frozen_content(campaign, contact) {
        Ok(_) => RecipientState::Pending,
        Err(reason) => RecipientState::Skipped(reason),
    }
}

/// The message a contact of a campaign's audience would be sent, or why they
/// are skipped when it is frozen: no consent on the channel, or a variable
/// the text names missing.
pub fn frozen_content(campaign: &Campaign, contact: &Contact) -> Result<Content, SkipReason> {
    if contact.consent.state().check(campaign.channel).is_err() {
        return Err(SkipReason::OptedOut);
    }
    content_for(campaign, contact)
}

/// The campaign's message for `contact`: its text rendered with the contact's
/// values, or its template.
pub fn content_for(campaign: &Campaign, contact: &Contact) -> Result<Content, SkipReason> {
    match &campaign.content {
        CampaignContent::Text(text) => text_for(text, contact),
        CampaignContent::Template(template) => template.content().map_err(|_| SkipReason::Refused),
    }
}

/// `text` rendered with `contact`'s values (every variable must have one), as
/// the text an automated message sends: a campaign's, a workflow's or a rule's.
pub fn text_for(text: &Template, contact: &Contact) -> Result<Content, SkipReason> {
    let rendered = text
        .render(&ContactVariables(contact), &MissingPolicy::Error)
        .map_err(|_| SkipReason::MissingVariable)?;
    // Values that render to nothing leave no text to send.
    Content::text(rendered).map_err(|_| SkipReason::MissingVariable)
}

/// The recipient's message through the gates of a send, queued with its client
/// id `ID:E164`; or, refused, the hold or skip the refusal means.
pub fn decide_campaign_recipient(
    context: CampaignSendContext<'_>,
    recipient: &CampaignRecipient,
) -> RecipientPlan {
    let (campaign, send) = (context.campaign, context.send);
    let settle = |outcome| {
        RecipientPlan::Settle(RecipientUpdate {
            campaign: campaign.id.clone(),
            contact: recipient.contact,
            outcome,
        })
    };
    let content = match content_for(campaign, send.contact) {
        Ok(content) => content,
        Err(reason) => return settle(RecipientOutcome::Skipped(reason)),
    };
    let request = SendRequest {
        tenant: send.tenant.id,
        to: send.contact.phone,
        channel: campaign.channel,
        content,
        kind: campaign.kind.send_kind(),
        client_id: Some(client_id(&campaign.id, &recipient.phone)),
        reply_to: None,
    };
    match decide_send(send, &request) {
        Ok(plan) => RecipientPlan::Queue(Box::new(queue(plan, campaign, recipient))),
        Err(error) => settle(refusal(&error, send.now)),
    }
}

/// What a campaign's message to `contact` is billed as at `now`: as any
/// message, but the sender knows its templates' category.
pub fn campaign_billing(
    campaign: &Campaign,
    contact: &Contact,
    content: &Content,
    now: DateTime<Utc>,
) -> Billing {
    let free_entry = contact.whatsapp_window.is_free(now);
    let billing = Billing::of(campaign.channel, &contact.phone, content, free_entry);
    with_template_category(billing, campaign)
}

/// A WhatsApp template whose category only Meta could say: the campaign's kind says it.
fn with_template_category(mut billing: Billing, campaign: &Campaign) -> Billing {
    if billing.channel == Channel::WhatsApp && billing.category.is_none() {
        billing.category = Some(campaign.kind.template_category());
    }
    billing
}

fn queue(mut plan: SendPlan, campaign: &Campaign, recipient: &CampaignRecipient) -> Changeset {
    let message = &mut plan.queued.message;
    message.origin = MessageOrigin::Automation;
    message.billing = message
        .billing
        .take()
        .map(|billing| with_template_category(billing, campaign));
    let message = plan.queued.message.id;
    let mut changes = plan.into_changeset();
    changes.recipients.push(RecipientUpdate {
        campaign: campaign.id.clone(),
        contact: recipient.contact,
        outcome: RecipientOutcome::Queued(message),
    });
    changes
}

/// What a gate's refusal means for a recipient: holds lift with time, the
/// rest are for good.
fn refusal(error: &Error, now: DateTime<Utc>) -> RecipientOutcome {
    let skipped = RecipientOutcome::Skipped;
    match error.kind() {
        ErrorKind::OptedOut => skipped(SkipReason::OptedOut),
        ErrorKind::OutsideWindow => skipped(SkipReason::OutsideWindow),
        ErrorKind::MessageTooLong => skipped(SkipReason::MessageTooLong),
        ErrorKind::QuietHours | ErrorKind::RateLimited => RecipientOutcome::Held {
            until: error
                .retry_at()
                .or_else(|| {
                    error
                        .retry_after()
                        .and_then(|after| now.checked_add_signed(after))
                })
                .unwrap_or(now)
                .max(now + MIN_HOLD),
        },
        _ => skipped(SkipReason::Refused),
    }
}
