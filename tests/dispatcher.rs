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
use msgcore::carrier::Carrier;
use msgcore::carrier::RecordingCarrier;
use msgcore::core::channel::Channel;
use msgcore::core::delivery::DeliveryStatus;
use msgcore::core::message::Content;
use msgcore::engine::Inbox;
use msgcore::engine::{
    CarrierOptOut, Clock, DispatchPolicy, DispatchProblem, Dispatcher, ListenerError, ManualClock,
    OptOutListener,
};
use msgcore::model::CarrierError;
use msgcore::model::{
    Contact, ContactId, MessageId, MessageRecord, OutboxItem, OutboxState, ProviderName, TenantId,
    TenantSettings,
};
use msgcore::model::{InboundMessage, TenantRef};
use msgcore::store::{Changeset, ContactWrite, DispatchOutcome, MemoryStore, Store, conformance};
use uuid::Uuid;

#[path = "support/demo_tenant.rs"]
mod demo_tenant;
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
    let refusal = match retryable {
        true => CarrierError::transient(ProviderName::TWILIO, "refused", None),
        false => CarrierError::permanent(ProviderName::TWILIO, "refused"),
    };
    refusal.with_code(code)
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
async fn each_message_is_sent_once_with_the_message_id_as_idempotency_key_and_recorded() {
    let store = Arc::new(MemoryStore::new());
    let queued = seed(&store, 3, 10).await;
    let carrier = Arc::new(RecordingCarrier::new(ProviderName::TWILIO));
    let clock = Arc::new(ManualClock::new(t0()));
    let d = dispatcher(&store, carrier.clone(), &clock, DispatchPolicy::default());

    let mut batches = Vec::new();
    loop {
        let report = d.dispatch_once().await.unwrap();
        if report.claimed == 0 {
            break;
        }
        assert!(report.problems.is_empty() && report.opted_out.is_empty());
        assert_eq!((report.retried(), report.failed()), (0, 0));
        batches.push((report.claimed, report.sent()));
        if batches.len() == 1 {
            let outcome = report
                .outcomes
                .iter()
                .find(|d| d.message == queued[0].message)
                .unwrap();
            assert_eq!((outcome.to, outcome.attempts), (queued[0].to, 1));
        }
    }
    assert_eq!(
        batches,
        vec![(3, 3); 10],
        "a batch holds one message per recipient, the next of each after it"
    );
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
    assert_in_queue_order(&queued, &carrier.delivered());
}

