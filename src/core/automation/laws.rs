//! Laws of rule sets, on random rules drawn from small pools so that triggers
//! and conditions meet often: the index changes nothing (firing is exactly a
//! loop over every rule, filtering the trigger and then the conditions, in
//! order), and a rule written as JSON reads back the same.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

use super::*;
use crate::core::channel::Channel;
use crate::core::condition::Subject;
use crate::core::trigger::Trigger;
use crate::core::webhook_endpoint::UrlPolicy;

const WORDS: &[&str] = &[
    "price", "PRICE", " Price ", "order", "vip", "Vip", "lead", "stop",
];

const ACTIONS: &[fn(&str) -> Value] = &[
    |w| json!({"send": {"text": format!("Hi {{name}}, about {w}")}}),
    |w| json!({"add_tag": w}),
    |w| json!({"remove_tag": w}),
    |w| json!({"assign": w}),
    |_| json!({"resolve": true}),
    |_| json!({"handoff": "ai"}),
    |w| json!({"start_workflow": w}),
    |w| json!({"webhook": format!("https://crm.example.com/{}", w.trim())}),
];

fn trigger() -> impl Strategy<Value = Trigger> {
    select(&Trigger::ALL[..])
}

/// A test on the fields rules use most, or a group of them.
fn condition() -> impl Strategy<Value = Value> {
    let field = select(&["text", "tags", "channel"][..]);
    let op = select(&["equals", "contains", "starts_with", "is_present"][..]);
    let test = (field, op, select(WORDS)).prop_map(|(field, op, word)| match (field, op) {
        (_, "is_present") => json!({"field": field, "op": op}),
        ("channel", _) => json!({"field": "channel", "op": "equals", "value": "sms"}),
        _ => json!({"field": field, "op": op, "value": word}),
    });
    test.prop_recursive(2, 8, 3, |inner| {
        (any::<bool>(), vec(inner, 0..3))
            .prop_map(|(all, children)| json!({ if all { "all" } else { "any" }: children }))
    })
}

fn action() -> impl Strategy<Value = Value> {
    (select(ACTIONS), select(WORDS)).prop_map(|(make, word)| make(word))
}

/// A valid rule's JSON; `n` makes its id unique in a set.
fn rule_json(n: usize) -> impl Strategy<Value = Value> {
    (trigger(), option::of(condition()), vec(action(), 1..4)).prop_map(
        move |(trigger, conditions, actions)| {
            let mut json =
                json!({"id": format!("rule-{n}"), "trigger": trigger, "actions": actions});
            if let Some(conditions) = conditions {
                json["conditions"] = conditions;
            }
            json
        },
    )
}

fn rules() -> impl Strategy<Value = Vec<Rule>> {
    (0..12usize)
        .prop_flat_map(|count| (0..count).map(rule_json).collect::<Vec<_>>())
        .prop_map(|jsons| {
            jsons
                .iter()
                .map(|json| Rule::from_json(json, UrlPolicy::PUBLIC).expect("a valid rule"))
                .collect()
        })
}

/// A subject's data, owned.
#[derive(Debug, Clone)]
struct Data {
    channel: Option<Channel>,
    tags: Vec<String>,
    text: Option<String>,
}

impl Data {
    fn subject(&self) -> Subject<'_> {
        Subject {
            channel: self.channel,
            tags: &self.tags,
            text: self.text.as_deref(),
            ..Subject::default()
        }
    }
}

fn data() -> impl Strategy<Value = Data> {
    let channel = option::of(select(&[Channel::Sms, Channel::WhatsApp][..]));
    let tags = vec(select(WORDS).prop_map(str::to_owned), 0..3);
    let text = option::of(vec(select(WORDS), 0..4).prop_map(|words| words.join(" ")));
    (channel, tags, text).prop_map(|(channel, tags, text)| Data {
        channel,
        tags,
        text,
    })
}

proptest! {
    #[test]
    fn firing_is_a_loop_over_every_rule_filtering_trigger_then_conditions(
        rules in rules(),
        trigger in trigger(),
        data in data(),
    ) {
        let subject = data.subject();
        let naive: Vec<&str> = rules
            .iter()
            .filter(|rule| rule.trigger() == trigger)
            .filter(|rule| rule.conditions().is_none_or(|c| c.matches(&subject)))
            .map(Rule::id)
            .collect();
        let set = RuleSet::compile(rules.clone()).expect("unique ids");
        let fired: Vec<&str> = set.fired(trigger, &subject).map(Rule::id).collect();
        prop_assert_eq!(fired, naive);
        prop_assert_eq!(set.listens_to(trigger), rules.iter().any(|r| r.trigger() == trigger));
        prop_assert_eq!(set.len(), rules.len());
    }

    #[test]
    fn a_rule_written_as_json_reads_back_equal(json in rule_json(0)) {
        let rule = Rule::from_json(&json, UrlPolicy::PUBLIC).expect("a valid rule");
        let written = rule.to_json();
        prop_assert_eq!(&Rule::from_json(&written, UrlPolicy::PUBLIC).expect("reads back"), &rule);
        let through_serde: Rule = serde_json::from_str(&serde_json::to_string(&rule).expect("writes"))
            .expect("reads back");
        prop_assert_eq!(through_serde, rule);
    }
}
