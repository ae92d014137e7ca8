//! The `Carrier` port: hands one outbound message to a provider.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::model::{OutboxItem, ProviderName};

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

/// Why a carrier did not take a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{provider} refused the message{}: {message}", code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default())]
pub struct CarrierError {
    /// The provider.
    pub provider: ProviderName,
    /// The provider's error code (`"21610"`, `"131047"`), if it gave one.
    pub code: Option<String>,
    /// The provider's message.
    pub message: String,
    /// Whether trying again later may succeed (rate limits, timeouts, 5xx).
    pub retryable: bool,
    /// How long the provider asked to wait, if it said.
    pub retry_after: Option<TimeDelta>,
    /// Whether the provider says the recipient opted out (Twilio 21610, Telnyx
    /// 40300): the engine then records an opt-out on that channel.
    pub opted_out: bool,
}

impl CarrierError {
    /// A permanent refusal without a provider code: content the provider cannot
    /// carry, found before anything was sent.
    pub fn refused(provider: ProviderName, message: impl Into<String>) -> CarrierError {
        CarrierError {
            provider,
            code: None,
            message: message.into(),
            retryable: false,
            retry_after: None,
            opted_out: false,
        }
    }
}

/// A carrier that accepts every message and remembers each idempotency key it saw
/// and how often: the test double for dispatchers and simulations.
#[derive(Debug)]
pub struct RecordingCarrier {
    provider: ProviderName,
    seen: Mutex<HashMap<String, u32>>,
    sent: Mutex<Vec<OutboxItem>>,
}

impl RecordingCarrier {
    /// A carrier that answers as `provider`.
    pub fn new(provider: ProviderName) -> RecordingCarrier {
        RecordingCarrier {
            provider,
            seen: Mutex::new(HashMap::new()),
            sent: Mutex::new(Vec::new()),
        }
    }

    /// How many times each idempotency key was sent.
    pub fn attempts_by_key(&self) -> HashMap<String, u32> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The distinct messages delivered, first attempt of each, in order.
    pub fn delivered(&self) -> Vec<OutboxItem> {
        self.sent.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

#[async_trait]
impl Carrier for RecordingCarrier {
    fn provider(&self) -> ProviderName {
        self.provider.clone()
    }

    async fn send(&self, item: &OutboxItem) -> Result<String, CarrierError> {
        let first = {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            let count = seen.entry(item.idempotency_key.clone()).or_insert(0);
            *count += 1;
            *count == 1
        };
        if first {
            self.sent
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(item.clone());
        }
        Ok(format!("{}-{}", self.provider, item.idempotency_key))
    }
}
