//! The automation triggers (SPEC §14, §18): what can set a tenant's rules off.

use serde::{Deserialize, Serialize};

use super::channel::Channel;

/// An event automation rules can start on, by its SPEC §18 wire name.
///
/// ```
/// use msgcore::Channel;
/// use msgcore::core::trigger::Trigger;
///
/// assert_eq!(Trigger::inbound(Channel::WhatsApp), Trigger::InboundWhatsapp);
/// assert_eq!(Trigger::InboundSms.as_str(), "inbound_sms");
/// assert_eq!(serde_json::to_string(&Trigger::CallCompleted).unwrap(), "\"call_completed\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Trigger {
    /// An ordinary SMS from a contact (not STOP, START, HELP or a survey answer).
    InboundSms,
    /// An ordinary WhatsApp message from a contact.
    InboundWhatsapp,
    /// A contact opted out.
    OptedOut,
    /// A contact opted in.
    OptedIn,
    /// A conversation opened (new, resumed or reopened).
    ConversationOpened,
    /// A conversation was resolved.
    ConversationResolved,
    /// A message failed.
    MessageFailed,
    /// A call ended.
    CallCompleted,
}

impl Trigger {
    /// Every trigger, in declaration order (the order of SPEC §18's list).
    pub const ALL: [Trigger; 8] = [
        Trigger::InboundSms,
        Trigger::InboundWhatsapp,
        Trigger::OptedOut,
        Trigger::OptedIn,
        Trigger::ConversationOpened,
        Trigger::ConversationResolved,
        Trigger::MessageFailed,
        Trigger::CallCompleted,
    ];

    /// The trigger whose wire name is `name` exactly.
    pub fn from_name(name: &str) -> Option<Trigger> {
        Trigger::ALL
            .into_iter()
            .find(|trigger| trigger.as_str() == name)
    }

    /// The trigger of an ordinary inbound message on `channel`.
    pub fn inbound(channel: Channel) -> Trigger {
        match channel {
            Channel::Sms => Trigger::InboundSms,
            Channel::WhatsApp => Trigger::InboundWhatsapp,
        }
    }

    /// The wire name (`"inbound_sms"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::InboundSms => "inbound_sms",
            Trigger::InboundWhatsapp => "inbound_whatsapp",
            Trigger::OptedOut => "opted_out",
            Trigger::OptedIn => "opted_in",
            Trigger::ConversationOpened => "conversation_opened",
            Trigger::ConversationResolved => "conversation_resolved",
            Trigger::MessageFailed => "message_failed",
            Trigger::CallCompleted => "call_completed",
        }
    }
}
