//! The inbox's records: tenants, contacts, conversations, messages, the outbox and
//! the events, as plain serde data; and the provider-neutral shapes of what
//! providers bring in and answer ([`InboundMessage`], [`StatusCallback`],
//! [`CallSpeech`], [`CallLog`], [`CarrierError`]), which their adapters produce
//! without knowing the engine.
//!
//! These are what a [`Store`](crate::store::Store) keeps and what the
//! [`engine`](crate::engine) loads, decides about and commits. Each record wraps the
//! pure core's state ([`ConsentLedger`](crate::core::consent::ConsentLedger),
//! [`WindowState`](crate::core::window::WindowState),
//! [`Conversation`](crate::core::conversation::Conversation),
//! [`Delivery`](crate::core::delivery::Delivery), …) with the identity and
//! bookkeeping a store needs; none of them has behaviour beyond small accessors.

pub mod api_key;
pub mod call;
pub mod campaign;
pub mod carrier_error;
pub mod contact;
pub mod contact_variables;
pub mod conversation;
pub mod event;
pub mod ids;
pub mod inbound;
pub mod message;
pub mod outbox;
pub mod status_callback;
pub mod tenant;
pub mod webhook;
pub mod workflow;

pub use crate::core::api_key::ApiKeyId;
pub use crate::core::contact_edit::ContactEdit;
pub use api_key::ApiKeyRecord;
pub use call::{CallLog, CallSpeech};
pub use campaign::{CampaignRecipient, CampaignRecord, RecipientOutcome, RecipientUpdate};
pub use carrier_error::{CarrierError, CarrierErrorKind};
pub use contact::{Attribution, Contact, Referral, WhatsAppIds};
pub use contact_variables::ContactVariables;
pub use conversation::{ConversationFlags, ConversationRecord};
pub use event::{EventRecord, InboxEvent};
pub use ids::{
    ContactId, ConversationId, IdSource, MediaId, MessageId, RandomIds, SequentialIds, TenantId,
};
pub use inbound::{InboundMessage, TenantRef};
pub use message::{Direction, InboundContent, MediaRef, MessageBody, MessageOrigin, MessageRecord};
pub use outbox::{OutboxItem, OutboxState, QueuedMessage, ReplyTo};
pub use status_callback::{MessageRef, Pricing, PricingCategory, StatusCallback};
pub use tenant::{ProviderName, Tenant, TenantNumber, TenantSettings};
pub use webhook::{WebhookEndpoint, WebhookId};
pub use workflow::{RuleRecord, RunId, RunRecord, WorkflowRecord};
