//! The dispatcher at scale: MESSAGES queued for RECIPIENTS recipients (the same
//! number each, in order) in a new SQLite file, drained through a fake provider
//! that answers every send after LATENCY_MS milliseconds.
//!
//! The messages are queued round by round (every recipient's first, then every
//! second, as a campaign or steady traffic queues them) unless
//! `DISPATCH_LAYOUT=grouped` queues each recipient's together, so every claim
//! touches as many table pages as it takes items.
//!
//! ```sh
//! cargo bench --bench dispatch --features tokio,sqlite -- [MESSAGES] [RECIPIENTS] [LATENCY_MS] [CONCURRENT]
//! ```
//!
//! Defaults: 20,000 messages, 2,000 recipients, 100 ms, 2,000 sends in flight.
//! With `DISPATCH_STORE=postgres` (and `--features tokio,sqlite,postgres`) the
//! store is a new PostgreSQL database, `msgcore_dispatch_bench`, on the server
//! of `DATABASE_URL`.
//! The dispatcher records outcomes with group commit
//! (`Dispatcher::with_group_commit`) unless `DISPATCH_GROUP_COMMIT=0`.
//! Prints `dispatch messages=… recipients=… latency_ms=… concurrent=… layout=… seconds=…
//! sends_per_second=… in_order=… peak_rss_mib=…`; `in_order` says whether every
//! recipient's messages reached the provider in the order they were queued.
//! Without `--bench` (as `cargo test --benches` runs it) it drains 200 messages
//! as a smoke test.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use msgcore::E164;
use msgcore::carrier::Carrier;
use msgcore::core::message::Content;
use msgcore::engine::{Clock, DispatchPolicy, Dispatcher, GroupCommitOptions, SystemClock};
use msgcore::model::{
    CarrierError, Contact, ContactId, ConversationRecord, MessageId, OutboxItem, ProviderName,
    Tenant, TenantId, TenantSettings,
};
use msgcore::store::{Changeset, ContactWrite, SqliteStore, Store};
use uuid::Uuid;

#[path = "../tests/support/databases.rs"]
mod databases;
#[cfg(feature = "postgres")]
#[path = "support/new_postgres.rs"]
mod new_postgres;
#[allow(dead_code)]
#[path = "../tests/support/outbound.rs"]
mod outbound;
#[path = "support/peak_rss.rs"]
mod peak_rss;

/// A provider that takes `latency` to accept each send, and remembers, per
/// recipient, the order the sends arrived in.
struct SlowProvider {
    latency: Duration,
    arrived: std::sync::Mutex<HashMap<E164, Vec<MessageId>>>,
    accepted: AtomicUsize,
}

#[async_trait]
impl Carrier for SlowProvider {
    fn provider(&self) -> ProviderName {
        ProviderName::TWILIO
    }

    async fn send(&self, item: &OutboxItem) -> Result<String, CarrierError> {
        if let Ok(mut arrived) = self.arrived.lock() {
            arrived.entry(item.to).or_default().push(item.message);
        }
        tokio::time::sleep(self.latency).await;
        let n = self.accepted.fetch_add(1, Ordering::Relaxed);
        Ok(format!("SMfake{n:028}"))
    }
}

struct Run {
    messages: usize,
    recipients: usize,
    latency: Duration,
    concurrent: usize,
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let numbers: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let given = |i: usize, default: u64| numbers.get(i).copied().unwrap_or(default) as usize;
    let run = if benching {
        Run {
            messages: given(0, 20_000),
            recipients: given(1, 2_000).max(1),
            latency: Duration::from_millis(given(2, 100) as u64),
            concurrent: given(3, 2_000).max(1),
        }
    } else {
        Run {
            messages: 200,
            recipients: 20,
            latency: Duration::from_millis(5),
            concurrent: 50,
        }
    };
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(measure(run));
}

