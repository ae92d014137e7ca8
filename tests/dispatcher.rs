//! The outbox dispatcher (SPEC §12): every message reaches the carrier with its
//! idempotency key, retries follow the policy, and a crash mid-batch delivers each
//! message exactly once to the recipient-facing side.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use msgcore::E164;
use msgcore::core::channel::Channel;
use msgcore::core::delivery::DeliveryStatus;
use msgcore::core::message::Content;
use msgcore::engine::Carrier;
use msgcore::engine::{
    CarrierError, CarrierOptOut, Clock, DispatchPolicy, DispatchProblem, Dispatcher, ListenerError,
    ManualClock, OptOutListener, RecordingCarrier,
};
use msgcore::model::{
    Contact, ContactId, MessageId, MessageRecord, OutboxItem, OutboxState, ProviderName, TenantId,
};
use msgcore::store::{Changeset, ContactWrite, DispatchOutcome, MemoryStore, Store, conformance};
use uuid::Uuid;

#[path = "support/outbound.rs"]
mod outbound;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

/// One queued outbound message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Queued {
    tenant: TenantId,
    message: MessageId,
    to: E164,
}

fn id() -> Uuid {
    Uuid::now_v7()
}

/// A new tenant with `contacts` contacts, each with `per_contact` outbound
/// messages committed to the outbox at `t0`, in commit order.
async fn seed(store: &MemoryStore, contacts: usize, per_contact: usize) -> Vec<Queued> {
    let tenant = conformance::tenant();
    store.put_tenant(&tenant).await.unwrap();
    let mut queued = Vec::new();
    for c in 0..contacts {
        let phone: E164 = format!("+12125{:06}", 100_000 + c).parse().unwrap();
        let contact = Contact::new(ContactId::from_uuid(id()), tenant.id, phone, t0());
        let conversation = outbound::conversation(tenant.id, contact.id, t0());
        let mut changes = Changeset::for_contact(tenant.id, ContactWrite::Insert(contact.clone()));
        for m in 0..per_contact {
            let content = Content::text(format!("message {m} to contact {c}")).unwrap();
            let message =
                outbound::queue_agent_sms(&mut changes, &conversation, phone, content, t0());
            queued.push(Queued {
                tenant: tenant.id,
                message,
                to: phone,
            });
        }
        changes.conversations.push(conversation);
        store.commit(changes).await.unwrap();
    }
    queued
}

fn dispatcher(
    store: &Arc<MemoryStore>,
    carrier: Arc<dyn Carrier>,
    clock: &Arc<ManualClock>,
    policy: DispatchPolicy,
) -> Dispatcher {
    Dispatcher::new(store.clone(), carrier, clock.clone(), policy).unwrap()
}

/// Exact backoff numbers: 10 s, 20 s, 40 s, … up to 5 minutes, no jitter.
fn plain_policy() -> DispatchPolicy {
    DispatchPolicy {
        backoff_base: TimeDelta::seconds(10),
        backoff_cap: TimeDelta::minutes(5),
        jitter_percent: 0,
        ..DispatchPolicy::default()
    }
}

async fn item(store: &MemoryStore, q: Queued) -> OutboxItem {
    store
        .outbox_item(q.tenant, q.message)
        .await
        .unwrap()
        .unwrap()
}

async fn message(store: &MemoryStore, q: Queued) -> MessageRecord {
    store.message(q.tenant, q.message).await.unwrap().unwrap()
}

fn refusal(code: &str, retryable: bool) -> CarrierError {
    CarrierError {
        provider: ProviderName::TWILIO,
        code: Some(code.to_owned()),
        message: "refused".to_owned(),
        retryable,
        retry_after: None,
        opted_out: false,
    }
}

/// Refuses with each scripted error in turn, then accepts through a
/// [`RecordingCarrier`]; counts every call.
struct ScriptedCarrier {
    script: Mutex<VecDeque<CarrierError>>,
    calls: AtomicUsize,
    inner: RecordingCarrier,
}

