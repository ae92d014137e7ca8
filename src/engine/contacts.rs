//! Contacts created and changed by agents and the API (SPEC §1, §2): the same
//! decision an import row takes, with the editor's consent source.

use super::Inbox;
use super::decide::{ContactEditContext, decide_contact_delete, decide_contact_edit};
use super::inbox::{Committed, Decided};
use crate::core::channel::Channel;
use crate::core::consent::{ConsentSource, Outcome};
use crate::core::phone::E164;
use crate::error::Error;
use crate::model::{Contact, ContactEdit, ContactId, TenantId};
use crate::store::StoreError;

/// Who changes a contact, for the consent records its change leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditedBy {
    /// An agent in the inbox (source `manual`). Reversing an opt-out needs
    /// `proof`: where the contact's new consent is kept ("signed form #1234").
    Agent {
        /// The evidence for a consent change, if the agent gave one.
        proof: Option<String>,
    },
    /// The tenant's API (source `api`): it never undoes an opt-out.
    Api,
}

impl EditedBy {
    fn source(&self) -> ConsentSource {
        match self {
            EditedBy::Agent { .. } => ConsentSource::Manual,
            EditedBy::Api => ConsentSource::Api,
        }
    }

    fn proof(&self) -> Option<&str> {
        match self {
            EditedBy::Agent { proof } => proof.as_deref(),
            EditedBy::Api => None,
        }
    }
}

/// A contact as an edit left it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactEdited {
    /// The contact, as stored.
    pub contact: Contact,
    /// Whether the edit created it.
    pub created: bool,
    /// What each consent change asked for did, per channel: an opt-in a
    /// standing opt-out refused is [`Outcome::Ignored`], with why.
    pub consent: Vec<(Channel, Outcome)>,
}

impl Inbox {
    /// Creates the tenant's contact with number `phone`, or changes it, as
    /// `edit` says.
    ///
    /// Consent is recorded with `by`'s source: an API opt-in never undoes an
    /// opt-out, and an agent's does only with proof (SPEC §2); the refusal is in
    /// [`ContactEdited::consent`] and the rest of the edit still applies. An edit
    /// that changes nothing writes nothing.
    pub async fn edit_contact(
        &self,
        tenant: TenantId,
        phone: E164,
        edit: &ContactEdit,
        by: &EditedBy,
    ) -> Result<ContactEdited, Error> {
        self.tenant(tenant).await?;
        let committed = self
            .commit_loop(|| async {
                let loaded = self.store.contact_by_phone(tenant, &phone).await?;
                let context = ContactEditContext {
                    tenant,
                    contact: loaded.as_ref(),
                    source: by.source(),
                    proof: by.proof(),
                    now: self.clock.now(),
                    ids: self.ids.as_ref(),
                };
                let plan = decide_contact_edit(context, phone, edit);
                let edited = ContactEdited {
                    contact: plan.contact.contact().clone(),
                    created: plan.created,
                    consent: plan.consent.clone(),
                };
                Ok(match plan.into_changeset() {
                    Some(changes) => Decided::write(changes, edited),
                    None => Decided::nothing(edited),
                })
            })
            .await?;
        match committed {
            Committed::Done(edited) => Ok(edited),
            // A contact edit writes no message and no call log.
            Committed::Duplicate(_) | Committed::AlreadyLogged => {
                Err(StoreError::InconsistentChangeset.into())
            }
        }
    }

    /// The tenant's contact with number `phone`, if it has one (a deleted
    /// contact is none).
    pub async fn contact_by_phone(
        &self,
        tenant: TenantId,
        phone: &E164,
    ) -> Result<Option<Contact>, Error> {
        let found = self.store.contact_by_phone(tenant, phone).await?;
        Ok(found.filter(|contact| !contact.is_deleted()))
    }

    /// The tenant's contact with `id`, if it has one (a deleted contact is
    /// none).
    pub async fn contact(&self, tenant: TenantId, id: ContactId) -> Result<Option<Contact>, Error> {
        let found = self.store.contact(tenant, id).await?;
        Ok(found.filter(|contact| !contact.is_deleted()))
    }

    /// Deletes the tenant's contact `id`: its name, e-mail, company, tags and
    /// attributes are erased, and it leaves every audience, search and send.
    /// Its number and consent ledger are kept (SPEC §2: consent is absolute),
    /// so an opt-out outlives it: the number imported, edited or written to
    /// again comes back as a new contact that is still opted out. Its
    /// conversations, messages and timeline stay, as the tenant's records.
    /// Whether it was deleted now (`false`: it was deleted already); an
    /// unknown id is [`NotFound::Contact`](super::NotFound::Contact).
    pub async fn delete_contact(&self, tenant: TenantId, id: ContactId) -> Result<bool, Error> {
        self.tenant(tenant).await?;
        let committed = self
            .commit_loop(|| async {
                let contact = self.load_contact(tenant, id).await?;
                Ok(match decide_contact_delete(&contact, self.clock.now()) {
                    Some(changes) => Decided::write(changes, true),
                    None => Decided::nothing(false),
                })
            })
            .await?;
        Ok(matches!(committed, Committed::Done(true)))
    }
}
