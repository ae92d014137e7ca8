//! Status callbacks merged into their messages a batch at a time, as the
//! group-commit writer merges them (`Store::record_statuses`), on the SQL
//! stores.
//!
//! ```sh
//! cargo bench --bench statuses --features sqlite,postgres   # PostgreSQL needs DATABASE_URL
//! ```
//!
//! Each iteration merges `sent` then `delivered` into 128 messages never
//! reported on before (256 status writes, two per message, in one
//! transaction), so every write changes its message and the first writes its
//! usage record. The messages are queued outside the timing, 128 per
//! iteration, spread over 64 contacts.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use msgcore::E164;
use msgcore::core::delivery::{DeliveryStatus, StatusUpdate};
use msgcore::core::message::Content;
use msgcore::core::usage::Billing;
use msgcore::model::{
    Contact, ContactId, ConversationRecord, MessageId, Tenant, TenantId, TenantSettings,
};
use msgcore::store::{Changeset, ContactWrite, StatusWrite, Store};
use tokio::runtime::Runtime;
use uuid::Uuid;

#[path = "../tests/support/databases.rs"]
mod databases;
#[allow(dead_code)]
#[path = "../tests/support/outbound.rs"]
mod outbound;

const MESSAGES: usize = 128;
const CONTACTS: usize = 64;

/// A tenant's contacts, each with its conversation, and their versions.
struct Audience {
    tenant: TenantId,
    contacts: Vec<(Contact, ConversationRecord)>,
}

impl Audience {
    async fn create(store: &dyn Store) -> Audience {
        let tenant = Tenant {
            id: TenantId::from_uuid(Uuid::now_v7()),
            slug: format!("statuses-{}", Uuid::now_v7().simple()),
            org_name: "Status Co".into(),
            numbers: vec![],
            settings: TenantSettings::default(),
        };
        store.put_tenant(&tenant).await.unwrap();
        let now = t0();
        let mut contacts = Vec::with_capacity(CONTACTS);
        let mut batch = Vec::with_capacity(CONTACTS);
        for k in 0..CONTACTS {
            let phone: E164 = format!("+1415555{:04}", 3000 + k).parse().unwrap();
            let contact = Contact::new(ContactId::from_uuid(Uuid::now_v7()), tenant.id, phone, now);
            let conversation = outbound::conversation(tenant.id, contact.id, now);
            let mut changes =
                Changeset::for_contact(tenant.id, ContactWrite::Insert(contact.clone()));
            changes.conversations.push(conversation.clone());
            batch.push(changes);
            contacts.push((contact, conversation));
        }
        store.commit_batch(batch).await.unwrap();
        Audience {
            tenant: tenant.id,
            contacts,
        }
    }

    /// Queues `MESSAGES` new billed messages over the contacts; their ids.
    async fn queue(&mut self, store: &dyn Store) -> Vec<MessageId> {
        let now = t0();
        let mut ids = Vec::with_capacity(MESSAGES);
        let mut batch = Vec::with_capacity(CONTACTS);
        for (contact, conversation) in &mut self.contacts {
            let expected_version = contact.version;
            contact.version += 1;
            let write = ContactWrite::Update {
                contact: contact.clone(),
                expected_version,
            };
            let mut changes = Changeset::for_contact(self.tenant, write);
            for _ in 0..MESSAGES / CONTACTS {
                let mut message = outbound::agent_sms(conversation, text(), now);
                message.billing = Some(Billing {
                    channel: message.channel,
                    country: Some("US".into()),
                    segments: 1,
                    category: None,
                    billable: true,
                });
                ids.push(message.id);
                changes.messages.push(message);
            }
            batch.push(changes);
        }
        store.commit_batch(batch).await.unwrap();
        ids
    }
}

/// When everything happens: each message is new, so one instant serves.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap()
}

fn text() -> Content {
    Content::text("Your order has shipped.").unwrap()
}

/// `sent`, then `delivered` a second later, for each message.
fn writes(tenant: TenantId, ids: &[MessageId]) -> Vec<StatusWrite> {
    let at = t0();
    let write = |message: MessageId, status, at| StatusWrite {
        tenant,
        message,
        update: StatusUpdate::new(status, at),
        pricing: None,
    };
    let sent = ids.iter().map(|m| write(*m, DeliveryStatus::Sent, at));
    let later = at + TimeDelta::seconds(1);
    let delivered = ids
        .iter()
        .map(|m| write(*m, DeliveryStatus::Delivered, later));
    sent.chain(delivered).collect()
}

fn bench_store(c: &mut Criterion, runtime: &Runtime, name: &str, store: Arc<dyn Store>) {
    let mut audience = runtime.block_on(Audience::create(store.as_ref()));
    let mut group = c.benchmark_group(format!("statuses/{name}"));
    group.throughput(Throughput::Elements(2 * MESSAGES as u64));
    group.bench_function("record_statuses_256", |b| {
        b.iter_batched(
            || {
                let ids = runtime.block_on(audience.queue(store.as_ref()));
                writes(audience.tenant, &ids)
            },
            |writes| runtime.block_on(store.record_statuses(&writes)).unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn sqlite(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let file = databases::TempFile::new();
    let store = runtime
        .block_on(msgcore::store::SqliteStore::open(&file.0))
        .unwrap();
    bench_store(c, &runtime, "sqlite_file", Arc::new(store));
}

fn postgres(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(db) = runtime.block_on(databases::TestDatabase::create()) else {
        return;
    };
    let store = runtime.block_on(db.replica());
    bench_store(c, &runtime, "postgres", Arc::new(store));
}

criterion_group!(benches, sqlite, postgres);
criterion_main!(benches);
