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
