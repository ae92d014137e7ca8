use serde_json::{Value, json};

use super::*;
use crate::core::channel::Channel;
use crate::core::condition::{ConditionProblem, Subject};
use crate::core::conversation::{AgentId, Event};
use crate::core::template::Template;
use crate::core::trigger::Trigger;
use crate::core::webhook_endpoint::{EndpointUrl, UrlError, UrlPolicy};

fn rule(json: Value) -> Rule {
    Rule::from_json(&json, UrlPolicy::PUBLIC).unwrap_or_else(|e| panic!("{json} is refused: {e}"))
}

fn refused(json: Value) -> RuleError {
    Rule::from_json(&json, UrlPolicy::PUBLIC).expect_err("refused")
}

/// A rule on `trigger` with these conditions and a single tagging action.
fn on(id: &str, trigger: &str, conditions: Value) -> Rule {
    let mut json = json!({"id": id, "trigger": trigger, "actions": [{"add_tag": id}]});
    if !conditions.is_null() {
        json["conditions"] = conditions;
    }
    rule(json)
}

/// A one-action rule on `inbound_sms`, for what an action reads as.
fn action(action: Value) -> Result<Action, RuleError> {
    let json = json!({"id": "r", "trigger": "inbound_sms", "actions": [action]});
    Rule::from_json(&json, UrlPolicy::PUBLIC).map(|rule| rule.actions()[0].clone())
}

fn fired(set: &RuleSet, trigger: Trigger, subject: &Subject<'_>) -> Vec<String> {
    set.fired(trigger, subject)
        .map(|r| r.id().to_owned())
        .collect()
}

#[test]
fn every_action_parses_into_its_variant() {
    let cases = [
        (
            json!({"send": {"text": "Hi {name}"}}),
            Action::Send(Template::parse("Hi {name}").unwrap()),
        ),
        (json!({"add_tag": " lead "}), Action::AddTag("lead".into())),
        (
            json!({"remove_tag": "cold"}),
            Action::RemoveTag("cold".into()),
        ),
        (
            json!({"assign": "zoe"}),
            Action::Assign(AgentId::new("zoe")),
        ),
        (json!({"resolve": true}), Action::Resolve),
        (json!({"handoff": "bot"}), Action::Handoff(Handoff::Bot)),
        (json!({"handoff": "ai"}), Action::Handoff(Handoff::Ai)),
        (json!({"handoff": "human"}), Action::Handoff(Handoff::Human)),
        (
            json!({"start_workflow": "missed_call"}),
            Action::StartWorkflow("missed_call".into()),
        ),
        (
            json!({"webhook": "https://crm.example.com/hooks"}),
            Action::Webhook(
                EndpointUrl::parse("https://crm.example.com/hooks", UrlPolicy::PUBLIC).unwrap(),
            ),
        ),
    ];
    for (json, expected) in cases {
        let name = json.as_object().unwrap().keys().next().unwrap().clone();
        let read = action(json).unwrap();
        assert_eq!(read, expected);
        assert_eq!(read.name(), name);
    }
}

#[test]
fn the_conversation_actions_name_the_event_they_apply() {
    let event = |json| action(json).unwrap().conversation_event();
    assert_eq!(
        event(json!({"assign": "zoe"})),
        Some(Event::Assign {
            agent: AgentId::new("zoe")
        })
    );
    assert_eq!(event(json!({"resolve": true})), Some(Event::Resolve));
    assert_eq!(event(json!({"handoff": "ai"})), Some(Event::HandToAi));
    assert_eq!(event(json!({"add_tag": "x"})), None);
    assert_eq!(event(json!({"webhook": "https://a.example/"})), None);
}

