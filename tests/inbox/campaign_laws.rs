//! Consent is absolute on the campaign path (SPEC §2, §18): whatever mix of
//! imports, campaigns, keywords and time, no campaign message is ever queued
//! for a channel whose consent is off.

use std::ops::ControlFlow;

use chrono::TimeDelta;
use msgcore::core::campaign::CampaignDefinition;
use msgcore::core::channel::Channel;
use msgcore::core::import::ImportOptions;
use msgcore::model::{MessageOrigin, TenantRef};
use msgcore::store::Store;
use proptest::prelude::*;

use crate::harness::{Harness, WHATSAPP_NUMBER, e164};

const PEOPLE: u32 = 4;

#[derive(Debug, Clone)]
enum Step {
    /// A CSV row for person `n`, opting in SMS and/or WhatsApp (or not).
    Import(u32, bool, bool),
    /// A keyword (or any text) from person `n` on a channel.
    Inbound(u32, Channel, &'static str),
    /// A campaign to everyone on a channel, paced or not.
    Campaign(Channel, Option<u32>),
    /// The scheduler runs every campaign.
    Run,
    /// Time passes.
    Wait(i64),
    /// Person `n`'s contact is deleted.
    Delete(u32),
}

fn phone(n: u32) -> String {
    format!("+1415555{:04}", 700 + n)
}

fn channel() -> impl Strategy<Value = Channel> {
    prop_oneof![Just(Channel::Sms), Just(Channel::WhatsApp)]
}

fn step() -> impl Strategy<Value = Step> {
    let person = 0..PEOPLE;
    let texts = prop::sample::select(vec!["STOP", "START", "stop all", "UNSTOP", "HELP", "hi"]);
    prop_oneof![
        (person.clone(), any::<bool>(), any::<bool>()).prop_map(|(n, s, w)| Step::Import(n, s, w)),
        (person, channel(), texts).prop_map(|(n, c, t)| Step::Inbound(n, c, t)),
        (channel(), proptest::option::of(1u32..3)).prop_map(|(c, p)| Step::Campaign(c, p)),
        Just(Step::Run),
        Just(Step::Run),
        (1i64..90).prop_map(Step::Wait),
        (0..PEOPLE).prop_map(Step::Delete),
    ]
}

async fn apply(h: &Harness, step: &Step, campaigns: &mut u32) {
    match *step {
        Step::Import(n, sms, whatsapp) => {
            let csv = format!(
                "phone,name,smsOptedIn,optedIn\n{},Ada,{sms},{whatsapp}\n",
                phone(n)
            );
            let options = ImportOptions::default();
            let go_on = |_| ControlFlow::Continue(());
            h.inbox
                .import_contacts(h.tenant.id, csv.as_bytes(), &options, go_on)
                .await
                .unwrap();
        }
        Step::Inbound(n, channel, text) => {
            let id = format!("SMlaw{}", h.clock_now().timestamp_nanos_opt().unwrap_or(0));
            let mut message = Harness::message_for(&phone(n), &id, text);
            if channel == Channel::WhatsApp {
                message.channel = channel;
                message.tenant = TenantRef::Number(e164(WHATSAPP_NUMBER));
            }
            h.inbox.handle_inbound(&message).await.unwrap();
            h.advance(TimeDelta::seconds(1));
        }
        Step::Campaign(channel, per_minute) => {
            *campaigns += 1;
            let definition: CampaignDefinition = serde_json::from_value(serde_json::json!({
                "id": format!("c{campaigns}"), "channel": channel, "kind": "transactional",
                "text": "Hi {name}", "per_minute": per_minute,
            }))
            .unwrap();
            h.inbox
                .create_campaign(h.tenant.id, definition)
                .await
                .unwrap();
        }
        Step::Run => {
            h.inbox.run_campaigns().await.unwrap();
        }
        Step::Wait(minutes) => h.advance(TimeDelta::minutes(minutes)),
        Step::Delete(n) => {
            let found = h
                .inbox
                .contact_by_phone(h.tenant.id, &e164(&phone(n)))
                .await;
            if let Some(contact) = found.unwrap() {
                h.inbox
                    .delete_contact(h.tenant.id, contact.id)
                    .await
                    .unwrap();
            }
        }
    }
}

/// Every campaign message of every person, with its channel.
async fn campaign_messages(h: &Harness) -> Vec<(u32, Channel, msgcore::model::MessageId)> {
    let mut found = Vec::new();
    for n in 0..PEOPLE {
        let Some(contact) = h
            .store
            .contact_by_phone(h.tenant.id, &e164(&phone(n)))
            .await
            .unwrap()
        else {
            continue;
        };
        let timeline = h
            .store
            .timeline(h.tenant.id, contact.id, 1_000)
            .await
            .unwrap();
        for message in timeline {
            if message.origin == MessageOrigin::Automation {
                found.push((n, message.channel, message.id));
            }
        }
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_campaign_message_is_queued_for_a_channel_whose_consent_is_off(
        steps in prop::collection::vec(step(), 1..30),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let h = Harness::new().await;
            let mut campaigns = 0;
            let mut seen = std::collections::HashSet::new();
            for step in &steps {
                apply(&h, step, &mut campaigns).await;
                // Only a run queues campaign messages, and nothing changes
                // consent between the run and this check: the consent now is
                // the consent the messages were queued under.
                for (n, channel, id) in campaign_messages(&h).await {
                    if !seen.insert(id) {
                        continue;
                    }
                    let contact = h
                        .store
                        .contact_by_phone(h.tenant.id, &e164(&phone(n)))
                        .await
                        .unwrap()
                        .unwrap();
                    prop_assert!(
                        !contact.is_deleted(),
                        "person {} was queued a campaign message after their contact was deleted, after {:?}",
                        n, step
                    );
                    prop_assert!(
                        contact.consent.state().allows(channel),
                        "person {} was queued a campaign message on {:?} without consent, after {:?}",
                        n, channel, step
                    );
                }
            }
            Ok(())
        })?;
    }
}

#[tokio::test]
async fn the_laws_steps_do_queue_campaign_messages_when_consent_allows() {
    let h = Harness::new().await;
    let mut campaigns = 0;
    let steps = [
        Step::Import(0, true, false),
        Step::Import(1, true, false),
        Step::Inbound(1, Channel::Sms, "STOP"),
        Step::Campaign(Channel::Sms, None),
        Step::Run,
    ];
    for step in &steps {
        apply(&h, step, &mut campaigns).await;
    }
    let queued = campaign_messages(&h).await;
    assert_eq!(queued.len(), 1, "person 0 only: {queued:?}");
    assert_eq!((queued[0].0, queued[0].1), (0, Channel::Sms));
}
