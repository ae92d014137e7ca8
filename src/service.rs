//! The service layer: what the REST API and the MCP server both do, so that
//! they share one set of scopes, limits and errors (SPEC §19).
//!
//! It sits over the [`Inbox`](crate::engine::Inbox) and draws what the pure
//! core must be handed: `now` from the inbox's clock, ids from its id source,
//! and secrets from the operating system's random source. [`Operations`] is
//! its door: [`Operations::enter`] turns a request's origin and token into a
//! [`Principal`], and every operation checks that principal's scope.

pub mod api_keys;
mod campaigns;
mod contacts;
mod conversations;
mod events;
mod import;
mod media;
mod messages;
mod operations;
mod page;
mod request_error;
mod send;
mod templates;
mod webhooks;

pub use api_keys::{ApiKeys, CreatedApiKey, NewApiKey, Principal};
pub use campaigns::CampaignReport;
pub use contacts::ContactFilter;
pub use conversations::{RECENT_MESSAGES, Reply, Thread};
pub use events::{EVENT_BATCH, EventBatch};
#[cfg(feature = "api")]
pub(crate) use media::MediaSlot;
pub use operations::{Operations, Origin};
pub use page::{DEFAULT_PAGE_LIMIT, MAX_PAGE, MAX_PAGE_LIMIT, Page, PageError, PageRequest};
pub use request_error::RequestError;
pub use send::Outgoing;
pub use webhooks::{MAX_DESCRIPTION, MAX_WEBHOOKS, NewWebhook};
