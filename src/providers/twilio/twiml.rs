//! TwiML: the XML a Twilio webhook answers with, for messaging and voice.
//!
//! A [`Response`] is a list of verbs — [`Message`], [`Say`], [`Gather`] (speech or
//! digits, with prompts inside), [`Redirect`], [`Hangup`](Verb::Hangup) — rendered by
//! [`Response::to_xml`]. Everything that comes from outside (a message body, a
//! caller's words read back, a URL) is escaped, so a body such as
//! `Tom & Jerry <3` cannot break the document; characters XML 1.0 cannot carry at
//! all (NUL and the other C0 controls but tab, line feed and carriage return, lone
//! surrogates cannot occur in Rust strings) become U+FFFD rather than an invalid
//! document Twilio would reject with error 12100.
//!
//! ```
//! use msgcore::providers::twilio::twiml::{Gather, Response, Say};
//!
//! let twiml = Response::new()
//!     .gather(Gather::speech("/api/twilio/demo/gather").prompt(Say::new("How can we help?")))
//!     .say(Say::new("Sorry, I did not hear anything. Goodbye!"))
//!     .hangup();
//! assert_eq!(
//!     twiml.to_xml(),
//!     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
//!      <Gather input=\"speech\" action=\"/api/twilio/demo/gather\" method=\"POST\" speechTimeout=\"auto\">\
//!      <Say>How can we help?</Say></Gather>\
//!      <Say>Sorry, I did not hear anything. Goodbye!</Say><Hangup/></Response>"
//! );
//! ```

use std::fmt::{self, Write};

/// A TwiML document: the verbs Twilio carries out, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    verbs: Vec<Verb>,
}

/// One TwiML verb.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verb {
    /// Send a message in reply.
    Message(Message),
    /// Speak text on a call.
    Say(Say),
    /// Collect speech or digits on a call.
    Gather(Gather),
    /// Continue with the TwiML at another URL.
    Redirect(Redirect),
    /// End the call.
    Hangup,
}

/// An HTTP method for a TwiML callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST` (Twilio's default).
    #[default]
    Post,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// `<Message>`: a reply to an inbound message, with optional media.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    body: String,
    media: Vec<String>,
}

impl Message {
    /// A text reply.
    pub fn new(body: impl Into<String>) -> Message {
        Message {
            body: body.into(),
            media: Vec::new(),
        }
    }

    /// Attaches a media URL (MMS or WhatsApp media).
    pub fn media(mut self, url: impl Into<String>) -> Message {
        self.media.push(url.into());
        self
    }
}

/// `<Say>`: text spoken on a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Say {
    text: String,
    voice: Option<String>,
    language: Option<String>,
}

impl Say {
    /// Speaks `text` in Twilio's default voice.
    pub fn new(text: impl Into<String>) -> Say {
        Say {
            text: text.into(),
            voice: None,
            language: None,
        }
    }

    /// Uses `voice` (`"alice"`, `"Polly.Joanna"`, …).
    pub fn voice(mut self, voice: impl Into<String>) -> Say {
        self.voice = Some(voice.into());
        self
    }

    /// Speaks in `language` (`"en-US"`).
    pub fn language(mut self, language: impl Into<String>) -> Say {
        self.language = Some(language.into());
        self
    }
}

/// What a [`Gather`] listens for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GatherInput {
    /// Spoken words, transcribed into `SpeechResult`.
    Speech,
    /// Keypad digits, in `Digits`.
    Dtmf,
    /// Either.
    SpeechAndDtmf,
}

impl GatherInput {
    fn as_str(self) -> &'static str {
        match self {
            GatherInput::Speech => "speech",
            GatherInput::Dtmf => "dtmf",
            GatherInput::SpeechAndDtmf => "dtmf speech",
        }
    }
}

/// `<Gather>`: listens for speech or digits and posts them to `action`, with
/// prompts spoken while it listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gather {
    input: GatherInput,
    action: String,
    method: Method,
    language: Option<String>,
    timeout: Option<u32>,
    hints: Option<String>,
    prompts: Vec<Say>,
}

impl Gather {
    /// Listens for speech (ending when the caller pauses) and posts the
    /// `SpeechResult` to `action`.
    pub fn speech(action: impl Into<String>) -> Gather {
        Gather::new(GatherInput::Speech, action)
    }

    /// Listens for `input` and posts what it heard to `action`.
    pub fn new(input: GatherInput, action: impl Into<String>) -> Gather {
        Gather {
            input,
            action: action.into(),
            method: Method::Post,
            language: None,
            timeout: None,
            hints: None,
            prompts: Vec::new(),
        }
    }

    /// Calls `action` with `method` (default `POST`).
    pub fn method(mut self, method: Method) -> Gather {
        self.method = method;
        self
    }

    /// Recognizes speech in `language` (`"en-US"`).
    pub fn language(mut self, language: impl Into<String>) -> Gather {
        self.language = Some(language.into());
        self
    }

    /// Gives up after `seconds` of silence before any input.
    pub fn timeout(mut self, seconds: u32) -> Gather {
        self.timeout = Some(seconds);
        self
    }

    /// Words or phrases the speech recognizer should expect, comma-separated.
    pub fn hints(mut self, hints: impl Into<String>) -> Gather {
        self.hints = Some(hints.into());
        self
    }

