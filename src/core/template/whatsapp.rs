//! WhatsApp template bodies: positional parameters `{{1}}`…`{{n}}`.
//!
//! Meta rejects a template whose parameters are not numbered from 1 without gaps,
//! and a send whose parameter count differs from the template's, or whose
//! parameter text holds a line break, a tab or more than four spaces in a row
//! (error 132018). Checking here turns those into typed errors before anything
//! reaches Meta.

use std::borrow::Cow;

use super::Template;
use super::error::{Position, TemplateError};
use super::policy::MissingPolicy;
use super::syntax::Syntax;
use super::variables::Variables;

/// Meta refuses parameter text with more spaces in a row than this.
const MAX_SPACE_RUN: usize = 4;

/// A WhatsApp template body whose parameters are numbered `{{1}}`…`{{n}}`.
///
/// Only `{{…}}` is a placeholder here (a single `{` is text, as Meta reads it), and
/// each must be written exactly `{{n}}`: no spaces, no leading zero, no names.
/// Each number must first appear after all smaller ones; a number may repeat.
///
/// ```
/// use msgcore::core::template::{WhatsAppBody, WhatsAppError};
///
/// let body = WhatsAppBody::parse("Hi {{1}}, order {{2}} ships {today}.")?;
/// assert_eq!(body.parameter_count(), 2);
/// assert_eq!(body.render(&["Ada", "#42"])?, "Hi Ada, order #42 ships {today}.");
/// assert!(matches!(
///     body.check_parameters(&["Ada"]),
///     Err(WhatsAppError::WrongCount { expected: 2, supplied: 1 })
/// ));
/// assert!(matches!(
///     WhatsAppBody::parse("Hi {{1}}, order {{3}}"),
///     Err(WhatsAppError::OutOfOrder { found: 3, expected: 2, .. })
/// ));
/// # Ok::<(), WhatsAppError>(())
/// ```
///
/// Serialized as its text; deserializing parses it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WhatsAppBody {
    template: Template,
    parameter_count: usize,
}

impl TryFrom<String> for WhatsAppBody {
    type Error = WhatsAppError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        WhatsAppBody::parse(&text)
    }
}

impl From<WhatsAppBody> for String {
    fn from(body: WhatsAppBody) -> String {
        body.as_str().to_owned()
    }
}

/// Why a WhatsApp template body, or the parameters sent with it, would be rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WhatsAppError {
    /// The body is not a well-formed template (an unclosed `{{`, an empty one, …).
    #[error(transparent)]
    Syntax(#[from] TemplateError),
    /// A placeholder is not written `{{n}}` with n a number from 1.
    #[error(
        "`{{{{{name}}}}}` at {at} is not a positional parameter: Meta expects exactly {{{{1}}}}, {{{{2}}}}, …"
    )]
    NotPositional {
        /// What the braces hold, trimmed.
        name: String,
        /// Where the placeholder is.
        at: Position,
    },
    /// A parameter number appears before a smaller one, or skips one.
    #[error(
        "parameter {{{{{found}}}}} at {at} comes where {{{{{expected}}}}} must: parameters are numbered from 1 without gaps, in order"
    )]
    OutOfOrder {
        /// The number written.
        found: usize,
        /// The number that had to come next.
        expected: usize,
        /// Where the placeholder is.
        at: Position,
    },
    /// The number of parameters sent differs from the body's.
    #[error("the body takes {expected} parameter(s) but {supplied} were supplied")]
    WrongCount {
        /// Parameters in the body.
        expected: usize,
        /// Parameters supplied.
        supplied: usize,
    },
    /// A parameter's text is one Meta refuses.
    #[error("parameter {{{{{parameter}}}}} {problem}")]
    InvalidValue {
        /// The parameter's number, from 1.
        parameter: usize,
        /// What is wrong with its text.
        problem: ParameterProblem,
    },
}

/// What Meta refuses in a parameter's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum ParameterProblem {
    /// A line break (`\n` or `\r`).
    #[error("holds a line break")]
    LineBreak,
    /// A tab.
    #[error("holds a tab")]
    Tab,
    /// More than four spaces in a row.
    #[error("holds more than 4 spaces in a row")]
    TooManySpaces,
}

impl WhatsAppBody {
    /// Parses a body and checks that its parameters are `{{1}}`…`{{n}}` in order.
    pub fn parse(text: &str) -> Result<Self, WhatsAppError> {
        let template = Template::parse_syntax(text, Syntax::DoubleBraceOnly)?;
        let mut next = 1;
        for variable in template.variables() {
            let number =
                positional_number(variable.name(), variable.span().len()).ok_or_else(|| {
                    WhatsAppError::NotPositional {
                        name: variable.name().to_owned(),
                        at: variable.position(),
                    }
                })?;
            if number == next {
                next += 1;
            } else if number > next {
                return Err(WhatsAppError::OutOfOrder {
                    found: number,
                    expected: next,
                    at: variable.position(),
                });
            }
        }
        Ok(WhatsAppBody {
            template,
            parameter_count: next - 1,
        })
    }

    /// How many parameters a send must supply (the highest number, n).
    pub fn parameter_count(&self) -> usize {
        self.parameter_count
    }

