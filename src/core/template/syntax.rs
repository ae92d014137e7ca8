//! The template grammar, turned into a list of literal and variable parts.
//!
//! The rules (documented with examples on [`crate::core::template`]):
//! `{{` always opens a variable and must be closed by the next `}}`; what lies
//! between, trimmed, is a variable name, or a `"quoted"` literal. A single `{`
//! opens a variable only when the text up to the next `}` is, trimmed, a valid
//! name; otherwise the `{` is literal text. A `}` on its own is always literal.

use std::ops::Range;

use serde::Serialize;

use super::error::{Locator, Position, TemplateError};
use crate::core::text::is_white_space;

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Part {
    /// Text emitted as it is.
    Literal(String),
    /// A placeholder replaced by a value when rendering.
    Variable(Variable),
}

/// A placeholder in a template: its name and where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variable {
    name: String,
    at: Position,
    len: usize,
}

impl Variable {
    /// The name as written inside the braces, trimmed (`contact.name`, `Phone Number`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the placeholder's first brace is.
    pub fn position(&self) -> Position {
        self.at
    }

    /// The bytes of the whole placeholder, braces included, in the template's text.
    pub fn span(&self) -> Range<usize> {
        self.at.offset..self.at.offset + self.len
    }
}

/// Which placeholders a text may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Syntax {
    /// `{{name}}`, `{name}` and `{{"literal"}}`: inbox and campaign templates.
    Full,
    /// `{{name}}` only, as Meta reads WhatsApp template bodies; a single `{` is text.
    DoubleBraceOnly,
}

/// Splits `source` into parts, or says where and why it cannot.
pub(super) fn parse(source: &str, syntax: Syntax) -> Result<Vec<Part>, TemplateError> {
    let mut parser = Parser {
        syntax,
        locator: Locator::new(source),
        parts: Vec::new(),
        literal: String::new(),
    };
    let mut offset = 0;
    loop {
        let rest = source.get(offset..).unwrap_or_default();
        let Some(brace) = rest.find('{') else {
            parser.literal.push_str(rest);
            break;
        };
        parser
            .literal
            .push_str(rest.get(..brace).unwrap_or_default());
        let at = offset + brace;
        let from_brace = rest.get(brace..).unwrap_or_default();
        let consumed = match from_brace.strip_prefix("{{") {
            Some(inside) => parser.double(inside, at)?,
            None => parser.single(from_brace.get(1..).unwrap_or_default(), at),
        };
        offset = at + consumed;
    }
    Ok(parser.finish())
}

struct Parser<'a> {
    syntax: Syntax,
    locator: Locator<'a>,
    parts: Vec<Part>,
    literal: String,
}

impl Parser<'_> {
    /// Handles `{{` at `at` followed by `inside`; returns the bytes consumed.
    fn double(&mut self, inside: &str, at: usize) -> Result<usize, TemplateError> {
        let Some(close) = inside.find("}}") else {
            return Err(TemplateError::Unclosed {
                at: self.locator.locate(at),
            });
        };
        let len = close + 4;
        let content = trim(inside.get(..close).unwrap_or_default());
        if self.syntax == Syntax::Full
            && let Some(text) = quoted(content)
        {
            self.literal.push_str(text);
            return Ok(len);
        }
        if content.is_empty() {
            return Err(TemplateError::EmptyName {
                at: self.locator.locate(at),
            });
        }
        if !is_name(content) {
            return Err(TemplateError::MalformedName {
                name: content.to_owned(),
                at: self.locator.locate(at),
            });
        }
        self.push_variable(content, at, len);
        Ok(len)
    }

    /// Handles a single `{` at `at` followed by `after`; returns the bytes consumed.
    fn single(&mut self, after: &str, at: usize) -> usize {
        let name = match self.syntax {
            Syntax::Full => single_brace_name(after),
            Syntax::DoubleBraceOnly => None,
        };
        match name {
            Some((name, inner_len)) => {
                let len = inner_len + 2;
                self.push_variable(name, at, len);
                len
            }
            None => {
                self.literal.push('{');
                1
            }
        }
    }

    fn push_variable(&mut self, name: &str, at: usize, len: usize) {
        self.flush_literal();
        let at = self.locator.locate(at);
        self.parts.push(Part::Variable(Variable {
            name: name.to_owned(),
            at,
            len,
        }));
    }

    fn flush_literal(&mut self) {
        if !self.literal.is_empty() {
            self.parts
                .push(Part::Literal(std::mem::take(&mut self.literal)));
        }
    }

    fn finish(mut self) -> Vec<Part> {
        self.flush_literal();
        self.parts
    }
}

