//! [`Dispatcher`]: drains the outbox through a [`Carrier`], with leases, retries
//! and backoff (SPEC §12).
//!
//! A send that passed its gates was committed to the outbox in the same
//! transaction as its message. The dispatcher **claims** items
//! ([`Store::claim_outbox`]), **sends** each through the carrier with bounded
//! concurrency, and **records** what the carrier said ([`Store::finish_outbox`]):
//! sent with the provider's id, retry later, or failed with the carrier's code.
//! What to record is the pure [`DispatchPolicy::outcome`].
//!
//! **One recipient's messages leave in the order they were queued** (SPEC §18),
//! whatever the concurrency and however many dispatchers share the store: a
//! claim holds at most one item per recipient and channel, and the next is
//! claimable only once the one before it is recorded as sent or failed. A STOP
//! confirmation queued before a START confirmation reaches the provider first.
//! Other recipients never wait behind a slow one: [`Dispatcher::run`] refills a
//! send slot the moment it frees, so a send that takes its full timeout holds back
//! only the messages queued after it for the same recipient. (A retry waiting for
//! its backoff holds them back too: sending them first would reorder.)
//!
//! **At least once to the carrier, exactly once with the idempotency key.** A
//! dispatcher can die after the carrier accepted a message and before the store
//! recorded it; the item is then claimed again and sent again. Every attempt
//! carries the same [`OutboxItem::idempotency_key`] (the message id), so a
//! carrier that passes it to its provider, where the provider supports one, or
//! drops repeats itself, delivers each message to its recipient exactly once. Only
//! the messages in flight at the crash are sent twice to the carrier.
//!
//! **The lease.** A claim holds an item for [`DispatchPolicy::lease`]: while it
//! holds, no other dispatcher claims the item; once it lapses without an outcome
//! (the dispatcher died, or could not record the answer), any dispatcher claims it
//! again and the store counts another attempt. [`DispatchPolicy::validate`]
//! refuses a policy under which a full batch could outlast its lease, and each send
//! is bounded by [`DispatchPolicy::send_timeout`] (a timeout is a retryable
//! failure), so a live dispatcher answers every item it claimed before its claim
//! lapses.
//!
//! **Running several.** Start as many dispatchers as you like, as tasks in one
//! process or in many processes sharing one store: claiming is atomic in the
//! store (one lock in [`MemoryStore`](crate::store::MemoryStore), `FOR UPDATE SKIP
//! LOCKED` in PostgreSQL), so no message is sent by two of them while its lease
//! holds. Leases compare instants read from each dispatcher's [`Clock`]: keep the
//! machines' clocks within a few seconds of each other, far below the lease.
//!
//! **Stopping.** [`Dispatcher::run`] stops claiming when its shutdown future
//! completes, lets the sends in flight finish (every claimed item is sent and
//! recorded, bounded by the send timeout), and returns its totals. Dropping it
//! instead, or the whole runtime, loses nothing: the unfinished items are sent
//! again when their leases lapse.
//!
//! **Opt-outs and events.** A carrier that says the recipient opted out (Twilio
//! 21610, Telnyx 40300) fails the item and is reported to an [`OptOutListener`],
//! which records the opt-out on the contact (SPEC §2: provider signals count as
//! keywords). Recording an outcome merges `sent` or `failed` into the message's
//! delivery; [`BatchReport::outcomes`] lists what changed for whoever publishes
//! events.
//!
//! ```
//! use std::sync::Arc;
//! use msgcore::engine::{DispatchPolicy, Dispatcher, SystemClock};
//! use msgcore::carrier::RecordingCarrier;
//! use msgcore::model::ProviderName;
//! use msgcore::store::MemoryStore;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
//! let dispatcher = Dispatcher::new(
//!     Arc::new(MemoryStore::new()),
//!     Arc::new(RecordingCarrier::new(ProviderName::TWILIO)),
//!     Arc::new(SystemClock),
//!     DispatchPolicy::default(),
//! )?;
//! let batch = runtime.block_on(dispatcher.dispatch_once())?;
//! assert_eq!(batch.claimed, 0, "nothing queued yet");
//! // In a server: `tokio::spawn(dispatcher.run(shutdown_signal))`.
//! let totals = runtime.block_on(dispatcher.run(async {}));
//! assert_eq!(totals.claims, 0, "a shutdown that has already come stops it at once");
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tokio::task::{Id, JoinError, JoinSet};
use tracing::Instrument;