#[test]
fn a_full_rule_keeps_its_parts_and_trims_its_id() {
    let rule = rule(json!({
        "id": " missed-call ", "trigger": "call_completed",
        "conditions": {"field": "tags", "op": "contains", "value": "customer"},
        "actions": [{"send": {"text": "Sorry we missed you!"}}, {"start_workflow": "callback"}]
    }));
    assert_eq!(rule.id(), "missed-call");
    assert_eq!(rule.trigger(), Trigger::CallCompleted);
    assert!(rule.conditions().is_some());
    assert_eq!(rule.actions().len(), 2);
}

#[test]
fn null_conditions_are_no_conditions_and_always_hold() {
    let rule = rule(json!({"id": "r", "trigger": "opted_in", "conditions": null,
                           "actions": [{"add_tag": "subscriber"}]}));
    assert_eq!(rule.conditions(), None);
    assert!(rule.holds_for(&Subject::default()));
}

#[test]
fn internal_webhooks_are_allowed_only_by_a_local_policy() {
    let json = json!({"id": "r", "trigger": "opted_out",
                      "actions": [{"webhook": "http://localhost:8080/hook"}]});
    assert!(Rule::from_json(&json, UrlPolicy::LOCAL).is_ok());
    let error = Rule::from_json(&json, UrlPolicy::PUBLIC).unwrap_err();
    assert_eq!(error.problem, RuleProblem::Url(UrlError::NotHttps));
}

