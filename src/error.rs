//! The crate-wide error: one variant per boundary, each wrapping that boundary's
//! own typed error, with a stable [`ErrorKind`] and an HTTP status for servers.

use crate::core::phone::PhoneError;

/// Any error msgcore returns.
///
/// Each module has its own error type (a [`PhoneError`] from parsing a number, …);
/// this enum gathers them for callers that handle everything in one place.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A phone number was not valid.
    #[error(transparent)]
    Phone(#[from] PhoneError),
}

/// What kind of failure an [`Error`] is, as a stable snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// A phone number could not be parsed or is not valid.
    InvalidPhone,
}

impl ErrorKind {
    /// The stable snake_case name (`"invalid_phone"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidPhone => "invalid_phone",
        }
    }
}

impl Error {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Phone(_) => ErrorKind::InvalidPhone,
        }
    }

    /// The HTTP status a server built on msgcore should answer with.
    pub fn http_status(&self) -> u16 {
        match self.kind() {
            ErrorKind::InvalidPhone => 400,
        }
    }

    /// Whether trying the same thing again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self.kind() {
            ErrorKind::InvalidPhone => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_phone_number_is_a_permanent_bad_request() {
        let error = Error::from(crate::E164::parse("abc", Some("US")).unwrap_err());
        assert_eq!(error.kind(), ErrorKind::InvalidPhone);
        assert_eq!(error.kind().as_str(), "invalid_phone");
        assert_eq!(error.http_status(), 400);
        assert!(!error.is_retryable());
    }
}