impl ScriptedCarrier {
    fn new(script: impl IntoIterator<Item = CarrierError>) -> Arc<ScriptedCarrier> {
        Arc::new(ScriptedCarrier {
            script: Mutex::new(script.into_iter().collect()),
            calls: AtomicUsize::new(0),
            inner: RecordingCarrier::new(ProviderName::TWILIO),
        })
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Carrier for ScriptedCarrier {
    fn provider(&self) -> ProviderName {
        ProviderName::TWILIO
    }

    async fn send(&self, item: &OutboxItem) -> Result<String, CarrierError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let next = self.script.lock().unwrap().pop_front();
        match next {
            Some(error) => Err(error),
            None => self.inner.send(item).await,
        }
    }
}

#[tokio::test]
async fn a_batch_is_sent_once_each_with_the_message_id_as_idempotency_key_and_recorded() {
    let store = Arc::new(MemoryStore::new());
    let queued = seed(&store, 3, 10).await;
    let carrier = Arc::new(RecordingCarrier::new(ProviderName::TWILIO));
    let clock = Arc::new(ManualClock::new(t0()));
    let d = dispatcher(&store, carrier.clone(), &clock, DispatchPolicy::default());

    let report = d.dispatch_once().await.unwrap();
    assert_eq!(
        (
            report.claimed,
            report.sent(),
            report.retried(),
            report.failed()
        ),
        (30, 30, 0, 0)
    );
    assert!(report.problems.is_empty() && report.opted_out.is_empty());
    let keys: HashSet<String> = queued.iter().map(|q| q.message.to_string()).collect();
    let delivered: HashSet<String> = carrier
        .delivered()
        .into_iter()
        .map(|i| i.idempotency_key)
        .collect();
    assert_eq!(delivered, keys, "the idempotency key is the message id");
    assert!(carrier.attempts_by_key().values().all(|n| *n == 1));
    for q in &queued {
        let m = message(&store, *q).await;
        assert_eq!(m.provider, Some(ProviderName::TWILIO));
        assert_eq!(m.provider_message_id, Some(format!("twilio-{}", q.message)));
        assert_eq!(m.delivery.status(), Some(DeliveryStatus::Sent));
        assert!(matches!(
            item(&store, *q).await.state,
            OutboxState::Sent { .. }
        ));
    }
    let outcome = report
        .outcomes
        .iter()
        .find(|d| d.message == queued[0].message)
        .unwrap();
    assert_eq!((outcome.to, outcome.attempts), (queued[0].to, 1));
    assert_eq!(
        d.dispatch_once().await.unwrap().claimed,
        0,
        "sent items are not claimed again"
    );
}

#[tokio::test]
async fn a_retryable_refusal_is_retried_after_the_backoff_and_then_sent() {
    let store = Arc::new(MemoryStore::new());
    let q = seed(&store, 1, 1).await[0];
    let carrier = ScriptedCarrier::new([refusal("20429", true)]);
    let clock = Arc::new(ManualClock::new(t0()));
    let d = dispatcher(&store, carrier.clone(), &clock, plain_policy());

    let first = d.dispatch_once().await.unwrap();
    assert_eq!((first.retried(), first.sent()), (1, 0));
    let waiting = item(&store, q).await;
    assert_eq!(waiting.state, OutboxState::Pending);
    assert_eq!(waiting.available_at, t0() + TimeDelta::seconds(10));
    assert_eq!(message(&store, q).await.delivery.status(), None);

    clock.advance(TimeDelta::seconds(9));
    assert_eq!(d.dispatch_once().await.unwrap().claimed, 0, "too early");
    clock.advance(TimeDelta::seconds(1));
    let second = d.dispatch_once().await.unwrap();
    assert_eq!(second.sent(), 1);
    assert_eq!(second.outcomes[0].attempts, 2);
    assert_eq!(carrier.calls(), 2);
    assert_eq!(
        message(&store, q).await.delivery.status(),
        Some(DeliveryStatus::Sent)
    );
}

#[tokio::test]
async fn the_carriers_retry_after_is_honoured_when_longer_than_the_backoff() {
    let store = Arc::new(MemoryStore::new());
    let q = seed(&store, 1, 1).await[0];
    let mut slow_down = refusal("20429", true);
    slow_down.retry_after = Some(TimeDelta::minutes(2));
    let carrier = ScriptedCarrier::new([slow_down]);
    let clock = Arc::new(ManualClock::new(t0()));
    let d = dispatcher(&store, carrier.clone(), &clock, plain_policy());

    assert_eq!(d.dispatch_once().await.unwrap().retried(), 1);
    assert_eq!(
        item(&store, q).await.available_at,
        t0() + TimeDelta::minutes(2)
    );
    clock.advance(TimeDelta::seconds(119));
    assert_eq!(d.dispatch_once().await.unwrap().claimed, 0);
    clock.advance(TimeDelta::seconds(1));
    assert_eq!(d.dispatch_once().await.unwrap().sent(), 1);
}

#[tokio::test]
async fn a_permanent_refusal_fails_the_item_with_its_code_and_is_not_retried() {
    let store = Arc::new(MemoryStore::new());
    let q = seed(&store, 1, 1).await[0];
    let carrier = ScriptedCarrier::new([refusal("21211", false)]);
    let clock = Arc::new(ManualClock::new(t0()));
    let d = dispatcher(&store, carrier.clone(), &clock, plain_policy());

    let report = d.dispatch_once().await.unwrap();
    assert_eq!(report.failed(), 1);
    assert_eq!(
        report.outcomes[0].outcome,
        DispatchOutcome::Failed {
            code: Some("21211".to_owned()),
            error: "twilio refused the message (21211): refused".to_owned(),
        }
    );
    assert!(matches!(
        item(&store, q).await.state,
        OutboxState::Failed { .. }
    ));
    let m = message(&store, q).await;
    assert_eq!(m.delivery.status(), Some(DeliveryStatus::Failed));
    let failure = m.delivery.report(DeliveryStatus::Failed).unwrap();
    assert!(failure.error_codes.contains("21211"));

    clock.advance(TimeDelta::days(1));
    assert_eq!(d.dispatch_once().await.unwrap().claimed, 0);
    assert_eq!(carrier.calls(), 1, "a permanent refusal is never retried");
}

#[tokio::test]
async fn retries_run_out_after_max_attempts_and_the_item_fails() {
    let store = Arc::new(MemoryStore::new());
    let q = seed(&store, 1, 1).await[0];
    let carrier = ScriptedCarrier::new(std::iter::repeat_n(refusal("20500", true), 10));
    let clock = Arc::new(ManualClock::new(t0()));
    let policy = DispatchPolicy {
        max_attempts: 3,
        ..plain_policy()
    };
    let d = dispatcher(&store, carrier.clone(), &clock, policy);

    let mut outcomes = Vec::new();
    for _ in 0..5 {
        let report = d.dispatch_once().await.unwrap();
        outcomes.extend(report.outcomes.into_iter().map(|o| (o.attempts, o.outcome)));
        clock.advance(TimeDelta::hours(1));
    }
    let kinds: Vec<(u32, &str)> = outcomes
        .iter()
        .map(|(n, o)| {
            let kind = match o {
                DispatchOutcome::Sent { .. } => "sent",
                DispatchOutcome::Retry { .. } => "retry",
                DispatchOutcome::Failed { .. } => "failed",
            };
            (*n, kind)
        })
        .collect();
    assert_eq!(kinds, vec![(1, "retry"), (2, "retry"), (3, "failed")]);
    let Some((_, DispatchOutcome::Failed { code, error })) = outcomes.last() else {
        unreachable!()
    };
    assert_eq!(code.as_deref(), Some("20500"));
    assert!(error.contains("gave up after 3 attempts"), "{error}");
    assert_eq!(carrier.calls(), 3);
    assert_eq!(
        message(&store, q).await.delivery.status(),
        Some(DeliveryStatus::Failed)
    );
}

#[derive(Default)]
struct RecordingListener {
    heard: Mutex<Vec<CarrierOptOut>>,
    fail: bool,
}

#[async_trait]
impl OptOutListener for RecordingListener {
    async fn on_carrier_opt_out(&self, opt_out: &CarrierOptOut) -> Result<(), ListenerError> {
        self.heard.lock().unwrap().push(opt_out.clone());
        if self.fail {
            return Err("the contact store is down".into());
        }
        Ok(())
    }
}

fn opted_out() -> CarrierError {
    CarrierError {
        opted_out: true,
        // Even a carrier that calls it retryable is not asked again.
        retryable: true,
        ..refusal("21610", true)
    }
}

#[tokio::test]
async fn an_opted_out_refusal_fails_the_item_and_tells_the_listener() {
    let store = Arc::new(MemoryStore::new());
    let q = seed(&store, 1, 1).await[0];
    let carrier = ScriptedCarrier::new([opted_out()]);
    let clock = Arc::new(ManualClock::new(t0()));
    let listener = Arc::new(RecordingListener::default());
    let d = dispatcher(&store, carrier.clone(), &clock, plain_policy())
        .with_opt_out_listener(listener.clone());

    let report = d.dispatch_once().await.unwrap();
    let expected = CarrierOptOut {
        tenant: q.tenant,
        message: q.message,
        channel: Channel::Sms,
        to: q.to,
        provider: ProviderName::TWILIO,
        code: Some("21610".to_owned()),
    };
    assert_eq!(*listener.heard.lock().unwrap(), vec![expected.clone()]);
    assert_eq!(report.opted_out, vec![expected]);
    assert_eq!(report.failed(), 1);
    assert!(report.problems.is_empty());
    clock.advance(TimeDelta::days(1));
    assert_eq!(d.dispatch_once().await.unwrap().claimed, 0);
    assert_eq!(carrier.calls(), 1);
}

#[tokio::test]
async fn a_failing_opt_out_listener_is_reported_and_the_item_still_fails() {
    let store = Arc::new(MemoryStore::new());
    let q = seed(&store, 1, 1).await[0];
    let carrier = ScriptedCarrier::new([opted_out()]);
    let clock = Arc::new(ManualClock::new(t0()));
    let listener = Arc::new(RecordingListener {
        fail: true,
        ..RecordingListener::default()
    });
    let d = dispatcher(&store, carrier, &clock, plain_policy()).with_opt_out_listener(listener);

    let report = d.dispatch_once().await.unwrap();
    assert_eq!(report.failed(), 1);
    let [DispatchProblem::OptOutNotRecorded { opt_out, error }] = report.problems.as_slice() else {
        panic!("expected one listener problem: {:?}", report.problems);
    };
    assert_eq!(opt_out.message, q.message);
    assert_eq!(error.to_string(), "the contact store is down");
}

/// Never answers.
struct SilentCarrier;

#[async_trait]
impl Carrier for SilentCarrier {
    fn provider(&self) -> ProviderName {
        ProviderName::META
    }

