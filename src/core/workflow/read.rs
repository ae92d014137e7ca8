//! From a definition's JSON to checked steps, every refusal naming its place.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::definition::{MAX_IF_DEPTH, MAX_NAME_LEN, MAX_STEPS};
use super::error::{WorkflowError, WorkflowProblem};
use super::span;
use super::step::{KINDS, Moment, Step, StepKind, StepSend};
use crate::core::campaign::TemplateRef;
use crate::core::channel::Channel;
use crate::core::condition::{Condition, RawCondition, RawTest};
use crate::core::template::Template;

/// The prefix of a contact attribute's field name.
const ATTRIBUTES: &str = "attributes.";

/// Reads one workflow's steps; it counts them as it goes, so the limit
/// counts every nested step once.
pub(super) struct Reader<'a> {
    /// The workflow's channel: template sends need WhatsApp.
    pub(super) channel: Channel,
    /// The names every `wait_reply` of the workflow saves under.
    pub(super) saved: &'a [String],
    /// Steps read so far.
    pub(super) count: usize,
}

type Read<T> = Result<T, WorkflowError>;

impl Reader<'_> {
    /// The list of steps at `path`; `depth` is how many `if`s enclose it.
    pub(super) fn steps(&mut self, json: &Value, path: &str, depth: usize) -> Read<Vec<Step>> {
        let Value::Array(items) = json else {
            return Err(WorkflowError::new(path, WorkflowProblem::NotAList));
        };
        items
            .iter()
            .enumerate()
            .map(|(index, item)| self.step(item, &format!("{path}[{index}]"), depth))
            .collect()
    }

    fn step(&mut self, json: &Value, path: &str, depth: usize) -> Read<Step> {
        let object = object(json, path)?;
        self.count += 1;
        if self.count > MAX_STEPS {
            let max = MAX_STEPS;
            return Err(WorkflowError::new(
                path,
                WorkflowProblem::TooManySteps { max },
            ));
        }
        let expected = "one of send, delay, wait_until, filter, if, wait_reply, and when";
        only_keys(
            object,
            path,
            &[&KINDS[..], &["when", "then", "else"]].concat(),
            expected,
        )?;
        let kind = kind(object, path)?;
        if kind != "if" {
            let expected = "then and else only on an if step";
            only_keys(object, path, &[&KINDS[..], &["when"]].concat(), expected)?;
        }
        let when = match present(object, "when") {
            Some(json) => Some(self.condition(json, &format!("{path}.when"))?),
            None => None,
        };
        let at = format!("{path}.{kind}");
        let value = present(object, kind).unwrap_or(&Value::Null);
        let kind = match kind {
            "send" => StepKind::Send(self.send(value, &at)?),
            "delay" => StepKind::Delay(span::duration(text(value, &at)?).map_err(at_path(&at))?),
            "wait_until" => StepKind::WaitUntil(moment(value, &at)?),
            "filter" => StepKind::Filter(self.condition(value, &at)?),
            "if" => self.branch(object, path, depth)?,
            _ => self.wait_reply(value, &at)?,
        };
        Ok(Step { when, kind })
    }

    fn condition(&self, json: &Value, path: &str) -> Read<Condition> {
        RawCondition::from_json(json)
            .and_then(|raw| raw.check_with_saved_replies(self.saved))
            .map_err(|error| WorkflowError::condition(path, error))
    }

    fn send(&self, json: &Value, path: &str) -> Read<StepSend> {
        let object = object(json, path)?;
        only_keys(object, path, &["text", "template"], "text or template")?;
        match (present(object, "text"), present(object, "template")) {
            (Some(text_json), None) => {
                let path = format!("{path}.text");
                let problem = WorkflowProblem::Text;
                let template = Template::parse(text(text_json, &path)?);
                Ok(StepSend::Text(
                    template.map_err(|e| WorkflowError::new(path, problem(e)))?,
                ))
            }
            (None, Some(template)) => self.template(template, &format!("{path}.template")),
            _ => Err(WorkflowError::new(path, one_of("text", "template"))),
        }
    }

    /// A template send, checked as a campaign's is.
    fn template(&self, json: &Value, path: &str) -> Read<StepSend> {
        if self.channel == Channel::Sms {
            return Err(WorkflowError::new(path, WorkflowProblem::TemplateOnSms));
        }
        let object = object(json, path)?;
        only_keys(
            object,
            path,
            &["name", "language", "components"],
            "name, language and components",
        )?;
        let components = match present(object, "components") {
            None => Vec::new(),
            Some(Value::Array(items)) => items.clone(),
            Some(_) => {
                return Err(WorkflowError::new(
                    format!("{path}.components"),
                    WorkflowProblem::NotAList,
                ));
            }
        };
        let template = TemplateRef {
            name: filled(object, "name", path)?.to_owned(),
            language: filled(object, "language", path)?.to_owned(),
            components,
        };
        template.content().map_err(|error| {
            // The content's own name for the template's name is `template_name`.
            let field = error.field.replacen("template_name", "name", 1);
            WorkflowError::new(
                format!("{path}.{field}"),
                WorkflowProblem::TemplateContent(error.problem),
            )
        })?;
        Ok(StepSend::Template(template))
    }

    fn branch(&mut self, object: &Map<String, Value>, path: &str, depth: usize) -> Read<StepKind> {
        if depth >= MAX_IF_DEPTH {
            let max = MAX_IF_DEPTH;
            return Err(WorkflowError::new(path, WorkflowProblem::TooDeep { max }));
        }
        let condition = self.condition(
            present(object, "if").unwrap_or(&Value::Null),
            &format!("{path}.if"),
        )?;
        let then = required(object, "then", path)?;
        let then = self.steps(then, &format!("{path}.then"), depth + 1)?;
        let otherwise = match present(object, "else") {
            Some(json) => self.steps(json, &format!("{path}.else"), depth + 1)?,
            None => Vec::new(),
        };
        Ok(StepKind::If {
            condition,
            then,
            otherwise,
        })
    }

    fn wait_reply(&self, json: &Value, path: &str) -> Read<StepKind> {
        let object = object(json, path)?;
        only_keys(object, path, &["save_as", "timeout"], "save_as and timeout")?;
        let name_path = format!("{path}.save_as");
        let save_as = text(required(object, "save_as", path)?, &name_path)?;
        reply_name(save_as).map_err(at_path(&name_path))?;
        let timeout_path = format!("{path}.timeout");
        let timeout = text(required(object, "timeout", path)?, &timeout_path)?;
        let timeout = span::duration(timeout).map_err(at_path(&timeout_path))?;
        Ok(StepKind::WaitReply {
            save_as: save_as.to_owned(),
            timeout,
        })
    }
}

