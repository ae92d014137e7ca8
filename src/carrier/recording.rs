//! [`RecordingCarrier`]: accepts every message and remembers what it saw, the test
//! double for dispatchers and simulations.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::Carrier;
use crate::model::{CarrierError, OutboxItem, ProviderName};

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
