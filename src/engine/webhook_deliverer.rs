//! [`WebhookDeliverer`] (feature `tokio`): delivers each tenant's events to
//! its outgoing webhook endpoints (SPEC §18), in one process or in many
//! sharing one store.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use tokio::task::JoinSet;

use super::clock::Clock;
use super::inbox::Inbox;
use super::visits::{Totals, visit_until};
use super::webhook_transport::WebhookTransport;
use crate::core::webhook_event::{EventType, webhook_body, webhook_id};
use crate::core::webhook_retry::{Attempt, RetrySchedule};
use crate::core::webhook_signing::SignatureHeaders;
use crate::error::Error;
use crate::model::{EventRecord, InboxEvent, WebhookEndpoint};
use crate::providers::http::{HttpRequest, Method};
use crate::store::Store;

/// How long one claim holds an endpoint, unless
/// [`WebhookDeliverer::with_lease`] says otherwise.
pub const WEBHOOK_LEASE: TimeDelta = TimeDelta::seconds(60);

/// How long one delivery may take, as the deliverer counts it against its
/// lease; give the transport the same timeout or a shorter one.
pub const DELIVERY_TIMEOUT: TimeDelta = TimeDelta::seconds(10);

/// What one visit did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WebhookPass {
    /// Endpoints claimed.
    pub endpoints: usize,
    /// Events an endpoint accepted.
    pub delivered: usize,
    /// Attempts an endpoint refused or did not answer.
    pub failed: usize,
    /// Endpoints disabled for failing every attempt of the schedule.
    pub disabled: usize,
}

impl WebhookPass {
    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: WebhookPass) {
        self.endpoints += other.endpoints;
        self.delivered += other.delivered;
        self.failed += other.failed;
        self.disabled += other.disabled;
    }
}

/// Delivers events to endpoints: each endpoint's events one at a time, in
/// the order the tenant's event log holds them, the next only once the last
/// was accepted.
///
/// An event is delivered at least once: a deliverer that dies after an
/// endpoint accepted an event but before recording it leaves the endpoint
/// leased; when the lease lapses the event goes again, with the same
/// `webhook-id`, for the receiver to recognise. A refused attempt is retried
/// on the [`RetrySchedule`], holding back the events after it; when the
/// schedule runs out the endpoint is disabled (logged at `warn`, and its
/// `disabled_at` and `last_error` say so) until
/// [`Store::enable_webhook`], which resumes where it stopped.
///
/// Run as many as you like: each endpoint is claimed by one deliverer at a
/// time ([`Store::claim_webhooks`]).
///
/// ```
/// use std::sync::Arc;
/// use async_trait::async_trait;
/// use msgcore::engine::{Inbox, WebhookDeliverer, WebhookTransport};
/// use msgcore::providers::http::HttpRequest;
/// use msgcore::store::MemoryStore;
///
/// struct Nowhere;
///
/// #[async_trait]
/// impl WebhookTransport for Nowhere {
///     async fn post(&self, _: HttpRequest) -> Result<(), String> {
///         Err("no network here".into())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let inbox = Arc::new(Inbox::builder(Arc::new(MemoryStore::new())).build());
/// let deliverer = WebhookDeliverer::new(inbox, Arc::new(Nowhere));
/// let pass = deliverer.tick().await.unwrap();
/// assert_eq!(pass.endpoints, 0);
/// # }
/// ```
pub struct WebhookDeliverer {
    shared: Shared,
    lease: TimeDelta,
    endpoints_per_visit: usize,
    interval: Duration,
}

/// What every endpoint's run needs of its deliverer; cheap to clone.
#[derive(Clone)]
struct Shared {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    transport: Arc<dyn WebhookTransport>,
    schedule: Arc<RetrySchedule>,
    batch: usize,
}

impl WebhookDeliverer {
    /// A deliverer of `inbox`'s events through `transport`: the default
    /// schedule, a 60 s lease, up to 100 events per endpoint and 32
    /// endpoints per visit, a visit every second.
    pub fn new(inbox: Arc<Inbox>, transport: Arc<dyn WebhookTransport>) -> WebhookDeliverer {
        WebhookDeliverer {
            shared: Shared {
                store: Arc::clone(&inbox.store),
                clock: Arc::clone(&inbox.clock),
                transport,
                schedule: Arc::new(RetrySchedule::default()),
                batch: 100,
            },
            lease: WEBHOOK_LEASE,
            endpoints_per_visit: 32,
            interval: Duration::from_secs(1),
        }
    }

    /// Retries on `schedule` instead.
    pub fn with_schedule(mut self, schedule: RetrySchedule) -> WebhookDeliverer {
        self.shared.schedule = Arc::new(schedule);
        self
    }

