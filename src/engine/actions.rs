//! Agent and automation actions on a conversation (SPEC §4): load,
//! [decide](super::decide::decide_action), commit.

use super::decide::{ActionContext, ActionOutcome, decide_action};
use super::inbox::{Committed, Decided, Inbox};
use crate::core::conversation::Event;
use crate::error::Error;
use crate::model::{ConversationId, TenantId};

impl Inbox {
    /// Moves a conversation with `event` through the SPEC §4 table (an illegal move
    /// is [`Error::Transition`] and writes nothing). Resolving sends the CSAT
    /// survey once, as text, or as the tenant's template outside the WhatsApp
    /// window, or not at all when the contact has opted out or no template is set.
    pub async fn act(
        &self,
        tenant: TenantId,
        conversation: ConversationId,
        event: &Event,
    ) -> Result<ActionOutcome, Error> {
        let tenant = self.tenant(tenant).await?;
        let committed = self
            .commit_loop(|| async {
                let record = self.load_conversation(tenant.id, conversation).await?;
                let contact = self.load_contact(tenant.id, record.contact).await?;
                let context = ActionContext {
                    tenant: &tenant,
                    contact: &contact,
                    conversation: &record,
                    now: self.clock.now(),
                    ids: self.ids.as_ref(),
                };
                let plan = decide_action(context, event)?;
                let outcome = plan.outcome();
                Ok(Decided::write(plan.into_changeset(), outcome))
            })
            .await?;
        match committed {
            Committed::Done(outcome) => Ok(outcome),
            // An action inserts no message with a provider or client id, and no
            // call log.
            Committed::Duplicate(_) | Committed::AlreadyLogged => Err(Error::Busy { attempts: 1 }),
        }
    }
}
