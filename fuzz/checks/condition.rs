//! Conditions: any JSON gives a checked condition or an error naming a place
//! in that JSON, never a panic. An error's path, walked through the input, ends
//! at the part it blames (or, for a missing part, at the object that lacks it).
//! A checked condition evaluates against a fixed contact, on both channels and
//! with and without a message and saved replies, and serializes to JSON that
//! reads back as the same condition.
//!
//! Input: the condition's JSON. The saved-reply names `answer` and `email` are
//! allowed, so bare names that are not built in are fuzzed too.

use std::collections::BTreeMap;

use msgcore::Channel;
use msgcore::core::condition::{
    Condition, ConditionError, ConditionProblem, RawCondition, Subject,
};
use msgcore::model::Contact;
use serde_json::{Value, json};

// Declared by whoever includes this check (the fuzz target, the seed test),
// once for every check that uses it.
use super::json_path;

const SAVED: [&str; 2] = ["answer", "email"];

/// The keys a path may name: only the wire form's own, never one from the input.
const PATH_KEYS: [&str; 5] = ["all", "any", "field", "op", "value"];

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let Ok(json) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    match RawCondition::from_json(&json).and_then(|raw| raw.check_with_saved_replies(&SAVED)) {
        Ok(condition) => check_condition(&condition),
        Err(error) => check_error(&json, &error),
    }
}

fn check_condition(condition: &Condition) {
    let contact = contact();
    let saved = BTreeMap::from([("answer".to_owned(), " Yes ".to_owned())]);
    let subjects = [
        contact.subject(Channel::Sms),
        contact
            .subject(Channel::WhatsApp)
            .with_text("STOP, où est ma commande ?")
            .with_saved_replies(&saved),
        Subject::default(),
    ];
    let decided: Vec<bool> = subjects.iter().map(|s| condition.matches(s)).collect();
    let json = serde_json::to_value(condition).expect("a condition serializes");
    let again = RawCondition::from_json(&json)
        .and_then(|raw| raw.check_with_saved_replies(&SAVED))
        .expect("a serialized condition reads back");
    assert_eq!(&again, condition, "{json}");
    let again: Vec<bool> = subjects.iter().map(|s| again.matches(s)).collect();
    assert_eq!(again, decided);
}

fn check_error(json: &Value, error: &ConditionError) {
    let shown = error.to_string();
    json_path::assert_opens_with_place(&shown, &error.path, "the condition", " ");
    let missing = error.problem == ConditionProblem::Missing;
    json_path::assert_leads_in(json, &error.path, missing, &PATH_KEYS, &shown);
}

/// A contact with something in every field a condition reads, including
/// what compares awkwardly: padding, `ß`, a blank tag, a list attribute with
/// items of every JSON type, an object attribute.
fn contact() -> Contact {
    let mut contact = Contact::new(
        "00000000-0000-0000-0000-000000000001"
            .parse()
            .expect("an id"),
        "00000000-0000-0000-0000-000000000002"
            .parse()
            .expect("an id"),
        "+14155550100".parse().expect("a number"),
        chrono::DateTime::UNIX_EPOCH,
    );
    contact.name = Some(" Ada  Lovelace ".to_owned());
    contact.email = Some("ADA@example.com".to_owned());
    contact.company = Some("Straße & Co".to_owned());
    contact.tags = ["vip", "Retail", " "].map(str::to_owned).to_vec();
    let attributes = json!({
        "plan": "Gold",
        "visits": 12,
        "vip": true,
        "ratio": 1.5,
        "languages": ["en", 7, null, {}, ["fr"]],
        "ctwa": {"headline": "Spring sale"},
        "blank": "  ",
        "none": null
    });
    if let Value::Object(attributes) = attributes {
        contact.attributes = attributes.into_iter().collect();
    }
    contact
}