use super::clock::Clock;
use super::dispatch_policy::{DispatchPolicy, InvalidPolicy};
use super::group_commit::{GroupCommit, GroupCommitOptions};
use crate::carrier::Carrier;
use crate::core::channel::Channel;
use crate::core::phone::E164;
use crate::model::{CarrierError, MessageId, OutboxItem, ProviderName, TenantId};
use crate::store::{DispatchOutcome, OutboxFinish, Store, StoreError};

/// What an [`OptOutListener`] may fail with.
pub type ListenerError = Box<dyn std::error::Error + Send + Sync>;

/// Hears that a carrier refused a message because its recipient opted out, so the
/// opt-out can be recorded on the contact (the engine implements it).
///
/// The dispatcher calls it once per refusal, after the refused item was recorded
/// as failed, and waits for it before it finishes the batch. Recording the same
/// opt-out twice must be harmless: if the listener fails, its error is reported
/// ([`DispatchProblem::OptOutNotRecorded`]) and the next send to that recipient is
/// refused and reported again.
#[async_trait]
pub trait OptOutListener: Send + Sync {
    /// Records that `opt_out.to` opted out of `opt_out.channel` at `opt_out.tenant`.
    async fn on_carrier_opt_out(&self, opt_out: &CarrierOptOut) -> Result<(), ListenerError>;
}

/// A message a carrier refused because the recipient opted out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierOptOut {
    /// The tenant.
    pub tenant: TenantId,
    /// The refused message.
    pub message: MessageId,
    /// The channel the recipient opted out of.
    pub channel: Channel,
    /// The recipient.
    pub to: E164,
    /// The carrier that said so.
    pub provider: ProviderName,
    /// Its error code (`"21610"`, `"40300"`), if it gave one.
    pub code: Option<String>,
}

/// One item's recorded outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dispatched {
    /// The tenant.
    pub tenant: TenantId,
    /// The message.
    pub message: MessageId,
    /// The channel.
    pub channel: Channel,
    /// The recipient.
    pub to: E164,
    /// Attempts so far, this one included.
    pub attempts: u32,
    /// What was recorded.
    pub outcome: DispatchOutcome,
}

/// Something a dispatcher could not do; nothing is lost by it, but someone should
/// look.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DispatchProblem {
    /// Claiming a batch failed; [`Dispatcher::run`] tries again after the poll
    /// interval.
    #[error("could not claim outbox items: {0}")]
    Claim(#[source] StoreError),
    /// The carrier answered but the answer could not be recorded: the item stays
    /// claimed until its lease lapses, then it is sent again with the same
    /// idempotency key.
    #[error("could not record the outcome of message {message} of tenant {tenant}: {error}")]
    NotRecorded {
        /// The tenant.
        tenant: TenantId,
        /// The message.
        message: MessageId,
        /// What was to be recorded.
        outcome: DispatchOutcome,
        /// Why not.
        #[source]
        error: StoreError,
    },
    /// The answer came after the claim had lapsed and the item had been claimed
    /// again (or finished) by another dispatcher, whose answer stands; this one was
    /// not recorded.
    #[error(
        "the claim on message {message} of tenant {tenant} lapsed before its outcome was recorded"
    )]
    Superseded {
        /// The tenant.
        tenant: TenantId,
        /// The message.
        message: MessageId,
        /// What was not recorded.
        outcome: DispatchOutcome,
    },
    /// The [`OptOutListener`] failed.
    #[error("the opt-out listener failed for message {} of tenant {}: {error}", .opt_out.message, .opt_out.tenant)]
    OptOutNotRecorded {
        /// The opt-out it was told about.
        opt_out: CarrierOptOut,
        /// Why it failed.
        #[source]
        error: ListenerError,
    },
}