    async fn send(&self, _: &OutboxItem) -> Result<String, CarrierError> {
        std::future::pending().await
    }
}

#[tokio::test(start_paused = true)]
async fn a_send_without_an_answer_times_out_and_is_retried() {
    let store = Arc::new(MemoryStore::new());
    let q = seed(&store, 1, 1).await[0];
    let clock = Arc::new(ManualClock::new(t0()));
    let policy = DispatchPolicy {
        send_timeout: Duration::from_secs(2),
        ..plain_policy()
    };
    let d = dispatcher(&store, Arc::new(SilentCarrier), &clock, policy);

    let report = d.dispatch_once().await.unwrap();
    let DispatchOutcome::Retry { at, error } = &report.outcomes[0].outcome else {
        panic!("expected a retry: {:?}", report.outcomes);
    };
    assert_eq!(*at, t0() + TimeDelta::seconds(10));
    assert_eq!(error, "meta refused the message: no answer within 2s");
    assert_eq!(item(&store, q).await.state, OutboxState::Pending);
}

/// Panics on every send.
struct PanickingCarrier;

#[async_trait]
impl Carrier for PanickingCarrier {
    fn provider(&self) -> ProviderName {
        ProviderName::TELNYX
    }

    async fn send(&self, _: &OutboxItem) -> Result<String, CarrierError> {
        panic!("carrier bug")
    }
}

#[tokio::test]
async fn a_panicking_carrier_counts_as_a_retryable_failure() {
    let store = Arc::new(MemoryStore::new());
    let q = seed(&store, 1, 1).await[0];
    let clock = Arc::new(ManualClock::new(t0()));
    let d = dispatcher(&store, Arc::new(PanickingCarrier), &clock, plain_policy());

    let report = d.dispatch_once().await.unwrap();
    assert_eq!(report.retried(), 1);
    let DispatchOutcome::Retry { error, .. } = &report.outcomes[0].outcome else {
        unreachable!()
    };
    assert!(
        error.contains("panicked") && error.contains("carrier bug"),
        "{error}"
    );
    assert_eq!(item(&store, q).await.state, OutboxState::Pending);
}

#[tokio::test(start_paused = true)]
async fn run_drains_the_outbox_in_full_batches_then_stops_on_shutdown() {
    let store = Arc::new(MemoryStore::new());
    let queued = seed(&store, 12, 10).await;
    let carrier = Arc::new(RecordingCarrier::new(ProviderName::TWILIO));
    let clock = Arc::new(ManualClock::new(t0()));
    let d = dispatcher(&store, carrier.clone(), &clock, DispatchPolicy::default());

    let totals = d.run(tokio::time::sleep(Duration::from_secs(10))).await;
    assert_eq!(
        (totals.batches, totals.claimed, totals.sent, totals.problems),
        (3, 120, 120, 0),
        "50 + 50 + 20"
    );
    assert_eq!(carrier.delivered().len(), 120);
    for q in queued {
        assert!(matches!(
            item(&store, q).await.state,
            OutboxState::Sent { .. }
        ));
    }
}

/// Says when a send started and answers only when let through.
struct GatedCarrier {
    started: tokio::sync::Notify,
    gate: tokio::sync::Semaphore,
    inner: RecordingCarrier,
}

#[async_trait]
impl Carrier for GatedCarrier {
    fn provider(&self) -> ProviderName {
        ProviderName::TWILIO
    }

