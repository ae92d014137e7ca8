//! End-to-end ingest on the SQL stores, next to the raw rate of writing the same
//! rows with plain SQL (no msgcore), so the engine's overhead is visible.
//!
//! ```sh
//! cargo bench --bench ingest --features sqlite,postgres      # PostgreSQL needs DATABASE_URL
//! ```
//!
//! Each `handle_inbound` iteration is one new message from one of 1,000 contacts
//! (all created in warm-up): resolve the tenant, check for a duplicate, load the
//! contact and its conversation, decide, and commit contact, conversation, message
//! and events in one transaction. The `raw_rows` iteration writes what that commit
//! writes — update the contact and the conversation, insert the message and three
//! events, with documents of the same size — in one transaction of plain SQL.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use msgcore::E164;
use msgcore::core::channel::Channel;
use msgcore::engine::Inbox;
use msgcore::model::{
    ContactId, ConversationId, ProviderName, Tenant, TenantId, TenantNumber, TenantSettings,
};
use msgcore::model::{InboundMessage, TenantRef};
use msgcore::store::{ConversationQuery, Store};
use tokio::runtime::Runtime;
use uuid::Uuid;

#[path = "../tests/support/databases.rs"]
mod databases;

const CONTACTS: u64 = 1_000;
const TEXT: &str =
    "Hi, I ordered a blue jacket last week (order 1042) and it still has not arrived.";

fn tenant() -> Tenant {
    Tenant {
        id: TenantId::from_uuid(Uuid::now_v7()),
        slug: format!("bench-{}", Uuid::now_v7().simple()),
        org_name: "Bench Co".into(),
        numbers: vec![TenantNumber {
            channel: Channel::Sms,
            number: "+14155550199".parse().unwrap(),
        }],
        settings: TenantSettings::default(),
    }
}

fn message(n: u64) -> InboundMessage {
    let from: E164 = format!("+1415555{:04}", n % CONTACTS).parse().unwrap();
    InboundMessage::text(
        TenantRef::Number("+14155550199".parse().unwrap()),
        ProviderName::TWILIO,
        format!("SM{}", Uuid::now_v7().simple()),
        Channel::Sms,
        from,
        TEXT,
    )
}

/// Benches `handle_inbound` on `store`, then returns the documents and ids the
/// raw bench writes: a contact's, a conversation's, a message's and an event's.
fn bench_engine(
    c: &mut Criterion,
    runtime: &Runtime,
    name: &str,
    store: Arc<dyn Store>,
) -> RawRows {
    let inbox = Inbox::builder(Arc::clone(&store)).build();
    let shop = tenant();
    runtime.block_on(inbox.put_tenant(&shop)).unwrap();
    for n in 0..CONTACTS {
        runtime.block_on(inbox.handle_inbound(&message(n))).unwrap();
    }
    let counter = AtomicU64::new(0);
    let mut group = c.benchmark_group(format!("ingest/{name}"));
    group.throughput(Throughput::Elements(1));
    group.bench_function("handle_inbound", |b| {
        b.iter(|| {
            let n = counter.fetch_add(1, Ordering::Relaxed);
            runtime.block_on(inbox.handle_inbound(&message(n))).unwrap()
        })
    });
    group.finish();
    runtime.block_on(RawRows::sample(store.as_ref(), shop.id))
}

/// What one inbound message writes, as the rows of a real one.
struct RawRows {
    tenant: Uuid,
    contacts: Vec<(Uuid, Uuid)>,
    contact_doc: String,
    conversation_doc: String,
    message_doc: String,
    event_doc: String,
}

impl RawRows {
    async fn sample(store: &dyn Store, tenant: TenantId) -> RawRows {
        let query = ConversationQuery {
            limit: CONTACTS as usize,
            ..ConversationQuery::default()
        };
        let rows = store.conversations(tenant, &query).await.unwrap();
        let first = rows.first().unwrap();
        let contact = store
            .contact(tenant, first.conversation.contact)
            .await
            .unwrap()
            .unwrap();
        let timeline = store.timeline(tenant, contact.id, 1).await.unwrap();
        let events = store.events(tenant, 0, 1).await.unwrap();
        let pair = |c: ContactId, v: ConversationId| (c.as_uuid(), v.as_uuid());
        RawRows {
            tenant: tenant.as_uuid(),
            contacts: rows
                .iter()
                .map(|r| pair(r.conversation.contact, r.conversation.id))
                .collect(),
            contact_doc: serde_json::to_string(&contact).unwrap(),
            conversation_doc: serde_json::to_string(&first.conversation).unwrap(),
            message_doc: serde_json::to_string(&timeline[0]).unwrap(),
            event_doc: serde_json::to_string(&events[0].1).unwrap(),
        }
    }
}

