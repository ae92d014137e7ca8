use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::laws::{FIELDS, OPS, shaped};
use super::*;
use crate::core::channel::Channel;

/// Ada's data, owned, lent out as a [`Subject`].
struct Fixture {
    tags: Vec<String>,
    attributes: BTreeMap<String, Value>,
    saved: BTreeMap<String, String>,
}

impl Fixture {
    fn new() -> Fixture {
        let attributes = [
            ("plan", json!("Gold")),
            ("visits", json!(12)),
            ("vip", json!(true)),
            ("ratio", json!(1.5)),
            ("languages", json!(["EN", "fr", 7, null, {"x": 1}])),
            ("ctwa", json!({"headline": "Spring sale"})),
            ("none", json!(null)),
            ("blank", json!("   ")),
            ("empty_list", json!([])),
            ("dotted.key", json!("yes")),
        ];
        Fixture {
            tags: ["VIP", "retail", "Straße"].map(String::from).to_vec(),
            attributes: attributes
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            saved: [("answer".to_owned(), " Yes ".to_owned())].into(),
        }
    }

    fn ada(&self) -> Subject<'_> {
        Subject {
            name: Some("  Ada   Lovelace "),
            phone: Some("+14155550100"),
            email: Some("Ada@Example.com"),
            company: Some(" ÉCOLE "),
            channel: Some(Channel::Sms),
            tags: &self.tags,
            attributes: Some(&self.attributes),
            text: Some("Hi, where is my ORDER?"),
            saved_replies: Some(&self.saved),
            ..Subject::default()
        }
    }
}

fn check(json: Value) -> Condition {
    RawCondition::from_json(&json)
        .and_then(|raw| raw.check_with_saved_replies(&["answer", "email"]))
        .unwrap_or_else(|e| panic!("{json} is refused: {e}"))
}

fn test(field: &str, op: &str, value: Value) -> Value {
    json!({"field": field, "op": op, "value": value})
}

fn holds(field: &str, op: &str, value: Value) -> bool {
    check(test(field, op, value)).matches(&Fixture::new().ada())
}

fn error(json: Value) -> ConditionError {
    Condition::from_json(&json).expect_err("refused")
}

#[test]
fn equals_compares_text_trimmed_and_fully_case_folded() {
    assert!(holds("company", "equals", json!("école")));
    assert!(holds("company", "equals", json!("  École")));
    assert!(holds("email", "equals", json!("ada@example.com")));
    assert!(holds("name", "equals", json!("ADA LOVELACE")));
    assert!(!holds("name", "equals", json!("Ada")));
}

#[test]
fn sharp_s_and_ss_are_the_same_text_under_full_case_folding() {
    assert!(holds("tags", "contains", json!("STRASSE")));
    assert!(holds("tags", "equals", json!("strasse")));
    assert!(
        check(test("name", "equals", json!("Groß"))).matches(&Subject {
            name: Some("GROSS"),
            ..Subject::default()
        })
    );
}

#[test]
fn not_equals_holds_exactly_when_equals_does_not() {
    assert!(!holds("company", "not_equals", json!("ÉCOLE")));
    assert!(holds("company", "not_equals", json!("college")));
    assert!(!holds("tags", "not_equals", json!("vip")));
    assert!(holds("tags", "not_equals", json!("wholesale")));
}

#[test]
fn contains_on_text_finds_the_value_anywhere_inside_it() {
    assert!(holds("text", "contains", json!("order")));
    assert!(holds("name", "contains", json!("LOVE")));
    assert!(holds("name", "contains", json!("ada lovelace")));
    assert!(!holds("text", "contains", json!("refund")));
}

#[test]
fn contains_on_tags_means_has_the_tag_not_part_of_one() {
    assert!(holds("tags", "contains", json!("vip")));
    assert!(holds("tags", "contains", json!(" Retail ")));
    assert!(!holds("tags", "contains", json!("vi")));
    assert!(!holds("tags", "contains", json!("retail store")));
}

#[test]
fn starts_with_looks_at_the_beginning_of_the_text_or_of_some_tag() {
    assert!(holds("text", "starts_with", json!("HI,")));
    assert!(!holds("text", "starts_with", json!("order")));
    assert!(holds("tags", "starts_with", json!("ret")));
    assert!(holds("phone", "starts_with", json!("+1415")));
}

#[test]
fn in_holds_when_the_field_is_one_of_the_values() {
    assert!(holds("channel", "in", json!(["whatsapp", "SMS"])));
    assert!(!holds("channel", "in", json!(["whatsapp"])));
    assert!(holds("attributes.plan", "in", json!(["silver", "gold"])));
    assert!(!holds("attributes.plan", "in", json!([])));
}

