//! Message templates: parsed once, rendered many times, never re-parsed.
//!
//! A [`Template`] is the text of a quick reply, an agent's canned answer or a
//! campaign message, split at parse time into literal text and variables. Rendering
//! walks that list and copies values in as they are: a value that itself looks like
//! `{{x}}` is emitted literally, so a contact who names themselves
//! `{{org.name}}` cannot inject anything (no template injection).
//!
//! # Syntax
//!
//! | written | meaning |
//! |---|---|
//! | `{{contact.name}}`, `{{ contact.name }}` | the variable `contact.name` (white space inside the braces is ignored) |
//! | `{name}`, `{ company }`, `{Phone Number}` | the campaign form: the variable `name`, `company`, `Phone Number` |
//! | `{"a": 1}`, `{}`, `{ }`, a lone `{` or `}` | literal text: a single `{` opens a variable only when the text up to the next `}` is a valid name |
//! | `{{"{{"}}`, `{{"{"}}` | a literal `{{` or `{`: a `"quoted"` text inside `{{ }}` is emitted as is |
//! | `Hi {{name`, `{{}}`, `{{ a: b }}` | errors: `{{` always opens a variable, must be closed by the next `}}` and must hold a valid name |
//!
//! **Names** are words of letters, digits (any script), `_` and `-` (not first),
//! joined by `.` or by spaces: `contact.firstName`, `first_name`, `e-mail`,
//! `Phone Number`, `1`, `名前`. Spaces are allowed because CSV headers such as
//! `Phone Number` are common and every campaign column should be usable as a
//! variable; punctuation other than `.`, `_` and `-` is not, so JSON, code and
//! prose in braces (`{"a": 1}`, `{see below: p. 2}`) stay literal text. A variable
//! is looked up by its name exactly as written, after trimming: `{{ name }}` and
//! `{name}` both ask for `name`; `{Phone  Number}` asks for `Phone  Number`.
//!
//! **Escapes.** Because `{{` always opens a variable, a literal `{{` is written
//! `{{"{{"}}` (the quoted form, as in Jinja). A literal `{` before a valid name is
//! written `{{"{"}}name}`. Nothing outside braces is ever an escape: text without
//! `{{` and without `{name}` renders to itself, backslashes included.
//!
//! **Errors say where**: every [`TemplateError`] carries a [`Position`] (byte
//! offset, 1-based line and column).
//!
//! ```
//! use std::collections::HashMap;
//! use msgcore::core::template::{MissingPolicy, Template, TemplateError};
//!
//! let t = Template::parse("Hi {{ contact.name }}, {name} from {company}! {\"json\": 1}")?;
//! let vars = HashMap::from([
//!     ("contact.name", "{{org.name}}"), // emitted literally, never re-parsed
//!     ("name", "Ada"),
//!     ("company", "Acme"),
//! ]);
//! assert_eq!(
//!     t.render(&vars, &MissingPolicy::Error)?,
//!     "Hi {{org.name}}, Ada from Acme! {\"json\": 1}"
//! );
//!
//! let error = Template::parse("Hello\n{{contact.name").unwrap_err();
//! assert_eq!(error.to_string(), "`{{` at line 2, column 1 (byte 6) is never closed by `}}`");
//! # Ok::<(), TemplateError>(())
//! ```
//!
//! # Unknown and missing variables
//!
//! When the set of variables is known (the inbox's six, or a campaign's CSV
//! columns), [`Template::parse_with`] or [`Template::check`] rejects a template
//! that names any other, at save time. When rendering, a variable without a value
//! follows a [`MissingPolicy`]: an error naming it (the default), nothing, or a
//! fallback text.
//!
//! # WhatsApp template bodies
//!
//! [`WhatsAppBody`] reads a Meta template body, where only `{{1}}`…`{{n}}` are
//! placeholders, and checks the numbering and the parameters sent with it.

