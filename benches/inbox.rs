//! The inbox engine: the pure decision for one inbound message, and whole
//! `handle_inbound` calls on the in-memory store.
//!
//! ```sh
//! cargo bench --bench inbox
//! ```

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use msgcore::E164;
use msgcore::core::channel::Channel;
use msgcore::core::conversation::Conversation;
use msgcore::core::tagging::{MatchKind, TagRule};
use msgcore::engine::{InboundContext, InboundOutcome, Inbox, TenantRules, decide_inbound};
use msgcore::model::{
    Contact, ContactId, ConversationFlags, ConversationId, ConversationRecord, ProviderName,
    SequentialIds, Tenant, TenantId, TenantNumber, TenantSettings,
};
use msgcore::model::{InboundMessage, TenantRef};
use msgcore::store::{Changeset, MemoryStore};

const TEXT: &str = "Hi, I ordered a blue jacket last week (order 1042) and it still has not arrived. Could you check where it is and when it will be delivered?";

fn tenant() -> Tenant {
    let tag_rules = (0..100)
        .map(|i| TagRule {
            kind: MatchKind::Contains,
            pattern: format!("keyword{i}"),
            tag: format!("tag{i}"),
        })
        .chain([TagRule {
            kind: MatchKind::Contains,
            pattern: "order".into(),
            tag: "buyer".into(),
        }])
        .collect();
    Tenant {
        id: TenantId::from_uuid(uuid::Uuid::from_u128(1)),
        slug: "bench".into(),
        org_name: "Bench Co".into(),
        numbers: vec![TenantNumber {
            channel: Channel::Sms,
            number: "+14155550199".parse().unwrap(),
        }],
        settings: TenantSettings {
            tag_rules,
            ..TenantSettings::default()
        },
    }
}

fn message(from: E164, id: String) -> InboundMessage {
    InboundMessage::text(
        TenantRef::Number("+14155550199".parse().unwrap()),
        ProviderName::TWILIO,
        id,
        Channel::Sms,
        from,
        TEXT,
    )
}

/// The whole decision: the plan, what to tell the caller, and the changeset
/// the store commits.
fn decided(context: InboundContext<'_>, inbound: &InboundMessage) -> (InboundOutcome, Changeset) {
    let plan = decide_inbound(context, inbound);
    (plan.outcome(), plan.into_changeset())
}

fn decide(c: &mut Criterion) {
    let tenant = tenant();
    let rules = TenantRules::compile(&tenant).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap();
    let from: E164 = "+14155550100".parse().unwrap();
    let ids = SequentialIds::default();
    let contact = Contact::new(
        ContactId::from_uuid(uuid::Uuid::from_u128(2)),
        tenant.id,
        from,
        now,
    );
    let conversation = ConversationRecord {
        id: ConversationId::from_uuid(uuid::Uuid::from_u128(3)),
        tenant: tenant.id,
        contact: contact.id,
        state: Conversation::start(now),
        channel: Channel::Sms,
        survey: None,
        responder_context: None,
        flags: ConversationFlags::default(),
        created_at: now,
    };
    let inbound = message(from, "SM1".into());
    let mut group = c.benchmark_group("inbound/decide");
    group.throughput(Throughput::Elements(1));
    group.bench_function("new_contact", |b| {
        let context = InboundContext {
            tenant: &tenant,
            rules: &rules,
            contact: None,
            latest: None,
            now,
            ids: &ids,
        };
        b.iter(|| decided(black_box(context), black_box(&inbound)))
    });
    group.bench_function("existing_contact_open_conversation", |b| {
        let context = InboundContext {
            tenant: &tenant,
            rules: &rules,
            contact: Some(&contact),
            latest: Some(&conversation),
            now,
            ids: &ids,
        };
        b.iter(|| decided(black_box(context), black_box(&inbound)))
    });
    group.finish();
}

fn handle(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let store = Arc::new(MemoryStore::new());
    let inbox = Inbox::builder(store).build();
    runtime.block_on(inbox.put_tenant(&tenant())).unwrap();
    let counter = AtomicU64::new(0);
    let mut group = c.benchmark_group("inbound/handle_memory_store");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_message_of_1000_contacts", |b| {
        b.iter(|| {
            let n = counter.fetch_add(1, Ordering::Relaxed);
            let from: E164 = format!("+1415555{:04}", n % 1_000).parse().unwrap();
            let inbound = message(from, format!("SM{n}"));
            runtime.block_on(inbox.handle_inbound(&inbound)).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, decide, handle);
criterion_main!(benches);
