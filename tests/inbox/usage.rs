//! Cost estimates and usage (SPEC §16): a campaign priced before it is
//! created, and the tenant's messages counted once sent.

use chrono::TimeDelta;
use msgcore::core::campaign::CampaignDefinition;
use msgcore::core::channel::Channel;
use msgcore::core::delivery::{DeliveryStatus, StatusUpdate};
use msgcore::core::plan::PlanLimits;
use msgcore::core::usage::{Pricing, PricingCategory, RateCard, UsageLine};
use msgcore::engine::EditedBy;
use msgcore::model::{
    ContactEdit, MessageRef, ProviderName, StatusCallback, TenantRef, TenantSettings,
};
use msgcore::store::{DispatchOutcome, Store};
use serde_json::{Value, json};

use crate::harness::{Harness, e164, t0};

async fn contact(h: &Harness, phone: &str, name: &str, sms: bool, whatsapp: bool) {
    let edit = ContactEdit {
        name: Some(name.to_owned()),
        add_tags: vec!["vip".into()],
        sms_opted_in: Some(sms),
        whatsapp_opted_in: Some(whatsapp),
        ..ContactEdit::default()
    };
    h.inbox
        .edit_contact(h.tenant.id, e164(phone), &edit, &EditedBy::Api)
        .await
        .unwrap();
}

fn card() -> RateCard {
    serde_json::from_value(json!({
        "currency": "USD",
        "sms": {"US": "0.0079", "GB": "0.04"},
        "whatsapp": {"marketing": {"US": "0.025"}, "utility": {"US": "0.004"}}
    }))
    .unwrap()
}

fn campaign(value: Value) -> CampaignDefinition {
    serde_json::from_value(value).unwrap()
}

fn lines(report: &msgcore::core::usage::CostReport) -> Value {
    serde_json::to_value(&report.lines).unwrap()
}

#[tokio::test]
async fn a_campaign_estimate_prices_each_recipients_own_text_by_segments_and_country() {
    let h = Harness::new().await;
    // "Hi Bo, …" fits one segment; the long name pushes Ann's text to two.
    contact(&h, "+14155550101", "Bo", true, false).await;
    contact(&h, "+14155550102", &"Ann".repeat(40), true, false).await;
    contact(&h, "+442079460123", "Cy", true, false).await;
    contact(&h, "+14155550104", "Di", false, false).await;
    let definition = campaign(json!({
        "id": "spring", "channel": "sms", "audience": {"tags": ["vip"]},
        "text": format!("Hi {{name}}, {} Reply STOP to opt out.", "x".repeat(100)),
    }));
    let estimate = h
        .inbox
        .estimate_campaign(h.tenant.id, &definition, &card())
        .await
        .unwrap();
    assert_eq!(estimate.counts.recipients, 4);
    assert_eq!(estimate.counts.pending, 3);
    assert_eq!(
        serde_json::to_value(&estimate.counts.skipped).unwrap(),
        json!({"opted_out": 1})
    );
    assert_eq!(
        lines(&estimate.cost),
        json!([
            {"channel": "sms", "country": "GB", "category": null,
             "messages": 1, "segments": 1, "charged_units": 1, "cost": "0.04"},
            {"channel": "sms", "country": "US", "category": null,
             "messages": 2, "segments": 3, "charged_units": 3, "cost": "0.0237"},
        ])
    );
    assert_eq!(estimate.cost.total.to_string(), "0.0637");
    assert_eq!(estimate.plan_limit, None);
    let created = h.inbox.campaign(h.tenant.id, "spring").await;
    assert!(created.is_err(), "an estimate creates nothing");
}

#[tokio::test]
async fn a_whatsapp_template_campaign_is_priced_as_marketing_or_as_utility_when_transactional() {
    let h = Harness::new().await;
    contact(&h, "+14155550101", "Bo", false, true).await;
    contact(&h, "+14155550102", "Al", false, true).await;
    let template = json!({"name": "promo", "language": "en_US"});
    for (kind, category, total) in [
        ("marketing", "marketing", "0.05"),
        ("transactional", "utility", "0.008"),
    ] {
        let definition = campaign(json!({
            "id": kind, "channel": "whatsapp", "template": template, "kind": kind,
        }));
        let estimate = h
            .inbox
            .estimate_campaign(h.tenant.id, &definition, &card())
            .await
            .unwrap();
        assert_eq!(
            lines(&estimate.cost)[0]["category"],
            json!(category),
            "{kind}"
        );
        assert_eq!(estimate.cost.total.to_string(), total, "{kind}");
    }
}

