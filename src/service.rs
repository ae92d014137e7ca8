//! The service layer: what the REST API and the MCP server both do, so that
//! they share one set of scopes, limits and errors (SPEC §19).
//!
//! It sits over the [`Inbox`](crate::engine::Inbox) and draws what the pure
//! core must be handed: `now` from the inbox's clock, ids from its id source,
//! and secrets from the operating system's random source. [`Operations`] is
//! its door: [`Operations::enter`] turns a request's origin and token into a
//! [`Principal`], and every operation checks that principal's scope.

mod agents;
mod analytics;
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
mod payment_links;
mod request_error;
mod send;
mod templates;
mod webhooks;

pub use agents::{AgentKind, AiAgent};
pub use analytics::{AnalyticsReport, DEFAULT_ANALYTICS_DAYS, MAX_ANALYTICS_DAYS};
pub use api_keys::{ApiKeys, CreatedApiKey, NewApiKey, Principal};
pub use campaigns::CampaignReport;
pub use contacts::ContactFilter;
pub use conversations::{RECENT_MESSAGES, Reply, Thread};
pub use events::{EVENT_BATCH, EventBatch};
#[cfg(feature = "api")]
pub(crate) use media::MediaSlot;
pub use operations::{Operations, Origin};
pub use page::{DEFAULT_PAGE_LIMIT, MAX_PAGE, MAX_PAGE_LIMIT, Page, PageError, PageRequest};
pub use payment_links::{
    MAX_PAYMENT_DESCRIPTION, NewPaymentLink, PaymentLink, PaymentLinkError, PaymentLinkRequest,
    PaymentLinks,
};
pub use request_error::RequestError;
pub use send::Outgoing;
pub use webhooks::{MAX_DESCRIPTION, MAX_WEBHOOKS, NewWebhook};

/// What a client is told of `error`, over REST (`{"error"}`) and MCP (a tool
/// error) alike: its message, except that a database's can name tables,
/// hosts or values, so a store failure says only that the server failed.
#[cfg(feature = "api")]
pub(crate) fn public_message(error: &crate::Error) -> String {
    match error.kind() {
        crate::error::ErrorKind::Store => {
            "the server could not complete the request; try again".to_owned()
        }
        _ => error.to_string(),
    }
}
