//! Handling a message from a contact (SPEC §11): deduplicate, find the tenant,
//! load, [decide](super::decide::decide_inbound), commit — every write of the
//! message in one transaction, the library's own replies included.

use super::decide::automation::Prompt;
use super::decide::{InboundContext, InboundOutcome, decide_inbound};
use super::inbox::{Committed, Decided, Inbox};
use super::not_found::NotFound;
use crate::error::Error;
use crate::model::{InboundMessage, MessageRecord, Tenant, TenantRef};

impl Inbox {
    /// Runs SPEC §11 steps 3–12 for one inbound message and commits everything it
    /// writes — contact, conversation, message, the library's replies (outbox) and
    /// events — in one transaction. A retried webhook is acknowledged with
    /// `duplicate: true` and changes nothing.
    ///
    /// A message in a bot's or AI agent's conversation comes back with
    /// [`InboundOutcome::respond`] set: the responder is asked only then, with
    /// [`Inbox::respond`], once the message is durable and the provider can have
    /// its acknowledgement.
    pub async fn handle_inbound(&self, message: &InboundMessage) -> Result<InboundOutcome, Error> {
        let tenant = self.resolve_tenant(&message.tenant).await?;
        let reads = || {
            self.store.inbound_reads(
                tenant.id,
                &message.provider,
                &message.provider_message_id,
                &message.from,
            )
        };
        let first = reads().await?;
        if let Some(stored) = first.stored {
            return self.duplicate(&tenant, stored).await;
        }
        let rules = self.compiled(&tenant)?;
        // The first decision uses the reads that found no retry; a decision
        // made again after a conflict reads afresh.
        let mut first = Some(first);
        let committed = self
            .commit_loop(|| {
                let cached = first.take();
                async {
                    let loaded = match cached {
                        Some(loaded) => loaded,
                        None => reads().await?,
                    };
                    let context = InboundContext {
                        tenant: &tenant,
                        rules: &rules,
                        contact: loaded.contact.as_ref(),
                        latest: loaded.latest.as_ref(),
                        now: self.clock.now(),
                        ids: self.ids.as_ref(),
                    };
                    let plan = decide_inbound(context, message);
                    let outcome = plan.outcome();
                    let prompt = Prompt {
                        reply: plan.reply_for_runs(),
                        ..Prompt::default()
                    };
                    Ok(Decided::write(plan.into_changeset(), outcome).prompted(prompt))
                }
            })
            .await?;
        match committed {
            Committed::Done(outcome) => Ok(outcome),
            Committed::Duplicate(existing) => {
                let stored = self.store.message(tenant.id, existing).await?;
                let stored = stored.ok_or_else(|| NotFound::Message(existing.to_string()))?;
                self.duplicate(&tenant, stored).await
            }
            // An inbound message writes no call log.
            Committed::AlreadyLogged => Err(Error::Busy { attempts: 1 }),
        }
    }

    /// The tenant a reference names, or [`NotFound::Tenant`].
    pub(crate) async fn resolve_tenant(&self, reference: &TenantRef) -> Result<Tenant, Error> {
        let now = self.clock.now();
        if let Some(tenant) = self.tenants.get(reference, now) {
            return Ok(tenant);
        }
        let found = match reference {
            TenantRef::Id(id) => self.store.tenant(*id).await?,
            TenantRef::Slug(slug) => self.store.tenant_by_slug(slug).await?,
            TenantRef::Number(number) => self.store.tenant_by_number(number).await?,
        };
        if let Some(tenant) = &found {
            self.tenants.keep(reference, tenant, now);
        }
        found.ok_or_else(|| {
            let key = match reference {
                TenantRef::Id(id) => id.to_string(),
                other => other.to_string(),
            };
            NotFound::Tenant(key).into()
        })
    }

    /// The outcome of a message handled before: what is stored, nothing new.
    async fn duplicate(
        &self,
        tenant: &Tenant,
        stored: MessageRecord,
    ) -> Result<InboundOutcome, Error> {
        let conversation = self
            .load_conversation(tenant.id, stored.conversation)
            .await?;
        Ok(InboundOutcome {
            duplicate: true,
            tenant: tenant.id,
            message: stored.id,
            contact: stored.contact,
            conversation: stored.conversation,
            status: conversation.status(),
            keyword: None,
            possible_revocation: false,
            rating: None,
            tags: stored.tags,
            replies: Vec::new(),
            respond: None,
        })
    }
}
