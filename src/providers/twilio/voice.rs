//! The voice call flow over Twilio: answer a call with a spoken greeting, put what
//! the caller says to the tenant's voice agent and speak its answer, and log the
//! call when Twilio reports its status.
//!
//! Three webhooks, all `application/x-www-form-urlencoded` with Twilio's
//! parameter names ("Twilio Voice webhooks — request parameters"): the call's
//! `CallSid`, `From`, `To` and `CallStatus`; a `<Gather>`'s `SpeechResult` and
//! `Confidence`; a status callback's `CallDuration`. Verify the signature first
//! ([`RequestValidator`](super::RequestValidator)), then hand the raw body to
//! [`VoiceFlow`]:
//!
//! | webhook | method | answers |
//! |---|---|---|
//! | call answered | [`VoiceFlow::answer`] | the greeting inside a speech `<Gather>` |
//! | speech gathered | [`VoiceFlow::gather`] | the agent's answer, then another `<Gather>` |
//! | status callback | [`VoiceFlow::status`] | nothing (store the call log) |
//!
//! A `<Gather>` that hears nothing falls through to a goodbye and `<Hangup>`, so a
//! silent line does not loop forever. When the agent hands the call off (or has
//! nothing to say), the caller hears that the team will get back to them and the
//! call ends: msgcore does not dial agents.

use std::sync::Arc;

use super::form::Params;
use super::twiml::{Gather, Response, Say};
use crate::core::message::Content;
use crate::core::phone::E164;
use crate::engine::{CallLog, CallSpeech, Inbox, Responder, TenantRef};
use crate::model::ProviderName;
pub use crate::providers::webhook_error::WebhookError;

/// What the caller hears when the gather heard nothing.
const REPROMPT: &str = "Sorry, I did not catch that. How can we help?";
/// What the caller hears before the line closes after silence.
const GOODBYE: &str = "Sorry, we did not hear anything. Goodbye!";
/// What the caller hears when the agent hands the call to a person.
const HAND_OFF: &str = "Thank you. A member of our team will get back to you soon. Goodbye!";

/// A voice webhook's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct CallWebhook {
    /// Twilio's id for the call (`CallSid`).
    pub call_sid: String,
    /// The caller (`From`); `None` when Twilio sends no number (an anonymous
    /// caller, a `client:` or `sip:` address).
    pub from: Option<E164>,
    /// The number called (`To`), when it is a phone number.
    pub to: Option<E164>,
    /// The call's status (`CallStatus`).
    pub status: CallStatus,
    /// What the caller said (`SpeechResult`), on a gather.
    pub speech: Option<String>,
    /// Twilio's confidence in the transcription, 0–1 (`Confidence`).
    pub confidence: Option<f32>,
    /// How long the call lasted (`CallDuration`), once it ended.
    pub duration_seconds: Option<u32>,
}

/// Twilio's `CallStatus`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CallStatus {
    /// `queued`.
    Queued,
    /// `ringing`.
    Ringing,
    /// `in-progress`.
    InProgress,
    /// `completed`.
    Completed,
    /// `busy`.
    Busy,
    /// `failed`.
    Failed,
    /// `no-answer`.
    NoAnswer,
    /// `canceled`.
    Canceled,
    /// A status this version does not know, as Twilio sent it.
    Other(String),
}

impl CallStatus {
    /// Reads Twilio's wire name; an unknown one is kept as [`CallStatus::Other`].
    pub fn from_wire(status: &str) -> CallStatus {
        match status {
            "queued" => CallStatus::Queued,
            "ringing" => CallStatus::Ringing,
            "in-progress" => CallStatus::InProgress,
            "completed" => CallStatus::Completed,
            "busy" => CallStatus::Busy,
            "failed" => CallStatus::Failed,
            "no-answer" => CallStatus::NoAnswer,
            "canceled" => CallStatus::Canceled,
            other => CallStatus::Other(other.to_owned()),
        }
    }

    /// Twilio's wire name.
    pub fn as_str(&self) -> &str {
        match self {
            CallStatus::Queued => "queued",
            CallStatus::Ringing => "ringing",
            CallStatus::InProgress => "in-progress",
            CallStatus::Completed => "completed",
            CallStatus::Busy => "busy",
            CallStatus::Failed => "failed",
            CallStatus::NoAnswer => "no-answer",
            CallStatus::Canceled => "canceled",
            CallStatus::Other(other) => other,
        }
    }
}

