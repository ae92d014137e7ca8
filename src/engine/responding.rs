//! A bot's or AI agent's turn (SPEC §11 step 11), taken after the message it
//! answers was committed: the webhook is acknowledged without waiting for it, and
//! the responder is asked exactly once however often the reply's commit has to be
//! retried.

use super::decide::{
    ReplyContext, ReplyOutcome, ResponseDue, ResponseSkipped, Routed, decide_reply,
};
use super::inbox::{Committed, Decided, Inbox};
use super::not_found::NotFound;
use super::responder::{Responder, ResponderRequest};
use crate::error::Error;

pub(crate) use super::decide::Answer;

impl Inbox {
    /// Asks the conversation's bot or AI agent to answer the stored message
    /// `due` names, and commits its answer: the reply (threaded to the message,
    /// if the contact still consents on the channel), its guide, a hand-off.
    ///
    /// The responder is asked once; a commit that loses to another writer is
    /// decided again on fresh data with the same answer. A conversation an agent
    /// took meanwhile is not the responder's any more: its answer is dropped
    /// ([`ResponseSkipped::ConversationMovedOn`]). A responder that runs out of
    /// time (feature `tokio`: [`InboxBuilder::responder_timeout`](super::InboxBuilder::responder_timeout))
    /// hands the conversation to a human. Taking the same turn twice queues one
    /// reply.
    pub async fn respond(&self, due: &ResponseDue) -> Result<ReplyOutcome, Error> {
        let tenant = self.tenant(due.tenant).await?;
        let conversation = self.load_conversation(tenant.id, due.conversation).await?;
        let Some(responder) = self.responder(due.routed) else {
            return Ok(ReplyOutcome::skipped(
                ResponseSkipped::NoResponder,
                conversation.status(),
            ));
        };
        if conversation.status() != due.routed.status() {
            let moved_on = ResponseSkipped::ConversationMovedOn;
            return Ok(ReplyOutcome::skipped(moved_on, conversation.status()));
        }
        let contact = self.load_contact(tenant.id, conversation.contact).await?;
        let answered = self
            .store
            .message(tenant.id, due.message)
            .await?
            .ok_or_else(|| NotFound::Message(due.message.to_string()))?;
        let request = ResponderRequest {
            tenant: &tenant,
            contact: &contact,
            conversation: &conversation,
            message: &answered,
        };
        let answer = self.ask(responder.as_ref(), request).await;
        let committed = self
            .commit_loop(|| async {
                let conversation = self.load_conversation(tenant.id, due.conversation).await?;
                let contact = self.load_contact(tenant.id, conversation.contact).await?;
                let context = ReplyContext {
                    tenant: &tenant,
                    contact: &contact,
                    conversation: &conversation,
                    answered: &answered,
                    routed: due.routed,
                    now: self.clock.now(),
                    ids: self.ids.as_ref(),
                };
                Ok(match decide_reply(context, &answer) {
                    Ok(plan) => {
                        let outcome = plan.outcome();
                        Decided::write(plan.into_changeset(), outcome)
                    }
                    Err(why) => Decided::nothing(ReplyOutcome::skipped(why, conversation.status())),
                })
            })
            .await?;
        match committed {
            Committed::Done(outcome) => Ok(outcome),
            Committed::Duplicate(_) | Committed::AlreadyLogged => {
                let conversation = self.load_conversation(tenant.id, due.conversation).await?;
                let answered_before = ResponseSkipped::AlreadyAnswered;
                Ok(ReplyOutcome::skipped(
                    answered_before,
                    conversation.status(),
                ))
            }
        }
    }

    /// The responder a conversation routed to `routed` goes to, if configured.
    fn responder(&self, routed: Routed) -> Option<&std::sync::Arc<dyn Responder>> {
        match routed {
            Routed::Bot => self.bot.as_ref(),
            Routed::Ai => self.ai.as_ref(),
        }
    }

    /// The responder's answer to `request`, within the responder timeout.
    pub(crate) async fn ask(
        &self,
        responder: &dyn Responder,
        request: ResponderRequest<'_>,
    ) -> Answer {
        #[cfg(feature = "tokio")]
        let answer =
            match tokio::time::timeout(self.responder_timeout, responder.respond(request)).await {
                Ok(answer) => answer,
                Err(_) => return Answer::TimedOut,
            };
        #[cfg(not(feature = "tokio"))]
        let answer = responder.respond(request).await;
        match answer {
            Some(reply) => Answer::Replied(reply),
            None => Answer::Silent,
        }
    }
}
