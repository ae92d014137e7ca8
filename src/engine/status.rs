//! Delivery status callbacks (SPEC §6, §15): merged as a semilattice, with the
//! provider's opt-out signals turned into consent changes, and a message that
//! failed handed to the `message_failed` rules (SPEC §14).

use serde::{Deserialize, Serialize};

use super::decide::automation::Prompt;
use super::decide::{OptOutContext, decide_provider_opt_out};
use super::inbox::{Committed, Decided, Inbox};
use super::not_found::NotFound;
use crate::core::delivery::Delivery;
use crate::core::trigger::Trigger;
use crate::error::Error;
use crate::model::{
    Direction, EventRecord, InboxEvent, MessageId, MessageOrigin, MessageRecord, MessageRef,
    StatusCallback, Tenant,
};
use crate::store::{Changeset, ContactWrite, StatusWrite};

/// What a status callback changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusOutcome {
    /// The message.
    pub message: MessageId,
    /// Its delivery after the merge.
    pub delivery: Delivery,
    /// Whether this callback withdrew consent.
    pub opted_out: bool,
}

impl Inbox {
    /// Merges a status callback into the message's delivery (any order, any
    /// repetition, one result) and records a provider opt-out signal as an opt-out.
    pub async fn on_status(&self, callback: &StatusCallback) -> Result<StatusOutcome, Error> {
        let tenant = self.resolve_tenant(&callback.tenant).await?;
        let message = self.find_message(&tenant, &callback.message).await?;
        let before = message.delivery.status();
        let write = StatusWrite {
            tenant: tenant.id,
            message: message.id,
            update: callback.update.clone(),
            pricing: callback.pricing.clone(),
        };
        let delivery = self
            .record_status(write)
            .await?
            .ok_or_else(|| NotFound::Message(message.id.to_string()))?;
        if let Some(status) = delivery.status().filter(|s| Some(*s) != before) {
            let event = InboxEvent::MessageStatus {
                message: message.id,
                status,
            };
            let record = EventRecord {
                tenant: tenant.id,
                at: self.clock.now(),
                event,
            };
            self.events.publish(&[record]).await;
        }
        let failed = delivery.status().is_some_and(|s| s.is_failure())
            && !before.is_some_and(|s| s.is_failure());
        if failed {
            self.message_failed(&tenant, &message).await?;
        }
        let opted_out = callback.opted_out && self.provider_opt_out(&tenant, &message).await?;
        Ok(StatusOutcome {
            message: message.id,
            delivery,
            opted_out,
        })
    }

    /// Withdraws consent on the message's channel because its provider said the
    /// recipient opted out; whether that changed anything.
    pub async fn provider_opt_out(
        &self,
        tenant: &Tenant,
        message: &MessageRecord,
    ) -> Result<bool, Error> {
        let committed = self
            .commit_loop(|| async {
                let contact = self.load_contact(tenant.id, message.contact).await?;
                let context = OptOutContext {
                    tenant: tenant.id,
                    contact: &contact,
                    now: self.clock.now(),
                };
                Ok(match decide_provider_opt_out(context, message) {
                    Some(plan) => Decided::write(plan.into_changeset(), true),
                    None => Decided::nothing(false),
                })
            })
            .await?;
        Ok(matches!(committed, Committed::Done(true)))
    }

    /// Runs the tenant's `message_failed` rules for a message that failed,
    /// committed with the contact. A message an automation queued sets none
    /// off: a rule's failing send must not set its rule off again.
    async fn message_failed(&self, tenant: &Tenant, message: &MessageRecord) -> Result<(), Error> {
        let rules = self.rule_set(tenant).await?;
        let automated = message.origin == MessageOrigin::Automation;
        if automated
            || message.direction != Direction::Outbound
            || !rules.listens_to(Trigger::MessageFailed)
        {
            return Ok(());
        }
        self.commit_loop(|| async {
            let contact = self.load_contact(tenant.id, message.contact).await?;
            let unchanged = ContactWrite::update(contact.version, contact);
            let prompt = Prompt {
                failure: Some((message.id, message.channel)),
                ..Prompt::default()
            };
            let changes = Changeset::for_contact(tenant.id, unchanged);
            Ok(Decided::write(changes, ()).prompted(prompt))
        })
        .await?;
        Ok(())
    }

    async fn find_message(
        &self,
        tenant: &Tenant,
        reference: &MessageRef,
    ) -> Result<MessageRecord, Error> {
        let found = match reference {
            MessageRef::Id(id) => self.store.message(tenant.id, *id).await?,
            MessageRef::Provider { provider, id } => {
                self.store
                    .message_by_provider_id(tenant.id, provider, id)
                    .await?
            }
            MessageRef::Client(id) => self.store.message_by_client_id(tenant.id, id).await?,
        };
        found.ok_or_else(|| {
            let key = match reference {
                MessageRef::Id(id) => id.to_string(),
                MessageRef::Provider { provider, id } => format!("{provider} {id}"),
                MessageRef::Client(id) => format!("client id {id}"),
            };
            NotFound::Message(key).into()
        })
    }
}

/// The dispatcher tells the inbox when a carrier refused a send because the
/// recipient opted out (Twilio 21610, Telnyx 40300): the opt-out is recorded on
/// the message's channel, exactly like the same signal in a status callback.
#[cfg(feature = "tokio")]
#[async_trait::async_trait]
impl super::dispatcher::OptOutListener for Inbox {
    async fn on_carrier_opt_out(
        &self,
        opt_out: &super::dispatcher::CarrierOptOut,
    ) -> Result<(), super::dispatcher::ListenerError> {
        let tenant = self.tenant(opt_out.tenant).await?;
        let message = self
            .find_message(&tenant, &MessageRef::Id(opt_out.message))
            .await?;
        self.provider_opt_out(&tenant, &message).await?;
        Ok(())
    }
}
