//! `send`: a message of any kind to a contact's number, as `POST /send` and
//! the MCP tool `send_message` ask for it.

use super::api_keys::Principal;
use super::operations::{DEFAULT_REGION, Operations};
use crate::core::api_key::Scope;
use crate::core::channel::Channel;
use crate::core::message::RawContent;
use crate::core::phone::E164;
use crate::core::quiet_hours::SendKind;
use crate::engine::{SendOutcome, SendRequest};
use crate::error::Error;
use crate::model::TenantId;

/// A message to send to a number.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// The contact's number (E.164, or national read as a US number); the
    /// contact must exist, with consent on the channel.
    pub to: String,
    /// What to send, any kind of the seed's table, validated here.
    pub content: RawContent,
    /// The channel; see [`Operations::send`] for the default.
    pub channel: Option<Channel>,
    /// Marketing sends are held by quiet hours; transactional ones are not.
    pub kind: SendKind,
    /// The caller's id for the message: the same id again answers with the
    /// message queued the first time instead of queuing another.
    pub client_id: Option<String>,
}

impl Operations {
    /// Queues `outgoing` through every gate of SPEC §12: the content for the
    /// channel, consent, the WhatsApp window, quiet hours (marketing only),
    /// the per-recipient limit and the SMS cap. Without a channel it goes
    /// where the contact's latest conversation is, or else on WhatsApp when
    /// the tenant has a WhatsApp number, or else by SMS. Scope
    /// `messages:send`.
    pub async fn send(
        &self,
        principal: &Principal,
        outgoing: Outgoing,
    ) -> Result<SendOutcome, Error> {
        principal.require(Scope::MessagesSend)?;
        let to = E164::parse(&outgoing.to, Some(DEFAULT_REGION))?;
        let content = outgoing.content.validate()?;
        let channel = match outgoing.channel {
            Some(channel) => channel,
            None => self.usual_channel(principal.tenant, &to).await?,
        };
        let request = SendRequest {
            tenant: principal.tenant,
            to,
            channel,
            content,
            kind: outgoing.kind,
            client_id: outgoing.client_id,
            reply_to: None,
        };
        self.inbox.send(&request).await
    }

    /// The channel of the contact's latest conversation, or else WhatsApp
    /// when the tenant has a number on it, or else SMS.
    async fn usual_channel(&self, tenant: TenantId, to: &E164) -> Result<Channel, Error> {
        if let Some(contact) = self.inbox.contact_by_phone(tenant, to).await? {
            let latest = self
                .inbox
                .store
                .latest_conversation(tenant, contact.id)
                .await?;
            if let Some(conversation) = latest {
                return Ok(conversation.channel);
            }
        }
        let tenant = self.inbox.tenant(tenant).await?;
        Ok(match tenant.number_for(Channel::WhatsApp) {
            Some(_) => Channel::WhatsApp,
            None => Channel::Sms,
        })
    }
}
