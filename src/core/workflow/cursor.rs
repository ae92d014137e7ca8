//! Where a run stands in its workflow, written as the step's path.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A place in a workflow: a step, or the end of a list of steps, written the
/// way an error names it (`steps[2].then[0]`), so a stored run reads plainly.
///
/// ```
/// use msgcore::core::workflow::Cursor;
///
/// let cursor: Cursor = "steps[2].else[1]".parse()?;
/// assert_eq!(cursor.to_string(), "steps[2].else[1]");
/// assert!("steps[2].when".parse::<Cursor>().is_err());
/// # Ok::<(), msgcore::core::workflow::CursorError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cursor {
    /// The index in the workflow's own steps.
    top: usize,
    /// Then each `if` entered: which branch, and the index in it.
    inner: Vec<(Branch, usize)>,
}

/// One of an `if` step's two lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Branch {
    /// `then`: taken when the condition holds.
    Then,
    /// `else`: taken when it does not.
    Else,
}

impl Branch {
    /// Its key in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Branch::Then => "then",
            Branch::Else => "else",
        }
    }
}

impl Cursor {
    /// The first step.
    pub fn start() -> Cursor {
        Cursor {
            top: 0,
            inner: Vec::new(),
        }
    }

    /// The index in the workflow's own steps.
    pub(super) fn top(&self) -> usize {
        self.top
    }

    /// The branches entered, outermost first, each with the index in it.
    pub(super) fn branches(&self) -> impl Iterator<Item = (Branch, usize)> + '_ {
        self.inner.iter().copied()
    }

    /// The next place in the same list.
    pub(super) fn advance(&mut self) {
        let index = match self.inner.last_mut() {
            Some((_, index)) => index,
            None => &mut self.top,
        };
        *index = index.saturating_add(1);
    }

    /// The first place in a branch of the `if` at the cursor.
    pub(super) fn enter(&mut self, branch: Branch) {
        self.inner.push((branch, 0));
    }

    /// The `if` whose branch the cursor is in; false at the top, where there is none.
    pub(super) fn leave(&mut self) -> bool {
        self.inner.pop().is_some()
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "steps[{}]", self.top)?;
        for (branch, index) in &self.inner {
            write!(f, ".{}[{index}]", branch.as_str())?;
        }
        Ok(())
    }
}

/// A stored cursor that is not a step's path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a step's place like steps[2].then[0]")]
pub struct CursorError(pub String);

impl FromStr for Cursor {
    type Err = CursorError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let refused = || CursorError(text.to_owned());
        let mut parts = text.split('.');
        let top = parts
            .next()
            .and_then(|part| index(part, "steps"))
            .ok_or_else(refused)?;
        let inner = parts
            .map(|part| {
                [Branch::Then, Branch::Else]
                    .into_iter()
                    .find_map(|branch| Some((branch, index(part, branch.as_str())?)))
                    .ok_or_else(refused)
            })
            .collect::<Result<_, _>>()?;
        Ok(Cursor { top, inner })
    }
}

/// The N of `key[N]`, written in plain digits.
fn index(part: &str, key: &str) -> Option<usize> {
    let digits = part
        .strip_prefix(key)?
        .strip_prefix('[')?
        .strip_suffix(']')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl TryFrom<String> for Cursor {
    type Error = CursorError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Cursor> for String {
    fn from(cursor: Cursor) -> Self {
        cursor.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_from_the_path_it_writes() {
        for text in [
            "steps[0]",
            "steps[12]",
            "steps[2].then[0]",
            "steps[1].else[3].then[0]",
        ] {
            let cursor: Cursor = text.parse().unwrap();
            assert_eq!(cursor.to_string(), text);
            let json = serde_json::to_string(&cursor).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Cursor>(&json).unwrap(), cursor);
        }
    }

    #[test]
    fn a_cursor_that_is_not_a_step_path_is_refused_not_a_panic() {
        for text in [
            "",
            "steps",
            "steps[]",
            "steps[-1]",
            "steps[+1]",
            "steps[1",
            "then[0]",
            "steps[0].when",
            "steps[0].",
            "steps[0].then[x]",
            "steps[99999999999999999999999]",
            "steps[0]then[0]",
            "stepsé[0]",
        ] {
            assert_eq!(
                text.parse::<Cursor>(),
                Err(CursorError(text.to_owned())),
                "{text:?}"
            );
        }
        assert!(serde_json::from_str::<Cursor>("\"steps[x]\"").is_err());
    }
}
