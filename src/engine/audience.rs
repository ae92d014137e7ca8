//! Walking a campaign's audience: the tenant's contacts with any of its tags,
//! a page at a time in creation order, for freezing and for estimates alike.

use super::Inbox;
use crate::core::campaign::Audience;
use crate::error::Error;
use crate::model::{Contact, TenantId};
use crate::store::{AudienceQuery, ContactCursor};

/// Contacts read per audience page.
const AUDIENCE_PAGE: usize = 1_000;

impl Inbox {
    /// Calls `visit` with each page of the tenant's contacts in `audience`, in
    /// creation order, until the last page or `visit`'s first error.
    pub(crate) async fn walk_audience(
        &self,
        tenant: TenantId,
        audience: &Audience,
        mut visit: impl FnMut(&[Contact]) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut query = AudienceQuery {
            tags_any: audience.tags.clone(),
            after: None,
            limit: AUDIENCE_PAGE,
        };
        loop {
            let page = self.store.audience(tenant, &query).await?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            query.after = Some(ContactCursor::after(last));
            // A deleted contact's tombstone keeps its place in creation order
            // but belongs to no audience.
            let live: Vec<Contact> = page.into_iter().filter(|c| !c.is_deleted()).collect();
            visit(&live)?;
        }
    }
}