/// What one [`Dispatcher::dispatch_once`] did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct BatchReport {
    /// Items claimed.
    pub claimed: usize,
    /// The outcomes recorded, in the order the sends finished.
    pub outcomes: Vec<Dispatched>,
    /// The refusals because the recipient opted out (each also in `outcomes` as
    /// failed, unless it could not be recorded).
    pub opted_out: Vec<CarrierOptOut>,
    /// What went wrong without losing anything.
    pub problems: Vec<DispatchProblem>,
}

impl BatchReport {
    /// Items recorded as sent.
    pub fn sent(&self) -> usize {
        self.count(|o| matches!(o, DispatchOutcome::Sent { .. }))
    }

    /// Items recorded for a retry.
    pub fn retried(&self) -> usize {
        self.count(|o| matches!(o, DispatchOutcome::Retry { .. }))
    }

    /// Items recorded as failed.
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, DispatchOutcome::Failed { .. }))
    }

    fn count(&self, which: impl Fn(&DispatchOutcome) -> bool) -> usize {
        self.outcomes.iter().filter(|d| which(&d.outcome)).count()
    }
}

/// What one [`Dispatcher::run`] did, in total.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct RunReport {
    /// Claims that took at least one item.
    pub claims: usize,
    /// Items claimed.
    pub claimed: usize,
    /// Items recorded as sent.
    pub sent: usize,
    /// Items recorded for a retry.
    pub retried: usize,
    /// Items recorded as failed.
    pub failed: usize,
    /// Refusals because the recipient opted out.
    pub opted_out: usize,
    /// How many [`DispatchProblem`]s there were.
    pub problems: usize,
    /// The last of them.
    pub last_problem: Option<DispatchProblem>,
}

impl RunReport {
    /// Counts a claim of `items` items.
    fn claimed(&mut self, items: usize) {
        if items > 0 {
            self.claims += 1;
        }
        self.claimed += items;
    }

    /// Adds the outcomes of finished sends.
    fn add(&mut self, batch: BatchReport) {
        self.sent += batch.sent();
        self.retried += batch.retried();
        self.failed += batch.failed();
        self.opted_out += batch.opted_out.len();
        batch.problems.into_iter().for_each(|p| self.note(p));
    }

    fn note(&mut self, problem: DispatchProblem) {
        self.problems += 1;
        self.last_problem = Some(problem);
    }
}

/// Sends the outbox through a carrier; see the [module docs](self).
#[derive(Clone)]
pub struct Dispatcher {
    shared: Arc<Shared>,
    listener: Option<Arc<dyn OptOutListener>>,
}

/// What the send tasks share.
#[derive(Clone)]
struct Shared {
    store: Arc<dyn Store>,
    carrier: Arc<dyn Carrier>,
    provider: ProviderName,
    clock: Arc<dyn Clock>,
    policy: DispatchPolicy,
    /// Records concurrent sends' outcomes in shared transactions, when given.
    group: Option<Arc<GroupCommit>>,
}

/// A claimed item with the carrier's answer and whether it was recorded.
struct Answered {
    item: OutboxItem,
    outcome: DispatchOutcome,
    opt_out: Option<CarrierOptOut>,
    recorded: Result<bool, StoreError>,
}

impl Dispatcher {
    /// A dispatcher sending `store`'s outbox through `carrier`, reading the time
    /// from `clock`; a policy that cannot work is refused.
    pub fn new(
        store: Arc<dyn Store>,
        carrier: Arc<dyn Carrier>,
        clock: Arc<dyn Clock>,
        policy: DispatchPolicy,
    ) -> Result<Dispatcher, InvalidPolicy> {
        policy.validate()?;
        Ok(Dispatcher {
            shared: Arc::new(Shared {
                store,
                provider: carrier.provider(),
                carrier,
                clock,
                policy,
                group: None,
            }),
            listener: None,
        })
    }

