//! Checking a condition is total: on arbitrary JSON, and on JSON shaped almost
//! like a condition, it gives a condition or an error naming a place in the
//! input, never a panic; what it accepts evaluates and reads back the same.
//! The body is the fuzz target's own (`fuzz/checks/condition.rs`), fed by
//! proptest instead of libFuzzer.

use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Number, Value, json};

#[path = "../fuzz/checks/json_path.rs"]
mod json_path;

#[path = "../fuzz/checks/condition.rs"]
mod check;

/// The wire form's keys.
const KEYS: &[&str] = &["all", "any", "field", "op", "value"];

/// Field names, and some that almost are.
const FIELDS: &[&str] = &[
    "name",
    "first_name",
    "tags",
    "channel",
    "text",
    "answer",
    "email",
    "attributes.",
    "attributes.plan",
    "attributes.languages",
    "attributes",
    "Name",
    "",
];

/// Operators, and some that almost are.
const OPS: &[&str] = &[
    "equals",
    "not_equals",
    "contains",
    "starts_with",
    "in",
    "is_present",
    "is_absent",
    "Equals",
    "",
];

/// Values that mean something to some field, or to none.
const VALUES: &[&str] = &["sms", "WhatsApp", "VIP", "ß", "Gold", "  ", "", "12"];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        select(VALUES).prop_map(Value::from),
        select(FIELDS).prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ]
}

/// Any JSON, its objects keyed mostly by the wire form's own keys.
fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![3 => select(KEYS).prop_map(str::to_owned), 1 => any::<String>()];
    leaf().prop_recursive(8, 96, 5, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            btree_map(key.clone(), inner, 0..4).prop_map(|m| Value::Object(Map::from_iter(m))),
        ]
    })
}

/// JSON shaped like a condition, with a mistake here and there: a test's
/// parts drawn from near-miss pools, a value of any JSON type or none.
fn condition_like() -> impl Strategy<Value = Value> {
    let value = option::of(prop_oneof![
        leaf(),
        vec(leaf(), 0..3).prop_map(Value::Array)
    ]);
    let test = (select(FIELDS), select(OPS), value).prop_map(|(field, op, value)| {
        let mut test = json!({"field": field, "op": op});
        if let (Some(value), Some(object)) = (value, test.as_object_mut()) {
            object.insert("value".to_owned(), value);
        }
        test
    });
    test.prop_recursive(6, 48, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(|children| json!({"all": children})),
            vec(inner, 0..4).prop_map(|children| json!({"any": children})),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn checking_any_json_gives_a_condition_or_an_error_naming_a_place_in_it(json in json()) {
        check::check(&serde_json::to_vec(&json).expect("serializes"));
    }

    #[test]
    fn checking_json_shaped_almost_like_a_condition_never_panics_either(json in condition_like()) {
        check::check(&serde_json::to_vec(&json).expect("serializes"));
    }
}
