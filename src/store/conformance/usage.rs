//! Checks of usage records: [`Store::usage`], written by
//! [`Store::finish_outbox`] and [`Store::record_status`].

use chrono::{DateTime, TimeDelta, Utc};

use super::{contact, conversation, creation, outbound, outbox_for, put, t0, tenant};
use crate::core::channel::Channel;
use crate::core::delivery::{DeliveryStatus, StatusUpdate};
use crate::core::usage::{Billing, Pricing, PricingCategory, UsageLine};
use crate::model::{MessageRecord, ProviderName};
use crate::store::{DispatchOutcome, Store};

pub(super) fn billed(message: MessageRecord, billing: Billing) -> MessageRecord {
    MessageRecord {
        channel: billing.channel,
        billing: Some(billing),
        ..message
    }
}

pub(super) fn billing(
    channel: Channel,
    segments: u32,
    category: Option<PricingCategory>,
) -> Billing {
    Billing {
        channel,
        country: Some("US".into()),
        segments,
        category,
        billable: true,
    }
}

pub(super) fn line(
    channel: Channel,
    category: Option<PricingCategory>,
    counts: [u64; 3],
) -> UsageLine {
    let [messages, segments, charged_units] = counts;
    UsageLine {
        channel,
        country: Some("US".into()),
        category,
        messages,
        segments,
        charged_units,
    }
}

/// A billed message is counted once, from the first report that it was sent,
/// whichever path reports it; a failure is never counted; Meta's pricing
/// sets the category and the charge; only the tenant's messages sent in the
/// window are counted.
pub async fn a_sent_message_is_counted_once_by_channel_country_and_category<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant();
    put(store, &t).await;
    let c = contact(t.id, "+14155550151");
    let conv = conversation(&c, t0());
    let sms = billed(outbound(&conv, "two"), billing(Channel::Sms, 2, None));
    let failed = billed(outbound(&conv, "never"), billing(Channel::Sms, 1, None));
    let template = billed(outbound(&conv, "tpl"), billing(Channel::WhatsApp, 1, None));
    let free = billed(
        outbound(&conv, "free"),
        billing(Channel::WhatsApp, 1, Some(PricingCategory::Service)),
    );
    let mut changes = creation(
        &c,
        &conv,
        vec![sms.clone(), failed.clone(), template.clone(), free.clone()],
    );
    // `free` is never handed to a dispatcher: a status callback alone says
    // it was sent.
    changes.outbox = [&sms, &failed, &template]
        .iter()
        .map(|m| outbox_for(m, c.phone, t0()))
        .collect();
    store.commit(changes).await.expect("commit");

    let at = t0() + TimeDelta::minutes(1);
    let sent = |message: &MessageRecord| DispatchOutcome::Sent {
        provider: ProviderName::TWILIO,
        provider_message_id: format!("id-{}", message.id.as_uuid().simple()),
    };
    let failure = DispatchOutcome::Failed {
        code: Some("30003".into()),
        error: "unreachable".into(),
    };
    // One recipient's SMS leave one after another: two claims.
    let outcomes = vec![
        (&sms, sent(&sms)),
        (&template, sent(&template)),
        (&failed, failure),
    ];
    dispatch(store, outcomes, at).await;

    let later = at + TimeDelta::minutes(1);
    let delivered = StatusUpdate::new(DeliveryStatus::Delivered, later);
    store
        .record_status(t.id, sms.id, &delivered, None)
        .await
        .expect("delivered");
    let utility = Pricing {
        billable: Some(true),
        category: PricingCategory::Utility,
        model: Some("PMP".into()),
    };
    store
        .record_status(t.id, template.id, &delivered, Some(&utility))
        .await
        .expect("priced");
    let not_charged = Pricing {
        billable: Some(false),
        category: PricingCategory::Service,
        model: None,
    };
    let read = StatusUpdate::new(DeliveryStatus::Read, later);
    store
        .record_status(t.id, free.id, &read, Some(&not_charged))
        .await
        .expect("read");

    let day = |from, hours| {
        let until = from + TimeDelta::hours(hours);
        async move { store.usage(t.id, from, until).await.expect("usage") }
    };
    assert_eq!(
        day(t0(), 1).await,
        vec![
            line(Channel::Sms, None, [1, 2, 2]),
            line(Channel::WhatsApp, Some(PricingCategory::Utility), [1, 1, 1]),
            line(Channel::WhatsApp, Some(PricingCategory::Service), [1, 1, 0]),
        ],
        "each sent message once, the failure never, Meta's pricing kept"
    );
    assert_eq!(
        day(later, 1).await,
        vec![line(
            Channel::WhatsApp,
            Some(PricingCategory::Service),
            [1, 1, 0]
        )],
        "a message is counted from when it was first reported sent, and a window includes its start"
    );
    let before_the_sends = store.usage(t.id, t0(), at).await.expect("usage");
    assert!(before_the_sends.is_empty(), "a window excludes its end");
    let other = tenant();
    put(store, &other).await;
    let theirs = store
        .usage(other.id, t0(), t0() + TimeDelta::hours(1))
        .await
        .expect("usage");
    assert!(theirs.is_empty(), "one tenant never sees another's usage");
}

/// Claims until every message's item has come up, and records its outcome.
async fn dispatch<S: Store + ?Sized>(
    store: &S,
    mut outcomes: Vec<(&MessageRecord, DispatchOutcome)>,
    at: DateTime<Utc>,
) {
    for _ in 0..outcomes.len() {
        let claimed = store
            .claim_outbox(at, TimeDelta::minutes(5), 1_000)
            .await
            .expect("claim");
        for item in claimed {
            let Some(position) = outcomes.iter().position(|(m, _)| m.id == item.message) else {
                continue;
            };
            let (message, outcome) = outcomes.swap_remove(position);
            let finished = store
                .finish_outbox(message.tenant, message.id, item.attempts, &outcome, at)
                .await
                .expect("finish");
            assert!(finished, "the standing claim's answer is recorded");
        }
    }
    assert!(outcomes.is_empty(), "every message was claimed");
}