/// The one step kind `object` names.
fn kind(object: &Map<String, Value>, path: &str) -> Read<&'static str> {
    let mut kinds = KINDS.into_iter().filter(|kind| object.contains_key(*kind));
    match (kinds.next(), kinds.next()) {
        (Some(kind), None) => Ok(kind),
        (None, _) => Err(WorkflowError::new(path, WorkflowProblem::NoKind)),
        (Some(first), Some(second)) => Err(WorkflowError::new(
            path,
            WorkflowProblem::TwoKinds { first, second },
        )),
    }
}

fn moment(json: &Value, path: &str) -> Read<Moment> {
    let object = object(json, path)?;
    only_keys(
        object,
        path,
        &["at", "field", "offset"],
        "at, or field and offset",
    )?;
    match (present(object, "at"), present(object, "field")) {
        (Some(at), None) => {
            only_keys(object, path, &["at"], "at alone: offset goes with field")?;
            let at_path = format!("{path}.at");
            let at = DateTime::parse_from_rfc3339(text(at, &at_path)?)
                .map_err(|_| WorkflowError::new(at_path, WorkflowProblem::NotAMoment))?;
            Ok(Moment::At(at.with_timezone(&Utc)))
        }
        (None, Some(field)) => {
            let field_path = format!("{path}.field");
            let name = text(field, &field_path)?
                .strip_prefix(ATTRIBUTES)
                .filter(|name| !name.trim().is_empty())
                .ok_or_else(|| WorkflowError::new(&field_path, WorkflowProblem::NotAnAttribute))?;
            let offset = match present(object, "offset") {
                Some(offset) => {
                    let offset_path = format!("{path}.offset");
                    span::offset(text(offset, &offset_path)?).map_err(at_path(&offset_path))?
                }
                None => chrono::TimeDelta::zero(),
            };
            Ok(Moment::Attribute {
                name: name.to_owned(),
                offset,
            })
        }
        _ => Err(WorkflowError::new(path, one_of("at", "field"))),
    }
}