    /// Checks the parameters of a send: exactly n of them, each with text Meta accepts.
    pub fn check_parameters<S: AsRef<str>>(&self, parameters: &[S]) -> Result<(), WhatsAppError> {
        if parameters.len() != self.parameter_count {
            return Err(WhatsAppError::WrongCount {
                expected: self.parameter_count,
                supplied: parameters.len(),
            });
        }
        for (index, value) in parameters.iter().enumerate() {
            if let Some(problem) = parameter_problem(value.as_ref()) {
                return Err(WhatsAppError::InvalidValue {
                    parameter: index + 1,
                    problem,
                });
            }
        }
        Ok(())
    }

    /// The text the customer will see, after [checking](Self::check_parameters) the parameters.
    pub fn render<S: AsRef<str>>(&self, parameters: &[S]) -> Result<String, WhatsAppError> {
        self.check_parameters(parameters)?;
        Ok(self
            .template
            .render(&Positional(parameters), &MissingPolicy::Error)?)
    }

    /// The body's text.
    pub fn as_str(&self) -> &str {
        self.template.as_str()
    }
}

/// The number `n` when `name` is written exactly `{{n}}` (a placeholder of
/// `span_len` bytes), `n` from 1 without a leading zero.
fn positional_number(name: &str, span_len: usize) -> Option<usize> {
    let plain = span_len == name.len() + 4
        && !name.starts_with('0')
        && name.bytes().all(|b| b.is_ascii_digit());
    if !plain {
        return None;
    }
    name.parse().ok()
}

fn parameter_problem(value: &str) -> Option<ParameterProblem> {
    if value.contains(['\n', '\r']) {
        return Some(ParameterProblem::LineBreak);
    }
    if value.contains('\t') {
        return Some(ParameterProblem::Tab);
    }
    let too_many_spaces = " ".repeat(MAX_SPACE_RUN + 1);
    value
        .contains(&too_many_spaces)
        .then_some(ParameterProblem::TooManySpaces)
}

/// Parameters by number: `"1"` is the first.
struct Positional<'a, S>(&'a [S]);

impl<S: AsRef<str>> Variables for Positional<'_, S> {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        let index = name.parse::<usize>().ok()?.checked_sub(1)?;
        self.0.get(index).map(|value| Cow::Borrowed(value.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_numbered_from_one_in_order_are_accepted_and_may_repeat() {
        let body = WhatsAppBody::parse("{{1}} and {{2}}, again {{1}}").unwrap();
        assert_eq!(body.parameter_count(), 2);
        assert_eq!(body.render(&["a", "b"]).unwrap(), "a and b, again a");
        assert_eq!(
            WhatsAppBody::parse("No parameters {here}")
                .unwrap()
                .parameter_count(),
            0
        );
    }

    #[test]
    fn a_gap_or_a_reversal_names_the_parameter_and_where() {
        let error = WhatsAppBody::parse("Hi {{2}} {{1}}").unwrap_err();
        assert!(
            matches!(error, WhatsAppError::OutOfOrder { found: 2, expected: 1, at } if at.offset == 3)
        );
        let error = WhatsAppBody::parse("{{1}}\n{{3}}").unwrap_err();
        assert!(
            matches!(error, WhatsAppError::OutOfOrder { found: 3, expected: 2, at } if at.line == 2)
        );
        assert!(error.to_string().contains("{{3}}"), "{error}");
    }

    #[test]
    fn only_plainly_written_numbers_are_parameters() {
        for body in [
            "{{ 1 }}",
            "{{01}}",
            "{{0}}",
            "{{name}}",
            "{{1a}}",
            "{{99999999999999999999999}}",
        ] {
            assert!(
                matches!(
                    WhatsAppBody::parse(body),
                    Err(WhatsAppError::NotPositional { .. })
                ),
                "{body}"
            );
        }
        assert!(matches!(
            WhatsAppBody::parse("{{1}"),
            Err(WhatsAppError::Syntax(TemplateError::Unclosed { .. }))
        ));
    }

    #[test]
    fn the_count_of_parameters_must_match() {
        let body = WhatsAppBody::parse("{{1}} {{2}}").unwrap();
        let error = body.check_parameters(&["a", "b", "c"]).unwrap_err();
        assert_eq!(
            error,
            WhatsAppError::WrongCount {
                expected: 2,
                supplied: 3
            }
        );
        assert_eq!(
            error.to_string(),
            "the body takes 2 parameter(s) but 3 were supplied"
        );
    }

    #[test]
    fn parameter_text_meta_refuses_names_the_parameter() {
        let body = WhatsAppBody::parse("{{1}} {{2}}").unwrap();
        let cases = [
            (["ok", "two\nlines"], ParameterProblem::LineBreak),
            (["a\tb", "ok"], ParameterProblem::Tab),
            (["ok", "a     b"], ParameterProblem::TooManySpaces),
        ];
        for (parameters, problem) in cases {
            let parameter = if parameters[0] == "ok" { 2 } else { 1 };
            assert_eq!(
                body.check_parameters(&parameters),
                Err(WhatsAppError::InvalidValue { parameter, problem })
            );
        }
        assert!(body.check_parameters(&["four    spaces", "x"]).is_ok());
        assert_eq!(
            body.render(&["a", "b\r"]).unwrap_err().to_string(),
            "parameter {{2}} holds a line break"
        );
    }
}