    async fn send(&self, item: &OutboxItem) -> Result<String, CarrierError> {
        self.started.notify_one();
        let _permit = self.gate.acquire().await;
        self.inner.send(item).await
    }
}

#[tokio::test]
async fn run_finishes_the_sends_in_flight_and_claims_nothing_more_after_shutdown() {
    let store = Arc::new(MemoryStore::new());
    let queued = seed(&store, 1, 2).await;
    let carrier = Arc::new(GatedCarrier {
        started: tokio::sync::Notify::new(),
        gate: tokio::sync::Semaphore::new(0),
        inner: RecordingCarrier::new(ProviderName::TWILIO),
    });
    let clock = Arc::new(ManualClock::new(t0()));
    let policy = DispatchPolicy {
        batch_size: 1,
        max_concurrent_sends: 1,
        ..DispatchPolicy::default()
    };
    let d = dispatcher(&store, carrier.clone(), &clock, policy);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(d.run(async move {
        let _ = stopped.await;
    }));

    carrier.started.notified().await;
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!running.is_finished(), "a send is still in flight");
    carrier.gate.add_permits(1);
    let totals = running.await.unwrap();

    assert_eq!((totals.claimed, totals.sent), (1, 1));
    assert!(matches!(
        item(&store, queued[0]).await.state,
        OutboxState::Sent { .. }
    ));
    assert_eq!(
        item(&store, queued[1]).await.state,
        OutboxState::Pending,
        "nothing is claimed after shutdown"
    );
}