/// The trimmed name and the byte length of what lies between `{` and `}`, when
/// `after` (the text following a single `{`) starts a valid `{name}`.
///
/// The scan stops at the first character no name could hold, so a text full of
/// stray `{` is still parsed in linear time.
fn single_brace_name(after: &str) -> Option<(&str, usize)> {
    for (i, c) in after.char_indices() {
        if c == '}' {
            let name = trim(after.get(..i).unwrap_or_default());
            return is_name(name).then_some((name, i));
        }
        if !(is_name_char(c) || is_white_space(c)) {
            return None;
        }
    }
    None
}

fn trim(s: &str) -> &str {
    s.trim_matches(is_white_space)
}

/// The text between double quotes, when `content` is a `"quoted"` literal.
fn quoted(content: &str) -> Option<&str> {
    content.strip_prefix('"')?.strip_suffix('"')
}

/// Whether `name` (already trimmed) is a variable name: words joined by `.` or
/// by runs of spaces, each word a letter, digit or `_` followed by letters,
/// digits, `_` or `-`.
pub(super) fn is_name(name: &str) -> bool {
    name.split('.').all(|segment| {
        !segment.is_empty()
            && !segment.starts_with(' ')
            && !segment.ends_with(' ')
            && segment
                .split(' ')
                .filter(|word| !word.is_empty())
                .all(is_word)
    })
}

fn is_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(source: &str) -> Vec<String> {
        parse(source, Syntax::Full)
            .unwrap()
            .into_iter()
            .filter_map(|part| match part {
                Part::Variable(v) => Some(v.name),
                Part::Literal(_) => None,
            })
            .collect()
    }

    #[test]
    fn names_are_words_joined_by_dots_or_spaces() {
        for name in [
            "name",
            "contact.firstName",
            "first_name",
            "Phone Number",
            "e-mail",
            "1",
            "名前",
            "_x",
        ] {
            assert!(is_name(name), "{name:?}");
        }
        for name in [
            "", ".", "contact.", ".name", "a..b", "a. b", "-x", "a\tb", "\"a\"", "a:b", "a/b",
        ] {
            assert!(!is_name(name), "{name:?}");
        }
    }

    #[test]
    fn a_single_brace_opens_a_variable_only_before_a_valid_name() {
        assert_eq!(names("Hi {name} from { company }"), ["name", "company"]);
        assert_eq!(names("{Phone Number}"), ["Phone Number"]);
        assert!(names(r#"{"a": 1} { } {} { -x } } {"#).is_empty());
    }

    #[test]
    fn a_stray_brace_before_a_variable_stays_literal() {
        let parts = parse("{a{b}", Syntax::Full).unwrap();
        assert_eq!(parts[0], Part::Literal("{a".to_owned()));
        assert!(matches!(&parts[1], Part::Variable(v) if v.name() == "b" && v.span() == (2..5)));
    }

    #[test]
    fn variable_spans_cover_the_braces() {
        let parts = parse("Hi {{ contact.name }}!", Syntax::Full).unwrap();
        assert!(matches!(&parts[1], Part::Variable(v) if v.span() == (3..21)));
    }

    #[test]
    fn double_brace_only_syntax_leaves_single_braces_as_text() {
        let parts = parse("{name} {{1}}", Syntax::DoubleBraceOnly).unwrap();
        assert_eq!(parts[0], Part::Literal("{name} ".to_owned()));
        assert!(matches!(&parts[1], Part::Variable(v) if v.name() == "1"));
    }
}