async fn measure(run: Run) {
    let file = databases::TempFile::new();
    let (store, store_name) = new_store(&file).await;
    let layout = Layout::from_env();
    let queued = seed(store.as_ref(), &run, layout).await;
    let provider = Arc::new(SlowProvider {
        latency: run.latency,
        arrived: std::sync::Mutex::new(HashMap::new()),
        accepted: AtomicUsize::new(0),
    });
    let policy = DispatchPolicy {
        batch_size: run.concurrent,
        max_concurrent_sends: run.concurrent,
        poll_interval: Duration::from_millis(20),
        ..DispatchPolicy::default()
    };
    let grouped = std::env::var("DISPATCH_GROUP_COMMIT").as_deref() != Ok("0");
    let mut dispatcher = Dispatcher::new(store, provider.clone(), Arc::new(SystemClock), policy)
        .expect("a valid policy");
    if grouped {
        dispatcher = dispatcher.with_group_commit(GroupCommitOptions::default());
    }
    let started = Instant::now();
    let watched = provider.clone();
    let target = run.messages;
    let all_sent = async move {
        while watched.accepted.load(Ordering::Relaxed) < target {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    let report = dispatcher.run(all_sent).await;
    let seconds = started.elapsed().as_secs_f64();
    let arrived = provider
        .arrived
        .lock()
        .map(|a| a.clone())
        .unwrap_or_default();
    let in_order = queued == arrived;
    println!(
        "dispatch messages={} recipients={} latency_ms={} concurrent={} layout={} \
         store={} group_commit={grouped} \
         seconds={seconds:.2} \
         sends_per_second={:.0} sent={} in_order={in_order} peak_rss_mib={:.1}",
        run.messages,
        run.recipients,
        run.latency.as_millis(),
        run.concurrent,
        layout.name(),
        store_name,
        report.sent as f64 / seconds,
        report.sent,
        peak_rss::peak_rss_mib(),
    );
    assert!(in_order, "a recipient's messages left out of order");
    assert_eq!(report.sent, run.messages);
}

/// A new SQLite store in `file`, or with `DISPATCH_STORE=postgres` a new
/// PostgreSQL database; and which it is.
async fn new_store(file: &databases::TempFile) -> (Arc<dyn Store>, &'static str) {
    #[cfg(feature = "postgres")]
    if std::env::var("DISPATCH_STORE").as_deref() == Ok("postgres") {
        let store =
            new_postgres::new_postgres("msgcore_dispatch_bench", "DISPATCH_STORE=postgres").await;
        return (store, "postgres");
    }
    let store = SqliteStore::open(&file.0).await.expect("a store");
    (Arc::new(store), "sqlite")
}

/// How the seeded messages lie in the outbox.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Layout {
    /// Round by round: every recipient's first message, then every second
    /// one, as a campaign queues them, or as steady traffic to many
    /// recipients arrives.
    Interleaved,
    /// Each recipient's messages one after another: every claim then touches
    /// as many table pages as it takes items, the worst case for the disk.
    Grouped,
}

impl Layout {
    fn from_env() -> Layout {
        match std::env::var("DISPATCH_LAYOUT").as_deref() {
            Ok("grouped") => Layout::Grouped,
            _ => Layout::Interleaved,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Layout::Interleaved => "interleaved",
            Layout::Grouped => "grouped",
        }
    }
}

/// A recipient of the run and what has been queued for it.
struct Recipient {
    contact: Contact,
    conversation: ConversationRecord,
    queued: usize,
}

impl Recipient {
    /// A changeset queueing this recipient's next `n` messages (creating it
    /// the first time); their ids go on `queued`.
    fn queue(
        &mut self,
        n: usize,
        now: DateTime<Utc>,
        queued: &mut HashMap<E164, Vec<MessageId>>,
    ) -> Changeset {
        let write = if self.queued == 0 {
            ContactWrite::Insert(self.contact.clone())
        } else {
            let expected_version = self.contact.version;
            self.contact.version += 1;
            ContactWrite::Update {
                contact: self.contact.clone(),
                expected_version,
            }
        };
        let mut changes = Changeset::for_contact(self.contact.tenant, write);
        if self.queued == 0 {
            changes.conversations.push(self.conversation.clone());
        }
        let phone = self.contact.phone;
        for k in self.queued..self.queued + n {
            let content = Content::text(format!("Update {k}")).expect("a text");
            let id =
                outbound::queue_agent_sms(&mut changes, &self.conversation, phone, content, now);
            queued.entry(phone).or_default().push(id);
        }
        self.queued += n;
        changes
    }
}

/// Queues the run's messages in `layout`, each recipient's in turn order;
/// the ids queued for each recipient, in order.
async fn seed(store: &dyn Store, run: &Run, layout: Layout) -> HashMap<E164, Vec<MessageId>> {
    let tenant = Tenant {
        id: TenantId::from_uuid(Uuid::now_v7()),
        slug: "dispatch".into(),
        org_name: "Dispatch Co".into(),
        numbers: vec![],
        settings: TenantSettings::default(),
    };
    store.put_tenant(&tenant).await.expect("a tenant");
    let now = SystemClock.now() - TimeDelta::seconds(1);
    let per_recipient = run.messages.div_ceil(run.recipients);
    let mut recipients: Vec<Recipient> = (0..run.recipients)
        .map(|r| {
            let phone: E164 = format!("+1415{:03}{:04}", 200 + r / 10_000, r % 10_000)
                .parse()
                .expect("a valid number");
            let contact = Contact::new(ContactId::from_uuid(Uuid::now_v7()), tenant.id, phone, now);
            let conversation = outbound::conversation(tenant.id, contact.id, now);
            Recipient {
                contact,
                conversation,
                queued: 0,
            }
        })
        .collect();
    // Which recipient each message goes to, in the order they are queued.
    let order: Vec<usize> = match layout {
        Layout::Interleaved => (0..per_recipient)
            .flat_map(|_| 0..run.recipients)
            .take(run.messages)
            .collect(),
        Layout::Grouped => (0..run.recipients)
            .flat_map(|r| std::iter::repeat_n(r, per_recipient))
            .take(run.messages)
            .collect(),
    };
    let mut queued: HashMap<E164, Vec<MessageId>> = HashMap::new();
    // A batch names each contact once: any run of `recipients` consecutive
    // messages round by round goes to distinct recipients.
    let batch_size = run.recipients.min(100);
    let mut batch = Vec::new();
    for chunk in order.chunk_by(|a, b| a == b) {
        let Some(recipient) = chunk.first().and_then(|&r| recipients.get_mut(r)) else {
            continue;
        };
        batch.push(recipient.queue(chunk.len(), now, &mut queued));
        if batch.len() == batch_size {
            store
                .commit_batch(std::mem::take(&mut batch))
                .await
                .expect("queued");
        }
    }
    if !batch.is_empty() {
        store.commit_batch(batch).await.expect("queued");
    }
    queued
}
