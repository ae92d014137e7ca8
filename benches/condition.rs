//! Condition speed: an audience-sized condition (nested `all`/`any` over the
//! channel, tags, attributes and presence) evaluated against one contact, the
//! campaign case of one condition and thousands of contacts; and checking it
//! once from JSON.
//!
//! `cargo bench --bench condition`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use msgcore::Channel;
use msgcore::core::condition::Condition;
use msgcore::model::Contact;
use serde_json::{Value, json};

#[path = "support/ada.rs"]
mod support;

/// WhatsApp VIPs or partners on a gold plan (or regulars in a San city) who
/// have an e-mail and never gave a reason to unsubscribe: 9 tests in 5 groups.
fn audience() -> Value {
    json!({"all": [
        {"field": "channel", "op": "equals", "value": "whatsapp"},
        {"any": [
            {"field": "tags", "op": "contains", "value": "VIP"},
            {"field": "tags", "op": "in", "value": ["wholesale", "partner", "reseller"]}
        ]},
        {"any": [
            {"field": "attributes.plan", "op": "in", "value": ["gold", "platinum"]},
            {"all": [
                {"field": "attributes.visits", "op": "equals", "value": 12},
                {"field": "attributes.city", "op": "starts_with", "value": "San "}
            ]}
        ]},
        {"field": "email", "op": "is_present"},
        {"field": "attributes.unsubscribe_reason", "op": "is_absent"}
    ]})
}

/// A contact as an import leaves one: mixed-case tags, a dozen attributes.
fn contact(tags: &[&str]) -> Contact {
    let mut contact = support::ada(tags);
    contact.email = Some("Ada@Example.com".into());
    let attributes = json!({
        "plan": "Gold", "visits": 12, "city": "San Francisco", "country": "US",
        "language": "en", "source": "csv_import", "lifetime_value": 1830.5,
        "newsletter": true, "birthday": "1815-12-10", "store": "Union Square",
        "segment": "B2C", "referrer": "friend"
    });
    if let Value::Object(attributes) = attributes {
        contact.attributes = attributes.into_iter().collect();
    }
    contact
}

fn evaluate(c: &mut Criterion) {
    let condition = Condition::from_json(&audience()).unwrap();
    let mut group = c.benchmark_group("condition/evaluate");
    let vip = contact(&["Newsletter", "Retail", "VIP"]);
    let subject = vip.subject(Channel::WhatsApp);
    assert!(condition.matches(&subject));
    group.bench_function("matching_contact", |b| {
        b.iter(|| black_box(&condition).matches(black_box(&subject)))
    });
    // No tag matches: every tag is compared under both tests of the first `any`.
    let other = contact(&["Newsletter", "Retail", "Straße", "Spring 2025"]);
    let subject = other.subject(Channel::WhatsApp);
    assert!(!condition.matches(&subject));
    group.bench_function("contact_without_the_tags", |b| {
        b.iter(|| black_box(&condition).matches(black_box(&subject)))
    });
    group.finish();
}

fn check(c: &mut Criterion) {
    let json = audience();
    c.bench_function("condition/check_from_json", |b| {
        b.iter(|| Condition::from_json(black_box(&json)))
    });
}

criterion_group!(benches, evaluate, check);
criterion_main!(benches);
