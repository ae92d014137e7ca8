//! [`ChannelCarriers`]: one [`Carrier`] per channel, so a single dispatcher sends
//! SMS through one provider and WhatsApp through another.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;

use crate::carrier::Carrier;
use crate::core::channel::Channel;
use crate::model::CarrierError;
use crate::model::{OutboxItem, ProviderName};

/// Routes each outbox item to the carrier of its channel.
///
/// ```
/// use std::sync::Arc;
/// use msgcore::Channel;
/// use msgcore::carrier::{Carrier, ChannelCarriers, RecordingCarrier};
/// use msgcore::model::ProviderName;
///
/// let carriers = ChannelCarriers::new()
///     .route(Channel::Sms, Arc::new(RecordingCarrier::new(ProviderName::TELNYX)))
///     .route(Channel::WhatsApp, Arc::new(RecordingCarrier::new(ProviderName::META)));
/// assert_eq!(carriers.provider(), ProviderName::TELNYX); // the first route's
/// ```
#[derive(Clone, Default)]
pub struct ChannelCarriers {
    routes: Vec<(Channel, Arc<dyn Carrier>)>,
}

/// The provider named by a [`ChannelCarriers`] without routes.
const UNROUTED: &str = "unrouted";

impl ChannelCarriers {
    /// No routes yet: every item is refused until one is added.
    pub fn new() -> ChannelCarriers {
        ChannelCarriers::default()
    }

    /// Sends `channel`'s items through `carrier`, replacing an earlier route for
    /// the same channel in its place.
    pub fn route(mut self, channel: Channel, carrier: Arc<dyn Carrier>) -> ChannelCarriers {
        match self
            .routes
            .iter_mut()
            .find(|(routed, _)| *routed == channel)
        {
            Some(route) => route.1 = carrier,
            None => self.routes.push((channel, carrier)),
        }
        self
    }

    fn carrier_for(&self, channel: Channel) -> Option<&Arc<dyn Carrier>> {
        self.routes
            .iter()
            .find(|(routed, _)| *routed == channel)
            .map(|(_, carrier)| carrier)
    }
}

impl fmt::Debug for ChannelCarriers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.routes
                    .iter()
                    .map(|(channel, carrier)| (channel, carrier.provider())),
            )
            .finish()
    }
}

#[async_trait]
impl Carrier for ChannelCarriers {
    /// The first route's provider (`"unrouted"` without routes): what a
    /// dispatcher records when it cannot ask about an item. Each item's own
    /// provider is [`Carrier::provider_for`].
    fn provider(&self) -> ProviderName {
        self.routes
            .first()
            .map_or(ProviderName::new(UNROUTED), |(_, carrier)| {
                carrier.provider()
            })
    }

    fn provider_for(&self, item: &OutboxItem) -> ProviderName {
        match self.carrier_for(item.channel) {
            Some(carrier) => carrier.provider_for(item),
            None => self.provider(),
        }
    }

    async fn send(&self, item: &OutboxItem) -> Result<String, CarrierError> {
        match self.carrier_for(item.channel) {
            Some(carrier) => carrier.send(item).await,
            None => Err(CarrierError::permanent(
                self.provider(),
                format!("no carrier is routed for the {} channel", item.channel),
            )),
        }
    }
}

#[cfg(test)]
mod tests;