/// Parses a voice webhook (answer, gather or status callback). `CallSid` and
/// `CallStatus` are required; a `From` or `To` that is not a phone number is
/// `None`; a malformed `Confidence` or `CallDuration` is an error naming it.
pub fn parse_call(body: &[u8]) -> Result<CallWebhook, WebhookError> {
    let params = Params::parse(body);
    Ok(CallWebhook {
        call_sid: params.required("CallSid")?.to_owned(),
        from: number(&params, "From"),
        to: number(&params, "To"),
        status: CallStatus::from_wire(params.required("CallStatus")?),
        speech: params.text("SpeechResult"),
        confidence: confidence(&params)?,
        duration_seconds: duration(&params)?,
    })
}

/// True when a form body is a call status callback (has `CallSid` and
/// `CallStatus`, no `MessageSid`): lets one `/status` URL serve call and message
/// callbacks.
pub fn is_call_callback(body: &[u8]) -> bool {
    let params = Params::parse(body);
    params.text("CallSid").is_some()
        && params.text("CallStatus").is_some()
        && params.get("MessageSid").is_none()
}

fn number(params: &Params, key: &'static str) -> Option<E164> {
    let (_, number) = params.address(key).ok()?;
    Some(number)
}

fn confidence(params: &Params) -> Result<Option<f32>, WebhookError> {
    let Some(text) = params.text("Confidence") else {
        return Ok(None);
    };
    match text.parse::<f32>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(Some(value)),
        _ => Err(WebhookError::Invalid {
            field: "Confidence",
            reason: format!("{text:?} is not a number from 0 to 1"),
        }),
    }
}

fn duration(params: &Params) -> Result<Option<u32>, WebhookError> {
    let Some(text) = params.text("CallDuration") else {
        return Ok(None);
    };
    text.parse().map(Some).map_err(|_| WebhookError::Invalid {
        field: "CallDuration",
        reason: format!("{text:?} is not a number of seconds"),
    })
}

/// Why a voice webhook could not be answered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VoiceError {
    /// The webhook body is malformed (answer 400).
    #[error(transparent)]
    Webhook(WebhookError),
    /// The inbox failed; an unknown tenant is its
    /// [`NotFound::Tenant`](crate::engine::NotFound::Tenant) (answer 404).
    #[error(transparent)]
    Inbox(crate::Error),
}

impl From<WebhookError> for VoiceError {
    fn from(error: WebhookError) -> VoiceError {
        VoiceError::Webhook(error)
    }
}

impl From<crate::Error> for VoiceError {
    fn from(error: crate::Error) -> VoiceError {
        VoiceError::Inbox(error)
    }
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
        let greeting = self.greeting.clone().unwrap_or_else(|| {
            format!(
                "Thank you for calling {}. How can we help you today?",
                tenant.org_name
            )
        });
        Ok(listen(gather_url, greeting))
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
        let call = parse_call(form)?;
        let (Some(text), Some(from)) = (call.speech, call.from) else {
            inbox.resolve_tenant(&tenant).await?;
            return Ok(match call.from {
                Some(_) => listen(gather_url, REPROMPT),
                None => goodbye(HAND_OFF),
            });
        };
        let speech = CallSpeech {
            tenant,
            provider: ProviderName::TWILIO,
            call: call.call_sid,
            from,
            text,
        };
        let reply = inbox
            .respond_to_speech(self.responder.as_ref(), &speech)
            .await?;
        let answer = reply
            .filter(|reply| !reply.hand_off)
            .and_then(|reply| match reply.content {
                Some(Content::Text(text)) => Some(text.as_str().to_owned()),
                _ => None,
            });
        Ok(match answer {
            Some(answer) => listen(gather_url, answer),
            None => goodbye(HAND_OFF),
        })
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
        let call = parse_call(form)?;
        let Some(from) = call.from else {
            inbox.resolve_tenant(&tenant).await?;
            return Ok(());
        };
        let log = CallLog {
            provider: ProviderName::TWILIO,
            call: call.call_sid,
            from,
            to: call.to,
            status: call.status.as_str().to_owned(),
            duration_seconds: call.duration_seconds,
        };
        inbox.log_call(&tenant, &log).await?;
        Ok(())
    }
}

/// `prompt` spoken inside a speech gather, then a goodbye for a silent caller.
fn listen(gather_url: &str, prompt: impl Into<String>) -> String {
    Response::new()
        .gather(Gather::speech(gather_url).prompt(Say::new(prompt)))
        .say(Say::new(GOODBYE))
        .hangup()
        .to_xml()
}

fn goodbye(text: &str) -> String {
    Response::new().say(Say::new(text)).hangup().to_xml()
}

#[cfg(test)]
mod tests;
