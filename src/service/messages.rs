//! A tenant's recent messages across its conversations (`GET /messages`).

use super::api_keys::Principal;
use super::operations::Operations;
use super::page::{Page, PageRequest};
use crate::core::api_key::Scope;
use crate::error::Error;
use crate::model::MessageRecord;

impl Operations {
    /// A page of the tenant's messages, inbound and outbound, of every
    /// conversation, the last stored first. Scope `messages:read`.
    pub async fn list_messages(
        &self,
        principal: &Principal,
        page: PageRequest,
    ) -> Result<Page<MessageRecord>, Error> {
        principal.require(Scope::MessagesRead)?;
        let store = &self.inbox.store;
        let found = store
            .recent_messages(principal.tenant, page.reach())
            .await?;
        Ok(page.cut(found))
    }
}
