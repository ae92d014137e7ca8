//! The engine: the inbox that turns webhooks, sends and status callbacks into
//! stored, consistent state (SPEC §11, §12, §16).
//!
//! It follows one pattern everywhere: **load** what a decision needs from the
//! [`Store`](crate::store::Store), **decide** with a pure function of [`decide`]
//! (`decide_…(context, input) -> plan`), **commit** the plan as one
//! [`Changeset`](crate::store::Changeset) atomically, and retry from the load when
//! another writer got there first. Bots and AI agents answer after the commit of
//! the message they answer ([`Inbox::respond`]), so a webhook never waits for one.
//! The ports it talks through are traits with in-memory implementations in this
//! crate:
//!
//! | port | what it does | shipped implementations |
//! |---|---|---|
//! | [`Store`](crate::store::Store) | keeps everything | [`MemoryStore`](crate::store::MemoryStore) |
//! | [`Carrier`](crate::carrier::Carrier) | sends one message | see [`carrier`](crate::carrier) |
//! | [`Responder`] | a bot or AI agent answering | [`KeywordMenuBot`] |
//! | [`EventSink`] | real-time updates | [`NoEvents`], [`MemoryEvents`], `LiveEvents` (feature `tokio`) |
//! | [`Clock`] | the time | [`SystemClock`], [`ManualClock`] |
//! | [`WebhookTransport`] | posts an outgoing webhook | `ReqwestExecutor` (feature `http`) |
//!
//! The outbox is drained by a `Dispatcher` (feature `tokio`) under a
//! [`DispatchPolicy`], whose retry decisions are pure and usable without tokio.
//! Outgoing webhooks go out through a `WebhookDeliverer` (feature `tokio`),
//! which follows each endpoint's cursor through the tenant's event log.

mod actions;
mod audience;
mod automation;
mod campaigns;
mod clock;
mod contacts;
pub mod decide;
mod dispatch_policy;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub mod dispatcher;
mod estimate;
mod events;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
mod group_commit;
mod guide;
mod import;
mod inbound;
mod inbox;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
mod live_events;
mod not_found;
mod outbound;
mod responder;
mod responding;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
mod scheduler;
mod status;
mod tenant_cache;
mod tenant_rules;
mod timeline;
#[cfg(feature = "tokio")]
mod visits;
mod voice;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
mod webhook_deliverer;
mod webhook_transport;
mod workflows;

pub use audience::AudiencePage;
pub use campaigns::{CAMPAIGN_LEASE, CampaignPass};
pub use clock::{Clock, ManualClock, SystemClock};
pub use contacts::{ContactEdited, EditedBy};
pub use decide::{
    ActionOutcome, InboundContext, InboundOutcome, InboundPlan, ReplyOutcome, ResponseDue,
    ResponseSkipped, Routed, SendOutcome, SendRequest, decide_inbound,
};
pub use dispatch_policy::{DispatchPolicy, InvalidPolicy};
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use dispatcher::{
    BatchReport, CarrierOptOut, DispatchProblem, Dispatched, Dispatcher, ListenerError,
    OptOutListener, RunReport,
};
pub use estimate::CampaignEstimate;
pub use events::{EventSink, MemoryEvents, NoEvents};
#[cfg(feature = "tokio")]
pub use group_commit::GroupCommitOptions;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use inbox::DEFAULT_RESPONDER_TIMEOUT;
pub use inbox::{Inbox, InboxBuilder};
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use live_events::{Follower, LiveEvents};
pub use not_found::NotFound;
pub use responder::{KeywordMenuBot, Responder, ResponderReply, ResponderRequest};
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use scheduler::{Scheduler, SchedulerPass};
pub use status::StatusOutcome;
pub use tenant_cache::DEFAULT_TENANT_CACHE;
pub use tenant_rules::TenantRules;
pub use timeline::TimelineEntry;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use webhook_deliverer::{DELIVERY_TIMEOUT, WEBHOOK_LEASE, WebhookDeliverer, WebhookPass};
pub use webhook_transport::WebhookTransport;
pub use workflows::RUN_LEASE;
