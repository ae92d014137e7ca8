//! The `Responder` port: a flow bot or AI agent that may answer an inbound message
//! (SPEC §11 step 11), and a simple keyword-menu bot.

use async_trait::async_trait;

use crate::core::keyword::normalize;
use crate::core::message::Content;
use crate::model::{Contact, ConversationRecord, MessageRecord, Tenant};

/// What a responder is shown.
#[derive(Debug, Clone, Copy)]
pub struct ResponderRequest<'a> {
    /// The tenant.
    pub tenant: &'a Tenant,
    /// The contact who wrote.
    pub contact: &'a Contact,
    /// The conversation, already updated with this message.
    pub conversation: &'a ConversationRecord,
    /// The message to answer.
    pub message: &'a MessageRecord,
}

/// What a responder answers.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponderReply {
    /// The reply to queue, if any.
    pub content: Option<Content>,
    /// The conversation's new guide or memory (`None` keeps the old one).
    pub context: Option<String>,
    /// Hand the conversation to a human (it becomes `OPEN` for the inbox).
    pub hand_off: bool,
}

/// A flow bot or AI agent.
///
/// It is asked by [`Inbox::respond`](super::Inbox::respond), after the message
/// it answers was committed (and the provider's webhook acknowledged), once per
/// message: a reply whose commit must be retried is applied again without asking
/// again. It has the inbox's responder timeout (feature `tokio`) to answer; after
/// it, the conversation goes to a human.
#[async_trait]
pub trait Responder: Send + Sync {
    /// An answer to the message, or `None` to stay silent.
    async fn respond(&self, request: ResponderRequest<'_>) -> Option<ResponderReply>;

    /// What the tenant's people and API clients call it (the MCP tool
    /// `list_ai_agents` lists it): by default its type's name, without
    /// module path or generics.
    fn name(&self) -> &str {
        short_type_name(std::any::type_name::<Self>())
    }
}

/// `a::b::Bot<c::D>` as `Bot`: a default name that says what the responder
/// is without exposing the embedder's module layout.
fn short_type_name(full: &'static str) -> &'static str {
    let without_generics = full.split('<').next().unwrap_or(full);
    without_generics
        .rsplit("::")
        .next()
        .unwrap_or(without_generics)
}

/// A keyword menu: each option maps a word to a reply; a word in `hand_off_words`
/// hands the conversation to a human; anything else gets the menu again.
///
/// ```
/// use msgcore::engine::KeywordMenuBot;
///
/// let bot = KeywordMenuBot::new("Reply HOURS or ADDRESS, or AGENT for a person.")
///     .option("hours", "We are open 9–5, Monday to Friday.")
///     .option("address", "1 Main St, Springfield.");
/// assert_eq!(bot.answer("Hours?"), Some("We are open 9–5, Monday to Friday."));
/// assert_eq!(bot.answer("agent"), None); // hands off
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordMenuBot {
    menu: String,
    options: Vec<(String, String)>,
    hand_off_words: Vec<String>,
}

impl KeywordMenuBot {
    /// A bot that shows `menu` to anything it does not understand, and hands off
    /// on "agent" or "human".
    pub fn new(menu: impl Into<String>) -> KeywordMenuBot {
        KeywordMenuBot {
            menu: menu.into(),
            options: Vec::new(),
            hand_off_words: vec!["agent".to_owned(), "human".to_owned()],
        }
    }

    /// Adds an option: a message that normalizes to `word` gets `reply`.
    pub fn option(mut self, word: &str, reply: impl Into<String>) -> KeywordMenuBot {
        self.options
            .push((normalize(word).into_owned(), reply.into()));
        self
    }

    /// The reply to `text`: an option's, the menu, or `None` for a hand-off word.
    pub fn answer(&self, text: &str) -> Option<&str> {
        let word = normalize(text);
        if self.hand_off_words.iter().any(|w| *w == word) {
            return None;
        }
        let reply = self.options.iter().find(|(w, _)| *w == word);
        Some(reply.map_or(self.menu.as_str(), |(_, reply)| reply.as_str()))
    }
}

#[async_trait]
impl Responder for KeywordMenuBot {
    async fn respond(&self, request: ResponderRequest<'_>) -> Option<ResponderReply> {
        let text = request.message.text().unwrap_or_default();
        Some(match self.answer(text) {
            Some(reply) => ResponderReply {
                content: Content::text(reply).ok(),
                context: None,
                hand_off: false,
            },
            None => ResponderReply {
                content: None,
                context: None,
                hand_off: true,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_responder_without_a_name_of_its_own_is_called_by_its_type() {
        let bot = KeywordMenuBot::new("menu");
        assert_eq!(Responder::name(&bot), "KeywordMenuBot");
        assert_eq!(short_type_name("a::b::Bot<c::D<e::F>>"), "Bot");
        assert_eq!(short_type_name("Plain"), "Plain");
    }
}