mod approved;
mod error;
mod inbox;
mod policy;
mod syntax;
mod variables;
mod whatsapp;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use self::approved::{ApprovedTemplate, ApprovedTemplateError, TemplateCategory};
pub use self::error::{Position, TemplateError};
pub use self::inbox::InboxVariables;
pub use self::policy::MissingPolicy;
pub use self::syntax::{Part, Variable};
pub use self::variables::{VariableSet, Variables};
pub use self::whatsapp::{ParameterProblem, WhatsAppBody, WhatsAppError};

use self::syntax::Syntax;

/// A parsed template: its text, and that text split into literals and variables.
///
/// Serializes as its text; deserializing parses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

impl Template {
    /// Parses `text`, accepting any variable name.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        Template::parse_syntax(text, Syntax::Full)
    }

    /// Parses `text` and rejects any variable not in `known`.
    pub fn parse_with(text: &str, known: &VariableSet) -> Result<Self, TemplateError> {
        let template = Template::parse(text)?;
        template.check(known)?;
        Ok(template)
    }

    fn parse_syntax(text: &str, syntax: Syntax) -> Result<Self, TemplateError> {
        let parts = syntax::parse(text, syntax)?;
        Ok(Template {
            source: text.to_owned(),
            parts,
        })
    }

    /// Fails on the first variable not in `known`, saying which and where.
    pub fn check(&self, known: &VariableSet) -> Result<(), TemplateError> {
        match self.variables().find(|v| !known.contains(v.name())) {
            Some(unknown) => Err(TemplateError::UnknownVariable {
                name: unknown.name().to_owned(),
                at: unknown.position(),
            }),
            None => Ok(()),
        }
    }

    /// Fills in the variables from `vars`; a variable `vars` has no value for
    /// follows `missing`. Values are copied in as they are.
    pub fn render<V: Variables + ?Sized>(
        &self,
        vars: &V,
        missing: &MissingPolicy,
    ) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(self.source.len());
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Variable(variable) => match (vars.get(variable.name()), missing) {
                    (Some(value), _) => out.push_str(&value),
                    (None, MissingPolicy::Error) => {
                        return Err(TemplateError::MissingValue {
                            name: variable.name().to_owned(),
                            at: variable.position(),
                        });
                    }
                    (None, MissingPolicy::Empty) => {}
                    (None, MissingPolicy::Fallback(text)) => out.push_str(text),
                },
            }
        }
        Ok(out)
    }

    /// The literal and variable parts, in order (adjacent literals are merged).
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Every variable, in the order written (a name used twice appears twice).
    pub fn variables(&self) -> impl Iterator<Item = &Variable> {
        self.parts.iter().filter_map(|part| match part {
            Part::Variable(variable) => Some(variable),
            Part::Literal(_) => None,
        })
    }

    /// The text the template was parsed from.
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

impl FromStr for Template {
    type Err = TemplateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Template::parse(text)
    }
}

impl TryFrom<String> for Template {
    type Error = TemplateError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        let parts = syntax::parse(&text, Syntax::Full)?;
        Ok(Template {
            source: text,
            parts,
        })
    }
}