/// Passes every send to a shared [`RecordingCarrier`] (the recipient-facing
/// side) and, from the `block_from`-th send on, records it and then never
/// answers: the provider took the message but the dispatcher never hears back.
struct CrashingCarrier {
    recipient_side: Arc<RecordingCarrier>,
    calls: AtomicUsize,
    block_from: usize,
    blocked: Mutex<Vec<String>>,
}

#[async_trait]
impl Carrier for CrashingCarrier {
    fn provider(&self) -> ProviderName {
        ProviderName::TWILIO
    }

    async fn send(&self, item: &OutboxItem) -> Result<String, CarrierError> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let answer = self.recipient_side.send(item).await;
        if n >= self.block_from {
            self.blocked
                .lock()
                .unwrap()
                .push(item.idempotency_key.clone());
            std::future::pending::<()>().await;
        }
        answer
    }
}

fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn a_dispatcher_killed_mid_batch_loses_nothing_and_a_successor_delivers_each_message_once() {
    const BATCH: usize = 50;
    const CONCURRENT: usize = 8;
    const CRASH_AT: usize = 137;
    let store = Arc::new(MemoryStore::new());
    let setup = tokio::runtime::Runtime::new().unwrap();
    let mut queued = setup.block_on(seed(&store, 10, 10));
    queued.extend(setup.block_on(seed(&store, 10, 10)));
    drop(setup);
    assert_eq!(queued.len(), 200);
    let recipient_side = Arc::new(RecordingCarrier::new(ProviderName::TWILIO));
    let clock = Arc::new(ManualClock::new(t0()));
    // 7 waves of up to 7 s fit in the 60 s lease.
    let policy = DispatchPolicy {
        batch_size: BATCH,
        max_concurrent_sends: CONCURRENT,
        send_timeout: Duration::from_secs(7),
        ..DispatchPolicy::default()
    };

    // The first dispatcher runs until its 137th send (in its third batch) and
    // the 7 after it hang with the provider, then its runtime is dropped.
    let crashing = Arc::new(CrashingCarrier {
        recipient_side: recipient_side.clone(),
        calls: AtomicUsize::new(0),
        block_from: CRASH_AT,
        blocked: Mutex::new(Vec::new()),
    });
    let doomed = tokio::runtime::Runtime::new().unwrap();
    let first = dispatcher(&store, crashing.clone(), &clock, policy.clone());
    doomed.spawn(first.run(std::future::pending()));
    wait_until("every send slot hangs", || {
        crashing.blocked.lock().unwrap().len() == CONCURRENT
    });
    drop(doomed);
    let in_flight: HashSet<String> = crashing.blocked.lock().unwrap().iter().cloned().collect();
    assert_eq!(in_flight.len(), CONCURRENT);
    assert_eq!(recipient_side.delivered().len(), CRASH_AT - 1 + CONCURRENT);

    // Before the lease lapses nobody may touch the crashed batch; after it, a new
    // dispatcher on the same store sends everything that is left.
    let successor_runtime = tokio::runtime::Runtime::new().unwrap();
    let successor = dispatcher(&store, recipient_side.clone(), &clock, policy.clone());
    let early = successor_runtime
        .block_on(successor.dispatch_once())
        .unwrap();
    assert_eq!(early.claimed, BATCH, "the untouched fourth batch only");
    clock.advance(policy.lease);
    let mut claimed_after_lease = 0;
    loop {
        let report = successor_runtime
            .block_on(successor.dispatch_once())
            .unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        if report.claimed == 0 {
            break;
        }
        claimed_after_lease += report.claimed;
    }
    // The third batch's 50 less the 36 it finished (sends 101–136).
    assert_eq!(claimed_after_lease, BATCH - (CRASH_AT - 1 - 2 * BATCH));

    let all_keys: HashSet<String> = queued.iter().map(|q| q.message.to_string()).collect();
    let delivered = recipient_side.delivered();
    assert_eq!(delivered.len(), 200, "each message delivered once");
    let delivered_keys: HashSet<String> = delivered
        .iter()
        .map(|i| i.idempotency_key.clone())
        .collect();
    assert_eq!(
        delivered_keys, all_keys,
        "every message reached the carrier"
    );
    let attempts = recipient_side.attempts_by_key();
    let repeated: HashSet<String> = attempts
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(
        repeated, in_flight,
        "only the sends in flight at the crash reached the carrier twice"
    );
    assert!(attempts.values().all(|n| *n <= 2));
    assert_eq!(attempts.values().sum::<u32>() as usize, 200 + CONCURRENT);

    let check = tokio::runtime::Runtime::new().unwrap();
    for q in &queued {
        let m = check.block_on(message(&store, *q));
        assert_eq!(
            m.delivery.status(),
            Some(DeliveryStatus::Sent),
            "{}",
            q.message
        );
        assert_eq!(m.provider_message_id, Some(format!("twilio-{}", q.message)));
    }
}