    /// Speaks `say` while listening.
    pub fn prompt(mut self, say: Say) -> Gather {
        self.prompts.push(say);
        self
    }
}

/// `<Redirect>`: continues with the TwiML at `url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    url: String,
    method: Method,
}

impl Redirect {
    /// Fetches the next TwiML from `url` with `POST`.
    pub fn new(url: impl Into<String>) -> Redirect {
        Redirect {
            url: url.into(),
            method: Method::Post,
        }
    }

    /// Fetches it with `method`.
    pub fn method(mut self, method: Method) -> Redirect {
        self.method = method;
        self
    }
}

impl Response {
    /// An empty response: Twilio does nothing more (a message webhook answered
    /// without a reply).
    pub fn new() -> Response {
        Response::default()
    }

    /// Appends a verb.
    pub fn verb(mut self, verb: Verb) -> Response {
        self.verbs.push(verb);
        self
    }

    /// Appends `<Message>`.
    pub fn message(self, message: Message) -> Response {
        self.verb(Verb::Message(message))
    }

    /// Appends `<Say>`.
    pub fn say(self, say: Say) -> Response {
        self.verb(Verb::Say(say))
    }

    /// Appends `<Gather>`.
    pub fn gather(self, gather: Gather) -> Response {
        self.verb(Verb::Gather(gather))
    }

    /// Appends `<Redirect>`.
    pub fn redirect(self, redirect: Redirect) -> Response {
        self.verb(Verb::Redirect(redirect))
    }

    /// Appends `<Hangup/>`.
    pub fn hangup(self) -> Response {
        self.verb(Verb::Hangup)
    }

    /// The verbs, in order.
    pub fn verbs(&self) -> &[Verb] {
        &self.verbs
    }

    /// The document, with its XML declaration; serve it as `text/xml`.
    pub fn to_xml(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>")?;
        for verb in &self.verbs {
            write_verb(f, verb)?;
        }
        f.write_str("</Response>")
    }
}

fn write_verb(f: &mut fmt::Formatter<'_>, verb: &Verb) -> fmt::Result {
    match verb {
        Verb::Message(message) if message.media.is_empty() => {
            element(f, "Message", &[], &message.body)
        }
        Verb::Message(message) => {
            f.write_str("<Message>")?;
            element(f, "Body", &[], &message.body)?;
            for url in &message.media {
                element(f, "Media", &[], url)?;
            }
            f.write_str("</Message>")
        }
        Verb::Say(say) => write_say(f, say),
        Verb::Gather(gather) => {
            let timeout = gather.timeout.map(|t| t.to_string());
            let attributes = [
                ("input", Some(gather.input.as_str())),
                ("action", Some(gather.action.as_str())),
                ("method", Some(gather.method.as_str())),
                ("language", gather.language.as_deref()),
                ("timeout", timeout.as_deref()),
                ("hints", gather.hints.as_deref()),
                (
                    "speechTimeout",
                    (gather.input != GatherInput::Dtmf).then_some("auto"),
                ),
            ];
            open(f, "Gather", &attributes)?;
            for say in &gather.prompts {
                write_say(f, say)?;
            }
            f.write_str("</Gather>")
        }
        Verb::Redirect(redirect) => element(
            f,
            "Redirect",
            &[("method", Some(redirect.method.as_str()))],
            &redirect.url,
        ),
        Verb::Hangup => f.write_str("<Hangup/>"),
    }
}

fn write_say(f: &mut fmt::Formatter<'_>, say: &Say) -> fmt::Result {
    let attributes = [
        ("voice", say.voice.as_deref()),
        ("language", say.language.as_deref()),
    ];
    element(f, "Say", &attributes, &say.text)
}

/// `<name attributes>text</name>`.
fn element(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    attributes: &[(&str, Option<&str>)],
    text: &str,
) -> fmt::Result {
    open(f, name, attributes)?;
    escape(f, text, false)?;
    write!(f, "</{name}>")
}

/// `<name attributes>`, leaving out the absent attributes.
fn open(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    attributes: &[(&str, Option<&str>)],
) -> fmt::Result {
    write!(f, "<{name}")?;
    for (key, value) in attributes {
        if let Some(value) = value {
            write!(f, " {key}=\"")?;
            escape(f, value, true)?;
            f.write_char('"')?;
        }
    }
    f.write_char('>')
}

/// Writes `text` as XML character data, or with `in_attribute` as an attribute value
/// in double quotes, so that a parser reads back exactly `text` (with U+FFFD for
/// what XML cannot carry).
fn escape(f: &mut fmt::Formatter<'_>, text: &str, in_attribute: bool) -> fmt::Result {
    for c in text.chars() {
        match c {
            '&' => f.write_str("&amp;")?,
            '<' => f.write_str("&lt;")?,
            '>' => f.write_str("&gt;")?,
            '"' if in_attribute => f.write_str("&quot;")?,
            // XML reads a bare CR as a line feed, and a tab or line feed in an
            // attribute as a space: as references they survive.
            '\r' => f.write_str("&#13;")?,
            '\t' | '\n' if in_attribute => write!(f, "&#{};", u32::from(c))?,
            c if is_xml_char(c) => f.write_char(c)?,
            _ => f.write_char(char::REPLACEMENT_CHARACTER)?,
        }
    }
    Ok(())
}

/// Whether XML 1.0 can carry `c` (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests;
