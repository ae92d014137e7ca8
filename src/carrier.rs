//! The `Carrier` port: what hands one outbound message to a provider, and the
//! carriers msgcore ships.
//!
//! | carrier | sends through |
//! |---|---|
//! | [`HttpCarrier`] (feature `http`) | any provider's sans-IO [`SendApi`](crate::providers::send_api::SendApi) over HTTPS, with per-tenant credentials |
//! | [`ChannelCarriers`] | one carrier per channel: SMS through one provider, WhatsApp through another |
//! | [`RecordingCarrier`] | nothing: it accepts every message and remembers it (tests, simulations) |
//!
//! The outbox `Dispatcher` (feature `tokio`) drives a carrier; a refusal is a
//! [`CarrierError`] whose kind decides between a retry, a failure and an opt-out.

mod channels;
#[cfg(feature = "http")]
mod http;
mod recording;

use async_trait::async_trait;

use crate::model::{CarrierError, OutboxItem, ProviderName};

pub use channels::ChannelCarriers;
#[cfg(all(feature = "http", feature = "meta"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "http", feature = "meta"))))]
pub use http::MediaSendError;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub use http::{HttpCarrier, TRANSPORT_ERROR_CODE};
pub use recording::RecordingCarrier;

/// Sends one message through a provider (Twilio, Telnyx, Meta, or a test double).
///
/// A carrier must pass [`OutboxItem::idempotency_key`] to the provider where the
/// provider supports one, so that a message re-sent after a dispatcher crash is
/// not delivered twice.
#[async_trait]
pub trait Carrier: Send + Sync {
    /// The provider's name, recorded on sent messages.
    fn provider(&self) -> ProviderName;

    /// The provider that `item` goes through: [`Carrier::provider`] unless the
    /// carrier routes items to several providers (SMS to one, WhatsApp to another).
    fn provider_for(&self, item: &OutboxItem) -> ProviderName {
        let _ = item;
        self.provider()
    }

    /// Sends the item; the provider's id for the message, or why not.
    async fn send(&self, item: &OutboxItem) -> Result<String, CarrierError>;
}
