//! A tenant's activity over a time range, as SPEC §19's `get_analytics`
//! reports it: conversations opened by their status now, messages by
//! direction and channel, CSAT answers, opt-outs by channel, and campaigns
//! created by their status now. Every store adds these up the same way
//! ([`Store::analytics`](crate::store::Store::analytics)); this module holds
//! the tallies and the arithmetic.
//!
//! ```
//! use msgcore::core::analytics::Analytics;
//! use msgcore::core::channel::Channel;
//! use msgcore::core::conversation::Status;
//! use msgcore::model::Direction;
//!
//! let mut seen = Analytics::default();
//! seen.conversations.add(Status::Open, 2);
//! seen.messages.add(Direction::Inbound, Channel::Sms, 3);
//! seen.csat.add(5, 1);
//! seen.csat.add(3, 1);
//! assert_eq!(seen.csat.average(), Some(4.0));
//! assert_eq!(seen.messages.inbound.sms, 3);
//! ```

use serde::Serialize;

use crate::core::campaign::CampaignStatus;
use crate::core::channel::Channel;
use crate::core::conversation::Status;
use crate::model::Direction;

/// What a tenant's inbox did over a time range.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analytics {
    /// Conversations opened in the range (deleted ones left out), by their
    /// status now.
    pub conversations: ConversationTally,
    /// Messages received or queued in the range.
    pub messages: MessageTally,
    /// CSAT answers recorded in the range.
    pub csat: CsatTally,
    /// Opt-outs recorded in the range, by channel.
    pub opt_outs: ChannelTally,
    /// Campaigns created in the range, by their status now.
    pub campaigns: CampaignTally,
}

/// A count per channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ChannelTally {
    /// SMS (and MMS).
    pub sms: u64,
    /// WhatsApp.
    pub whatsapp: u64,
}

impl ChannelTally {
    /// Counts `n` more on `channel`.
    pub fn add(&mut self, channel: Channel, n: u64) {
        match channel {
            Channel::Sms => self.sms += n,
            Channel::WhatsApp => self.whatsapp += n,
        }
    }
}

/// Messages by direction and channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MessageTally {
    /// From contacts.
    pub inbound: ChannelTally,
    /// To contacts (queued, whatever became of them).
    pub outbound: ChannelTally,
}

impl MessageTally {
    /// Counts `n` more messages going `direction` on `channel`.
    pub fn add(&mut self, direction: Direction, channel: Channel, n: u64) {
        match direction {
            Direction::Inbound => self.inbound.add(channel, n),
            Direction::Outbound => self.outbound.add(channel, n),
        }
    }
}

/// Conversations by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct ConversationTally {
    /// Awaiting an agent.
    pub open: u64,
    /// An agent owns it.
    pub assigned: u64,
    /// Closed.
    pub resolved: u64,
    /// A flow bot handles it.
    pub bot_active: u64,
    /// An AI agent handles it.
    pub ai_active: u64,
}

impl ConversationTally {
    /// Counts `n` more conversations in `status`.
    pub fn add(&mut self, status: Status, n: u64) {
        let slot = match status {
            Status::Open => &mut self.open,
            Status::Assigned => &mut self.assigned,
            Status::Resolved => &mut self.resolved,
            Status::BotActive => &mut self.bot_active,
            Status::AiActive => &mut self.ai_active,
        };
        *slot += n;
    }
}

/// Campaigns by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CampaignTally {
    /// Queuing its recipients.
    pub active: u64,
    /// Paused.
    pub paused: u64,
    /// Cancelled.
    pub cancelled: u64,
    /// Every recipient queued or skipped.
    pub completed: u64,
}

impl CampaignTally {
    /// Counts `n` more campaigns in `status`.
    pub fn add(&mut self, status: CampaignStatus, n: u64) {
        let slot = match status {
            CampaignStatus::Active => &mut self.active,
            CampaignStatus::Paused => &mut self.paused,
            CampaignStatus::Cancelled => &mut self.cancelled,
            CampaignStatus::Completed => &mut self.completed,
        };
        *slot += n;
    }
}

/// CSAT answers: how many, and their scores added up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CsatTally {
    /// How many answers.
    pub responses: u64,
    /// Their scores, added up.
    pub score_sum: u64,
}

impl CsatTally {
    /// Counts `responses` more answers whose scores add up to `score_sum`.
    pub fn add(&mut self, score_sum: u64, responses: u64) {
        self.score_sum += score_sum;
        self.responses += responses;
    }

    /// The mean score, or `None` without an answer.
    pub fn average(&self) -> Option<f64> {
        // Counts stay far below 2^53, where f64 is exact.
        (self.responses > 0).then(|| self.score_sum as f64 / self.responses as f64)
    }
}
