//! Checks of [`Store::analytics`]: what a tenant did in a time range, added
//! up from its conversations, messages, events and campaigns.
//!
//! As everywhere in the suite, the `expect`s are assertions on the store under
//! test (its answers, and the suite's own fixtures), never on outside input.

use chrono::TimeDelta;

use super::campaigns::campaign_of;
use super::{contact, conversation, creation, inbound, outbound, put, t0, tenant};
use crate::core::analytics::{
    Analytics, CampaignTally, ChannelTally, ConversationTally, CsatTally, MessageTally,
};
use crate::core::campaign::CampaignStatus;
use crate::core::channel::Channel;
use crate::core::consent::ConsentChange;
use crate::model::{Contact, InboxEvent, MessageRecord, Tenant};
use crate::store::Store;

/// One contact's conversation at `t0` with two SMS in, one SMS and one
/// WhatsApp message out, two CSAT answers (5 and 3), an SMS opt-out and a
/// WhatsApp opt-in, all at `t0`; and an active campaign created at `t0`.
async fn busy_contact<S: Store + ?Sized>(store: &S, tenant: &Tenant, phone: &str) -> Contact {
    let c = contact(tenant.id, phone);
    let conv = conversation(&c, t0());
    let whatsapp = MessageRecord {
        channel: Channel::WhatsApp,
        ..outbound(&conv, "on whatsapp")
    };
    let messages = vec![
        inbound(&conv, &format!("{phone}-1"), "hello"),
        inbound(&conv, &format!("{phone}-2"), "again"),
        outbound(&conv, "hi"),
        whatsapp,
    ];
    let mut changes = creation(&c, &conv, messages);
    for score in [5, 3] {
        let csat = InboxEvent::CsatRecorded {
            conversation: conv.id,
            score,
        };
        changes.push_event(t0(), csat);
    }
    for (channel, change) in [
        (Channel::Sms, ConsentChange::OptOut),
        (Channel::WhatsApp, ConsentChange::OptIn),
    ] {
        let consent = InboxEvent::ConsentChanged {
            contact: c.id,
            channel,
            change,
        };
        changes.push_event(t0(), consent);
    }
    store.commit(changes).await.expect("commit");
    let id = format!("promo-{}", &phone[phone.len() - 4..]);
    let (record, recipients, _) = campaign_of(store, tenant.id, &id, None, 0, &[]).await;
    store
        .create_campaign(&record, &recipients)
        .await
        .expect("create_campaign");
    c
}

/// Conversations created in the range (not deleted) by their status now,
/// messages by direction and channel, CSAT answers and their mean, opt-outs
/// by channel and campaigns by status are counted for the tenant alone, and
/// nothing from before the range or from `until` on.
pub async fn analytics_count_the_tenants_records_within_the_range<S: Store + ?Sized>(store: &S) {
    let (t, other) = (tenant(), tenant());
    put(store, &t).await;
    put(store, &other).await;
    busy_contact(store, &t, "+14155550171").await;
    busy_contact(store, &other, "+14155550172").await;

    let expected = Analytics {
        conversations: ConversationTally {
            open: 1,
            ..ConversationTally::default()
        },
        messages: MessageTally {
            inbound: ChannelTally {
                sms: 2,
                whatsapp: 0,
            },
            outbound: ChannelTally {
                sms: 1,
                whatsapp: 1,
            },
        },
        csat: CsatTally {
            responses: 2,
            score_sum: 8,
        },
        opt_outs: ChannelTally {
            sms: 1,
            whatsapp: 0,
        },
        campaigns: CampaignTally {
            active: 1,
            ..CampaignTally::default()
        },
    };
    let hour = TimeDelta::hours(1);
    let around = store.analytics(t.id, t0() - hour, t0() + hour).await;
    let seen = around.expect("analytics");
    assert_eq!(seen, expected, "the tenant's records in the range");
    assert_eq!(seen.csat.average(), Some(4.0));
    assert_eq!(seen.campaigns.active, 1, "{:?}", CampaignStatus::Active);

    let before = store.analytics(t.id, t0() - hour, t0()).await;
    assert_eq!(
        before.expect("analytics"),
        Analytics::default(),
        "until is excluded"
    );
    let after = store.analytics(t.id, t0() + TimeDelta::nanoseconds(1), t0() + hour);
    assert_eq!(after.await.expect("analytics"), Analytics::default());
}