    /// Records the outcomes of concurrent sends in shared transactions, as
    /// `options` say (default: one transaction per send): with hundreds of
    /// sends in flight, one durable write records many of them. Each send's
    /// slot frees only once its outcome is durable, as without it.
    pub fn with_group_commit(mut self, options: GroupCommitOptions) -> Dispatcher {
        let mut shared = Shared::clone(&self.shared);
        shared.group = Some(Arc::new(GroupCommit::new(options)));
        self.shared = Arc::new(shared);
        self
    }

    /// Tells `listener` about every refusal because the recipient opted out.
    pub fn with_opt_out_listener(mut self, listener: Arc<dyn OptOutListener>) -> Dispatcher {
        self.listener = Some(listener);
        self
    }

    /// The policy.
    pub fn policy(&self) -> &DispatchPolicy {
        &self.shared.policy
    }

    /// Claims one batch of up to `batch_size` items at the clock's now (at most
    /// one per recipient and channel: the store keeps their order), sends each
    /// (at most `max_concurrent_sends` at once), records each outcome, and
    /// reports.
    ///
    /// Only a failed claim is an error; an answer that could not be recorded is a
    /// [`DispatchProblem`] in the report. Dropping the future mid-batch aborts its
    /// sends; their items are sent again when their leases lapse.
    pub async fn dispatch_once(&self) -> Result<BatchReport, StoreError> {
        let policy = &self.shared.policy;
        let items = self.claim(policy.batch_size).await?;
        let mut report = BatchReport {
            claimed: items.len(),
            ..BatchReport::default()
        };
        let mut sends = Sends::default();
        for item in items {
            while sends.len() >= policy.max_concurrent_sends {
                if let Some(answered) = sends.next(&self.shared).await {
                    self.report(answered, &mut report).await;
                }
            }
            sends.start(&self.shared, item);
        }
        while let Some(answered) = sends.next(&self.shared).await {
            self.report(answered, &mut report).await;
        }
        Ok(report)
    }

    /// Sends until `shutdown` completes, keeping up to `max_concurrent_sends`
    /// in flight: once an eighth of the slots are free (or, with eight or
    /// fewer, whenever a send finishes) they are claimed again (the recipients'
    /// next messages included), so a slow send holds back only its own
    /// recipient's later messages. When the outbox has nothing more to
    /// claim (or a claim fails), it looks again after the poll interval. Then it
    /// finishes the sends in flight and returns the totals.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> RunReport {
        let mut shutdown = pin!(shutdown);
        let mut totals = RunReport::default();
        let mut sends = Sends::default();
        let policy = &self.shared.policy;
        while !has_come(shutdown.as_mut()).await {
            let free = policy.max_concurrent_sends.saturating_sub(sends.len());
            // A claim is a write transaction: with many sends in flight it
            // waits for an eighth of the slots rather than take one item per
            // finished send.
            let refill = (policy.max_concurrent_sends / 8).max(1);
            let claim_now = free > 0 && (free >= refill || sends.len() == 0);
            let mut drained = !claim_now;
            if claim_now {
                let wanted = free.min(policy.batch_size);
                match self.claim(wanted).await {
                    Ok(items) => {
                        drained = items.len() < wanted;
                        totals.claimed(items.len());
                        items
                            .into_iter()
                            .for_each(|item| sends.start(&self.shared, item));
                    }
                    Err(error) => {
                        drained = true;
                        tracing::error!(%error, "could not claim outbox items; trying again");
                        totals.note(DispatchProblem::Claim(error));
                    }
                }
            }
            let timer = (drained || sends.len() == 0).then_some(policy.poll_interval);
            let finished = match wake(shutdown.as_mut(), &mut sends.tasks, timer).await {
                Wake::Shutdown => break,
                Wake::Timer => continue,
                Wake::Finished(done) => done,
            };
            let mut batch = BatchReport::default();
            let mut answered = sends.settle(&self.shared, *finished).await;
            while let Some(answer) = answered {
                self.report(answer, &mut batch).await;
                answered = sends.ready(&self.shared).await;
            }
            totals.add(batch);
        }
        let mut rest = BatchReport::default();
        while let Some(answered) = sends.next(&self.shared).await {
            self.report(answered, &mut rest).await;
        }
        totals.add(rest);
        totals
    }

    /// Claims up to `limit` items at the clock's now, under the policy's lease.
    async fn claim(&self, limit: usize) -> Result<Vec<OutboxItem>, StoreError> {
        let shared = &self.shared;
        shared
            .store
            .claim_outbox(shared.clock.now(), shared.policy.lease, limit)
            .await
    }

    /// Adds a finished send to the report, telling the listener about an opt-out.
    async fn report(&self, answered: Answered, report: &mut BatchReport) {
        if let Some(opt_out) = answered.opt_out {
            if let Some(listener) = &self.listener
                && let Err(error) = listener.on_carrier_opt_out(&opt_out).await
            {
                tracing::error!(message_id = %opt_out.message, %error, "the carrier's opt-out was not recorded");
                report.problems.push(DispatchProblem::OptOutNotRecorded {
                    opt_out: opt_out.clone(),
                    error,
                });
            }
            report.opted_out.push(opt_out);
        }
        let item = answered.item;
        match answered.recorded {
            Ok(false) => {
                tracing::warn!(message_id = %item.message, "the claim lapsed before the answer was recorded");
                report.problems.push(DispatchProblem::Superseded {
                    tenant: item.tenant,
                    message: item.message,
                    outcome: answered.outcome,
                });
            }
            Ok(true) => report.outcomes.push(Dispatched {
                tenant: item.tenant,
                message: item.message,
                channel: item.channel,
                to: item.to,
                attempts: item.attempts,
                outcome: answered.outcome,
            }),
            Err(error) => {
                tracing::error!(message_id = %item.message, %error, "the carrier's answer was not recorded; it is sent again when the lease lapses");
                report.problems.push(DispatchProblem::NotRecorded {
                    tenant: item.tenant,
                    message: item.message,
                    outcome: answered.outcome,
                    error,
                });
            }
        }
    }
}

