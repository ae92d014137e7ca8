//! `msgctl` end to end: the example's command loop, fed the oracle fixtures as JSON
//! Lines, must answer every line, in order, exactly as the references do (SPEC §17).
#![cfg(all(feature = "twilio", feature = "telnyx", feature = "meta"))]

use std::path::Path;

use serde_json::{Value, json};

// The example's own modules, so the test runs exactly its code, in process.
#[allow(dead_code)]
#[path = "../examples/msgctl/main.rs"]
mod msgctl_example;

/// Runs `msgctl <command>` over `input` and returns its output lines.
fn msgctl_raw(command: &str, input: &[u8]) -> Vec<String> {
    let handler = msgctl_example::handler(command).unwrap();
    let mut output = Vec::new();
    msgctl_example::lines::run(input, &mut output, handler).unwrap();
    String::from_utf8(output)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Runs `msgctl <command>` over JSON values and parses its answers.
fn msgctl(command: &str, inputs: &[Value]) -> Vec<Value> {
    let input: String = inputs.iter().map(|v| format!("{v}\n")).collect();
    let answers = msgctl_raw(command, input.as_bytes());
    assert_eq!(answers.len(), inputs.len(), "one answer per input line");
    answers
        .iter()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn fixture_lines(name: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// Asserts each answer, `project`ed, equals the case's `expected`, `project`ed.
fn assert_answers(cases: &[Value], answers: &[Value], project: impl Fn(&Value) -> Value) {
    let mismatches: Vec<String> = cases
        .iter()
        .zip(answers)
        .filter(|(case, answer)| project(answer) != project(&case["expected"]))
        .map(|(case, answer)| format!("{case} -> {answer}"))
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn e164_answers_every_fixture_line_as_libphonenumber_does() {
    let cases = fixture_lines("e164_oracle.jsonl");
    let answers = msgctl("e164", &cases);
    // Error wording differs on purpose; what must agree is the number or its absence.
    assert_answers(&cases, &answers, |answer| answer["e164"].clone());
}

#[test]
fn import_reports_every_fixture_file_as_the_python_reference_does() {
    let cases = fixture_lines("import_cases.jsonl");
    let inputs: Vec<Value> = cases.iter().map(|case| case["input"].clone()).collect();
    let answers = msgctl("import", &inputs);
    // Error texts are each implementation's own; that there is one is the contract.
    assert_answers(&cases, &answers, |answer| match answer.get("error") {
        Some(_) => json!("error"),
        None => answer.clone(),
    });
}

#[test]
fn segments_answers_every_fixture_line_as_twilios_calculator_does() {
    let cases = fixture_lines("segments_oracle.jsonl");
    let answers = msgctl("segments", &cases);
    let summary = |v: &Value| json!({"encoding": v["encoding"], "segments": v["segments"], "units": v["units"]});
    assert_answers(&cases, &answers, summary);
}

#[test]
fn keyword_answers_every_default_fixture_line_as_the_reference_does() {
    let cases: Vec<Value> = fixture_lines("keyword_cases.jsonl")
        .into_iter()
        .filter(|c| c.get("config").is_none())
        .collect();
    assert!(cases.len() > 2000);
    let inputs: Vec<Value> = cases.iter().map(|c| json!({ "text": c["text"] })).collect();
    assert_answers(&cases, &msgctl("keyword", &inputs), Value::clone);
}

#[test]
fn tag_answers_every_fixture_line_as_the_reference_does() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tagging_oracle.json");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases: Vec<Value> = cases
        .into_iter()
        .map(|c| json!({ "rules": c["rules"], "text": c["text"], "expected": { "tags": c["tags"] } }))
        .collect();
    assert_answers(&cases, &msgctl("tag", &cases), Value::clone);
}

#[test]
fn verify_answers_every_signature_fixture_line_as_the_references_do() {
    let cases = fixture_lines("signatures_oracle.jsonl");
    let answers = msgctl("verify", &cases);
    let answers: Vec<Value> = answers
        .iter()
        .map(|answer| answer["valid"].clone())
        .collect();
    assert_answers(&cases, &answers, Value::clone);
}

#[test]
fn render_substitutes_values_literally_and_refuses_missing_ones() {
    let answers = msgctl(
        "render",
        &[
            json!({"template": "Hi {{ contact.name }}, {name}!", "vars": {"contact.name": "Ann", "name": "{{x}}"}}),
            json!({"template": "Hi {{contact.name}}", "vars": {}}),
            json!({"template": "Hi {{contact.name", "vars": {}}),
            json!({"template": "No variables {here"}),
        ],
    );
    assert_eq!(answers[0], json!({"text": "Hi Ann, {{x}}!"}));
    assert!(
        answers[1]["error"]
            .as_str()
            .unwrap()
            .contains("contact.name")
    );
    assert!(answers[2]["error"].as_str().unwrap().contains("column 4"));
    assert_eq!(answers[3], json!({"text": "No variables {here"}));
}

#[test]
fn quiet_hours_answers_every_fixture_line_as_the_reference_does() {
    let cases = fixture_lines("quiet_hours_cases.jsonl");
    assert!(cases.len() > 2000);
    let answers = msgctl("quiet-hours", &cases);
    // Error wording differs on purpose; what must agree is that there is one.
    let errors_alike = |v: &Value| match v.get("error") {
        Some(_) => json!({"error": true}),
        None => v.clone(),
    };
    assert_answers(&cases, &answers, errors_alike);
}

#[test]
fn quiet_hours_holds_a_florida_number_at_eight_pm_until_eight_am() {
    let answers = msgctl(
        "quiet-hours",
        &[
            // 20:00:00 EDT and 19:59:59 EDT in Miami; 07:59:59 and 08:00:00 EDT.
            json!({"to": "+13055551234", "at": "2026-07-02T00:00:00Z", "kind": "marketing"}),
            json!({"to": "+13055551234", "at": "2026-07-01T23:59:59Z", "kind": "marketing"}),
            json!({"to": "+13055551234", "at": "2026-07-01T11:59:59Z", "kind": "marketing"}),
            json!({"to": "+13055551234", "at": "2026-07-01T12:00:00Z", "kind": "marketing"}),
            json!({"to": "+13055551234", "at": "2026-07-02T00:00:00Z", "kind": "transactional"}),
            // The fourth send in 24 hours waits for the first to age out (09:00 EDT).
            json!({"to": "+13055551234", "at": "2026-07-01T19:00:00Z", "kind": "marketing",
                   "recent_sends": ["2026-07-01T13:00:00Z", "2026-07-01T14:00:00Z", "2026-07-01T15:00:00-00:00"]}),
        ],
    );
    assert_eq!(
        answers[0],
        json!({"allowed": false, "hold_until": "2026-07-02T12:00:00Z"})
    );
    assert_eq!(answers[1], json!({"allowed": true}));
    assert_eq!(
        answers[2],
        json!({"allowed": false, "hold_until": "2026-07-01T12:00:00Z"})
    );
    assert_eq!(answers[3], json!({"allowed": true}));
    assert_eq!(answers[4], json!({"allowed": true}));
    assert_eq!(
        answers[5],
        json!({"allowed": false, "hold_until": "2026-07-02T13:00:00Z"})
    );
}

#[test]
fn quiet_hours_refuses_a_bad_number_time_or_kind_with_an_error_line() {
    let answers = msgctl(
        "quiet-hours",
        &[
            json!({"to": "+1305", "at": "2026-07-01T12:00:00Z", "kind": "marketing"}),
            json!({"to": "+13055551234", "at": "2026-07-01 12:00", "kind": "marketing"}),
            json!({"to": "+13055551234", "at": "2026-07-01T12:00:00Z", "kind": "promo"}),
            json!({"to": "+13055551234", "at": "2026-07-01T12:00:00Z"}),
            json!({"to": "+13055551234", "at": "2026-07-01T12:00:00Z", "kind": "marketing", "recent_sends": ["soon"]}),
            json!({"to": "+80012345678", "at": "2026-07-01T12:00:00Z", "kind": "marketing"}),
        ],
    );
    let errors: Vec<&str> = answers
        .iter()
        .map(|a| a["error"].as_str().unwrap())
        .collect();
    assert!(errors[0].starts_with("to:"), "{}", errors[0]);
    assert!(errors[1].starts_with("at:"), "{}", errors[1]);
    assert!(errors[2].starts_with("kind:"), "{}", errors[2]);
    assert!(errors[3].contains("kind"), "{}", errors[3]);
    assert!(errors[4].starts_with("recent_sends:"), "{}", errors[4]);
    assert!(errors[5].contains("+80012345678"), "{}", errors[5]);
}

#[test]
fn a_bad_line_gets_an_error_line_and_the_tool_goes_on() {
    let input = b"{\"text\": \"STOP\"}\nnot json\n\n\xff\xfe\n[1,2]\n{\"text\": 5}\n{\"text\": \"START\"}\n";
    let answers = msgctl_raw("keyword", input);
    assert_eq!(answers.len(), 7);
    assert_eq!(answers[0], r#"{"action":"opt_out"}"#);
    for line in &answers[1..6] {
        let value: Value = serde_json::from_str(line).unwrap();
        assert!(value["error"].is_string(), "{line}");
    }
    assert_eq!(answers[6], r#"{"action":"opt_in"}"#);
}

#[test]
fn every_command_survives_arbitrary_bytes_with_one_answer_per_line() {
    let mut junk = Vec::new();
    for i in 0u32..400 {
        let line: Vec<u8> = (0..(i % 37))
            .map(|j| (i.wrapping_mul(31).wrapping_add(j * 17) % 251) as u8)
            .collect();
        junk.extend(line.into_iter().filter(|b| *b != b'\n'));
        junk.push(b'\n');
    }
    for command in [
        "e164",
        "segments",
        "keyword",
        "verify",
        "render",
        "tag",
        "quiet-hours",
    ] {
        assert_eq!(msgctl_raw(command, &junk).len(), 400, "{command}");
    }
}

/// Runs a `simulate` scenario whose lines are `{"step": …, "expect": {…}}`: every
/// expected field must be in the answer with that value; `"conversation": "same"`
/// or `"new"` compares the conversation id with the previous step's.
fn run_scenario(name: &str) {
    let lines = fixture_lines(&format!("simulate/{name}"));
    let steps: Vec<Value> = lines.iter().map(|l| l["step"].clone()).collect();
    let answers = msgctl("simulate", &steps);
    let mut previous_conversation = Value::Null;
    for (i, (line, answer)) in lines.iter().zip(&answers).enumerate() {
        let expect = line["expect"].as_object().unwrap();
        for (key, value) in expect {
            if key == "conversation" {
                let same = answer["conversation_id"] == previous_conversation;
                assert_eq!(
                    same,
                    value == "same",
                    "step {}: conversation should be {value}: {answer}",
                    i + 1
                );
                continue;
            }
            assert_eq!(
                &answer[key],
                value,
                "step {} ({}): `{key}` in {answer}",
                i + 1,
                line["step"]
            );
        }
        if !answer["conversation_id"].is_null() {
            previous_conversation = answer["conversation_id"].clone();
        }
    }
}

#[test]
fn simulate_follows_spec_17_through_consent_keywords_windows_csat_resumption_and_limits() {
    run_scenario("scenario_inbox.jsonl");
}

#[test]
fn simulate_creates_edits_and_imports_contacts_and_no_opt_in_undoes_a_stop() {
    run_scenario("scenario_contacts.jsonl");
}

#[test]
fn simulate_runs_campaigns_through_stop_quiet_hours_pause_and_cancel() {
    run_scenario("scenario_campaigns.jsonl");
}

#[test]
fn no_command_and_an_unknown_command_are_refused_naming_which() {
    let refusal = |command| match msgctl_example::choose(command) {
        msgctl_example::Choice::Refuse(why) => why,
        _ => panic!("{command:?} should be refused"),
    };
    assert_eq!(refusal(None), "no command given");
    assert_eq!(refusal(Some("e165")), r#"unknown command "e165""#);
    assert!(matches!(
        msgctl_example::choose(Some("--help")),
        msgctl_example::Choice::Help
    ));
}

#[test]
fn a_refused_signature_says_why() {
    let answers = msgctl(
        "verify",
        &[
            json!({"provider": "meta", "body": "{}", "app_secret": "k", "signature": format!("sha256={}", "0".repeat(64))}),
            json!({"provider": "meta", "body": "{}", "app_secret": "k"}),
            json!({"provider": "meta", "body": "{}", "app_secret": "", "signature": "sha256=00"}),
        ],
    );
    assert_eq!(
        answers[0],
        json!({"valid": false, "reason": "the X-Hub-Signature-256 header does not match the request"})
    );
    assert_eq!(
        answers[1],
        json!({"valid": false, "reason": "the X-Hub-Signature-256 header is missing"})
    );
    assert_eq!(answers[2]["valid"], false);
    assert!(
        answers[2]["reason"].as_str().unwrap().contains("secret"),
        "{}",
        answers[2]
    );
}

#[test]
fn segments_says_whether_the_body_fits_the_1600_character_cap() {
    let answers = msgctl(
        "segments",
        &[
            json!({"text": "a".repeat(1600)}),
            json!({"text": "😀".repeat(801)}),
        ],
    );
    assert_eq!(answers[0]["within_cap"], true);
    assert!(answers[0].get("cap").is_none(), "{}", answers[0]);
    assert_eq!(answers[1]["within_cap"], false);
    assert_eq!(
        answers[1]["cap"],
        "the message body is 1602 UTF-16 code units long; Twilio accepts at most 1600"
    );
    // 33 emoji to a 67-unit segment: a surrogate pair is never split.
    assert_eq!(answers[1]["segments"], 25, "still measured");
}

/// Runs a `simulate` script of steps, each with the exact answer it must get.
fn assert_simulates(script: &[(Value, Value)]) {
    let steps: Vec<Value> = script.iter().map(|(step, _)| step.clone()).collect();
    let answers = msgctl("simulate", &steps);
    for (i, ((step, expected), answer)) in script.iter().zip(&answers).enumerate() {
        assert_eq!(answer, expected, "step {} ({step})", i + 1);
    }
}

/// A whole `simulate` answer: `fields` over an ok step's defaults (no
/// contact, no conversation, nothing queued).
fn answer(fields: Value) -> Value {
    let mut answer = json!({"ok": true, "sms_opted_in": false, "whatsapp_opted_in": false,
                            "replies": [], "queued": []});
    if let (Some(answer), Some(fields)) = (answer.as_object_mut(), fields.as_object()) {
        answer.extend(fields.clone());
    }
    answer
}

/// An answer about an SMS contact in open conversation number `id` (the
/// simulation numbers every id it makes, of whatever kind, from 1).
fn open_answer(id: u64, fields: Value) -> Value {
    let mut open = answer(json!({"sms_opted_in": true, "conversation_status": "OPEN",
        "conversation_id": format!("00000000-0000-0000-0000-{id:012x}")}));
    if let (Some(open), Some(fields)) = (open.as_object_mut(), fields.as_object()) {
        open.extend(fields.clone());
    }
    open
}

/// An answer about Ada in the conversation her first workflow send opens.
fn ada_answer(fields: Value) -> Value {
    open_answer(3, fields)
}

const ADA: &str = "+14155550101";

/// Ada, opted in on SMS through the API, with an appointment on 10 March.
fn ada_step() -> (Value, Value) {
    (
        json!({"at": "2026-03-02T18:00:00Z", "do": "contact", "phone": ADA, "name": "Ada Lovelace",
               "sms_opted_in": true, "attributes": {"appointment_at": "2026-03-10T18:00:00Z"}}),
        answer(json!({"sms_opted_in": true})),
    )
}

/// Defines the appointment confirmation workflow of SPEC §13.
fn confirm_step() -> (Value, Value) {
    (
        json!({"at": "2026-03-02T18:00:00Z", "do": "workflow", "definition": {
            "id": "confirm", "channel": "sms", "steps": [
                {"send": {"text": "Hi {first_name}, reply YES to confirm your appointment."}},
                {"wait_reply": {"save_as": "confirmation", "timeout": "24h"}},
                {"if": {"field": "confirmation", "op": "equals", "value": "yes"},
                 "then": [{"send": {"text": "Confirmed, see you then!"}}],
                 "else": [{"send": {"text": "No answer yet: we will call you."}}]}]}}),
        answer(json!({})),
    )
}

/// Ada, the confirmation workflow, and her run of it started at 18:01, its
/// first send queued.
fn confirm_started() -> Vec<(Value, Value)> {
    vec![
        ada_step(),
        confirm_step(),
        (
            json!({"at": "2026-03-02T18:01:00Z", "do": "start_workflow", "workflow": "confirm", "contact": ADA}),
            ada_answer(json!({"run": {"status": "waiting", "saved": {}},
                "queued": [{"to": ADA, "channel": "sms",
                            "text": "Hi Ada, reply YES to confirm your appointment."}]})),
        ),
    ]
}

/// An SMS from Ada at `at`.
fn ada_texts(at: &str, text: &str, id: &str) -> Value {
    json!({"at": at, "do": "inbound", "channel": "sms", "from": ADA, "to": "+14155550199",
           "text": text, "id": id})
}

#[test]
fn simulate_confirms_an_appointment_and_saves_the_yes_on_the_run() {
    let mut script = confirm_started();
    script.extend([
        (
            ada_texts("2026-03-02T18:05:00Z", "YES", "SM1"),
            ada_answer(
                json!({"queued": [{"to": ADA, "channel": "sms", "text": "Confirmed, see you then!"}]}),
            ),
        ),
        (
            json!({"at": "2026-03-02T18:05:00Z", "do": "run_status", "workflow": "confirm", "contact": ADA}),
            ada_answer(json!({"run": {"status": "completed", "saved": {"confirmation": "YES"}}})),
        ),
    ]);
    assert_simulates(&script);
}

#[test]
fn simulate_sends_a_reminder_24_hours_before_the_appointment_when_a_later_step_reaches_it() {
    assert_simulates(&[
        ada_step(),
        (
            json!({"at": "2026-03-02T18:00:00Z", "do": "workflow", "definition": {
                "id": "remind", "channel": "sms", "steps": [
                    {"wait_until": {"field": "attributes.appointment_at", "offset": "-24h"}},
                    {"send": {"text": "See you tomorrow at 11:00, {first_name}."}}]}}),
            answer(json!({})),
        ),
        (
            json!({"at": "2026-03-02T18:00:00Z", "do": "start_workflow", "workflow": "remind", "contact": ADA}),
            answer(json!({"sms_opted_in": true, "run": {"status": "waiting", "saved": {}}})),
        ),
        (
            json!({"at": "2026-03-09T17:59:59Z", "do": "tick"}),
            answer(json!({})),
        ),
        // Due at 18:00: the step at 18:00 runs it first, whatever the step is.
        (
            json!({"at": "2026-03-09T18:00:00Z", "do": "run_status", "workflow": "remind", "contact": ADA}),
            ada_answer(json!({"run": {"status": "completed", "saved": {}},
                "queued": [{"to": ADA, "channel": "sms", "text": "See you tomorrow at 11:00, Ada."}]})),
        ),
    ]);
}

#[test]
fn simulate_runs_an_inbound_sms_rule_only_when_its_condition_holds() {
    let inbound = |text: &str, id: &str| ada_texts("2026-03-02T18:05:00Z", text, id);
    assert_simulates(&[
        ada_step(),
        (
            json!({"at": "2026-03-02T18:00:00Z", "do": "rule", "definition": {
                "id": "pricing", "trigger": "inbound_sms",
                "conditions": {"field": "text", "op": "contains", "value": "price"},
                "actions": [{"add_tag": "lead"},
                            {"send": {"text": "Hi {first_name}, our prices: https://example.com/prices"}}]}}),
            answer(json!({})),
        ),
        (inbound("Hello there", "SM1"), open_answer(2, json!({}))),
        (
            inbound("What's the PRICE of a cut?", "SM2"),
            open_answer(
                2,
                json!({"queued": [{"to": ADA, "channel": "sms",
                "text": "Hi Ada, our prices: https://example.com/prices"}]}),
            ),
        ),
        (
            json!({"at": "2026-03-02T18:05:00Z", "do": "contact_status", "contact": ADA}),
            open_answer(
                2,
                json!({"contact": {"tags": ["lead"],
                "attributes": {"appointment_at": "2026-03-10T18:00:00Z"},
                "sms_opted_in": true, "whatsapp_opted_in": false}}),
            ),
        ),
    ]);
}

#[test]
fn simulate_refuses_a_rule_whose_webhook_names_no_endpoint_naming_the_action() {
    assert_simulates(&[(
        json!({"at": "2026-03-02T18:00:00Z", "do": "rule", "definition": {
            "id": "notify", "trigger": "opted_out",
            "actions": [{"add_tag": "left"}, {"webhook": "https://crm.example.com/hook"}]}}),
        answer(json!({"ok": false, "error": "invalid_rule",
            "message": "`actions[1].webhook`: the tenant has no outgoing webhook endpoint at this address; register it first (its deliveries are signed with the endpoint's secret)"})),
    )]);
}

#[test]
fn simulate_ends_a_waiting_run_at_stop_and_queues_nothing_after() {
    let mut script = confirm_started();
    script.extend([
        (
            ada_texts("2026-03-02T18:10:00Z", "STOP", "SM1"),
            ada_answer(json!({"sms_opted_in": false, "replies": [
                "You have been unsubscribed from Demo Co messages and will not receive any more. Reply START to resubscribe."]})),
        ),
        (
            json!({"at": "2026-03-02T18:10:00Z", "do": "run_status", "workflow": "confirm", "contact": ADA}),
            ada_answer(json!({"sms_opted_in": false, "run": {"status": "opted_out", "saved": {}}})),
        ),
        // Past the reply's timeout: the run is over, so no follow-up.
        (
            json!({"at": "2026-03-04T18:10:00Z", "do": "tick"}),
            answer(json!({})),
        ),
    ]);
    assert_simulates(&script);
}

#[test]
fn simulate_refuses_a_second_run_an_unknown_workflow_and_an_unknown_contact() {
    let mut script = confirm_started();
    // Before the start: a workflow Ada never ran has no run to show.
    let never_run = (
        json!({"at": "2026-03-02T18:00:00Z", "do": "run_status", "workflow": "confirm", "contact": ADA}),
        answer(json!({"sms_opted_in": true, "run": null})),
    );
    script.insert(2, never_run);
    script.extend([
        (
            json!({"at": "2026-03-02T18:02:00Z", "do": "start_workflow", "workflow": "confirm", "contact": ADA}),
            ada_answer(json!({"ok": false, "error": "already_running"})),
        ),
        (
            json!({"at": "2026-03-02T18:02:00Z", "do": "start_workflow", "workflow": "remind", "contact": ADA}),
            ada_answer(json!({"ok": false, "error": "unknown_workflow"})),
        ),
        (
            json!({"at": "2026-03-02T18:02:00Z", "do": "run_status", "workflow": "remind", "contact": ADA}),
            ada_answer(json!({"ok": false, "error": "unknown_workflow"})),
        ),
        (
            json!({"at": "2026-03-02T18:02:00Z", "do": "start_workflow", "workflow": "confirm", "contact": "+14155550109"}),
            answer(json!({"ok": false, "error": "unknown_contact"})),
        ),
    ]);
    assert_simulates(&script);
}

#[test]
fn simulate_refuses_a_bad_workflow_naming_the_step_at_fault() {
    assert_simulates(&[(
        json!({"at": "2026-03-02T18:00:00Z", "do": "workflow", "definition": {
            "id": "follow", "channel": "sms",
            "steps": [{"send": {"text": "Thanks!"}}, {"delay": "1 week"}]}}),
        answer(json!({"ok": false, "error": "invalid_workflow",
            "message": "`steps[1].delay` is not a duration like 90m (a whole number, then s, m, h or d)"})),
    )]);
}

#[test]
fn simulate_starts_a_campaigns_workflow_for_every_recipient_it_queues() {
    let grace = "+14155550102";
    assert_simulates(&[
        (
            json!({"at": "2026-03-02T18:00:00Z", "do": "contact", "phone": ADA, "name": "Ada Lovelace",
                   "tags": ["vip"], "sms_opted_in": true}),
            answer(json!({"sms_opted_in": true})),
        ),
        (
            json!({"at": "2026-03-02T18:00:00Z", "do": "contact", "phone": grace, "name": "Grace Hopper",
                   "tags": ["vip"], "sms_opted_in": true}),
            answer(json!({"sms_opted_in": true})),
        ),
        (
            json!({"at": "2026-03-02T18:00:00Z", "do": "workflow", "definition": {
                "id": "follow", "channel": "sms",
                "steps": [{"delay": "2h"}, {"send": {"text": "Did you see our offer, {first_name}?"}}]}}),
            answer(json!({})),
        ),
        (
            json!({"at": "2026-03-02T18:01:00Z", "do": "campaign", "id": "spring", "channel": "sms",
                   "audience": {"tags": ["vip"]}, "text": "Spring sale, {first_name}!",
                   "kind": "transactional", "workflow": "follow"}),
            answer(json!({
                "campaign": {"recipients": 2, "pending": 0, "queued": 2, "sent": 0, "delivered": 0,
                             "failed": 0, "skipped": {}},
                "queued": [{"to": ADA, "channel": "sms", "text": "Spring sale, Ada!"},
                           {"to": grace, "channel": "sms", "text": "Spring sale, Grace!"}]})),
        ),
        (
            json!({"at": "2026-03-02T18:01:00Z", "do": "run_status", "workflow": "follow", "contact": grace}),
            open_answer(6, json!({"run": {"status": "waiting", "saved": {}}})),
        ),
        (
            json!({"at": "2026-03-02T20:01:00Z", "do": "tick"}),
            answer(json!({"queued": [
                {"to": ADA, "channel": "sms", "text": "Did you see our offer, Ada?"},
                {"to": grace, "channel": "sms", "text": "Did you see our offer, Grace?"}]})),
        ),
    ]);
}

#[test]
fn simulate_shows_why_a_run_failed_when_a_gate_refuses_its_send() {
    let failed = json!({"status": "failed", "saved": {}, "error": "outside_window"});
    assert_simulates(&[
        (
            json!({"at": "2026-03-02T18:00:00Z", "do": "contact", "phone": ADA, "whatsapp_opted_in": true}),
            answer(json!({"whatsapp_opted_in": true})),
        ),
        (
            json!({"at": "2026-03-02T18:00:00Z", "do": "workflow", "definition": {
                "id": "hello", "channel": "whatsapp", "steps": [{"send": {"text": "Hello!"}}]}}),
            answer(json!({})),
        ),
        // Free text on WhatsApp with no open window: the start stands, the run fails.
        (
            json!({"at": "2026-03-02T18:00:00Z", "do": "start_workflow", "workflow": "hello", "contact": ADA}),
            answer(json!({"whatsapp_opted_in": true, "run": failed})),
        ),
        (
            json!({"at": "2026-03-02T18:01:00Z", "do": "run_status", "workflow": "hello", "contact": ADA}),
            answer(json!({"whatsapp_opted_in": true, "run": failed})),
        ),
    ]);
}
