//! The voice call flow over Twilio, sans-IO: parse the three voice webhooks and
//! build the TwiML that answers them. Answering a call greets the caller inside a
//! speech `<Gather>`; the caller's speech goes to the tenant's voice agent (a
//! `Responder`, through `Inbox::respond_to_speech`) and its answer is spoken
//! inside another `<Gather>`; a status callback becomes a [`CallLog`] for
//! `Inbox::log_call`. The `axum` feature's `webhooks::VoiceFlow` runs the whole
//! flow.
//!
//! Three webhooks, all `application/x-www-form-urlencoded` with Twilio's
//! parameter names ("Twilio Voice webhooks — request parameters"): the call's
//! `CallSid`, `From`, `To` and `CallStatus`; a `<Gather>`'s `SpeechResult` and
//! `Confidence`; a status callback's `CallDuration`. Verify the signature first
//! ([`RequestValidator`](super::RequestValidator)), then parse the raw body with
//! [`parse_call`]:
//!
//! | webhook | answer with |
//! |---|---|
//! | call answered | [`greet`] (with [`default_greeting`] or yours) |
//! | speech gathered | [`CallWebhook::gathered`]: TwiML at once, or a [`CallSpeech`] to ask the agent, then [`speak`] its answer |
//! | status callback | nothing; store [`CallWebhook::log`] |
//!
//! A `<Gather>` that hears nothing falls through to a goodbye and `<Hangup>`, so a
//! silent line does not loop forever. When the agent hands the call off (or has
//! nothing to say), the caller hears that the team will get back to them and the
//! call ends: msgcore does not dial agents.

use super::form::Params;
use super::twiml::{Gather, Response, Say};
use crate::core::phone::E164;
use crate::model::{CallLog, CallSpeech, ProviderName, TenantRef};
pub use crate::providers::webhook_error::WebhookError;

/// What the caller hears when the gather heard nothing.
pub const REPROMPT: &str = "Sorry, I did not catch that. How can we help?";
/// What the caller hears before the line closes after silence.
pub const GOODBYE: &str = "Sorry, we did not hear anything. Goodbye!";
/// What the caller hears when the agent hands the call to a person.
pub const HAND_OFF: &str = "Thank you. A member of our team will get back to you soon. Goodbye!";

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

/// What to answer a gather webhook with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gathered {
    /// This TwiML, at once: a reprompt when nothing was heard, a goodbye for a
    /// caller without a number (there is no contact to show the agent).
    Answer(String),
    /// What the caller said, for the voice agent; answer with [`speak`].
    Ask(CallSpeech),
}

impl CallWebhook {
    /// What a gather webhook for `tenant` asks for, listening again on
    /// `gather_url`.
    pub fn gathered(self, tenant: TenantRef, gather_url: &str) -> Gathered {
        match (self.speech, self.from) {
            (Some(text), Some(from)) => Gathered::Ask(CallSpeech {
                tenant,
                provider: ProviderName::TWILIO,
                call: self.call_sid,
                from,
                text,
            }),
            (None, Some(_)) => Gathered::Answer(listen(gather_url, REPROMPT)),
            (_, None) => Gathered::Answer(goodbye(HAND_OFF)),
        }
    }

    /// The call log a status callback leaves, once per `CallSid` and status; a
    /// call without a caller number has none (the log belongs to the caller's
    /// contact).
    pub fn log(&self) -> Option<CallLog> {
        Some(CallLog {
            provider: ProviderName::TWILIO,
            call: self.call_sid.clone(),
            from: self.from?,
            to: self.to,
            status: self.status.as_str().to_owned(),
            duration_seconds: self.duration_seconds,
        })
    }
}

/// The greeting for a tenant without one of its own, naming its organization.
pub fn default_greeting(org_name: &str) -> String {
    format!("Thank you for calling {org_name}. How can we help you today?")
}

/// Answers a call: `greeting` spoken inside a speech `<Gather>` posting to
/// `gather_url`, then a goodbye if the caller stays silent.
pub fn greet(greeting: &str, gather_url: &str) -> String {
    listen(gather_url, greeting)
}

/// Answers the caller's speech: the agent's `answer` spoken inside another
/// `<Gather>`, so the conversation goes on; without one (a hand-off, or nothing
/// that can be spoken), a polite goodbye and `<Hangup>`.
pub fn speak(answer: Option<&str>, gather_url: &str) -> String {
    match answer {
        Some(answer) => listen(gather_url, answer),
        None => goodbye(HAND_OFF),
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
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
