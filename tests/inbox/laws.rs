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

/// Many tasks deliver the same webhooks at once, each several times, shuffled.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicated_webhooks_create_each_contact_conversation_and_message_once() {
    let h = Harness::new().await;
    let inbox = Arc::new(h.inbox);
    let contacts = 20;
    let per_contact = 10;
    let mut deliveries = Vec::new();
    for c in 0..contacts {
        for m in 0..per_contact {
            let from = format!("+1415555{:04}", 1000 + c);
            let mut message = Harness::message_for(&from, &format!("SM{c}-{m}"), "hello");
            message.provider_message_id = format!("SM{c}-{m}");
            let copies = if (c + m) % 3 == 0 { 2 } else { 1 };
            for _ in 0..copies {
                deliveries.push(message.clone());
            }
        }
    }
    // A fixed shuffle, so a failure can be replayed.
    let mut state = 0x2545_f491_u64;
    for i in (1..deliveries.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        deliveries.swap(i, (state % (i as u64 + 1)) as usize);
    }
    let chunks: Vec<Vec<_>> = deliveries
        .chunks(deliveries.len().div_ceil(8))
        .map(<[_]>::to_vec)
        .collect();
    let tasks: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let inbox: Arc<Inbox> = Arc::clone(&inbox);
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
    let expected_duplicates = deliveries.len() - contacts * per_contact;
    assert_eq!(duplicates, expected_duplicates);
    let all = ConversationQuery {
        limit: 1_000,
        ..ConversationQuery::default()
    };
    let conversations = h.store.conversations(h.tenant.id, &all).await.unwrap();
    assert_eq!(
        conversations.len(),
        contacts,
        "one conversation per contact"
    );
    let mut messages = HashSet::new();
    for row in &conversations {
        let timeline = h
            .store
            .timeline(h.tenant.id, row.conversation.contact, 1_000)
            .await
            .unwrap();
        assert_eq!(timeline.len(), per_contact, "each message stored once");
        messages.extend(timeline.into_iter().map(|m| m.provider_message_id));
        let contact = h
            .store
            .contact(h.tenant.id, row.conversation.contact)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            contact.version, per_contact as u64,
            "one contact version per stored message"
        );
    }
    assert_eq!(messages.len(), contacts * per_contact);
}
