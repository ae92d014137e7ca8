//! `msgctl` end to end: the real example binary, fed the oracle fixtures as JSON Lines,
//! must answer every line, in order, exactly as the references do (SPEC §17).
#![cfg(all(feature = "twilio", feature = "telnyx", feature = "meta"))]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// `cargo test` builds the examples next to the test binaries' directory.
fn msgctl_path() -> PathBuf {
    let test_binary = std::env::current_exe().unwrap();
    let profile_dir = test_binary.parent().unwrap().parent().unwrap();
    profile_dir
        .join("examples")
        .join(format!("msgctl{}", std::env::consts::EXE_SUFFIX))
}

/// Runs `msgctl <command>` over `input` and returns its stdout lines.
fn msgctl_raw(command: &str, input: &[u8]) -> Vec<String> {
    let mut child = Command::new(msgctl_path())
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", msgctl_path().display()));
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
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
    for command in ["e164", "keyword", "render", "tag"] {
        assert_eq!(msgctl_raw(command, &junk).len(), 400, "{command}");
    }
}