/// The sends in flight, each a task, with the item each one sends.
#[derive(Default)]
struct Sends {
    tasks: JoinSet<Answered>,
    items: HashMap<Id, OutboxItem>,
}

impl Sends {
    fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Starts sending `item` (and recording the answer) in a task of its own.
    fn start(&mut self, shared: &Arc<Shared>, item: OutboxItem) {
        let task = Arc::clone(shared);
        let sent = item.clone();
        let span = send_span(&item);
        let handle = self
            .tasks
            .spawn(async move { task.deliver(sent).await }.instrument(span));
        self.items.insert(handle.id(), item);
    }

    /// The next send to finish, waiting for it; `None` when none is in flight.
    async fn next(&mut self, shared: &Shared) -> Option<Answered> {
        while let Some(done) = self.tasks.join_next_with_id().await {
            if let Some(answered) = self.settle(shared, done).await {
                return Some(answered);
            }
        }
        None
    }

    /// A send that has finished already, without waiting for one.
    async fn ready(&mut self, shared: &Shared) -> Option<Answered> {
        while let Some(done) = self.tasks.try_join_next_with_id() {
            if let Some(answered) = self.settle(shared, done).await {
                return Some(answered);
            }
        }
        None
    }

    /// The answer of a finished task. A task that panicked (a carrier bug)
    /// counts as a retryable failure, recorded here; `None` only for a task this
    /// set did not start.
    async fn settle(
        &mut self,
        shared: &Shared,
        done: Result<(Id, Answered), JoinError>,
    ) -> Option<Answered> {
        match done {
            Ok((id, answered)) => {
                self.items.remove(&id);
                Some(answered)
            }
            Err(error) => {
                let item = self.items.remove(&error.id())?;
                let why = format!("the send task ended without an answer: {error}");
                let refusal = shared.refusal(&item, why);
                let span = send_span(&item);
                Some(shared.record(item, Err(refusal)).instrument(span).await)
            }
        }
    }
}

/// The span of one send: which message, to whom by id, and the attempt. Never
/// the content or the number.
fn send_span(item: &OutboxItem) -> tracing::Span {
    tracing::info_span!(
        "send",
        tenant = %item.tenant,
        message_id = %item.message,
        channel = item.channel.as_str(),
        attempt = item.attempts,
    )
}