/// Each broken rule, the path its error names, and the message in full.
#[test]
fn every_refusal_names_its_exact_path_and_says_why() {
    let base = |key: &str, value: Value| {
        let mut json = json!({"id": "r", "trigger": "inbound_sms", "actions": [{"add_tag": "a"}]});
        json[key] = value;
        json
    };
    let with_action = |value: Value| base("actions", json!([{"add_tag": "a"}, value]));
    let cases = [
        (json!([]), "", "the rule: must be an object"),
        (
            base("action", json!([])),
            "",
            "the rule: has the key \"action\", which it does not take: expected id, trigger, \
             conditions and actions",
        ),
        (
            json!({"trigger": "inbound_sms", "actions": [{"add_tag": "a"}]}),
            "id",
            "`id`: is required",
        ),
        (base("id", json!(7)), "id", "`id`: must be a string"),
        (base("id", json!("  ")), "id", "`id`: is empty once trimmed"),
        (
            base("id", json!("x".repeat(65))),
            "id",
            "`id`: is 65 characters long; at most 64 are allowed",
        ),
        (
            base("trigger", json!(null)),
            "trigger",
            "`trigger`: is required",
        ),
        (
            base("trigger", json!("inbound")),
            "trigger",
            "`trigger`: is \"inbound\", not a trigger: expected inbound_sms, inbound_whatsapp, \
             opted_out, opted_in, conversation_opened, conversation_resolved, message_failed or \
             call_completed",
        ),
        (
            base(
                "conditions",
                json!({"all": [{"field": "text", "op": "is", "value": "x"}]}),
            ),
            "conditions.all[0].op",
            "`conditions.all[0].op`: is \"is\", not one of equals, not_equals, contains, \
             starts_with, in, is_present, is_absent",
        ),
        (
            base(
                "conditions",
                json!({"any": [{}, {"field": "tags", "op": "in", "value": "x"}]}),
            ),
            "conditions.any[0].field",
            "`conditions.any[0].field`: is required",
        ),
        (
            base(
                "conditions",
                json!({"any": [
                {"field": "text", "op": "contains", "value": "a"},
                {"field": "tags", "op": "in", "value": "vip"}]}),
            ),
            "conditions.any[1].value",
            "`conditions.any[1].value`: must be a list for in",
        ),
        (
            base("conditions", json!({"field": "answer", "op": "is_present"})),
            "conditions.field",
            "`conditions.field`: is \"answer\", which is not a field: expected name, first_name, \
             phone, email, company, channel, tags, text, attributes.NAME or the name of a saved \
             reply",
        ),
        (
            base("conditions", json!("x")),
            "conditions",
            "`conditions`: must be an object: {\"field\": F, \"op\": OP, \"value\": V}, {\"all\": [..]} or {\"any\": [..]}",
        ),
        (
            base("actions", json!(null)),
            "actions",
            "`actions`: is required",
        ),
        (
            base("actions", json!({"add_tag": "a"})),
            "actions",
            "`actions`: must be a list of actions",
        ),
        (
            base("actions", json!([])),
            "actions",
            "`actions`: lists no action: a rule needs at least one",
        ),
        (
            base("actions", Value::Array(vec![json!({"resolve": true}); 21])),
            "actions",
            "`actions`: lists 21 actions; at most 20 are allowed",
        ),
        (
            with_action(json!("add_tag")),
            "actions[1]",
            "`actions[1]`: must be an object",
        ),
        (
            with_action(json!({})),
            "actions[1]",
            "`actions[1]`: has 0 keys: an action is an object with exactly one, its name",
        ),
        (
            with_action(json!({"add_tag": "a", "resolve": true})),
            "actions[1]",
            "`actions[1]`: has 2 keys: an action is an object with exactly one, its name",
        ),
        (
            with_action(json!({"tag": "a"})),
            "actions[1]",
            "`actions[1]`: has the key \"tag\", which it does not take: expected one of send, \
             add_tag, remove_tag, assign, resolve, handoff, start_workflow, webhook",
        ),
        (
            with_action(json!({"send": "Hi"})),
            "actions[1].send",
            "`actions[1].send`: must be an object",
        ),
        (
            with_action(json!({"send": {"text": "Hi", "media": []}})),
            "actions[1].send",
            "`actions[1].send`: has the key \"media\", which it does not take: expected only text",
        ),
        (
            with_action(json!({"send": {}})),
            "actions[1].send.text",
            "`actions[1].send.text`: is required",
        ),
        (
            with_action(json!({"send": {"text": " "}})),
            "actions[1].send.text",
            "`actions[1].send.text`: is empty once trimmed",
        ),
        (
            with_action(json!({"send": {"text": "Hi {{name"}})),
            "actions[1].send.text",
            "`actions[1].send.text`: `{{` at line 1, column 4 (byte 3) is never closed by `}}`",
        ),
        (
            with_action(json!({"add_tag": ""})),
            "actions[1].add_tag",
            "`actions[1].add_tag`: is empty once trimmed",
        ),
        (
            with_action(json!({"remove_tag": " "})),
            "actions[1].remove_tag",
            "`actions[1].remove_tag`: is empty once trimmed",
        ),
        (
            with_action(json!({"remove_tag": ["a"]})),
            "actions[1].remove_tag",
            "`actions[1].remove_tag`: must be a string",
        ),
        (
            with_action(json!({"assign": "\t"})),
            "actions[1].assign",
            "`actions[1].assign`: is empty once trimmed",
        ),
        (
            with_action(json!({"start_workflow": ""})),
            "actions[1].start_workflow",
            "`actions[1].start_workflow`: is empty once trimmed",
        ),
        (
            with_action(json!({"resolve": false})),
            "actions[1].resolve",
            "`actions[1].resolve`: must be true",
        ),
        (
            with_action(json!({"resolve": "true"})),
            "actions[1].resolve",
            "`actions[1].resolve`: must be true",
        ),
        (
            with_action(json!({"handoff": "Bot"})),
            "actions[1].handoff",
            "`actions[1].handoff`: is \"Bot\", not a handoff: expected bot, ai or human",
        ),
        (
            with_action(json!({"webhook": "http://crm.example.com/"})),
            "actions[1].webhook",
            "`actions[1].webhook`: the url must start with https://",
        ),
        (
            with_action(json!({"webhook": "https://10.0.0.7/"})),
            "actions[1].webhook",
            "`actions[1].webhook`: the url points inside the server's network (loopback, private \
             or link-local)",
        ),
        (
            with_action(json!({"webhook": "crm"})),
            "actions[1].webhook",
            "`actions[1].webhook`: the url is not an absolute URL",
        ),
    ];
    for (json, path, message) in cases {
        let error = refused(json.clone());
        assert_eq!(error.path, path, "{json}");
        assert_eq!(error.to_string(), message, "{json}");
    }
}