/// Takes a millisecond before passing each send on, so two dispatchers overlap.
struct SlowCarrier(Arc<RecordingCarrier>);

#[async_trait]
impl Carrier for SlowCarrier {
    fn provider(&self) -> ProviderName {
        ProviderName::TWILIO
    }

    async fn send(&self, item: &OutboxItem) -> Result<String, CarrierError> {
        tokio::time::sleep(Duration::from_millis(1)).await;
        self.0.send(item).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_dispatchers_on_one_store_never_send_the_same_message_twice() {
    let store = Arc::new(MemoryStore::new());
    let queued = seed(&store, 20, 10).await;
    let recipient_side = Arc::new(RecordingCarrier::new(ProviderName::TWILIO));
    let clock = Arc::new(ManualClock::new(t0()));
    let policy = DispatchPolicy {
        batch_size: 10,
        max_concurrent_sends: 4,
        ..DispatchPolicy::default()
    };
    let start = Arc::new(tokio::sync::Barrier::new(2));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let d = dispatcher(
                &store,
                Arc::new(SlowCarrier(recipient_side.clone())),
                &clock,
                policy.clone(),
            );
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                let mut claimed = 0;
                loop {
                    let report = d.dispatch_once().await.unwrap();
                    if report.claimed == 0 {
                        return claimed;
                    }
                    claimed += report.claimed;
                }
            })
        })
        .collect();
    let mut claimed = Vec::new();
    for worker in workers {
        claimed.push(worker.await.unwrap());
    }

    assert_eq!(claimed.iter().sum::<usize>(), 200);
    assert!(
        claimed.iter().all(|n| *n > 0),
        "both dispatchers took part: {claimed:?}"
    );
    let attempts: HashMap<String, u32> = recipient_side.attempts_by_key();
    assert_eq!(attempts.len(), 200);
    assert!(
        attempts.values().all(|n| *n == 1),
        "no message was sent twice"
    );
    for q in queued {
        assert!(matches!(
            item(&store, q).await.state,
            OutboxState::Sent { .. }
        ));
    }
}

#[test]
fn a_policy_whose_batch_could_outlast_its_lease_is_refused_at_construction() {
    let store = Arc::new(MemoryStore::new());
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(t0()));
    let policy = DispatchPolicy {
        lease: TimeDelta::seconds(15),
        ..DispatchPolicy::default()
    };
    let refused = Dispatcher::new(
        store,
        Arc::new(RecordingCarrier::new(ProviderName::TWILIO)),
        clock,
        policy,
    );
    assert!(refused.unwrap_err().to_string().contains("15 s lease"));
}
