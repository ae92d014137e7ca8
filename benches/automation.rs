//! Automation speed: deciding which rules one inbound SMS fires, with 10, 100
//! and 1,000 rules, when every rule is on `inbound_sms` (each condition is
//! evaluated: the cost grows with the rules) and when every rule is on another
//! trigger (the index skips them all: the cost must stay flat).
//!
//! `cargo bench --bench automation`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use msgcore::Channel;
use msgcore::core::automation::{Rule, RuleSet};
use msgcore::core::trigger::Trigger;
use msgcore::core::webhook_endpoint::UrlPolicy;
use serde_json::json;

#[path = "support/ada.rs"]
mod support;

/// 160 characters, as an SMS; it contains "price", which one rule in ten asks for.
const MESSAGE: &str = "Hi, I saw your ad for the spring sale. What is the price of the large \
                       planter in green, and can you deliver it to Union Square by Friday morning, \
                       please? Thanks";

/// Which trigger the `i`th rule of a set is on.
type TriggerOf = fn(usize) -> &'static str;

const OTHER_TRIGGERS: [&str; 7] = [
    "inbound_whatsapp",
    "opted_out",
    "opted_in",
    "conversation_opened",
    "conversation_resolved",
    "message_failed",
    "call_completed",
];

/// `count` rules on the triggers `trigger(i)` names: half test the message
/// (`text contains "price"` one time in ten, another word otherwise), half
/// test a tag (the contact has one in ten of them), each tagging and replying.
fn rules(count: usize, trigger: impl Fn(usize) -> &'static str) -> RuleSet {
    let rules = (0..count)
        .map(|i| {
            let word = if i % 10 == 0 {
                "price".to_owned()
            } else {
                format!("word{i}")
            };
            let conditions = if i % 2 == 0 {
                json!({"field": "text", "op": "contains", "value": word})
            } else {
                json!({"field": "tags", "op": "contains", "value": format!("tag{}", i % 30)})
            };
            let json = json!({
                "id": format!("rule-{i}"), "trigger": trigger(i), "conditions": conditions,
                "actions": [{"add_tag": "lead"}, {"send": {"text": "Hi {name}, thanks!"}}]
            });
            Rule::from_json(&json, UrlPolicy::PUBLIC).unwrap()
        })
        .collect();
    RuleSet::compile(rules).unwrap()
}

fn evaluate(c: &mut Criterion) {
    assert_eq!(MESSAGE.chars().count(), 160);
    let contact = support::ada(&["Customer", "tag3", "Newsletter"]);
    let subject = contact.subject(Channel::Sms).with_text(MESSAGE);
    let groups: [(&str, TriggerOf); 2] = [
        ("automation/inbound_sms_rules", |_| "inbound_sms"),
        ("automation/other_trigger_rules", |i| OTHER_TRIGGERS[i % 7]),
    ];
    for (name, trigger) in groups {
        let mut group = c.benchmark_group(name);
        for count in [10, 100, 1_000] {
            let set = rules(count, trigger);
            group.bench_with_input(BenchmarkId::from_parameter(count), &set, |b, set| {
                b.iter(|| set.fired(Trigger::InboundSms, black_box(&subject)).count())
            });
        }
        group.finish();
    }
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
