//! Laws of conditions, on random subjects and conditions drawn from small pools
//! so that they meet often: the operators negate each other where SPEC §18 says
//! so, groups are iterator `all`/`any`, De Morgan holds, `in` is a disjunction of
//! `equals`, case and padding never matter, and a serialized condition reads back
//! the same.

use std::collections::BTreeMap;

use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

use super::*;
use crate::core::channel::Channel;

/// Words that differ only by case, padding or folding (`ß`/`SS`, `É`/`é`) meet.
const WORDS: &[&str] = &[
    "ada",
    "ADA",
    " Ada ",
    "ada lovelace",
    "Ada  Lovelace",
    "école",
    "ÉCOLE",
    "straße",
    "STRASSE",
    "vip",
    "Vip",
    "gold",
    "12",
    "+1415",
    "+14155550100",
];

pub(super) const FIELDS: &[&str] = &[
    "name",
    "first_name",
    "phone",
    "email",
    "company",
    "channel",
    "tags",
    "text",
    "attributes.plan",
    "attributes.visits",
    "attributes.langs",
    "answer",
];

pub(super) const OPS: &[&str] = &[
    "equals",
    "not_equals",
    "contains",
    "starts_with",
    "in",
    "is_present",
    "is_absent",
];

/// The operators that have a negation among them.
const NEGATABLE_OPS: &[&str] = &["equals", "not_equals", "is_present", "is_absent"];

/// A subject's data, owned.
#[derive(Debug, Clone)]
struct Data {
    name: Option<String>,
    first_name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    company: Option<String>,
    channel: Option<Channel>,
    tags: Vec<String>,
    attributes: BTreeMap<String, Value>,
    text: Option<String>,
    saved: BTreeMap<String, String>,
}

impl Data {
    fn subject(&self) -> Subject<'_> {
        Subject {
            name: self.name.as_deref(),
            first_name: self.first_name.as_deref(),
            phone: self.phone.as_deref(),
            email: self.email.as_deref(),
            company: self.company.as_deref(),
            channel: self.channel,
            tags: &self.tags,
            attributes: Some(&self.attributes),
            text: self.text.as_deref(),
            saved_replies: Some(&self.saved),
        }
    }

    /// The same data shouted and padded: every text upper-cased, with white space around.
    fn shouted(&self) -> Data {
        let shout = |text: &String| format!(" \t{} ", text.to_uppercase());
        let shout_json = |value: &Value| match value {
            Value::String(text) => Value::String(shout(text)),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| match item {
                        Value::String(text) => Value::String(shout(text)),
                        other => other.clone(),
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        Data {
            name: self.name.as_ref().map(shout),
            first_name: self.first_name.as_ref().map(shout),
            phone: self.phone.as_ref().map(shout),
            email: self.email.as_ref().map(shout),
            company: self.company.as_ref().map(shout),
            channel: self.channel,
            tags: self.tags.iter().map(shout).collect(),
            attributes: self
                .attributes
                .iter()
                .map(|(k, v)| (k.clone(), shout_json(v)))
                .collect(),
            text: self.text.as_ref().map(shout),
            saved: self
                .saved
                .iter()
                .map(|(k, v)| (k.clone(), shout(v)))
                .collect(),
        }
    }
}

fn word() -> impl Strategy<Value = String> {
    select(WORDS).prop_map(str::to_owned)
}

/// A word, white space only, or nothing.
fn maybe_word() -> impl Strategy<Value = Option<String>> {
    option::of(prop_oneof![4 => word(), 1 => Just("  ".to_owned())])
}

fn attribute() -> impl Strategy<Value = Value> {
    prop_oneof![
        word().prop_map(Value::from),
        (10..14i64).prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
        vec(word(), 0..3).prop_map(|words| json!(words)),
        Just(json!({"plan": "gold"})),
    ]
}

fn data() -> impl Strategy<Value = Data> {
    let people = (
        maybe_word(),
        maybe_word(),
        maybe_word(),
        maybe_word(),
        maybe_word(),
    );
    let channel = option::of(select(&Channel::ALL[..]));
    let attributes = btree_map(
        select(&["plan", "visits", "langs"][..]).prop_map(str::to_owned),
        attribute(),
        0..4,
    );
    let saved = btree_map(Just("answer".to_owned()), word(), 0..2);
    (
        people,
        channel,
        vec(word(), 0..4),
        attributes,
        maybe_word(),
        saved,
    )
        .prop_map(
            |(
                (name, first_name, phone, email, company),
                channel,
                tags,
                attributes,
                text,
                saved,
            )| Data {
                name,
                first_name,
                phone,
                email,
                company,
                channel,
                tags,
                attributes,
                text,
                saved,
            },
        )
}

/// A value `field` accepts for a comparison.
fn value_for(field: &str) -> BoxedStrategy<Value> {
    if field == "channel" {
        select(&["sms", "WhatsApp"][..])
            .prop_map(Value::from)
            .boxed()
    } else if field.starts_with("attributes.") {
        prop_oneof![
            word().prop_map(Value::from),
            (10..14i64).prop_map(Value::from),
            any::<bool>().prop_map(Value::from)
        ]
        .boxed()
    } else {
        word().prop_map(Value::from).boxed()
    }
}

fn field_and_value() -> impl Strategy<Value = (&'static str, Value)> {
    select(FIELDS).prop_flat_map(|field| (Just(field), value_for(field)))
}

/// `value` as `op` takes it: in a list for `in`, none for the presence tests.
pub(super) fn shaped(op: &str, value: Value) -> Value {
    match op {
        "in" => json!([value]),
        "is_present" | "is_absent" => Value::Null,
        _ => value,
    }
}

/// A valid test with one of `ops`, as JSON.
fn leaf(ops: &'static [&'static str]) -> impl Strategy<Value = Value> {
    (select(FIELDS), select(ops)).prop_flat_map(|(field, op)| {
        let value = match op {
            "in" => vec(value_for(field), 0..3).prop_map(Value::Array).boxed(),
            "is_present" | "is_absent" => Just(Value::Null).boxed(),
            _ => value_for(field),
        };
        value.prop_map(move |value| json!({"field": field, "op": op, "value": value}))
    })
}

