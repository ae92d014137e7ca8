//! Conversations through the API: the inbox list a page at a time, one
//! conversation with its recent messages, and a reply into it.

use super::api_keys::Principal;
use super::operations::Operations;
use super::page::{Page, PageRequest};
use super::request_error::RequestError;
use crate::core::api_key::Scope;
use crate::core::channel::Channel;
use crate::core::conversation::Status;
use crate::core::conversation::guide::Guide;
use crate::core::message::Content;
use crate::engine::{NotFound, SendOutcome, SendRequest};
use crate::error::Error;
use crate::model::{ConversationId, MessageRecord, TenantId};
use crate::store::{ConversationQuery, ConversationSummary};

/// How many of a conversation's contact's latest messages
/// [`Operations::conversation`] returns.
pub const RECENT_MESSAGES: usize = 50;

/// A conversation and its contact's latest messages, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Thread {
    /// The conversation, with its contact's name and number.
    pub summary: ConversationSummary,
    /// The contact's latest [`RECENT_MESSAGES`] messages, oldest first: the
    /// whole thread with the contact, so an earlier, resolved conversation's
    /// messages come too, each naming its conversation.
    pub messages: Vec<MessageRecord>,
}

/// A reply an agent or a program writes into a conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The text.
    pub text: String,
    /// The channel; the conversation's own when `None`.
    pub channel: Option<Channel>,
    /// The caller's id for the message: the same id again answers with the
    /// message queued the first time.
    pub client_id: Option<String>,
}

impl Operations {
    /// A page of the tenant's conversations, the most recently active first,
    /// archived ones included and deleted ones never; only those in `status`
    /// when given. Scope `messages:read`.
    pub async fn list_conversations(
        &self,
        principal: &Principal,
        status: Option<Status>,
        page: PageRequest,
    ) -> Result<Page<ConversationSummary>, Error> {
        principal.require(Scope::MessagesRead)?;
        let query = ConversationQuery {
            status,
            include_archived: true,
            limit: page.reach(),
            ..ConversationQuery::default()
        };
        let found = self.inbox.conversations(principal.tenant, &query).await?;
        Ok(page.cut(found))
    }

    /// The tenant's conversation `id` with its recent messages. Scope
    /// `messages:read`.
    pub async fn conversation(&self, principal: &Principal, id: &str) -> Result<Thread, Error> {
        principal.require(Scope::MessagesRead)?;
        let summary = self.summary(principal.tenant, id).await?;
        let messages = self
            .inbox
            .timeline(
                principal.tenant,
                summary.conversation.contact,
                RECENT_MESSAGES,
            )
            .await?;
        Ok(Thread { summary, messages })
    }

    /// Queues `reply` to the contact of the tenant's conversation `id`, through
    /// every gate of SPEC §12 (consent, the WhatsApp window, the per-recipient
    /// limit, the SMS cap). A reply is never held by quiet hours. Scope
    /// `messages:send`.
    pub async fn reply(
        &self,
        principal: &Principal,
        id: &str,
        reply: Reply,
    ) -> Result<SendOutcome, Error> {
        principal.require(Scope::MessagesSend)?;
        let summary = self.summary(principal.tenant, id).await?;
        let channel = reply.channel.unwrap_or(summary.conversation.channel);
        let mut request = SendRequest::reply(
            principal.tenant,
            summary.contact_phone,
            channel,
            Content::text(reply.text)?,
        );
        request.client_id = reply.client_id;
        self.inbox.send(&request).await
    }

    /// Sets the AI guide of the tenant's conversation `id` (SPEC §11), or
    /// clears it with `None`: the AI responder reads it with every message it
    /// answers. A guide over
    /// [`MAX_GUIDE_CHARS`](crate::core::conversation::guide::MAX_GUIDE_CHARS)
    /// or only spaces is 400. The guide as set. Scope `messages:send`.
    pub async fn set_guide(
        &self,
        principal: &Principal,
        id: &str,
        guide: Option<&str>,
    ) -> Result<Option<String>, Error> {
        principal.require(Scope::MessagesSend)?;
        let guide = guide
            .map(Guide::new)
            .transpose()
            .map_err(RequestError::from)?;
        let summary = self.summary(principal.tenant, id).await?;
        let conversation = summary.conversation.id;
        let record = self
            .inbox
            .set_guide(principal.tenant, conversation, guide)
            .await?;
        Ok(record.responder_context)
    }

    /// The AI guide of the tenant's conversation `id`, if it has one. Scope
    /// `messages:read`.
    pub async fn guide(&self, principal: &Principal, id: &str) -> Result<Option<String>, Error> {
        principal.require(Scope::MessagesRead)?;
        let summary = self.summary(principal.tenant, id).await?;
        Ok(summary.conversation.responder_context)
    }

    /// The tenant's conversation `id` with its contact's name and number; a
    /// malformed id is answered like an unknown one, and a deleted
    /// conversation or contact is unknown.
    async fn summary(&self, tenant: TenantId, id: &str) -> Result<ConversationSummary, Error> {
        let unknown = || Error::from(NotFound::Conversation(id.to_owned()));
        let id: ConversationId = id.parse().map_err(|_| unknown())?;
        let conversation = self
            .inbox
            .store
            .conversation(tenant, id)
            .await?
            .filter(|c| !c.flags.deleted)
            .ok_or_else(unknown)?;
        let contact = self
            .inbox
            .contact(tenant, conversation.contact)
            .await?
            .ok_or_else(unknown)?;
        Ok(ConversationSummary {
            conversation,
            contact_name: contact.name,
            contact_phone: contact.phone,
        })
    }
}
