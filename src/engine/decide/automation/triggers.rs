//! What a decision's events set off (SPEC §14, §18): each trigger with the
//! channel it happened on and, for messages and calls, the text conditions
//! on `text` read.

use super::working::Working;
use crate::core::channel::Channel;
use crate::core::consent::ConsentChange;
use crate::core::conversation::Status;
use crate::core::trigger::Trigger;
use crate::model::{InboxEvent, MessageBody, MessageId, MessageRecord};
use crate::store::Changeset;

/// A call's final statuses: the call is over, answered or not.
const CALL_ENDED: [&str; 5] = ["completed", "busy", "no-answer", "failed", "canceled"];

/// One trigger a decision set off.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fired {
    pub(super) trigger: Trigger,
    /// The channel rule sends go on.
    pub(super) channel: Channel,
    /// An inbound message's text, or a call's final status (`no-answer`).
    pub(super) text: Option<String>,
    /// The message that set it off, for message triggers.
    pub(super) message: Option<MessageId>,
}

/// The triggers of `changes`' events, in their order. Read before the pass
/// adds anything, so what rules cause never sets rules off.
pub(super) fn fired(changes: &Changeset) -> Vec<Fired> {
    changes
        .events
        .iter()
        .filter_map(|record| of_event(changes, &record.event))
        .collect()
}

fn of_event(changes: &Changeset, event: &InboxEvent) -> Option<Fired> {
    let fired = |trigger, channel, text| {
        Some(Fired {
            trigger,
            channel,
            text,
            message: None,
        })
    };
    match event {
        InboxEvent::Trigger { message, .. } => {
            // An inbound message's trigger: the message is in the changeset.
            let message = changes.messages.iter().find(|m| m.id == *message)?;
            let trigger = Trigger::inbound(message.channel);
            let fired = fired(trigger, message.channel, text_of(message))?;
            Some(Fired {
                message: Some(message.id),
                ..fired
            })
        }
        InboxEvent::ConsentChanged {
            channel, change, ..
        } => {
            let trigger = match change {
                ConsentChange::OptOut => Trigger::OptedOut,
                ConsentChange::OptIn => Trigger::OptedIn,
            };
            fired(trigger, *channel, None)
        }
        InboxEvent::ConversationOpened { conversation, .. } => {
            let channel = channel_of(changes, *conversation)?;
            fired(Trigger::ConversationOpened, channel, None)
        }
        InboxEvent::ConversationStatus {
            conversation,
            status: Status::Resolved,
            ..
        } => {
            let channel = channel_of(changes, *conversation)?;
            fired(Trigger::ConversationResolved, channel, None)
        }
        // A call is answered by text: the follow-up of a missed call is an SMS.
        InboxEvent::CallLogged { status, .. } if CALL_ENDED.contains(&status.as_str()) => {
            fired(Trigger::CallCompleted, Channel::Sms, Some(status.clone()))
        }
        _ => None,
    }
}

fn text_of(message: &MessageRecord) -> Option<String> {
    match &message.body {
        MessageBody::Inbound(content) => content.text.clone(),
        MessageBody::Outbound(_) => None,
    }
}

fn channel_of(changes: &Changeset, conversation: crate::model::ConversationId) -> Option<Channel> {
    changes
        .conversations
        .iter()
        .find(|c| c.id == conversation)
        .map(|c| c.channel)
}

impl Working<'_> {
    /// A message to the contact failed: `message_failed`, recorded in the
    /// tenant's log as the trigger it is.
    pub(super) fn message_failed(&mut self, message: MessageId, channel: Channel) -> Fired {
        let contact = self.contact().id;
        let trigger = Trigger::MessageFailed;
        self.event(InboxEvent::Trigger {
            trigger: trigger.as_str().to_owned(),
            message,
            contact,
        });
        Fired {
            trigger,
            channel,
            text: None,
            message: Some(message),
        }
    }
}

/// The channels `changes` opted the contact out on: every run there ends.
pub(super) fn opted_out(changes: &Changeset) -> Vec<Channel> {
    changes
        .events
        .iter()
        .filter_map(|record| match record.event {
            InboxEvent::ConsentChanged {
                channel,
                change: ConsentChange::OptOut,
                ..
            } => Some(channel),
            _ => None,
        })
        .collect()
}