    /// Holds each claimed endpoint for `lease` (at least twice
    /// [`DELIVERY_TIMEOUT`] is sensible).
    pub fn with_lease(mut self, lease: TimeDelta) -> WebhookDeliverer {
        self.lease = lease;
        self
    }

    /// Visits every `interval` instead.
    pub fn with_interval(mut self, interval: Duration) -> WebhookDeliverer {
        self.interval = interval;
        self
    }

    /// One visit: claims the due endpoints with events to deliver and
    /// delivers to all of them at once.
    pub async fn tick(&self) -> Result<WebhookPass, Error> {
        let now = self.shared.clock.now();
        let endpoints = self
            .shared
            .store
            .claim_webhooks(now, self.lease, self.endpoints_per_visit)
            .await?;
        let mut deliveries = JoinSet::new();
        for endpoint in endpoints {
            let run = EndpointRun {
                shared: self.shared.clone(),
                endpoint,
            };
            deliveries.spawn(run.deliver());
        }
        let mut pass = WebhookPass::default();
        while let Some(done) = deliveries.join_next().await {
            match done {
                Ok(Ok(one)) => pass.add(one),
                Ok(Err(error)) => return Err(error),
                Err(panicked) => tracing::error!(%panicked, "a webhook delivery task failed"),
            }
        }
        Ok(pass)
    }

    /// Visits until `shutdown` completes (a visit under way is finished
    /// first); the totals. A failed visit is logged and tried again at the
    /// next interval.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> WebhookPass {
        visit_until(self.interval, shutdown, "a webhook visit", || self.tick()).await
    }
}

impl Totals for WebhookPass {
    fn add_up(&mut self, other: WebhookPass) {
        self.add(other);
    }
}

/// One claimed endpoint's deliveries.
struct EndpointRun {
    shared: Shared,
    endpoint: WebhookEndpoint,
}

impl EndpointRun {
    async fn deliver(self) -> Result<WebhookPass, Error> {
        let endpoint = &self.endpoint;
        let mut pass = WebhookPass {
            endpoints: 1,
            ..WebhookPass::default()
        };
        let events = self
            .shared
            .store
            .events(endpoint.tenant, endpoint.delivery.cursor, self.shared.batch)
            .await?;
        let mut attempt = Attempt {
            through: endpoint.delivery.cursor,
            failure: None,
        };
        for (sequence, record) in &events {
            if self.out_of_lease() {
                break;
            }
            if self.hears(record) {
                if let Err(why) = self.post(*sequence, record).await {
                    attempt.failure = Some(why);
                    pass.failed += 1;
                    break;
                }
                pass.delivered += 1;
            }
            attempt.through = *sequence;
        }
        if self.settle(attempt).await? {
            pass.disabled += 1;
        }
        Ok(pass)
    }

    /// Whether a delivery begun now might outlast the lease.
    fn out_of_lease(&self) -> bool {
        let Some(until) = self.endpoint.delivery.lease_until else {
            return true;
        };
        self.shared.clock.now() + DELIVERY_TIMEOUT > until
    }

    fn hears(&self, record: &EventRecord) -> bool {
        // A rule's webhook goes to the endpoint it names, whatever its filter,
        // and to no other.
        if let InboxEvent::AutomationWebhook { url, .. } = &record.event {
            return url == self.endpoint.url.as_str();
        }
        EventType::of(&record.event).is_some_and(|kind| self.endpoint.events.hears(kind))
    }

    async fn post(&self, sequence: u64, record: &EventRecord) -> Result<(), String> {
        let body = webhook_body(record);
        let id = webhook_id(sequence);
        let now = self.shared.clock.now().timestamp();
        let signed = SignatureHeaders::sign(&self.endpoint.secret, &id, now, &body);
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        headers.extend(signed.pairs().map(|(name, value)| (name.to_owned(), value)));
        let request = HttpRequest {
            method: Method::Post,
            url: self.endpoint.url.as_str().to_owned(),
            headers,
            body,
        };
        self.shared.transport.post(request).await
    }

    /// Records the attempt: whether it disabled the endpoint.
    async fn settle(&self, attempt: Attempt) -> Result<bool, Error> {
        let endpoint = &self.endpoint;
        let mut state = endpoint.delivery.clone();
        state.settle(attempt, self.shared.clock.now(), &self.shared.schedule);
        let recorded = self
            .shared
            .store
            .settle_webhook(endpoint.tenant, endpoint.id, state.claims, &state)
            .await?;
        let disabled = recorded && state.disabled_at.is_some();
        if disabled {
            tracing::warn!(
                tenant = %endpoint.tenant,
                endpoint = %endpoint.id,
                failures = state.failures,
                error = state.last_error.as_deref().unwrap_or_default(),
                "webhook endpoint disabled: every attempt of the retry schedule failed"
            );
        }
        Ok(disabled)
    }
}
