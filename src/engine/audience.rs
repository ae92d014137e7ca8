//! A tenant's contacts in an [`Audience`], a page at a time in creation
//! order: for campaigns (frozen, estimated) and for anyone listing them.

use serde::{Deserialize, Serialize};

use super::Inbox;
use crate::core::audience::Audience;
use crate::core::channel::Channel;
use crate::error::Error;
use crate::model::{Contact, TenantId};
use crate::store::{AudienceQuery, ContactCursor};

/// Contacts read per store page.
const STORE_PAGE: usize = 1_000;

/// A page of an audience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudiencePage {
    /// The contacts, in creation order.
    pub contacts: Vec<Contact>,
    /// Where the next page starts; none after the last.
    pub next: Option<ContactCursor>,
}

impl Inbox {
    /// A page of the tenant's contacts in `audience`, in creation order,
    /// after `after` (none: from the first), at most `limit`.
    ///
    /// Tags are served by the store's indexes; the condition and the consent
    /// are read from each contact of those pages, so a page may read more
    /// contacts than it returns. A condition on `channel` reads the
    /// audience's `opted_in` channel, and is absent without one. Deleted
    /// contacts are in no audience.
    pub async fn audience(
        &self,
        tenant: TenantId,
        audience: &Audience,
        after: Option<ContactCursor>,
        limit: usize,
    ) -> Result<AudiencePage, Error> {
        self.audience_page(tenant, audience, audience.opted_in, after, limit)
            .await
    }

    /// Calls `visit` with each page of the tenant's contacts in `audience`
    /// sent on `channel`, in creation order, until the last page or
    /// `visit`'s first error.
    pub(crate) async fn walk_audience(
        &self,
        tenant: TenantId,
        audience: &Audience,
        channel: Channel,
        mut visit: impl FnMut(&[Contact]) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut after = None;
        loop {
            let page = self
                .audience_page(tenant, audience, Some(channel), after, STORE_PAGE)
                .await?;
            visit(&page.contacts)?;
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(()),
            }
        }
    }

    /// [`audience`](Inbox::audience) with its condition reading `channel`.
    async fn audience_page(
        &self,
        tenant: TenantId,
        audience: &Audience,
        channel: Option<Channel>,
        after: Option<ContactCursor>,
        limit: usize,
    ) -> Result<AudiencePage, Error> {
        let mut query = AudienceQuery {
            tags_any: audience.tags.clone(),
            tags_all: audience.all_tags.clone(),
            after,
            limit: limit.clamp(1, STORE_PAGE),
        };
        let mut contacts = Vec::new();
        loop {
            let page = self.store.audience(tenant, &query).await?;
            let more = page.len() == query.limit;
            query.after = page.last().map(ContactCursor::after);
            for contact in page {
                if contacts.len() == limit {
                    let next = contacts.last().map(ContactCursor::after);
                    return Ok(AudiencePage { contacts, next });
                }
                if in_audience(audience, &contact, channel) {
                    contacts.push(contact);
                }
            }
            if !more {
                return Ok(AudiencePage {
                    contacts,
                    next: None,
                });
            }
        }
    }
}

/// Whether a contact the tags admitted is in the audience, its condition
/// reading `channel`. A deleted contact's tombstone keeps its place in
/// creation order but belongs to no audience.
fn in_audience(audience: &Audience, contact: &Contact, channel: Option<Channel>) -> bool {
    !contact.is_deleted()
        && audience.admits(&contact.subject(channel), |on| {
            contact.consent.state().allows(on)
        })
}
