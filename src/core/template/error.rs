//! Where in a template something went wrong, and what.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A place in a template's text: byte offset, and the 1-based line and column a
/// person would look for in an editor (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    /// Byte offset from the start of the template.
    pub offset: usize,
    /// Line number, from 1; lines end at `\n`.
    pub line: usize,
    /// Column on that line, from 1, in Unicode scalar values.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {} (byte {})",
            self.line, self.column, self.offset
        )
    }
}

/// Turns byte offsets into [`Position`]s, scanning the text once for offsets
/// asked in increasing order (which is how the parser meets them).
#[derive(Debug)]
pub(super) struct Locator<'a> {
    source: &'a str,
    here: Position,
}

impl<'a> Locator<'a> {
    pub(super) fn new(source: &'a str) -> Self {
        Locator {
            source,
            here: Position {
                offset: 0,
                line: 1,
                column: 1,
            },
        }
    }

    /// The position of byte `offset`; an offset behind the last one asked
    /// starts the scan again from the top.
    pub(super) fn locate(&mut self, offset: usize) -> Position {
        if offset < self.here.offset {
            self.here = Position {
                offset: 0,
                line: 1,
                column: 1,
            };
        }
        let between = self
            .source
            .get(self.here.offset..offset)
            .unwrap_or_default();
        for c in between.chars() {
            if c == '\n' {
                self.here.line += 1;
                self.here.column = 1;
            } else {
                self.here.column += 1;
            }
        }
        self.here.offset = offset;
        self.here
    }
}

/// Why a template could not be parsed, checked or rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// A `{{` has no `}}` after it.
    #[error("`{{{{` at {at} is never closed by `}}}}`")]
    Unclosed {
        /// Where the `{{` is.
        at: Position,
    },
    /// `{{ }}` holds nothing but white space.
    #[error("`{{{{ }}}}` at {at} names no variable")]
    EmptyName {
        /// Where the `{{` is.
        at: Position,
    },
    /// `{{ … }}` holds something that is not a variable name.
    #[error(
        "{name:?} at {at} is not a variable name (words of letters, digits, `_` and `-`, joined by `.` or spaces)"
    )]
    MalformedName {
        /// What the braces hold, trimmed.
        name: String,
        /// Where the `{{` is.
        at: Position,
    },
    /// The template names a variable outside the known set.
    #[error("unknown variable {name:?} at {at}")]
    UnknownVariable {
        /// The variable's name.
        name: String,
        /// Where the variable is.
        at: Position,
    },
    /// Rendering under the strict policy found no value for a variable.
    #[error("no value for variable {name:?} (used at {at})")]
    MissingValue {
        /// The variable's name.
        name: String,
        /// Where the variable is.
        at: Position,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters_not_bytes() {
        let mut locator = Locator::new("héllo\nwörld {{");
        assert_eq!(
            locator.locate(0),
            Position {
                offset: 0,
                line: 1,
                column: 1
            }
        );
        assert_eq!(
            locator.locate(3),
            Position {
                offset: 3,
                line: 1,
                column: 3
            }
        );
        assert_eq!(
            locator.locate(14),
            Position {
                offset: 14,
                line: 2,
                column: 7
            }
        );
        // Asking for an earlier offset rescans from the top.
        assert_eq!(
            locator.locate(7),
            Position {
                offset: 7,
                line: 2,
                column: 1
            }
        );
    }

    #[test]
    fn errors_say_where() {
        let error = TemplateError::Unclosed {
            at: Position {
                offset: 6,
                line: 1,
                column: 7,
            },
        };
        assert_eq!(
            error.to_string(),
            "`{{` at line 1, column 7 (byte 6) is never closed by `}}`"
        );
    }
}