/// The SQL of one message's writes, in a database's parameter style.
struct Statements {
    contact: &'static str,
    conversation: &'static str,
    message: &'static str,
    event: &'static str,
}

macro_rules! raw_bench {
    ($c:expr, $runtime:expr, $name:expr, $pool:expr, $sql:expr, $rows:expr) => {{
        let (pool, sql, rows) = ($pool, $sql, $rows);
        let counter = AtomicU64::new(0);
        let mut group = $c.benchmark_group(format!("ingest/{}", $name));
        group.throughput(Throughput::Elements(1));
        group.bench_function("raw_rows", |b| {
            b.iter(|| {
                let n = counter.fetch_add(1, Ordering::Relaxed) as usize;
                let (contact, conversation) = rows.contacts[n % rows.contacts.len()];
                $runtime.block_on(async {
                    let mut tx = pool.begin().await.unwrap();
                    sqlx::query(sql.contact)
                        .bind(&rows.contact_doc)
                        .bind(rows.tenant)
                        .bind(contact)
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    sqlx::query(sql.conversation)
                        .bind(&rows.conversation_doc)
                        .bind(rows.tenant)
                        .bind(conversation)
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    sqlx::query(sql.message)
                        .bind(rows.tenant)
                        .bind(Uuid::now_v7())
                        .bind(contact)
                        .bind(conversation)
                        .bind(format!("SM{}", Uuid::now_v7().simple()))
                        .bind(&rows.message_doc)
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    for _ in 0..3 {
                        sqlx::query(sql.event)
                            .bind(rows.tenant)
                            .bind(&rows.event_doc)
                            .execute(&mut *tx)
                            .await
                            .unwrap();
                    }
                    tx.commit().await.unwrap();
                })
            })
        });
        group.finish();
    }};
}

fn sqlite(c: &mut Criterion) {
    use msgcore::store::SqliteStore;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let file = databases::TempFile::new();
    let store = Arc::new(runtime.block_on(SqliteStore::open(&file.0)).unwrap());
    let rows = bench_engine(c, &runtime, "sqlite_file", store.clone());
    let sql = Statements {
        contact: "UPDATE contacts SET version = version + 1, doc = ?1 WHERE tenant = ?2 AND id = ?3",
        conversation: "UPDATE conversations SET unread = unread + 1, doc = ?1 WHERE tenant = ?2 AND id = ?3",
        message: "INSERT INTO messages (tenant, id, contact, conversation, provider, provider_message_id, created_at, doc) VALUES (?1, ?2, ?3, ?4, 'twilio', ?5, 0, ?6)",
        event: "INSERT INTO events (tenant, at, doc) VALUES (?1, 0, ?2)",
    };
    raw_bench!(c, runtime, "sqlite_file", store.pool(), &sql, &rows);
}

fn postgres(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(db) = runtime.block_on(databases::TestDatabase::create()) else {
        return;
    };
    let store = Arc::new(runtime.block_on(db.replica()));
    let rows = bench_engine(c, &runtime, "postgres", store.clone());
    let sql = Statements {
        contact: "UPDATE contacts SET version = version + 1, doc = $1 WHERE tenant = $2 AND id = $3",
        conversation: "UPDATE conversations SET unread = unread + 1, doc = $1 WHERE tenant = $2 AND id = $3",
        message: "INSERT INTO messages (tenant, id, contact, conversation, provider, provider_message_id, created_at, doc) VALUES ($1, $2, $3, $4, 'twilio', $5, 0, $6)",
        event: "INSERT INTO events (tenant, at, doc) VALUES ($1, 0, $2)",
    };
    raw_bench!(c, runtime, "postgres", store.pool(), &sql, &rows);
}

criterion_group!(benches, sqlite, postgres);
criterion_main!(benches);
