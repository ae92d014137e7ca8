//! AI conversation guides (SPEC §11): an agent sets or clears what the AI
//! responder is told about one conversation; the responder reads it as
//! the conversation's `responder_context` with every message it answers.

use super::inbox::{Committed, Decided, Inbox};
use crate::core::conversation::guide::Guide;
use crate::error::Error;
use crate::model::{ConversationId, ConversationRecord, TenantId};
use crate::store::{Changeset, ContactWrite};

impl Inbox {
    /// Sets the conversation's guide, or clears it with `None`, replacing
    /// whatever an agent or the responder itself last wrote there. The
    /// conversation as committed; another tenant's is
    /// [`NotFound::Conversation`](super::NotFound::Conversation).
    pub async fn set_guide(
        &self,
        tenant: TenantId,
        conversation: ConversationId,
        guide: Option<Guide>,
    ) -> Result<ConversationRecord, Error> {
        let committed = self
            .commit_loop(|| async {
                let mut record = self.load_conversation(tenant, conversation).await?;
                let contact = self.load_contact(tenant, record.contact).await?;
                record.responder_context = guide.clone().map(String::from);
                // Through the contact's version, as every conversation write goes,
                // so a responder's reply committing at once does not undo it.
                let write = ContactWrite::update(contact.version, contact);
                let mut changes = Changeset::for_contact(tenant, write);
                changes.conversations.push(record.clone());
                Ok(Decided::write(changes, record))
            })
            .await?;
        match committed {
            Committed::Done(record) => Ok(record),
            // The changeset holds no message and no call log.
            Committed::Duplicate(_) | Committed::AlreadyLogged => Err(Error::Busy { attempts: 1 }),
        }
    }
}