#[tokio::test]
async fn an_estimate_over_the_plan_says_the_campaign_would_be_refused() {
    let settings = TenantSettings {
        plan: PlanLimits::starter().with_max_broadcast_recipients(Some(2)),
        ..TenantSettings::default()
    };
    let h = Harness::with(settings, |b| b).await;
    for n in 1..=3 {
        contact(&h, &format!("+1415555010{n}"), "Bo", true, false).await;
    }
    let definition = campaign(json!({"id": "big", "channel": "sms", "text": "Hi {name}"}));
    let estimate = h
        .inbox
        .estimate_campaign(h.tenant.id, &definition, &card())
        .await
        .unwrap();
    let refused = estimate.plan_limit.expect("over the plan");
    assert_eq!((refused.max, refused.requested), (2, 3));
    assert_eq!(estimate.cost.total.to_string(), "0.0237");
}

#[tokio::test]
async fn usage_counts_each_sent_message_once_and_takes_metas_category() {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "hello").await;
    h.text_in(Channel::WhatsApp, "hello").await;
    let sms = h
        .send(Channel::Sms, &"x".repeat(200))
        .await
        .unwrap()
        .message;
    let whatsapp = h.send(Channel::WhatsApp, "hi there").await.unwrap().message;
    assert_eq!(sms.billing.as_ref().map(|b| b.segments), Some(2));

    // The dispatcher's part: claim both and record that they were sent.
    let now = h.clock_now();
    let claimed = h
        .store
        .claim_outbox(now, TimeDelta::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);
    for item in &claimed {
        let sent = DispatchOutcome::Sent {
            provider: ProviderName::TWILIO,
            provider_message_id: format!("SM{}", item.message.as_uuid().simple()),
        };
        let recorded = h
            .store
            .finish_outbox(h.tenant.id, item.message, item.attempts, &sent, now)
            .await
            .unwrap();
        assert!(recorded);
    }
    // Meta says the reply was free, in the service window; twice.
    let callback = StatusCallback {
        tenant: TenantRef::Id(h.tenant.id),
        message: MessageRef::Id(whatsapp.id),
        update: StatusUpdate::new(DeliveryStatus::Delivered, now),
        opted_out: false,
        pricing: Some(Pricing {
            billable: Some(false),
            category: PricingCategory::Service,
            model: Some("PMP".into()),
        }),
    };
    h.inbox.on_status(&callback).await.unwrap();
    h.inbox.on_status(&callback).await.unwrap();

    let usage = h
        .inbox
        .usage(h.tenant.id, t0(), now + TimeDelta::seconds(1))
        .await
        .unwrap();
    let line = |channel, category, counts: [u64; 3]| UsageLine {
        channel,
        country: Some("US".into()),
        category,
        messages: counts[0],
        segments: counts[1],
        charged_units: counts[2],
    };
    assert_eq!(
        usage,
        vec![
            line(Channel::Sms, None, [1, 2, 2]),
            line(Channel::WhatsApp, Some(PricingCategory::Service), [1, 1, 0]),
        ]
    );
    let report = card().price(usage);
    assert_eq!(report.total.to_string(), "0.0158");
    assert_eq!(report.unpriced_messages, 0, "a free message needs no price");
}

#[tokio::test]
async fn a_queued_campaign_template_is_billed_in_the_campaigns_category() {
    let h = Harness::new().await;
    contact(&h, "+14155550101", "Bo", true, true).await;
    let template = json!({"name": "notice", "language": "en_US"});
    for (id, channel, kind, category) in [
        (
            "wa",
            "whatsapp",
            "transactional",
            Some(PricingCategory::Utility),
        ),
        ("sms", "sms", "transactional", None),
    ] {
        let mut definition = json!({"id": id, "channel": channel, "kind": kind});
        match channel {
            "whatsapp" => definition["template"] = template.clone(),
            _ => definition["text"] = json!("Your order shipped"),
        }
        h.inbox
            .create_campaign(h.tenant.id, campaign(definition))
            .await
            .unwrap();
        h.inbox.run_campaign(h.tenant.id, id).await.unwrap();
        let queued = h
            .store
            .message_by_client_id(h.tenant.id, &format!("{id}:+14155550101"))
            .await
            .unwrap()
            .expect("queued");
        let billing = queued.billing.expect("billed");
        assert_eq!(billing.category, category, "{id}");
    }
}
