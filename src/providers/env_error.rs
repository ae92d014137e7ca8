//! [`EnvError`]: a configuration variable that is missing or malformed, named,
//! with what to put there instead.

/// A configuration variable that is missing or malformed.
///
/// Displays as the variable followed by the problem, which says the fix:
///
/// ```
/// use msgcore::providers::env_error::EnvError;
///
/// let error = EnvError::new("PORT", "must be a port number like 8080, got \"http\"");
/// assert_eq!(error.to_string(), "PORT must be a port number like 8080, got \"http\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable} {problem}")]
pub struct EnvError {
    /// The variable's name (`TWILIO_ACCOUNT_SID`).
    pub variable: &'static str,
    /// What is wrong with it and what it should be, read after the name
    /// (`is not set: set it to …`, `must be … like …, got "…"`).
    pub problem: String,
}

impl EnvError {
    /// `variable` has `problem`.
    pub fn new(variable: &'static str, problem: impl Into<String>) -> EnvError {
        EnvError {
            variable,
            problem: problem.into(),
        }
    }
}

/// Every problem found in a configuration, in the order its variables were read,
/// so that one restart fixes them all.
///
/// ```
/// use msgcore::providers::env_error::{EnvError, EnvErrors};
///
/// let mut problems = EnvErrors::default();
/// let port: Option<u16> = problems.keep("http".parse().map_err(|_| EnvError::new("PORT", "must be a port number")));
/// let host = problems.keep(Ok::<_, EnvError>("0.0.0.0"));
/// problems.push(EnvError::new("TOKEN", "is not set"));
/// let address = port.zip(host);
/// let refused = problems.finish(address).unwrap_err();
/// assert_eq!(refused.to_string(), "PORT must be a port number; TOKEN is not set");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{}", display(.0))]
pub struct EnvErrors(Vec<EnvError>);

fn display(problems: &[EnvError]) -> String {
    let each: Vec<String> = problems.iter().map(ToString::to_string).collect();
    each.join("; ")
}

impl EnvErrors {
    /// `result`'s value, or `None` with its problem kept.
    pub fn keep<T>(&mut self, result: Result<T, EnvError>) -> Option<T> {
        result.map_err(|problem| self.0.push(problem)).ok()
    }

    /// `result`'s value, or `None` with all its problems kept (another reader's).
    pub fn keep_all<T>(&mut self, result: Result<T, EnvErrors>) -> Option<T> {
        result.map_err(|problems| self.0.extend(problems.0)).ok()
    }

    /// Keeps `problem`.
    pub fn push(&mut self, problem: EnvError) {
        self.0.push(problem);
    }

    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in the order they were found.
    pub fn problems(&self) -> &[EnvError] {
        &self.0
    }

    /// `value` when no problem was found, else every problem. (A `None` with no
    /// problem kept is a reader's bug, and answers an empty list.)
    pub fn finish<T>(self, value: Option<T>) -> Result<T, EnvErrors> {
        match value {
            Some(value) if self.is_empty() => Ok(value),
            _ => Err(self),
        }
    }
}

impl From<EnvError> for EnvErrors {
    fn from(problem: EnvError) -> EnvErrors {
        EnvErrors(vec![problem])
    }
}

impl IntoIterator for EnvErrors {
    type Item = EnvError;
    type IntoIter = std::vec::IntoIter<EnvError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
