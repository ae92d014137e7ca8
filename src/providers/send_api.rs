//! [`SendApi`]: what every provider's send module offers, sans-IO, so one HTTP
//! executor (yours, or the `http` feature's) can carry any of them.

use crate::model::CarrierError;
use crate::model::{OutboxItem, ProviderName};
use crate::providers::http::{HttpRequest, HttpResponse};

/// A provider's messages API as two pure steps: build the request that sends an
/// outbox item, then read the provider's answer into its message id or a
/// classified [`CarrierError`].
///
/// Implemented by `twilio::send::MessagesApi`, `telnyx::send::MessagesApi` and
/// `meta::send::MessagesApi`.
pub trait SendApi: Send + Sync {
    /// The provider's name, recorded on sent messages.
    fn provider(&self) -> ProviderName;

    /// The request that sends `item`, or a permanent refusal for content the
    /// provider cannot carry.
    fn request(&self, item: &OutboxItem) -> Result<HttpRequest, CarrierError>;

    /// The provider's message id from its answer, or the refusal classified.
    fn read(&self, response: &HttpResponse) -> Result<String, CarrierError>;
}