#[test]
fn in_on_tags_holds_when_the_contact_has_any_of_the_tags() {
    assert!(holds("tags", "in", json!(["wholesale", "VIP"])));
    assert!(!holds("tags", "in", json!(["wholesale", "staff"])));
}

#[test]
fn first_name_is_the_explicit_one_or_else_the_first_word_of_the_name() {
    assert!(holds("first_name", "equals", json!("ada")));
    let explicit = Subject {
        name: Some("Ada Lovelace"),
        first_name: Some("Augusta"),
        ..Subject::default()
    };
    let condition = check(test("first_name", "equals", json!("augusta")));
    assert!(condition.matches(&explicit));
    let blank = Subject {
        first_name: Some("  "),
        ..explicit
    };
    assert!(!condition.matches(&blank));
}

#[test]
fn phone_compares_its_e164_text() {
    assert!(holds("phone", "equals", json!("+14155550100")));
    assert!(!holds("phone", "equals", json!("(415) 555-0100")));
}

#[test]
fn channel_compares_its_wire_name() {
    assert!(holds("channel", "equals", json!("SMS")));
    assert!(holds("channel", "not_equals", json!("whatsapp")));
}

#[test]
fn numbers_and_booleans_compare_by_their_json_text() {
    assert!(holds("attributes.visits", "equals", json!(12)));
    assert!(holds("attributes.visits", "equals", json!("12")));
    assert!(holds("attributes.vip", "equals", json!(true)));
    assert!(holds("attributes.vip", "equals", json!("TRUE")));
    assert!(holds("attributes.ratio", "equals", json!(1.5)));
    assert!(holds("attributes.visits", "in", json!([11, 12])));
    assert!(holds("attributes.visits", "starts_with", json!(1)));
    assert!(!holds("attributes.visits", "equals", json!(12.0)));
}

#[test]
fn a_list_attribute_is_compared_item_by_item_like_tags() {
    assert!(holds("attributes.languages", "contains", json!("en")));
    assert!(!holds("attributes.languages", "contains", json!("e")));
    assert!(holds("attributes.languages", "equals", json!("FR")));
    assert!(holds("attributes.languages", "equals", json!(7)));
    assert!(holds("attributes.languages", "in", json!(["de", "fr"])));
    assert!(holds("attributes.languages", "starts_with", json!("f")));
    assert!(holds("attributes.languages", "not_equals", json!("de")));
    assert!(holds("attributes.languages", "is_present", Value::Null));
}

#[test]
fn an_object_attribute_is_present_but_equal_to_nothing() {
    assert!(holds("attributes.ctwa", "is_present", Value::Null));
    assert!(!holds("attributes.ctwa", "equals", json!("Spring sale")));
    assert!(!holds("attributes.ctwa", "contains", json!("spring")));
    assert!(holds("attributes.ctwa", "not_equals", json!("Spring sale")));
}

#[test]
fn an_attribute_key_is_everything_after_the_prefix_dots_included() {
    assert!(holds("attributes.dotted.key", "equals", json!("yes")));
    assert!(holds("attributes.ctwa.headline", "is_absent", Value::Null));
}

#[test]
fn a_missing_field_satisfies_only_is_absent_and_not_equals() {
    // Ada lacks these in each way an attribute can be missing; nobody has any field.
    let ada_lacks = [
        "attributes.unknown",
        "attributes.none",
        "attributes.blank",
        "attributes.empty_list",
    ];
    let fixture = Fixture::new();
    let cases = ada_lacks.iter().map(|field| (*field, fixture.ada()));
    let cases: Vec<_> = cases
        .chain(FIELDS.iter().map(|field| (*field, Subject::default())))
        .collect();
    for op in OPS {
        let expected = matches!(*op, "is_absent" | "not_equals");
        for (field, subject) in &cases {
            let one = if *field == "channel" { "sms" } else { "x" };
            let condition = check(test(field, op, shaped(op, json!(one))));
            assert_eq!(condition.matches(subject), expected, "{field} {op}");
        }
    }
}

#[test]
fn text_and_saved_replies_are_read_from_the_subject() {
    assert!(holds("answer", "equals", json!("yes")));
    let fixture = Fixture::new();
    let without = Subject {
        text: None,
        saved_replies: None,
        ..fixture.ada()
    };
    assert!(check(test("answer", "is_absent", Value::Null)).matches(&without));
    assert!(check(test("text", "is_absent", Value::Null)).matches(&without));
}

#[test]
fn a_built_in_field_wins_over_a_saved_reply_of_the_same_name() {
    // `check` allows a saved reply named `email`; the contact's email is read.
    assert!(holds("email", "equals", json!("ada@example.com")));
}