/// A valid condition with tests of `ops`, as JSON.
fn tree(ops: &'static [&'static str]) -> impl Strategy<Value = Value> {
    leaf(ops).prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(|children| json!({"all": children})),
            vec(inner, 0..4).prop_map(|children| json!({"any": children})),
        ]
    })
}

fn compile(json: &Value) -> Condition {
    RawCondition::from_json(json)
        .and_then(|raw| raw.check_with_saved_replies(&["answer"]))
        .unwrap_or_else(|e| panic!("{json} is refused: {e}"))
}

fn holds(field: &str, op: &str, value: Value, data: &Data) -> bool {
    compile(&json!({"field": field, "op": op, "value": value})).matches(&data.subject())
}

/// Every test's operator negated, `all` and `any` swapped.
fn negate(json: &Value) -> Value {
    let negated = |children: &Vec<Value>| children.iter().map(negate).collect::<Vec<_>>();
    if let Some(children) = json.get("all").and_then(Value::as_array) {
        return json!({"any": negated(children)});
    }
    if let Some(children) = json.get("any").and_then(Value::as_array) {
        return json!({"all": negated(children)});
    }
    let op = match json["op"].as_str() {
        Some("equals") => "not_equals",
        Some("not_equals") => "equals",
        Some("is_present") => "is_absent",
        _ => "is_present",
    };
    let mut test = json.clone();
    test["op"] = op.into();
    test
}

proptest! {
    #[test]
    fn not_equals_is_the_negation_of_equals_and_holds_for_a_missing_field(
        data in data(),
        (field, value) in field_and_value(),
    ) {
        let equals = holds(field, "equals", value.clone(), &data);
        let not_equals = holds(field, "not_equals", value, &data);
        prop_assert_eq!(not_equals, !equals);
        if holds(field, "is_absent", Value::Null, &data) {
            prop_assert!(not_equals);
        }
    }

    #[test]
    fn a_field_is_either_present_or_absent(data in data(), field in select(FIELDS)) {
        let present = holds(field, "is_present", Value::Null, &data);
        let absent = holds(field, "is_absent", Value::Null, &data);
        prop_assert!(present != absent);
    }

    #[test]
    fn a_missing_field_satisfies_only_is_absent_and_not_equals(
        data in data(),
        (field, value) in field_and_value(),
        op in select(OPS),
    ) {
        prop_assume!(holds(field, "is_absent", Value::Null, &data));
        let expected = matches!(op, "is_absent" | "not_equals");
        prop_assert_eq!(holds(field, op, shaped(op, value), &data), expected);
    }

    #[test]
    fn all_and_any_agree_with_iterator_all_and_any_over_their_children(
        data in data(),
        children in vec(tree(OPS), 0..5),
    ) {
        let subject = data.subject();
        let each: Vec<bool> = children.iter().map(|c| compile(c).matches(&subject)).collect();
        prop_assert_eq!(compile(&json!({"all": children})).matches(&subject), each.iter().all(|&b| b));
        prop_assert_eq!(compile(&json!({"any": children})).matches(&subject), each.iter().any(|&b| b));
    }

    #[test]
    fn negating_every_test_and_swapping_all_with_any_negates_the_condition(
        data in data(),
        condition in tree(NEGATABLE_OPS),
    ) {
        let subject = data.subject();
        prop_assert_eq!(
            compile(&negate(&condition)).matches(&subject),
            !compile(&condition).matches(&subject)
        );
    }

    #[test]
    fn in_holds_exactly_when_equals_holds_for_one_of_the_values(
        data in data(),
        field in select(FIELDS),
        values in vec(any::<prop::sample::Index>(), 0..4),
    ) {
        let values: Vec<Value> = values.iter().map(|i| {
            if field == "channel" { json!(Channel::ALL[i.index(2)].as_str()) } else { json!(i.get(WORDS)) }
        }).collect();
        let any_equal = values.iter().any(|v| holds(field, "equals", v.clone(), &data));
        prop_assert_eq!(holds(field, "in", Value::Array(values), &data), any_equal);
    }

    #[test]
    fn case_and_surrounding_white_space_never_change_the_outcome(
        data in data(),
        condition in tree(OPS),
    ) {
        let condition = compile(&condition);
        prop_assert_eq!(condition.matches(&data.shouted().subject()), condition.matches(&data.subject()));
    }

    #[test]
    fn a_condition_read_back_from_its_json_is_the_same_and_decides_the_same(
        data in data(),
        json in tree(OPS),
    ) {
        let condition = compile(&json);
        let text = serde_json::to_string(&condition).expect("serializes");
        let raw: RawCondition = serde_json::from_str(&text).expect("reads back");
        let again = raw.check_with_saved_replies(&["answer"]).expect("checks again");
        prop_assert_eq!(again.matches(&data.subject()), condition.matches(&data.subject()));
        prop_assert_eq!(again, condition);
    }
}
