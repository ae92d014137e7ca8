//! Contacts through the API: listed a page at a time, created, read and
//! changed. Consent set here has source `api`, which never undoes an opt-out
//! (SPEC §2).

use super::api_keys::Principal;
use super::operations::{DEFAULT_REGION, Operations};
use super::page::{MAX_PAGE, MAX_PAGE_LIMIT, Page, PageRequest};
use super::request_error::RequestError;
use crate::core::api_key::Scope;
use crate::core::phone::E164;
use crate::engine::{EditedBy, NotFound};
use crate::error::Error;
use crate::model::{Contact, ContactEdit, ContactId, TenantId};
use crate::store::{AudienceQuery, ContactCursor};

/// Contacts read from the store at a time while walking the audience.
const WALK_BATCH: usize = 500;

/// Which contacts to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFilter {
    /// Contacts whose name contains this (any case), or whose number
    /// contains its digits; the list is then by name.
    pub search: Option<String>,
    /// Contacts with this tag.
    pub tag: Option<String>,
}

impl Operations {
    /// A page of the tenant's contacts: in creation order, or by name when
    /// searching; deleted ones never. Scope `contacts:read`.
    pub async fn list_contacts(
        &self,
        principal: &Principal,
        filter: &ContactFilter,
        page: PageRequest,
    ) -> Result<Page<Contact>, Error> {
        principal.require(Scope::ContactsRead)?;
        let found = self
            .matching(principal.tenant, filter, page.reach())
            .await?;
        Ok(page.cut(found))
    }

    /// The tenant's contact `id` (a text that is no id is as unknown as an id
    /// of another tenant's contact). Scope `contacts:read`.
    pub async fn contact(&self, principal: &Principal, id: &str) -> Result<Contact, Error> {
        principal.require(Scope::ContactsRead)?;
        self.load_contact(principal.tenant, id).await
    }

    /// Creates a contact for `phone` (E.164, or national read as a US
    /// number) with `edit` applied; a number the tenant has a contact for is
    /// [`RequestError::ContactExists`] (409). Scope `contacts:write`.
    pub async fn create_contact(
        &self,
        principal: &Principal,
        phone: &str,
        edit: &ContactEdit,
    ) -> Result<Contact, Error> {
        principal.require(Scope::ContactsWrite)?;
        let phone = E164::parse(phone, Some(DEFAULT_REGION))?;
        let existing = self
            .inbox
            .contact_by_phone(principal.tenant, &phone)
            .await?;
        if existing.is_some() {
            return Err(RequestError::ContactExists { phone }.into());
        }
        let edited = self
            .inbox
            .edit_contact(principal.tenant, phone, edit, &EditedBy::Api)
            .await?;
        Ok(edited.contact)
    }

    /// Applies `edit` to the tenant's contact `id`. Scope `contacts:write`.
    pub async fn update_contact(
        &self,
        principal: &Principal,
        id: &str,
        edit: &ContactEdit,
    ) -> Result<Contact, Error> {
        principal.require(Scope::ContactsWrite)?;
        let contact = self.load_contact(principal.tenant, id).await?;
        let edited = self
            .inbox
            .edit_contact(principal.tenant, contact.phone, edit, &EditedBy::Api)
            .await?;
        Ok(edited.contact)
    }

    pub(super) async fn load_contact(&self, tenant: TenantId, id: &str) -> Result<Contact, Error> {
        let unknown = || Error::from(NotFound::Contact(id.to_owned()));
        // A malformed id is answered like an unknown one.
        let id: ContactId = id.parse().map_err(|_| unknown())?;
        self.inbox.contact(tenant, id).await?.ok_or_else(unknown)
    }

    /// The first `wanted` contacts the filter matches, deleted ones left out.
    async fn matching(
        &self,
        tenant: TenantId,
        filter: &ContactFilter,
        wanted: usize,
    ) -> Result<Vec<Contact>, Error> {
        let has_tag = |c: &Contact| filter.tag.as_ref().is_none_or(|tag| c.tags.contains(tag));
        if let Some(text) = &filter.search {
            // A search is sorted by name; reading past the deepest page keeps
            // the tag filter's pages whole.
            let deepest = (MAX_PAGE * MAX_PAGE_LIMIT) as usize + 1;
            let mut found = self.inbox.search_contacts(tenant, text, deepest).await?;
            found.retain(has_tag);
            found.truncate(wanted);
            return Ok(found);
        }
        let mut audience = AudienceQuery {
            tags_any: filter.tag.iter().cloned().collect(),
            tags_all: Vec::new(),
            after: None,
            limit: WALK_BATCH,
        };
        let mut found = Vec::new();
        while found.len() < wanted {
            // Read no more than the page needs: each contact read is a
            // document parsed.
            audience.limit = (wanted - found.len()).min(WALK_BATCH);
            let batch = self.inbox.store.audience(tenant, &audience).await?;
            let Some(last) = batch.last() else { break };
            audience.after = Some(ContactCursor::after(last));
            let full = batch.len() == audience.limit;
            found.extend(batch.into_iter().filter(|c| !c.is_deleted()));
            if !full {
                break;
            }
        }
        found.truncate(wanted);
        Ok(found)
    }
}