#[test]
fn all_of_nothing_is_true_and_any_of_nothing_is_false() {
    let nobody = Subject::default();
    assert!(check(json!({"all": []})).matches(&nobody));
    assert!(!check(json!({"any": []})).matches(&nobody));
}

#[test]
fn groups_combine_their_children() {
    let ada = Fixture::new();
    let vip_gold_or_no_email = check(json!({"all": [
        {"field": "tags", "op": "contains", "value": "vip"},
        {"any": [
            {"field": "attributes.plan", "op": "equals", "value": "platinum"},
            {"field": "attributes.visits", "op": "in", "value": [12, 13]}
        ]}
    ]}));
    assert!(vip_gold_or_no_email.matches(&ada.ada()));
    let no_tags = Subject {
        tags: &[],
        ..ada.ada()
    };
    assert!(!vip_gold_or_no_email.matches(&no_tags));
}

#[test]
fn a_contact_is_read_through_its_subject() {
    use crate::model::{Contact, ContactId, TenantId};
    let mut contact = Contact::new(
        ContactId::from_uuid(uuid::Uuid::from_u128(1)),
        TenantId::from_uuid(uuid::Uuid::from_u128(2)),
        "+14155550100".parse().unwrap(),
        chrono::DateTime::UNIX_EPOCH,
    );
    contact.name = Some("Ada Lovelace".into());
    contact.add_tag("vip");
    contact.attributes.insert("plan".into(), json!("gold"));
    let saved = BTreeMap::from([("answer".to_owned(), "yes".to_owned())]);
    let subject = contact
        .subject(Channel::WhatsApp)
        .with_text("STOP please")
        .with_saved_replies(&saved);
    let condition = check(json!({"all": [
        {"field": "first_name", "op": "equals", "value": "ada"},
        {"field": "phone", "op": "equals", "value": "+14155550100"},
        {"field": "channel", "op": "equals", "value": "whatsapp"},
        {"field": "tags", "op": "contains", "value": "VIP"},
        {"field": "attributes.plan", "op": "equals", "value": "Gold"},
        {"field": "text", "op": "starts_with", "value": "stop"},
        {"field": "answer", "op": "equals", "value": "YES"},
        {"field": "email", "op": "is_absent"},
        {"field": "company", "op": "is_absent"}
    ]}));
    assert!(condition.matches(&subject));
}

#[test]
fn an_error_names_the_path_to_the_bad_part() {
    let e = error(json!({"any": [
        {"field": "name", "op": "equals", "value": "Ada"},
        {"all": [{"field": "tags", "op": "in", "value": "vip"}]}
    ]}));
    assert_eq!(e.path, "any[1].all[0].value");
    assert_eq!(e.problem, ConditionProblem::InNeedsList);
    assert_eq!(e.to_string(), "`any[1].all[0].value` must be a list for in");
}

#[test]
fn every_kind_of_mistake_is_refused_with_its_place_and_problem() {
    use ConditionProblem::*;
    let cases = [
        (
            test("emial", "equals", json!("x")),
            "field",
            UnknownField {
                name: "emial".into(),
            },
        ),
        (
            test("attributes.", "equals", json!("x")),
            "field",
            EmptyAttributeName,
        ),
        (
            test("attributes. ", "equals", json!("x")),
            "field",
            EmptyAttributeName,
        ),
        (
            test("attributes", "equals", json!("x")),
            "field",
            UnknownField {
                name: "attributes".into(),
            },
        ),
        (
            test("name", "equal", json!("x")),
            "op",
            UnknownOp { op: "equal".into() },
        ),
        (test("name", "in", json!("x")), "value", InNeedsList),
        (
            test("name", "is_present", json!("x")),
            "value",
            ValueNotAllowed { op: "is_present" },
        ),
        (
            test("name", "is_absent", json!([])),
            "value",
            ValueNotAllowed { op: "is_absent" },
        ),
        (json!({"field": "name", "op": "equals"}), "value", Missing),
        (test("name", "equals", Value::Null), "value", Missing),
        (json!({"field": "name", "op": "in"}), "value", Missing),
        (test("name", "equals", json!(5)), "value", NotText),
        (test("tags", "contains", json!(true)), "value", NotText),
        (
            test("attributes.x", "equals", json!({"a": 1})),
            "value",
            NotAScalar,
        ),
        (
            test("attributes.x", "equals", json!([1])),
            "value",
            NotAScalar,
        ),
        (test("name", "in", json!(["a", 1])), "value[1]", NotText),
        (
            test("attributes.x", "in", json!([1, null])),
            "value[1]",
            NotAScalar,
        ),
        (test("name", "contains", json!("  ")), "value", Blank),
        (test("name", "in", json!(["a", ""])), "value[1]", Blank),
        (
            test("channel", "equals", json!("whatsap")),
            "value",
            UnknownChannel {
                value: "whatsap".into(),
            },
        ),
        (
            test("channel", "in", json!(["sms", "rcs"])),
            "value[1]",
            UnknownChannel {
                value: "rcs".into(),
            },
        ),
        (json!({"op": "equals", "value": "x"}), "field", Missing),
        (
            json!({"field": 1, "op": "equals", "value": "x"}),
            "field",
            NotAString,
        ),
        (
            json!({"field": "name", "op": ["equals"], "value": "x"}),
            "op",
            NotAString,
        ),
        (
            json!({"field": "name", "op": "equals", "values": ["x"]}),
            "",
            UnexpectedKey {
                key: "values".into(),
            },
        ),
        (
            json!({"all": [], "any": []}),
            "",
            UnexpectedKey { key: "any".into() },
        ),
        (json!({"all": {"field": "name"}}), "all", NotAList),
        (json!({"any": [true]}), "any[0]", NotAnObject),
        (json!([]), "", NotAnObject),
    ];
    for (json, path, problem) in cases {
        let e = error(json.clone());
        assert_eq!((e.path.as_str(), &e.problem), (path, &problem), "{json}");
    }
}

