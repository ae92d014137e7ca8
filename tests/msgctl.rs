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
    for command in ["e164", "segments", "keyword", "verify", "render", "tag"] {
        assert_eq!(msgctl_raw(command, &junk).len(), 400, "{command}");
    }
}
