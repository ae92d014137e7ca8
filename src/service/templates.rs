//! The tenant's approved WhatsApp templates and quick replies (SPEC §7), for
//! an API client to pick from.

use super::api_keys::Principal;
use super::operations::Operations;
use crate::core::api_key::Scope;
use crate::core::quick_reply::QuickReply;
use crate::core::template::ApprovedTemplate;
use crate::error::Error;

impl Operations {
    /// The tenant's approved WhatsApp templates, as its settings list them.
    /// Scope `messages:read`.
    pub async fn templates(&self, principal: &Principal) -> Result<Vec<ApprovedTemplate>, Error> {
        principal.require(Scope::MessagesRead)?;
        let tenant = self.inbox.tenant(principal.tenant).await?;
        Ok(tenant.settings.templates)
    }

    /// The tenant's quick replies whose shortcut starts with `typed` (any
    /// case, the leading `/` optional; every one when empty), in shortcut
    /// order: what a picker shows as an agent types. Scope `messages:read`.
    pub async fn quick_replies(
        &self,
        principal: &Principal,
        typed: &str,
    ) -> Result<Vec<QuickReply>, Error> {
        principal.require(Scope::MessagesRead)?;
        let tenant = self.inbox.tenant(principal.tenant).await?;
        let typed = match typed.is_empty() || typed.starts_with('/') {
            true => typed.to_owned(),
            false => format!("/{typed}"),
        };
        let replies = &tenant.settings.quick_replies;
        Ok(replies.starting_with(&typed).cloned().collect())
    }
}