#[test]
fn a_saved_reply_name_is_a_field_only_where_the_caller_names_it() {
    let answer = test("answer", "equals", json!("yes"));
    let raw = RawCondition::from_json(&answer).unwrap();
    assert!(matches!(
        raw.clone().check(),
        Err(ConditionError {
            problem: ConditionProblem::UnknownField { .. },
            ..
        })
    ));
    assert!(
        raw.clone()
            .check_with_saved_replies(&["answer".to_owned()])
            .is_ok()
    );
    assert!(raw.check_with_saved_replies(&["other"]).is_err());
}

/// `{"all": [{"all": [ … {"field": "name", "op": "is_present"} … ]}]}`, `groups` deep.
fn nested(groups: usize) -> Value {
    (0..groups).fold(
        json!({"field": "name", "op": "is_present"}),
        |inner, _| json!({"all": [inner]}),
    )
}

#[test]
fn groups_nest_up_to_the_bound_and_no_deeper() {
    assert!(Condition::from_json(&nested(MAX_DEPTH)).is_ok());
    let e = error(nested(MAX_DEPTH + 1));
    assert_eq!(e.problem, ConditionProblem::TooDeep { max: MAX_DEPTH });
    assert_eq!(e.path, vec!["all[0]"; MAX_DEPTH].join("."));
}

#[test]
fn an_error_about_the_whole_condition_says_so() {
    assert_eq!(
        error(json!("name")).to_string(),
        "the condition must be an object: {\"field\": F, \"op\": OP, \"value\": V}, {\"all\": [..]} or {\"any\": [..]}"
    );
}

#[test]
fn a_condition_serializes_as_it_was_written() {
    let written = json!({"any": [
        {"field": "attributes.visits", "op": "in", "value": [12, "13", 12]},
        {"all": [{"field": "name", "op": "is_present"}, {"field": "company", "op": "equals", "value": " ÉCOLE "}]}
    ]});
    let condition = Condition::from_json(&written).unwrap();
    assert_eq!(serde_json::to_value(&condition).unwrap(), written);
    assert_eq!(serde_json::to_value(condition.to_raw()).unwrap(), written);
}

#[test]
fn a_null_value_is_no_value() {
    let condition = Condition::from_json(&test("name", "is_present", Value::Null)).unwrap();
    assert_eq!(
        serde_json::to_value(&condition).unwrap(),
        json!({"field": "name", "op": "is_present"})
    );
}

#[test]
fn deserializing_a_condition_checks_it_and_names_the_place() {
    let json = r#"{"all": [{"field": "name", "op": "equal", "value": "x"}]}"#;
    let error = serde_json::from_str::<Condition>(json)
        .unwrap_err()
        .to_string();
    assert!(error.contains("`all[0].op` is \"equal\""), "{error}");
    let raw: RawCondition = serde_json::from_str(json).unwrap();
    assert_eq!(raw.check().unwrap_err().path, "all[0].op");
}

#[test]
fn a_condition_built_in_code_is_held_to_the_same_depth() {
    let leaf = RawCondition::Test(RawTest {
        field: "name".into(),
        op: "is_present".into(),
        value: None,
    });
    let deep = (0..=MAX_DEPTH).fold(leaf, |inner, _| RawCondition::Any(vec![inner]));
    let e = deep.check().unwrap_err();
    assert_eq!(e.problem, ConditionProblem::TooDeep { max: MAX_DEPTH });
    assert_eq!(e.path, vec!["any[0]"; MAX_DEPTH].join("."));
}