#[test]
fn a_condition_problem_keeps_its_kind() {
    let error = refused(json!({"id": "r", "trigger": "inbound_sms",
                               "conditions": {"field": "channel", "op": "equals", "value": "fax"},
                               "actions": [{"resolve": true}]}));
    assert_eq!(
        error.problem,
        RuleProblem::Condition(ConditionProblem::UnknownChannel {
            value: "fax".into()
        })
    );
}

#[test]
fn twenty_actions_are_allowed() {
    let actions = vec![json!({"add_tag": "a"}); MAX_ACTIONS];
    let rule = rule(json!({"id": "r", "trigger": "opted_in", "actions": actions}));
    assert_eq!(rule.actions().len(), 20);
}

#[test]
fn an_id_of_64_characters_is_allowed_counting_characters_not_bytes() {
    let id = "é".repeat(MAX_ID_LEN);
    assert_eq!(
        rule(json!({"id": id, "trigger": "opted_in", "actions": [{"resolve": true}]})).id(),
        id
    );
}

#[test]
fn a_rule_serializes_as_its_wire_json() {
    let json = json!({
        "id": "vip-pricing", "trigger": "inbound_whatsapp",
        "conditions": {"all": [{"field": "text", "op": "contains", "value": "price"},
                               {"field": "tags", "op": "contains", "value": "vip"}]},
        "actions": [
            {"send": {"text": "Hi {{contact.name}}"}}, {"add_tag": "lead"}, {"remove_tag": "cold"},
            {"assign": "zoe"}, {"resolve": true}, {"handoff": "human"},
            {"start_workflow": "nurture"}, {"webhook": "https://crm.example.com/hook"}
        ]
    });
    let read = rule(json.clone());
    assert_eq!(read.to_json(), json);
    assert_eq!(serde_json::to_value(&read).unwrap(), json);
    assert_eq!(serde_json::from_value::<Rule>(json).unwrap(), read);
}

#[test]
fn serde_reads_rules_and_actions_with_the_public_policy() {
    let json = json!({"id": "r", "trigger": "opted_out",
                      "actions": [{"webhook": "https://127.0.0.1/"}]});
    let error = serde_json::from_value::<Rule>(json)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("`actions[0].webhook`: the url points inside"),
        "{error}"
    );
    let error = serde_json::from_value::<Action>(json!({"handoff": "x"})).unwrap_err();
    assert_eq!(
        error.to_string(),
        "`handoff`: is \"x\", not a handoff: expected bot, ai or human"
    );
    let error = serde_json::from_value::<Action>(json!(1)).unwrap_err();
    assert_eq!(error.to_string(), "the action: must be an object");
    assert_eq!(
        serde_json::from_value::<Action>(json!({"add_tag": "x"})).unwrap(),
        Action::AddTag("x".into())
    );
}

#[test]
fn a_rule_on_opted_out_never_fires_for_an_inbound_sms() {
    let set = RuleSet::compile(vec![on("goodbye", "opted_out", Value::Null)]).unwrap();
    let subject = Subject::default();
    assert!(fired(&set, Trigger::InboundSms, &subject).is_empty());
    assert_eq!(fired(&set, Trigger::OptedOut, &subject), ["goodbye"]);
    assert!(set.listens_to(Trigger::OptedOut));
    assert!(!set.listens_to(Trigger::InboundSms));
}

#[test]
fn rules_fire_in_the_order_they_were_added_across_triggers() {
    let set = RuleSet::compile(vec![
        on("c", "inbound_sms", Value::Null),
        on("x", "opted_in", Value::Null),
        on("a", "inbound_sms", Value::Null),
        on("b", "inbound_sms", Value::Null),
    ])
    .unwrap();
    assert_eq!(
        fired(&set, Trigger::InboundSms, &Subject::default()),
        ["c", "a", "b"]
    );
    let ids: Vec<&str> = set.rules().iter().map(Rule::id).collect();
    assert_eq!(ids, ["c", "x", "a", "b"]);
    assert_eq!(set.len(), 4);
    assert!(!set.is_empty());
}