/// Says in the log what the carrier's answer led to.
fn log_outcome(outcome: &DispatchOutcome) {
    match outcome {
        DispatchOutcome::Sent {
            provider,
            provider_message_id,
        } => tracing::info!(%provider, provider_message_id, "sent"),
        DispatchOutcome::Retry { at, error } => {
            tracing::warn!(retry_at = %at, %error, "not sent; will retry");
        }
        DispatchOutcome::Failed { code, error } => {
            tracing::warn!(code = ?code, %error, "not sent; failed for good");
        }
    }
}

/// What [`Dispatcher::run`] woke up for.
enum Wake {
    /// The shutdown came.
    Shutdown,
    /// A send finished (boxed: an answer is large beside the other wake-ups).
    Finished(Box<Result<(Id, Answered), JoinError>>),
    /// The poll interval passed.
    Timer,
}

/// Waits for the shutdown, the next send to finish, or `timer` (if any).
async fn wake<F: Future<Output = ()>>(
    mut shutdown: Pin<&mut F>,
    tasks: &mut JoinSet<Answered>,
    timer: Option<Duration>,
) -> Wake {
    let mut sleep = pin!(timer.map(tokio::time::sleep));
    poll_fn(|cx| {
        if shutdown.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Wake::Shutdown);
        }
        if let Poll::Ready(Some(done)) = tasks.poll_join_next_with_id(cx) {
            return Poll::Ready(Wake::Finished(Box::new(done)));
        }
        match sleep.as_mut().as_pin_mut().map(|sleep| sleep.poll(cx)) {
            Some(Poll::Ready(())) => Poll::Ready(Wake::Timer),
            _ => Poll::Pending,
        }
    })
    .await
}

impl Shared {
    /// Sends one item, giving up after the send timeout, and records the answer.
    async fn deliver(&self, item: OutboxItem) -> Answered {
        let limit = self.policy.send_timeout;
        let answer = match tokio::time::timeout(limit, self.carrier.send(&item)).await {
            Ok(answer) => answer,
            Err(_) => Err(self.refusal(&item, format!("no answer within {limit:?}"))),
        };
        self.record(item, answer).await
    }

    /// Decides the outcome of `answer` and records it.
    async fn record(&self, item: OutboxItem, answer: Result<String, CarrierError>) -> Answered {
        let now = self.clock.now();
        let provider = self.carrier.provider_for(&item);
        let outcome = self.policy.outcome(&item, &provider, &answer, now);
        log_outcome(&outcome);
        let finish = OutboxFinish {
            tenant: item.tenant,
            message: item.message,
            attempt: item.attempts,
            outcome: outcome.clone(),
            now,
        };
        let recorded = match &self.group {
            Some(group) => group.finish_outbox(&self.store, finish).await,
            None => finish.record_in(self.store.as_ref()).await,
        };
        let opt_out = match answer {
            Err(error) if error.is_opted_out() => Some(CarrierOptOut {
                tenant: item.tenant,
                message: item.message,
                channel: item.channel,
                to: item.to,
                provider: error.provider,
                code: error.code,
            }),
            _ => None,
        };
        Answered {
            item,
            outcome,
            opt_out,
            recorded,
        }
    }

    /// A retryable failure the dispatcher noticed itself (a timeout, a panic).
    fn refusal(&self, item: &OutboxItem, message: String) -> CarrierError {
        CarrierError::transient(self.carrier.provider_for(item), message, None)
    }
}

impl fmt::Debug for Dispatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dispatcher")
            .field("provider", &self.shared.provider)
            .field("policy", &self.shared.policy)
            .field("opt_out_listener", &self.listener.is_some())
            .finish_non_exhaustive()
    }
}

/// Whether `shutdown` has completed, without waiting for it.
async fn has_come<F: Future<Output = ()>>(mut shutdown: Pin<&mut F>) -> bool {
    poll_fn(|cx| Poll::Ready(shutdown.as_mut().poll(cx).is_ready())).await
}