impl From<Template> for String {
    fn from(template: Template) -> Self {
        template.source
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    fn strict(template: &str, vars: &[(&str, &str)]) -> Result<String, TemplateError> {
        Template::parse(template)?.render(vars, &MissingPolicy::Error)
    }

    #[test]
    fn inbox_and_campaign_variables_render_with_white_space_ignored() {
        let vars = [
            ("contact.name", "Jane Doe"),
            ("name", "Ada"),
            ("company", "Acme"),
            ("Phone Number", "+1"),
        ];
        assert_eq!(
            strict("Hi {{ contact.name }}!", &vars).unwrap(),
            "Hi Jane Doe!"
        );
        assert_eq!(
            strict("{name} @ {\tcompany } {Phone Number}", &vars).unwrap(),
            "Ada @ Acme +1"
        );
        assert_eq!(strict("{{name}}{{name}}", &vars).unwrap(), "AdaAda");
    }

    #[test]
    fn braces_that_hold_no_name_stay_literal() {
        let text = r#"{"a": 1} {} { } { lone } } {-x} }} {"#;
        assert_eq!(
            strict(text, &[("lone", "L")]).unwrap(),
            r#"{"a": 1} {} { } L } {-x} }} {"#
        );
    }

    #[test]
    fn quoted_text_in_double_braces_is_a_literal_escape() {
        assert_eq!(
            strict(r#"{{"{{"}}name}} and {{ "{" }}name}"#, &[]).unwrap(),
            "{{name}} and {name}"
        );
    }

    #[test]
    fn an_unclosed_double_brace_says_where() {
        let error = Template::parse("Hi {name},\nyour {{ order ").unwrap_err();
        assert_eq!(
            error,
            TemplateError::Unclosed {
                at: Position {
                    offset: 16,
                    line: 2,
                    column: 6
                }
            }
        );
        assert!(matches!(
            Template::parse("{{name}"),
            Err(TemplateError::Unclosed { .. })
        ));
    }

    #[test]
    fn empty_or_malformed_names_in_double_braces_say_where() {
        let at = Position {
            offset: 3,
            line: 1,
            column: 4,
        };
        assert_eq!(
            Template::parse("Hi {{ }}"),
            Err(TemplateError::EmptyName { at })
        );
        assert_eq!(
            Template::parse("Hi {{contact.}}"),
            Err(TemplateError::MalformedName {
                name: "contact.".to_owned(),
                at
            })
        );
        assert!(
            matches!(Template::parse("{{{name}}}"), Err(TemplateError::MalformedName { name, .. }) if name == "{name")
        );
    }

    #[test]
    fn unknown_variables_are_rejected_when_the_set_is_known() {
        let error = Template::parse_with(
            "Hi {{contact.name}} from {{org.nmae}}",
            &VariableSet::inbox(),
        )
        .unwrap_err();
        assert_eq!(
            error,
            TemplateError::UnknownVariable {
                name: "org.nmae".to_owned(),
                at: Position {
                    offset: 25,
                    line: 1,
                    column: 26
                }
            }
        );
        assert_eq!(
            error.to_string(),
            r#"unknown variable "org.nmae" at line 1, column 26 (byte 25)"#
        );
    }

    #[test]
    fn missing_values_follow_the_policy() {
        let template = Template::parse("Hi {{contact.firstName}}!").unwrap();
        let none: [(&str, &str); 0] = [];
        assert_eq!(
            template.render(&none, &MissingPolicy::Error),
            Err(TemplateError::MissingValue {
                name: "contact.firstName".to_owned(),
                at: Position {
                    offset: 3,
                    line: 1,
                    column: 4
                }
            })
        );
        assert_eq!(
            template.render(&none, &MissingPolicy::Empty).unwrap(),
            "Hi !"
        );
        assert_eq!(
            template
                .render(&none, &MissingPolicy::Fallback("there".into()))
                .unwrap(),
            "Hi there!"
        );
    }

    #[test]
    fn the_missing_policy_has_stable_wire_names() {
        assert_eq!(
            serde_json::to_string(&MissingPolicy::Error).unwrap(),
            r#""error""#
        );
        assert_eq!(
            serde_json::to_string(&MissingPolicy::Empty).unwrap(),
            r#""empty""#
        );
        let fallback: MissingPolicy = serde_json::from_str(r#"{"fallback": "there"}"#).unwrap();
        assert_eq!(fallback, MissingPolicy::Fallback("there".to_owned()));
    }

    #[test]
    fn a_template_serializes_as_its_text_and_deserializing_parses_it() {
        let template: Template = serde_json::from_str(r#""Hi {{contact.name}}""#).unwrap();
        assert_eq!(
            template.variables().map(Variable::name).collect::<Vec<_>>(),
            ["contact.name"]
        );
        assert_eq!(
            serde_json::to_string(&template).unwrap(),
            r#""Hi {{contact.name}}""#
        );
        let error = serde_json::from_str::<Template>(r#""Hi {{contact.name""#).unwrap_err();
        assert!(error.to_string().contains("never closed"), "{error}");
    }

    #[test]
    fn closures_and_hash_maps_provide_values() {
        let template = Template::parse("{a}-{b}").unwrap();
        let map = HashMap::from([
            ("a".to_owned(), "1".to_owned()),
            ("b".to_owned(), "2".to_owned()),
        ]);
        assert_eq!(template.render(&map, &MissingPolicy::Error).unwrap(), "1-2");
        let closure = |name: &str| Some(name.repeat(2));
        assert_eq!(
            template.render(&closure, &MissingPolicy::Error).unwrap(),
            "aa-bb"
        );
    }

    /// Text with no braces at all.
    fn plain_text() -> impl Strategy<Value = String> {
        "[^{}]{0,12}"
    }

    /// Text whose every brace stays literal: a `{` is always followed by
    /// something no name may start with, and no piece ends with `{` except the last.
    fn text_with_lone_braces() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            plain_text(),
            Just("}".to_owned()),
            Just("}}".to_owned()),
            Just("{}".to_owned()),
            Just("{ }".to_owned()),
            Just("{\"".to_owned()),
            Just("{:".to_owned()),
            Just("{-".to_owned()),
            Just("{.".to_owned()),
            Just("{\"a\": 1}".to_owned()),
        ];
        (prop::collection::vec(piece, 0..12), any::<bool>())
            .prop_map(|(pieces, trailing)| pieces.concat() + if trailing { "{" } else { "" })
    }

    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("contact.name".to_owned()),
            Just("name".to_owned()),
            Just("Phone Number".to_owned()),
            "[a-z_][a-z0-9_-]{0,6}",
        ]
    }

    /// A value that looks like template syntax as often as not.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            ".{0,8}",
            "\\{\\{ ?[a-z.]{1,8} ?\\}\\}",
            "\\{[a-z]{1,8}\\}",
            Just("{{".to_owned())
        ]
    }

    proptest! {
        #[test]
        fn a_template_without_variables_renders_to_itself(text in prop_oneof![plain_text(), text_with_lone_braces()]) {
            let template = Template::parse(&text).unwrap();
            prop_assert_eq!(template.variables().count(), 0);
            let no_values: [(&str, &str); 0] = [];
            prop_assert_eq!(template.render(&no_values, &MissingPolicy::Error).unwrap(), text);
        }

        #[test]
        fn values_are_emitted_literally_never_parsed(
            pieces in prop::collection::vec((plain_text(), name(), value()), 0..6),
            tail in plain_text(),
        ) {
            let mut source = String::new();
            let mut expected = String::new();
            let mut values = HashMap::new();
            for (literal, name, value) in &pieces {
                source += &format!("{literal}{{{{ {name} }}}}");
                let value = values.entry(name.clone()).or_insert_with(|| value.clone());
                expected += literal;
                expected += value;
            }
            source += &tail;
            expected += &tail;
            let template = Template::parse(&source).unwrap();
            prop_assert_eq!(template.render(&values, &MissingPolicy::Error).unwrap(), expected);
        }

        #[test]
        fn rendering_each_variable_as_its_placeholder_gives_back_the_text(
            pieces in prop::collection::vec((plain_text(), name()), 0..6),
        ) {
            let source: String = pieces.iter().map(|(literal, name)| format!("{literal}{{{{{name}}}}}")).collect();
            let template = Template::parse(&source).unwrap();
            let placeholder = |name: &str| Some(format!("{{{{{name}}}}}"));
            prop_assert_eq!(template.render(&placeholder, &MissingPolicy::Error).unwrap(), source);
        }

        #[test]
        fn parts_tile_the_source_and_errors_point_inside_it(source in "[a-z {}\"\n.]{0,24}") {
            match Template::parse(&source) {
                Ok(template) => {
                    let mut end = 0;
                    for variable in template.variables() {
                        prop_assert!(variable.span().start >= end);
                        prop_assert!(source.get(variable.span()).is_some_and(|raw| raw.contains(variable.name())));
                        end = variable.span().end;
                    }
                }
                Err(error) => {
                    let at = match error {
                        TemplateError::Unclosed { at } | TemplateError::EmptyName { at } => at,
                        TemplateError::MalformedName { at, .. } => at,
                        other => panic!("parsing cannot fail with {other:?}"),
                    };
                    prop_assert!(source.get(at.offset..).is_some_and(|rest| rest.starts_with("{{")));
                }
            }
        }
    }
}
