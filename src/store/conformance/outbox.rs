//! Checks of claims and outcomes many items at a time, as a busy dispatcher
//! makes them: [`Store::claim_outbox`] and [`Store::finish_outboxes`].
//!
//! As everywhere in the suite, its `expect`s are assertions: they fire only
//! when the store under test fails or breaks the contract, on the suite's own
//! fixtures, never on outside input.

use chrono::TimeDelta;

use super::usage::{billed, billing, line};
use super::{contact, conversation, creation, outbound, outbox_for, put, t0, tenant};
use crate::core::channel::Channel;
use crate::core::delivery::DeliveryStatus;
use crate::model::{MessageRecord, OutboxState, ProviderName};
use crate::store::{DispatchOutcome, OutboxFinish, Store};

/// More recipients than one statement's worth: 85 (64 + 16 + 4 + 1 rows).
const RECIPIENTS: usize = 85;

/// A claim of many recipients' items takes each once, and their outcomes
/// recorded in one call land on every item, message and usage record.
pub async fn many_recipients_items_are_claimed_and_finished_together<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let mut messages: Vec<MessageRecord> = Vec::with_capacity(RECIPIENTS);
    for r in 0..RECIPIENTS {
        let c = contact(t.id, &format!("+1415555{:04}", 2000 + r));
        let conv = conversation(&c, t0());
        let message = billed(outbound(&conv, "hi"), billing(Channel::Sms, 1, None));
        let mut changes = creation(&c, &conv, vec![message.clone()]);
        changes.outbox = vec![outbox_for(&message, c.phone, t0())];
        store.commit(changes).await.expect("commit");
        messages.push(message);
    }
    let at = t0() + TimeDelta::seconds(1);

    let claimed = store
        .claim_outbox(at, TimeDelta::minutes(5), 1_000)
        .await
        .expect("claim");
    let mine: Vec<_> = claimed.iter().filter(|i| i.tenant == t.id).collect();
    assert_eq!(mine.len(), RECIPIENTS, "each recipient's item once");
    assert!(
        mine.iter()
            .all(|i| i.attempts == 1 && matches!(i.state, OutboxState::InFlight { .. })),
        "every claimed item is in flight on its first attempt"
    );
    let again = store
        .claim_outbox(at, TimeDelta::minutes(5), 1_000)
        .await
        .expect("claim");
    assert!(
        again.iter().all(|i| i.tenant != t.id),
        "nothing is claimed twice while the leases hold"
    );

    let finishes: Vec<OutboxFinish> = mine
        .iter()
        .map(|item| OutboxFinish {
            tenant: t.id,
            message: item.message,
            attempt: item.attempts,
            outcome: DispatchOutcome::Sent {
                provider: ProviderName::TWILIO,
                provider_message_id: format!("SM{}", item.message.as_uuid().simple()),
            },
            now: at,
        })
        .collect();
    let recorded = store.finish_outboxes(&finishes).await.expect("finishes");
    assert_eq!(recorded, vec![true; RECIPIENTS], "every claim stood");

    for message in &messages {
        let item = store.outbox_item(t.id, message.id).await.expect("item");
        assert!(
            matches!(item.map(|i| i.state), Some(OutboxState::Sent { .. })),
            "every item is sent"
        );
        let provider_id = format!("SM{}", message.id.as_uuid().simple());
        let stored = store
            .message_by_provider_id(t.id, &ProviderName::TWILIO, &provider_id)
            .await
            .expect("message")
            .expect("found by its provider id");
        assert_eq!(stored.id, message.id);
        assert_eq!(stored.delivery.status(), Some(DeliveryStatus::Sent));
    }
    let usage = store
        .usage(t.id, t0(), t0() + TimeDelta::hours(1))
        .await
        .expect("usage");
    let n = RECIPIENTS as u64;
    assert_eq!(
        usage,
        vec![line(Channel::Sms, None, [n, n, n])],
        "each message counted once"
    );
}
