//! Sending (SPEC §12): the gates, in order, then the outbox.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::inbound::new_conversation;
use super::inbox::{Committed, Decided, Inbox};
use super::not_found::NotFound;
use super::reply::{Outgoing, queue};
use crate::core::channel::Channel;
use crate::core::conversation::{Conversation, Status};
use crate::core::message::Content;
use crate::core::phone::E164;
use crate::core::quiet_hours::{Decision as QuietDecision, SendKind};
use crate::core::ratelimit::{Decision as RateDecision, RateLimited, RateScope};
use crate::core::segments::check_body_cap;
use crate::core::window::may_send;
use crate::error::Error;
use crate::model::{Contact, ConversationRecord, MessageOrigin, MessageRecord, Tenant, TenantId};
use crate::store::{Changeset, ContactWrite};

/// How long marketing send times are kept on the contact for the quiet-hours
/// caps (the longest cap period SPEC §3 names).
const MARKETING_HISTORY: TimeDelta = TimeDelta::hours(24);

/// A message to send to a contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendRequest {
    /// The tenant sending.
    pub tenant: TenantId,
    /// The contact's number (the contact must exist, with consent).
    pub to: E164,
    /// The channel (the per-message channel switcher).
    pub channel: Channel,
    /// What to send, already validated ([`RawContent::validate`](crate::core::message::RawContent::validate)).
    pub content: Content,
    /// Marketing sends are held by quiet hours; the others never are.
    pub kind: SendKind,
    /// The caller's id for the message: sending the same id again returns the
    /// message queued the first time instead of queuing another.
    pub client_id: Option<String>,
}

impl SendRequest {
    /// A conversation reply of `content` to `to` on `channel`.
    pub fn reply(tenant: TenantId, to: E164, channel: Channel, content: Content) -> SendRequest {
        SendRequest {
            tenant,
            to,
            channel,
            content,
            kind: SendKind::ConversationReply,
            client_id: None,
        }
    }
}

/// A queued message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendOutcome {
    /// The message, as queued (or as queued the first time, for a repeated client id).
    pub message: MessageRecord,
    /// Its conversation's status.
    pub status: Status,
    /// Whether the client id had been used already, so nothing new was queued.
    pub duplicate: bool,
}

impl Inbox {
    /// Applies SPEC §12's gates in order — content for the channel, consent, the
    /// WhatsApp window, quiet hours (marketing only), the per-recipient rate limit,
    /// the SMS segment cap — and queues the message in the outbox. A refused send
    /// writes nothing and says which gate refused it.
    pub async fn send(&self, request: &SendRequest) -> Result<SendOutcome, Error> {
        let tenant = self.tenant(request.tenant).await?;
        if let Some(sent) = self.sent_before(&tenant, request).await? {
            return Ok(sent);
        }
        let committed = self
            .commit_loop(|| async {
                let now = self.clock.now();
                let contact = self
                    .store
                    .contact_by_phone(tenant.id, &request.to)
                    .await?
                    .ok_or_else(|| NotFound::Contact(request.to.to_string()))?;
                let latest = self
                    .store
                    .latest_conversation(tenant.id, contact.id)
                    .await?;
                let (changes, outcome) =
                    self.decide_send(&tenant, contact, latest, request, now)?;
                Ok(Decided::write(changes, outcome))
            })
            .await?;
        match committed {
            Committed::Done(outcome) => Ok(outcome),
            // Another request with the same client id committed first: answer
            // with its message. (Only a client id can clash here; the message's
            // own id is fresh.)
            Committed::Duplicate(_) => self
                .sent_before(&tenant, request)
                .await?
                .ok_or_else(|| Error::Busy { attempts: 1 }),
        }
    }

    async fn sent_before(
        &self,
        tenant: &Tenant,
        request: &SendRequest,
    ) -> Result<Option<SendOutcome>, Error> {
        let Some(client_id) = &request.client_id else {
            return Ok(None);
        };
        let Some(message) = self
            .store
            .message_by_client_id(tenant.id, client_id)
            .await?
        else {
            return Ok(None);
        };
        let conversation = self
            .load_conversation(tenant.id, message.conversation)
            .await?;
        Ok(Some(SendOutcome {
            message,
            status: conversation.status(),
            duplicate: true,
        }))
    }

    /// The gates and the writes of a send, as a pure function of what was loaded.
    fn decide_send(
        &self,
        tenant: &Tenant,
        mut contact: Contact,
        latest: Option<ConversationRecord>,
        request: &SendRequest,
        now: DateTime<Utc>,
    ) -> Result<(Changeset, SendOutcome), Error> {
        let (channel, content) = (request.channel, &request.content);
        // SMS text is checked against the body cap last, as SPEC §12's segment-cap
        // gate (a `message_too_long` error); everything else about the content first.
        let sms_text = match (channel, content) {
            (Channel::Sms, Content::Text(text)) => Some(text.as_str()),
            _ => None,
        };
        if sms_text.is_none() {
            content.check_channel(channel)?;
        }
        contact.consent.state().check(channel)?;
        may_send(channel, content.kind(), &contact.whatsapp_window, now)?;
        if request.kind.is_held_by_quiet_hours() {
            let recent = &contact.marketing_sends;
            if let QuietDecision::HoldUntil(hold) =
                self.quiet_hours
                    .decide(&request.to, request.kind, now, recent)?
            {
                return Err(hold.into());
            }
        }
        contact.send_limit = match self.send_quota.check(contact.send_limit, now) {
            RateDecision::Allow(state) => Some(state),
            RateDecision::Deny { retry_after } => {
                let scope = RateScope::Sends;
                return Err(RateLimited {
                    scope,
                    quota: self.send_quota,
                    retry_after,
                }
                .into());
            }
        };
        if let Some(text) = sms_text {
            check_body_cap(text)?;
        }
        if request.kind.is_held_by_quiet_hours() {
            contact
                .marketing_sends
                .retain(|at| *at > now - MARKETING_HISTORY);
            contact.marketing_sends.push(now);
        }
        let mut conversation = latest.unwrap_or_else(|| {
            new_conversation(
                self.ids.as_ref(),
                &contact,
                channel,
                Conversation::start(now),
                now,
            )
        });
        conversation.channel = channel;
        let loaded_version = contact.version;
        let mut changes =
            Changeset::for_contact(tenant.id, ContactWrite::update(loaded_version, contact));
        let contact = changes.contact.contact().clone();
        let outgoing = Outgoing {
            channel,
            content: content.clone(),
            origin: MessageOrigin::Agent,
            client_id: request.client_id.clone(),
        };
        let message = queue(
            &mut changes,
            self.ids.as_ref(),
            tenant,
            &contact,
            &conversation,
            outgoing,
            now,
        );
        let status = conversation.status();
        changes.conversations.push(conversation);
        Ok((
            changes,
            SendOutcome {
                message,
                status,
                duplicate: false,
            },
        ))
    }
}
