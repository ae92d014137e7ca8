use std::collections::HashSet;
use std::sync::Arc;

use chrono::TimeDelta;
use msgcore::ErrorKind;
use msgcore::core::channel::Channel;
use msgcore::engine::Inbox;
use msgcore::store::{ConversationQuery, Store};
use proptest::prelude::*;

use crate::harness::*;

#[derive(Debug, Clone)]
enum Step {
    Inbound(Channel, &'static str),
    Send(Channel),
    Wait(i64),
}

fn channel() -> impl Strategy<Value = Channel> {
    prop_oneof![Just(Channel::Sms), Just(Channel::WhatsApp)]
}

fn step() -> impl Strategy<Value = Step> {
    let texts = prop::sample::select(vec![
        "STOP",
        "stop all",
        "START",
        "UNSTOP",
        "HELP",
        "hi",
        "please stop texting me",
        "Unsubscribe",
        "yes",
        "order?",
    ]);
    prop_oneof![
        (channel(), texts).prop_map(|(c, t)| Step::Inbound(c, t)),
        channel().prop_map(Step::Send),
        (1i64..3_000).prop_map(Step::Wait),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn no_send_is_ever_accepted_on_a_channel_whose_consent_is_off(
        steps in prop::collection::vec(step(), 1..40),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let h = Harness::new().await;
            for step in steps {
                match step {
                    Step::Inbound(channel, text) => { h.text_in(channel, text).await; }
                    Step::Wait(minutes) => h.advance(TimeDelta::minutes(minutes)),
                    Step::Send(channel) => {
                        let consent_before = h
                            .store
                            .contact_by_phone(h.tenant.id, &e164(CONTACT))
                            .await
                            .unwrap()
                            .map(|c| c.consent.state().allows(channel));
                        let result = h.send(channel, "hello").await;
                        if result.is_ok() {
                            prop_assert_eq!(consent_before, Some(true), "a send was accepted without consent");
                        }
                        if consent_before != Some(true) {
                            let kind = result.unwrap_err().kind();
                            prop_assert!(matches!(kind, ErrorKind::OptedOut | ErrorKind::UnknownContact), "{kind}");
                        }
                    }
                }
            }
            Ok(())
        })?;
    }
}

/// Two replicas (two `Inbox` instances, each over its own handle to one store)
/// receive 1,000 distinct webhooks plus 30% duplicates, shuffled, from 8
/// concurrent tasks: every contact, conversation and message exists exactly once.
pub(crate) async fn replicas_ingest_duplicated_webhooks_exactly_once(
    replicas: [Arc<dyn Store>; 2],
) {
    replicas_built_so_ingest_duplicated_webhooks_exactly_once(replicas, |store| {
        Inbox::builder(store).build()
    })
    .await;
}

/// The same, with each replica's `Inbox` made by `build` over its store.
pub(crate) async fn replicas_built_so_ingest_duplicated_webhooks_exactly_once(
    replicas: [Arc<dyn Store>; 2],
    build: impl Fn(Arc<dyn Store>) -> Inbox,
) {
    const CONTACTS: usize = 100;
    const PER_CONTACT: usize = 10;
    let tenant = tenant(settings_with_tags());
    let inboxes: Vec<Arc<Inbox>> = replicas
        .iter()
        .map(|store| Arc::new(build(Arc::clone(store))))
        .collect();
    inboxes[0].put_tenant(&tenant).await.unwrap();
    let mut deliveries = Vec::new();
    for c in 0..CONTACTS {
        for m in 0..PER_CONTACT {
            let from = format!("+1415555{:04}", 1000 + c);
            deliveries.push(Harness::message_for(
                &from,
                &format!("SM{c}-{m}"),
                "where is my order?",
            ));
        }
    }
    let unique = deliveries.len();
    let duplicates: Vec<_> = deliveries
        .iter()
        .step_by(10)
        .flat_map(|m| [m.clone(), m.clone(), m.clone()])
        .collect();
    deliveries.extend(duplicates);
    assert_eq!(deliveries.len(), unique * 13 / 10, "30% duplicates");
    shuffle(&mut deliveries);
    let chunk = deliveries.len().div_ceil(8);
    let tasks: Vec<_> = deliveries
        .chunks(chunk)
        .enumerate()
        .map(|(i, chunk)| {
            let inbox = Arc::clone(&inboxes[i % 2]);
            let chunk = chunk.to_vec();
            tokio::spawn(async move {
                let mut duplicates = 0;
                for message in chunk {
                    duplicates +=
                        usize::from(inbox.handle_inbound(&message).await.unwrap().duplicate);
                }
                duplicates
            })
        })
        .collect();
    let mut duplicates = 0;
    for task in tasks {
        duplicates += task.await.unwrap();
    }
    assert_eq!(
        duplicates,
        deliveries.len() - unique,
        "every repeat is acknowledged as a duplicate"
    );
    let store = &replicas[1];
    let all = ConversationQuery {
        limit: 10_000,
        ..ConversationQuery::default()
    };
    let conversations = store.conversations(tenant.id, &all).await.unwrap();
    assert_eq!(
        conversations.len(),
        CONTACTS,
        "one conversation per contact"
    );
    let mut messages = HashSet::new();
    for row in &conversations {
        let contact = row.conversation.contact;
        let timeline = store.timeline(tenant.id, contact, 10_000).await.unwrap();
        assert_eq!(timeline.len(), PER_CONTACT, "each message stored once");
        messages.extend(timeline.into_iter().map(|m| m.provider_message_id));
        let stored = store.contact(tenant.id, contact).await.unwrap().unwrap();
        assert_eq!(
            stored.version, PER_CONTACT as u64,
            "one contact version per stored message"
        );
    }
    assert_eq!(messages.len(), unique);
    let contacts = store
        .search_contacts(tenant.id, "+1415555", 10_000)
        .await
        .unwrap();
    assert_eq!(contacts.len(), CONTACTS, "one contact per number");
}

/// A fixed shuffle, so a failure can be replayed.
fn shuffle<T>(items: &mut [T]) {
    let mut state = 0x2545_f491_u64;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_on_one_memory_store_ingest_duplicated_webhooks_exactly_once() {
    let store: Arc<dyn Store> = Arc::new(msgcore::store::MemoryStore::new());
    replicas_ingest_duplicated_webhooks_exactly_once([Arc::clone(&store), store]).await;
}