/// Whether `name` can be a saved reply: it becomes an attribute's name, and a
/// condition must be able to read it back.
fn reply_name(name: &str) -> Result<(), WorkflowProblem> {
    let valid = (1..=MAX_NAME_LEN).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid {
        return Err(WorkflowProblem::BadName { max: MAX_NAME_LEN });
    }
    // A name the condition language knows without saved replies is built in,
    // and built-in fields win over saved replies when a condition is read.
    let test = RawTest {
        field: name.to_owned(),
        op: "is_present".to_owned(),
        value: None,
    };
    if RawCondition::Test(test).check().is_ok() {
        return Err(WorkflowProblem::BuiltInName {
            name: name.to_owned(),
        });
    }
    Ok(())
}

/// The names every `wait_reply` in `steps` saves under, read leniently: a
/// condition may name a reply saved later on, and the strict reading refuses
/// anything wrong with the `wait_reply` itself.
pub(super) fn saved_names(steps: &Value, depth: usize, names: &mut Vec<String>) {
    let Value::Array(items) = steps else { return };
    for item in items {
        if let Some(Value::String(name)) = item.get("wait_reply").and_then(|w| w.get("save_as")) {
            names.push(name.clone());
        }
        if depth < MAX_IF_DEPTH {
            for branch in ["then", "else"] {
                if let Some(list) = item.get(branch) {
                    saved_names(list, depth + 1, names);
                }
            }
        }
    }
}

pub(super) fn object<'j>(json: &'j Value, path: &str) -> Read<&'j Map<String, Value>> {
    json.as_object()
        .ok_or_else(|| WorkflowError::new(path, WorkflowProblem::NotAnObject))
}

/// Refuses the first key outside `allowed`, naming it in the path.
pub(super) fn only_keys(
    object: &Map<String, Value>,
    path: &str,
    allowed: &[&str],
    expected: &'static str,
) -> Read<()> {
    match object.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => Err(WorkflowError::new(
            join(path, key),
            WorkflowProblem::UnexpectedKey {
                key: key.clone(),
                expected,
            },
        )),
        None => Ok(()),
    }
}

/// The part under `key`, `null` counting as absent.
pub(super) fn present<'j>(object: &'j Map<String, Value>, key: &str) -> Option<&'j Value> {
    object.get(key).filter(|value| !value.is_null())
}

pub(super) fn required<'j>(
    object: &'j Map<String, Value>,
    key: &str,
    path: &str,
) -> Read<&'j Value> {
    present(object, key)
        .ok_or_else(|| WorkflowError::new(join(path, key), WorkflowProblem::Missing))
}

pub(super) fn text<'j>(json: &'j Value, path: &str) -> Read<&'j str> {
    json.as_str()
        .ok_or_else(|| WorkflowError::new(path, WorkflowProblem::NotAString))
}

/// Required text under `key` that is not blank.
pub(super) fn filled<'j>(object: &'j Map<String, Value>, key: &str, path: &str) -> Read<&'j str> {
    let value = required(object, key, path)?;
    let path = join(path, key);
    let value = text(value, &path)?;
    if value.trim().is_empty() {
        return Err(WorkflowError::new(path, WorkflowProblem::Blank));
    }
    Ok(value)
}

/// `key` inside the object at `path` (the top has an empty path).
pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn at_path(path: &str) -> impl FnOnce(WorkflowProblem) -> WorkflowError + '_ {
    move |problem| WorkflowError::new(path, problem)
}

fn one_of(first: &'static str, second: &'static str) -> WorkflowProblem {
    WorkflowProblem::OneOf { first, second }
}
