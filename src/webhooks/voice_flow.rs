//! [`VoiceFlow`]: a tenant's voice call flow over Twilio, from the webhook body to
//! the TwiML answer, through the inbox.
//!
//! The provider side is sans-IO ([`providers::twilio::voice`]); this is where it
//! meets the [`Inbox`]: the tenant is resolved, the caller's speech goes to the
//! voice agent with [`Inbox::respond_to_speech`], and a status callback is stored
//! with [`Inbox::log_call`]. Use it through the [router](super::router), or call
//! its methods from routes of your own.
//!
//! [`providers::twilio::voice`]: crate::providers::twilio::voice

use std::sync::Arc;

use crate::core::message::Content;
use crate::engine::{Inbox, Responder, ResponderReply};
use crate::model::TenantRef;
use crate::providers::twilio::voice::{Gathered, default_greeting, greet, parse_call, speak};
use crate::providers::webhook_error::WebhookError;

/// Why a voice webhook could not be answered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VoiceError {
    /// The webhook body is malformed (answer 400).
    #[error(transparent)]
    Webhook(#[from] WebhookError),
    /// The inbox failed; an unknown tenant is its
    /// [`NotFound::Tenant`](crate::engine::NotFound::Tenant) (answer 404).
    #[error(transparent)]
    Inbox(#[from] crate::Error),
}

/// A tenant's voice call flow: greeting, conversation with its voice agent, call
/// log. Cheap to clone.
#[derive(Clone)]
pub struct VoiceFlow {
    responder: Arc<dyn Responder>,
    greeting: Option<String>,
}

impl std::fmt::Debug for VoiceFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VoiceFlow")
            .field("greeting", &self.greeting)
            .finish_non_exhaustive()
    }
}

impl VoiceFlow {
    /// A flow answering with `responder` (the tenant's voice agent).
    pub fn new(responder: Arc<dyn Responder>) -> VoiceFlow {
        VoiceFlow {
            responder,
            greeting: None,
        }
    }

    /// Greets callers with `text` instead of the default, which names the
    /// tenant's organization.
    pub fn greeting(mut self, text: impl Into<String>) -> VoiceFlow {
        self.greeting = Some(text.into());
        self
    }

    /// `POST /answer`: the greeting inside a speech `<Gather>` posting to
    /// `gather_url`, then a goodbye if the caller stays silent.
    pub async fn answer(
        &self,
        inbox: &Inbox,
        tenant: TenantRef,
        form: &[u8],
        gather_url: &str,
    ) -> Result<String, VoiceError> {
        parse_call(form)?;
        let tenant = inbox.resolve_tenant(&tenant).await?;
        let greeting = match &self.greeting {
            Some(greeting) => greeting.clone(),
            None => default_greeting(&tenant.org_name),
        };
        Ok(greet(&greeting, gather_url))
    }

    /// `POST /gather`: the agent's answer spoken inside another `<Gather>`, so
    /// the conversation goes on. No speech: a reprompt. A hand-off, an agent with
    /// nothing to say (or only something that cannot be spoken, such as media),
    /// or a caller without a number: a polite goodbye and `<Hangup>`.
    pub async fn gather(
        &self,
        inbox: &Inbox,
        tenant: TenantRef,
        form: &[u8],
        gather_url: &str,
    ) -> Result<String, VoiceError> {
        let speech = match parse_call(form)?.gathered(tenant.clone(), gather_url) {
            Gathered::Ask(speech) => speech,
            Gathered::Answer(xml) => {
                inbox.resolve_tenant(&tenant).await?;
                return Ok(xml);
            }
        };
        let reply = inbox
            .respond_to_speech(self.responder.as_ref(), &speech)
            .await?;
        Ok(speak(
            reply.as_ref().and_then(spoken).as_deref(),
            gather_url,
        ))
    }

    /// `POST /status`: stores the call log (an
    /// [`InboxEvent::CallLogged`](crate::model::InboxEvent::CallLogged), also
    /// published to the event sink) for automations, once per `CallSid` and
    /// status. A call without a caller number is not logged: the log belongs to
    /// the caller's contact.
    pub async fn status(
        &self,
        inbox: &Inbox,
        tenant: TenantRef,
        form: &[u8],
    ) -> Result<(), VoiceError> {
        match parse_call(form)?.log() {
            Some(log) => inbox.log_call(&tenant, &log).await.map(drop)?,
            None => inbox.resolve_tenant(&tenant).await.map(drop)?,
        }
        Ok(())
    }
}

/// What can be said of the agent's reply: its text, unless it hands off.
fn spoken(reply: &ResponderReply) -> Option<String> {
    match &reply.content {
        Some(Content::Text(text)) if !reply.hand_off => Some(text.as_str().to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
