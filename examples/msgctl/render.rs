//! `render`: `{"template": "Hi {{contact.name}}", "vars": {"contact.name": "Ann"}}` →
//! `{"text": "Hi Ann"}`. A missing value is an error (the strict policy).

use std::collections::HashMap;

use msgcore::core::template::{MissingPolicy, Template};
use serde::{Deserialize, Serialize};

use super::lines;

#[derive(Deserialize)]
struct Input {
    template: String,
    #[serde(default)]
    vars: HashMap<String, Value>,
}

/// A variable's value: text, or a number or boolean written as JSON writes it;
/// `null` counts as missing.
#[derive(Deserialize)]
#[serde(untagged)]
enum Value {
    Text(String),
    Number(serde_json::Number),
    Bool(bool),
    Null(()),
}

#[derive(Serialize)]
struct Output {
    text: String,
}

/// Renders one template.
pub fn handle(line: &str, out: &mut Vec<u8>) {
    let Some(input) = lines::parse::<Input>(line, out) else {
        return;
    };
    let vars: HashMap<String, String> = input
        .vars
        .into_iter()
        .filter_map(|(name, value)| Some((name, value.into_text()?)))
        .collect();
    match Template::parse(&input.template).and_then(|t| t.render(&vars, &MissingPolicy::Error)) {
        Ok(text) => lines::write_json(out, &Output { text }),
        Err(error) => lines::write_error(out, error),
    }
}

impl Value {
    fn into_text(self) -> Option<String> {
        match self {
            Value::Text(text) => Some(text),
            Value::Number(number) => Some(number.to_string()),
            Value::Bool(flag) => Some(flag.to_string()),
            Value::Null(()) => None,
        }
    }
}