#[test]
fn conditions_read_the_message_text_the_tags_and_the_channel() {
    let set = RuleSet::compile(vec![
        on(
            "price",
            "inbound_sms",
            json!({"field": "text", "op": "contains", "value": "PRICE"}),
        ),
        on(
            "vip",
            "inbound_sms",
            json!({"field": "tags", "op": "contains", "value": "vip"}),
        ),
        on(
            "whatsapp",
            "inbound_sms",
            json!({"field": "channel", "op": "equals", "value": "whatsapp"}),
        ),
        on(
            "sms",
            "inbound_sms",
            json!({"field": "channel", "op": "equals", "value": "sms"}),
        ),
    ])
    .unwrap();
    let tags = vec!["VIP".to_owned()];
    let subject = Subject {
        channel: Some(Channel::Sms),
        tags: &tags,
        ..Subject::default()
    };
    assert_eq!(fired(&set, Trigger::InboundSms, &subject), ["vip", "sms"]);
    let subject = subject.with_text("what's the price?");
    assert_eq!(
        fired(&set, Trigger::InboundSms, &subject),
        ["price", "vip", "sms"]
    );
    assert!(fired(&set, Trigger::InboundSms, &Subject::default()).is_empty());
}

#[test]
fn two_rules_with_one_id_are_refused_naming_it() {
    let error = RuleSet::compile(vec![
        on("a", "opted_in", Value::Null),
        on("dup", "opted_in", Value::Null),
        on("dup", "opted_out", Value::Null),
    ])
    .unwrap_err();
    assert_eq!(
        error,
        RuleSetError::DuplicateId {
            id: "dup".into(),
            first: 1,
            second: 2
        }
    );
    assert_eq!(
        error.to_string(),
        "rules[2] has the id \"dup\", as rules[1] does: a rule's id is unique"
    );
}

#[test]
fn an_empty_set_listens_to_nothing() {
    let set = RuleSet::default();
    assert!(set.is_empty());
    assert_eq!(set.len(), 0);
    for trigger in Trigger::ALL {
        assert!(!set.listens_to(trigger));
        assert_eq!(set.fired(trigger, &Subject::default()).count(), 0);
    }
}

#[test]
fn each_trigger_has_its_own_slot() {
    let rules = Trigger::ALL
        .iter()
        .map(|t| on(t.as_str(), t.as_str(), Value::Null))
        .collect();
    let set = RuleSet::compile(rules).unwrap();
    for trigger in Trigger::ALL {
        assert_eq!(
            fired(&set, trigger, &Subject::default()),
            [trigger.as_str()]
        );
    }
}

#[test]
fn a_set_serializes_as_its_rules_and_reads_back_equal() {
    let set = RuleSet::compile(vec![
        on("a", "opted_in", Value::Null),
        on(
            "b",
            "inbound_sms",
            json!({"field": "text", "op": "is_present"}),
        ),
    ])
    .unwrap();
    let json = serde_json::to_value(&set).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    assert_eq!(serde_json::from_value::<RuleSet>(json).unwrap(), set);
    let twice = json!([{"id": "a", "trigger": "opted_in", "actions": [{"resolve": true}]},
                       {"id": "a", "trigger": "opted_in", "actions": [{"resolve": true}]}]);
    assert!(serde_json::from_value::<RuleSet>(twice).is_err());
}

#[test]
fn clones_of_a_set_share_its_rules() {
    let set = RuleSet::compile(vec![on("a", "opted_in", Value::Null)]).unwrap();
    let clone = set.clone();
    assert!(std::ptr::eq(set.rules(), clone.rules()));
}
