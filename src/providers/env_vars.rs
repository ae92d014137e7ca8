//! Reading provider configuration from variables: the checks the Twilio and
//! Telnyx `from_env` constructors share, each failing with an [`EnvError`] that
//! says what to set.

use crate::core::phone::E164;
use crate::providers::env_error::EnvError;

/// A variable of this process's environment; one that is not UTF-8 is read
/// lossily so that its check names it rather than calling it unset.
pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
}

/// Variables read through a lookup (the process environment, or a map in tests).
pub(crate) struct Vars<F> {
    lookup: F,
}

impl<F: Fn(&str) -> Option<String>> Vars<F> {
    pub(crate) fn new(lookup: F) -> Vars<F> {
        Vars { lookup }
    }

    /// The trimmed value; unset and blank are alike, as shells and `.env` files
    /// write an unset variable as `NAME=`.
    pub(crate) fn optional(&self, name: &str) -> Option<String> {
        let value = (self.lookup)(name)?;
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_owned())
    }

    /// The value, or an error telling to set it to `what`.
    pub(crate) fn required(&self, name: &'static str, what: &str) -> Result<String, EnvError> {
        self.optional(name)
            .ok_or_else(|| EnvError::new(name, format!("is not set: set it to {what}")))
    }

    /// An E.164 number, if set.
    pub(crate) fn e164(&self, name: &'static str) -> Result<Option<E164>, EnvError> {
        let Some(value) = self.optional(name) else {
            return Ok(None);
        };
        value.parse().map(Some).map_err(|_| {
            EnvError::new(
                name,
                format!("must be an E.164 number like +12025551234, got {value:?}"),
            )
        })
    }

    /// An `http://` or `https://` URL, if set.
    pub(crate) fn url(
        &self,
        name: &'static str,
        example: &str,
    ) -> Result<Option<String>, EnvError> {
        let Some(value) = self.optional(name) else {
            return Ok(None);
        };
        if value.starts_with("https://") || value.starts_with("http://") {
            Ok(Some(value))
        } else {
            Err(EnvError::new(
                name,
                format!("must be an http(s) URL like {example}, got {value:?}"),
            ))
        }
    }
}

/// Exactly one of two ways to name the sender: a number, or a pool that picks one.
pub(crate) fn one_sender<T>(
    number: (&'static str, Option<T>),
    pool: (&'static str, Option<T>),
) -> Result<T, EnvError> {
    match (number.1, pool.1) {
        (Some(sender), None) | (None, Some(sender)) => Ok(sender),
        (Some(_), Some(_)) => Err(EnvError::new(
            number.0,
            format!(
                "must not be set together with {}: the pool picks the number; unset one of them",
                pool.0
            ),
        )),
        (None, None) => Err(EnvError::new(
            number.0,
            format!(
                "is not set: set it to the number to send from, like +12025551234, or set {} instead",
                pool.0
            ),
        )),
    }
}
