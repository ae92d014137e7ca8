//! Audiences (SPEC §12, §18): the tenant's contacts with any of some tags,
//! all of others, a condition and consent, page after page in creation order.

use chrono::TimeDelta;
use msgcore::core::audience::Audience;
use msgcore::core::campaign::CampaignDefinition;
use msgcore::engine::EditedBy;
use msgcore::model::{ContactEdit, ContactId};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::harness::{Harness, e164};

/// Person `n`: tags, a city and SMS consent, created a minute after `n - 1`.
async fn person(h: &Harness, n: u32, tags: &[&str], city: &str, sms: bool) -> ContactId {
    let edit = ContactEdit {
        name: Some(format!("Person {n}")),
        add_tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        attributes: [("city".to_owned(), json!(city))].into(),
        sms_opted_in: Some(sms),
        ..ContactEdit::default()
    };
    let edited = h
        .inbox
        .edit_contact(
            h.tenant.id,
            e164(&format!("+1415555{:04}", 800 + n)),
            &edit,
            &EditedBy::Api,
        )
        .await
        .unwrap();
    h.advance(TimeDelta::minutes(1));
    edited.contact.id
}

fn audience(value: Value) -> Audience {
    serde_json::from_value(value).unwrap()
}

/// Every contact of `audience`, read `limit` at a time.
async fn page_through(h: &Harness, audience: &Audience, limit: usize) -> Vec<ContactId> {
    let mut ids = Vec::new();
    let mut after = None;
    for _ in 0..1_000 {
        let page = h
            .inbox
            .audience(h.tenant.id, audience, after, limit)
            .await
            .unwrap();
        assert!(page.contacts.len() <= limit);
        ids.extend(page.contacts.iter().map(|c| c.id));
        match page.next {
            Some(next) => after = Some(next),
            None => return ids,
        }
    }
    panic!("the pages never ended");
}

#[tokio::test]
async fn an_audience_admits_by_tags_condition_and_consent_in_creation_order() {
    let h = Harness::new().await;
    let ann = person(&h, 1, &["vip", "newsletter"], "Lisbon", true).await;
    let bo = person(&h, 2, &["vip"], "Lisbon", true).await;
    let cy = person(&h, 3, &["lead", "newsletter"], "lisbon ", false).await;
    let di = person(&h, 4, &["lead", "newsletter"], "Porto", true).await;
    let ed = person(&h, 5, &[], "Lisbon", true).await;

    let everyone = Audience::default();
    assert_eq!(page_through(&h, &everyone, 2).await, [ann, bo, cy, di, ed]);
    let lisbon = json!({"field": "attributes.city", "op": "equals", "value": "LISBON"});
    let cases = [
        (json!({"tags": ["vip", "lead"]}), vec![ann, bo, cy, di]),
        (json!({"all_tags": ["newsletter", "lead"]}), vec![cy, di]),
        (
            json!({"tags": ["vip", "lead"], "all_tags": ["newsletter"]}),
            vec![ann, cy, di],
        ),
        (json!({"condition": lisbon}), vec![ann, bo, cy, ed]),
        (
            json!({"condition": lisbon, "opted_in": "sms"}),
            vec![ann, bo, ed],
        ),
        (
            json!({"all_tags": ["newsletter"], "condition": lisbon, "opted_in": "sms"}),
            vec![ann],
        ),
        (json!({"opted_in": "whatsapp"}), vec![]),
    ];
    for (value, expected) in cases {
        for limit in [1, 2, 10] {
            assert_eq!(
                page_through(&h, &audience(value.clone()), limit).await,
                expected,
                "{value} by {limit}"
            );
        }
    }
}

#[tokio::test]
async fn a_campaign_freezes_only_the_contacts_its_audience_admits() {
    let h = Harness::new().await;
    person(&h, 1, &["vip"], "Lisbon", true).await;
    person(&h, 2, &["vip"], "Porto", true).await;
    person(&h, 3, &["vip"], "Lisbon", false).await;
    let definition: CampaignDefinition = serde_json::from_value(json!({
        "id": "lisbon", "channel": "sms", "text": "Olá {name}",
        "audience": {"tags": ["vip"],
                     "condition": {"field": "attributes.city", "op": "equals", "value": "lisbon"}},
    }))
    .unwrap();
    let counts = h
        .inbox
        .create_campaign(h.tenant.id, definition)
        .await
        .unwrap();
    assert_eq!(counts.recipients, 2, "Porto is not in the audience");
    assert_eq!(counts.pending, 1);
    assert_eq!(
        serde_json::to_value(counts.skipped).unwrap(),
        json!({"opted_out": 1})
    );
}

#[tokio::test]
async fn a_condition_that_does_not_check_refuses_the_campaign_with_its_path() {
    let value = json!({
        "id": "c", "channel": "sms", "text": "Hi",
        "audience": {"condition": {"any": [{"field": "tags", "op": "in", "value": "vip"}]}},
    });
    let error = serde_json::from_value::<CampaignDefinition>(value).unwrap_err();
    assert!(error.to_string().contains("any[0].value"), "{error}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// However an audience is paged, the pages are the audience read at
    /// once: each admitted contact once, in creation order.
    #[test]
    fn paging_an_audience_never_loses_or_repeats_a_contact(
        people in prop::collection::vec((0..4usize, any::<bool>(), any::<bool>()), 0..25),
        limit in 1usize..7,
        which in 0..4usize,
    ) {
        let tag_sets: [&[&str]; 4] = [&[], &["vip"], &["lead"], &["vip", "lead"]];
        let audiences = [
            json!({}),
            json!({"tags": ["vip"]}),
            json!({"all_tags": ["vip", "lead"], "opted_in": "sms"}),
            json!({"condition": {"field": "attributes.city", "op": "equals", "value": "lisbon"}}),
        ];
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let h = Harness::new().await;
            for (n, (tags, sms, lisbon)) in people.iter().enumerate() {
                let city = if *lisbon { "Lisbon" } else { "Porto" };
                person(&h, n as u32, tag_sets[*tags], city, *sms).await;
            }
            let audience = audience(audiences[which].clone());
            let at_once = page_through(&h, &audience, 1_000).await;
            let paged = page_through(&h, &audience, limit).await;
            prop_assert_eq!(paged, at_once);
            Ok(())
        })?;
    }
}
