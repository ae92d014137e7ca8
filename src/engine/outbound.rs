//! Sending (SPEC §12): load, [decide](super::decide::decide_send) through the
//! gates, commit the message and its outbox item.

use super::decide::{SendContext, SendOutcome, SendRequest, decide_send};
use super::inbox::{Committed, Decided, Inbox};
use super::not_found::NotFound;
use crate::error::Error;
use crate::model::Tenant;

impl Inbox {
    /// Applies SPEC §12's gates in order — content for the channel, consent, the
    /// WhatsApp window, quiet hours (marketing only), the per-recipient rate limit,
    /// the SMS segment cap — and queues the message in the outbox. A refused send
    /// writes nothing and says which gate refused it.
    pub async fn send(&self, request: &SendRequest) -> Result<SendOutcome, Error> {
        let tenant = self.tenant(request.tenant).await?;
        if let Some(sent) = self.sent_before(&tenant, request).await? {
            return Ok(sent);
        }
        let committed = self
            .commit_loop(|| async {
                let contact = self
                    .store
                    .contact_by_phone(tenant.id, &request.to)
                    .await?
                    .filter(|contact| !contact.is_deleted())
                    .ok_or_else(|| NotFound::Contact(request.to.to_string()))?;
                let latest = self
                    .store
                    .latest_conversation(tenant.id, contact.id)
                    .await?;
                let replying_to = match request.reply_to {
                    Some(id) => self.store.message(tenant.id, id).await?,
                    None => None,
                };
                let context = SendContext {
                    tenant: &tenant,
                    contact: &contact,
                    latest: latest.as_ref(),
                    replying_to: replying_to.as_ref(),
                    quiet_hours: &self.quiet_hours,
                    send_quota: &self.send_quota,
                    now: self.clock.now(),
                    ids: self.ids.as_ref(),
                };
                let plan = decide_send(context, request)?;
                let outcome = plan.outcome();
                Ok(Decided::write(plan.into_changeset(), outcome))
            })
            .await?;
        match committed {
            Committed::Done(outcome) => Ok(outcome),
            // Another request with the same client id committed first: answer
            // with its message. (Only a client id can clash here; the message's
            // own id is fresh.)
            Committed::Duplicate(_) | Committed::AlreadyLogged => self
                .sent_before(&tenant, request)
                .await?
                .ok_or(Error::Busy { attempts: 1 }),
        }
    }

    /// The message queued the first time for the request's client id, if any.
    async fn sent_before(
        &self,
        tenant: &Tenant,
        request: &SendRequest,
    ) -> Result<Option<SendOutcome>, Error> {
        let Some(client_id) = &request.client_id else {
            return Ok(None);
        };
        let Some(message) = self
            .store
            .message_by_client_id(tenant.id, client_id)
            .await?
        else {
            return Ok(None);
        };
        let conversation = self
            .load_conversation(tenant.id, message.conversation)
            .await?;
        Ok(Some(SendOutcome {
            message,
            status: conversation.status(),
            duplicate: true,
        }))
    }
}