/// Asserts that each recipient's messages reached the provider (`arrived`, in
/// arrival order) in the order they were queued (`queued`).
fn assert_in_queue_order(queued: &[Queued], arrived: &[OutboxItem]) {
    let recipients: HashSet<(TenantId, E164)> = queued.iter().map(|q| (q.tenant, q.to)).collect();
    for (tenant, to) in recipients {
        let expected: Vec<MessageId> = queued
            .iter()
            .filter(|q| (q.tenant, q.to) == (tenant, to))
            .map(|q| q.message)
            .collect();
        let got: Vec<MessageId> = arrived
            .iter()
            .filter(|i| (i.tenant, i.to) == (tenant, to))
            .map(|i| i.message)
            .collect();
        assert_eq!(
            got, expected,
            "{to}'s messages in the order they were queued"
        );
    }
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
    let slow_down =
        CarrierError::transient(ProviderName::TWILIO, "refused", Some(TimeDelta::minutes(2)))
            .with_code("20429");
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
    CarrierError::opted_out(ProviderName::TWILIO, "refused").with_code("21610")
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
async fn run_drains_the_outbox_in_queue_order_then_stops_on_shutdown() {
    let store = Arc::new(MemoryStore::new());
    let queued = seed(&store, 12, 10).await;
    let carrier = Arc::new(RecordingCarrier::new(ProviderName::TWILIO));
    let clock = Arc::new(ManualClock::new(t0()));
    let d = dispatcher(&store, carrier.clone(), &clock, DispatchPolicy::default());

    let totals = d.run(tokio::time::sleep(Duration::from_secs(10))).await;
    assert_eq!(
        (totals.claimed, totals.sent, totals.problems),
        (120, 120, 0)
    );
    assert_eq!(carrier.delivered().len(), 120);
    for q in &queued {
        assert!(matches!(
            item(&store, *q).await.state,
            OutboxState::Sent { .. }
        ));
    }
    assert_in_queue_order(&queued, &carrier.delivered());
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

    // The first dispatcher runs until its 137th send; that one and the 7 after
    // it hang with the provider, then its runtime is dropped.
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
    let at_crash = recipient_side.delivered();
    assert_eq!(at_crash.len(), CRASH_AT - 1 + CONCURRENT);
    let stuck: HashSet<(TenantId, E164)> = at_crash
        .iter()
        .filter(|i| in_flight.contains(&i.idempotency_key))
        .map(|i| (i.tenant, i.to))
        .collect();
    assert_eq!(stuck.len(), CONCURRENT, "one send in flight per recipient");

    // Before the lease lapses a new dispatcher on the same store sends everything
    // but what waits behind the crashed sends; after it, the rest.
    let successor_runtime = tokio::runtime::Runtime::new().unwrap();
    let successor = dispatcher(&store, recipient_side.clone(), &clock, policy.clone());
    let drain = || {
        let mut outcomes = Vec::new();
        loop {
            let report = successor_runtime
                .block_on(successor.dispatch_once())
                .unwrap();
            assert!(report.problems.is_empty(), "{:?}", report.problems);
            if report.claimed == 0 {
                return outcomes;
            }
            outcomes.extend(report.outcomes);
        }
    };
    let early = drain();
    assert!(
        early.iter().all(|d| !stuck.contains(&(d.tenant, d.to))),
        "nothing of a recipient whose send is in flight goes before its lease lapses"
    );
    clock.advance(policy.lease);
    let after_lease = drain();
    assert!(
        after_lease
            .iter()
            .all(|d| stuck.contains(&(d.tenant, d.to)))
    );
    let sent_before_crash = |recipient: &(TenantId, E164)| {
        at_crash
            .iter()
            .filter(|i| (i.tenant, i.to) == *recipient && !in_flight.contains(&i.idempotency_key))
            .count()
    };
    let left_behind: usize = stuck.iter().map(|r| 10 - sent_before_crash(r)).sum();
    assert_eq!(
        after_lease.len(),
        left_behind,
        "the crashed sends and what was queued after them"
    );

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
    assert_in_queue_order(&queued, &recipient_side.delivered());

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
    for q in &queued {
        assert!(matches!(
            item(&store, *q).await.state,
            OutboxState::Sent { .. }
        ));
    }
    assert_in_queue_order(&queued, &recipient_side.delivered());
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

/// Answers each send after a latency of its own (the network, the provider's
/// queues), and records each request when it reaches the provider: what a real
/// carrier's concurrency does to messages sent at once.
struct LatencyCarrier {
    latency: Box<dyn Fn(&OutboxItem) -> Duration + Send + Sync>,
    arrived: Mutex<Vec<OutboxItem>>,
    count: tokio::sync::watch::Sender<usize>,
}

impl LatencyCarrier {
    fn new(latency: impl Fn(&OutboxItem) -> Duration + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(LatencyCarrier {
            latency: Box::new(latency),
            arrived: Mutex::new(Vec::new()),
            count: tokio::sync::watch::Sender::new(0),
        })
    }

    fn arrived(&self) -> Vec<OutboxItem> {
        self.arrived.lock().unwrap().clone()
    }

    /// Completes once `n` requests have reached the provider.
    fn until_arrived(&self, n: usize) -> impl Future<Output = ()> + use<> {
        let mut count = self.count.subscribe();
        async move {
            let _ = count.wait_for(|arrived| *arrived >= n).await;
        }
    }
}

#[async_trait]
impl Carrier for LatencyCarrier {
    fn provider(&self) -> ProviderName {
        ProviderName::TWILIO
    }

    async fn send(&self, item: &OutboxItem) -> Result<String, CarrierError> {
        tokio::time::sleep((self.latency)(item)).await;
        self.arrived.lock().unwrap().push(item.clone());
        self.count.send_modify(|n| *n += 1);
        Ok(format!("SM{}", item.message.as_uuid().simple()))
    }
}

/// 0–49 ms, drawn from the random bits of the message's id.
fn random_latency(item: &OutboxItem) -> Duration {
    let bits = item.message.as_uuid().as_u128();
    Duration::from_millis(u64::try_from(bits % 50).unwrap_or(0))
}

#[tokio::test(start_paused = true)]
async fn one_recipients_messages_reach_the_provider_in_queue_order_under_random_latency() {
    let store = Arc::new(MemoryStore::new());
    let queued = seed(&store, 1, 12).await;
    let carrier = LatencyCarrier::new(random_latency);
    let clock = Arc::new(ManualClock::new(t0()));
    let policy = DispatchPolicy {
        max_concurrent_sends: 10,
        ..DispatchPolicy::default()
    };
    let d = dispatcher(&store, carrier.clone(), &clock, policy);

    let totals = d.run(carrier.until_arrived(queued.len())).await;
    assert_eq!((totals.sent, totals.problems), (12, 0));
    assert_in_queue_order(&queued, &carrier.arrived());
}

#[tokio::test(start_paused = true)]
async fn stop_help_and_start_in_a_second_reach_the_provider_as_their_replies_were_queued() {
    let store = Arc::new(MemoryStore::new());
    let clock = Arc::new(ManualClock::new(t0()));
    let inbox = Inbox::builder(store.clone()).clock(clock.clone()).build();
    let tenant = demo_tenant::tenant(TenantSettings::default());
    inbox.put_tenant(&tenant).await.unwrap();
    let from = demo_tenant::e164(demo_tenant::CONTACT);
    let mut replies = Vec::new();
    for (id, text) in [("SM1", "STOP"), ("SM2", "HELP"), ("SM3", "START")] {
        let to_demo = TenantRef::Slug("demo".into());
        let inbound =
            InboundMessage::text(to_demo, ProviderName::TWILIO, id, Channel::Sms, from, text);
        let outcome = inbox.handle_inbound(&inbound).await.unwrap();
        replies.extend(outcome.replies.into_iter().map(|reply| reply.id));
        clock.advance(TimeDelta::milliseconds(300));
    }
    assert_eq!(replies.len(), 3, "an opt-out, a help and an opt-in reply");
    // The opt-out confirmation is the slowest to reach the provider.
    let stop_reply = replies[0];
    let carrier = LatencyCarrier::new(move |item| {
        Duration::from_millis(if item.message == stop_reply { 900 } else { 5 })
    });
    let d = dispatcher(&store, carrier.clone(), &clock, DispatchPolicy::default());

    d.run(carrier.until_arrived(3)).await;
    let arrived: Vec<MessageId> = carrier.arrived().iter().map(|i| i.message).collect();
    assert_eq!(
        arrived, replies,
        "unsubscribed, help, subscribed again: in that order"
    );
    let last = carrier.arrived().pop().unwrap();
    assert!(
        matches!(&last.content, Content::Text(text) if text.as_str().contains("subscribed")),
        "{:?}",
        last.content
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_recipient_holds_back_only_its_own_messages() {
    let store = Arc::new(MemoryStore::new());
    let queued = seed(&store, 4, 5).await;
    let slow = queued[0].to;
    // Two minutes per send to the slow recipient: its first message is still in
    // flight long after everyone else's have all arrived.
    let carrier = LatencyCarrier::new(move |item| {
        Duration::from_millis(if item.to == slow { 120_000 } else { 20 })
    });
    let clock = Arc::new(ManualClock::new(t0()));
    let policy = DispatchPolicy {
        batch_size: 4,
        max_concurrent_sends: 4,
        send_timeout: Duration::from_secs(600),
        lease: TimeDelta::hours(1),
        ..DispatchPolicy::default()
    };
    let d = dispatcher(&store, carrier.clone(), &clock, policy);

    let others = queued.iter().filter(|q| q.to != slow).count();
    let started = tokio::time::Instant::now();
    let running = tokio::spawn(d.run(carrier.until_arrived(queued.len())));
    carrier.until_arrived(others).await;
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "the others' {others} messages arrived while the slow recipient's first was in flight"
    );
    assert!(carrier.arrived().iter().all(|i| i.to != slow));
    let totals = running.await.unwrap();
    assert_eq!(totals.sent, queued.len());
    assert_in_queue_order(&queued, &carrier.arrived());
}

/// Queues one message per entry of `plan`, each in a changeset of its own (so
/// recipients interleave as they do in a live inbox): the entry names the
/// recipient, out of `recipients` new contacts.
async fn queue_interleaved(store: &MemoryStore, recipients: usize, plan: &[usize]) -> Vec<Queued> {
    let tenant = conformance::tenant();
    store.put_tenant(&tenant).await.unwrap();
    let mut contacts = Vec::new();
    for c in 0..recipients {
        let phone: E164 = format!("+12125{:06}", 300_000 + c).parse().unwrap();
        let contact = Contact::new(ContactId::from_uuid(id()), tenant.id, phone, t0());
        let conversation = outbound::conversation(tenant.id, contact.id, t0());
        let mut changes = Changeset::for_contact(tenant.id, ContactWrite::Insert(contact.clone()));
        changes.conversations.push(conversation.clone());
        store.commit(changes).await.unwrap();
        contacts.push((contact.id, phone, conversation));
    }
    let mut queued = Vec::new();
    for (n, &recipient) in plan.iter().enumerate() {
        let (contact, phone, conversation) = &contacts[recipient % recipients];
        let loaded = store.contact(tenant.id, *contact).await.unwrap().unwrap();
        let write = ContactWrite::update(loaded.version, loaded);
        let mut changes = Changeset::for_contact(tenant.id, write);
        let content = Content::text(format!("message {n}")).unwrap();
        let message = outbound::queue_agent_sms(&mut changes, conversation, *phone, content, t0());
        store.commit(changes).await.unwrap();
        queued.push(Queued {
            tenant: tenant.id,
            message,
            to: *phone,
        });
    }
    queued
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(48))]

    /// Whatever the queue, the latencies and the concurrency: every recipient's
    /// messages reach the provider in the order they were queued, and a
    /// recipient whose every send takes two minutes delays nobody else.
    #[test]
    fn every_recipients_order_is_kept_and_a_slow_one_delays_nobody_else(
        plan in proptest::collection::vec((0usize..6, 0u64..80), 1..40),
        concurrency in 2usize..10,
        slow in 0usize..6,
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        runtime.block_on(async {
            let store = Arc::new(MemoryStore::new());
            let recipients: Vec<usize> = plan.iter().map(|(r, _)| *r).collect();
            let queued = queue_interleaved(&store, 6, &recipients).await;
            let slow_to = format!("+12125{:06}", 300_000 + slow).parse::<E164>().unwrap();
            let latency: HashMap<MessageId, u64> = queued
                .iter()
                .zip(&plan)
                .map(|(q, (_, ms))| (q.message, if q.to == slow_to { 120_000 } else { *ms }))
                .collect();
            let carrier = LatencyCarrier::new(move |item| {
                Duration::from_millis(latency.get(&item.message).copied().unwrap_or(0))
            });
            let clock = Arc::new(ManualClock::new(t0()));
            let policy = DispatchPolicy {
                batch_size: concurrency,
                max_concurrent_sends: concurrency,
                send_timeout: Duration::from_secs(600),
                lease: TimeDelta::hours(1),
                ..DispatchPolicy::default()
            };
            let d = dispatcher(&store, carrier.clone(), &clock, policy);
            let totals = d.run(carrier.until_arrived(queued.len())).await;
            assert_eq!((totals.sent, totals.problems), (queued.len(), 0));
            let arrived = carrier.arrived();
            assert_in_queue_order(&queued, &arrived);
            let first_slow = arrived.iter().position(|i| i.to == slow_to).unwrap_or(arrived.len());
            assert!(
                arrived[first_slow..].iter().all(|i| i.to == slow_to),
                "every other message arrived before the slow recipient's first"
            );
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_dispatchers_recording_outcomes_with_group_commit_send_each_message_once_in_order() {
    let store = Arc::new(MemoryStore::new());
    let queued = seed(&store, 30, 8).await;
    let recipient_side = Arc::new(RecordingCarrier::new(ProviderName::TWILIO));
    let clock = Arc::new(ManualClock::new(t0()));
    let policy = DispatchPolicy {
        batch_size: 16,
        max_concurrent_sends: 16,
        poll_interval: Duration::from_millis(5),
        ..DispatchPolicy::default()
    };
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let carrier = Arc::new(SlowCarrier(recipient_side.clone()));
            let d = dispatcher(&store, carrier, &clock, policy.clone())
                .with_group_commit(msgcore::engine::GroupCommitOptions::default());
            let side = recipient_side.clone();
            tokio::spawn(d.run(async move {
                while side.delivered().len() < 240 {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }))
        })
        .collect();
    let mut sent = 0;
    for worker in workers {
        let totals = worker.await.unwrap();
        assert_eq!(totals.problems, 0);
        sent += totals.sent;
    }

    assert_eq!(sent, 240, "every outcome recorded once");
    let attempts: HashMap<String, u32> = recipient_side.attempts_by_key();
    assert_eq!(attempts.len(), 240);
    assert!(
        attempts.values().all(|n| *n == 1),
        "no message was sent twice"
    );
    for q in &queued {
        let stored = item(&store, *q).await;
        assert!(
            matches!(stored.state, OutboxState::Sent { .. }),
            "{stored:?}"
        );
        let m = message(&store, *q).await;
        assert_eq!(m.provider_message_id, Some(format!("twilio-{}", q.message)));
    }
    assert_in_queue_order(&queued, &recipient_side.delivered());
}
