//! Automation rules: any JSON gives a checked rule or an error naming a place
//! in that JSON, never a panic. An error's path, walked through the input,
//! ends at the part it blames (or, for a missing part, at the object that
//! lacks it). A checked rule writes JSON that reads back as the same rule, and
//! a set of checked rules fires, for every trigger, exactly what a loop over
//! the rules would.
//!
//! Input: one rule's JSON, or a list of them (a tenant's set): each item is
//! checked on its own and the accepted ones are compiled together, which is
//! refused exactly when two share an id.

use msgcore::Channel;
use msgcore::core::automation::{Rule, RuleError, RuleProblem, RuleSet};
use msgcore::core::condition::{ConditionProblem, Subject};
use msgcore::core::trigger::Trigger;
use msgcore::core::webhook_endpoint::UrlPolicy;
use serde_json::Value;

// Declared by whoever includes this check (the fuzz target, the seed test),
// once for every check that uses it.
use super::json_path;

/// The keys a path may name: only the wire form's own, never one from the input.
const PATH_KEYS: [&str; 18] = [
    "id",
    "trigger",
    "conditions",
    "actions",
    "send",
    "text",
    "add_tag",
    "remove_tag",
    "assign",
    "resolve",
    "handoff",
    "start_workflow",
    "webhook",
    "all",
    "any",
    "field",
    "op",
    "value",
];

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let Ok(json) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let candidates = match &json {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    let rules: Vec<Rule> = candidates.into_iter().filter_map(check_rule).collect();
    check_set(rules);
}

/// The rule `json` holds, checked both ways, or none once its error is checked.
fn check_rule(json: &Value) -> Option<Rule> {
    match Rule::from_json(json, UrlPolicy::PUBLIC) {
        Ok(rule) => {
            let written = rule.to_json();
            let again =
                Rule::from_json(&written, UrlPolicy::PUBLIC).expect("a written rule reads back");
            assert_eq!(again, rule, "{written}");
            let text = serde_json::to_string(&rule).expect("a rule serializes");
            let again: Rule = serde_json::from_str(&text).expect("a serialized rule reads back");
            assert_eq!(again, rule, "{text}");
            Some(rule)
        }
        Err(error) => {
            check_error(json, &error);
            None
        }
    }
}

fn check_set(rules: Vec<Rule>) {
    let mut ids: Vec<&str> = rules.iter().map(Rule::id).collect();
    ids.sort_unstable();
    let unique = ids.windows(2).all(|pair| pair.first() != pair.last());
    let set = match RuleSet::compile(rules.clone()) {
        Ok(set) => set,
        Err(error) => {
            assert!(!unique, "{error} for unique ids");
            return;
        }
    };
    assert!(unique, "a set with a repeated id was compiled");
    let tags = ["vip".to_owned(), "Customer".to_owned()];
    let mut ada = Subject::default().with_text("What's the PRICE? STOP");
    ada.channel = Some(Channel::Sms);
    ada.tags = &tags;
    ada.name = Some("Ada Lovelace");
    for subject in [ada, Subject::default()] {
        for trigger in Trigger::ALL {
            let fired: Vec<&str> = set.fired(trigger, &subject).map(Rule::id).collect();
            let naive: Vec<&str> = rules
                .iter()
                .filter(|rule| rule.trigger() == trigger && rule.holds_for(&subject))
                .map(Rule::id)
                .collect();
            assert_eq!(fired, naive);
        }
    }
}

fn check_error(json: &Value, error: &RuleError) {
    let shown = error.to_string();
    json_path::assert_opens_with_place(&shown, &error.path, "the rule", ": ");
    let missing = matches!(
        error.problem,
        RuleProblem::Missing | RuleProblem::Condition(ConditionProblem::Missing)
    );
    json_path::assert_leads_in(json, &error.path, missing, &PATH_KEYS, &shown);
}
