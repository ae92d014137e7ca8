//! The platform's Telnyx account from the environment: [`MessagesApi::from_env`].
//!
//! | variable | |
//! |---|---|
//! | `TELNYX_API_KEY` | required: a v2 API key |
//! | `TELNYX_FROM_NUMBER` | the E.164 number to send from, unless… |
//! | `TELNYX_MESSAGING_PROFILE_ID` | …a messaging profile's number pool picks it (a UUID); set one of the two |
//! | `TELNYX_API_BASE_URL` | optional: another host (a proxy, a mock server) |

use super::send::{DEFAULT_BASE_URL, MessagesApi, Sender};
use crate::providers::env_error::{EnvError, EnvErrors};
use crate::providers::env_vars::{Vars, one_sender, process_env};

impl MessagesApi {
    /// The platform's account, from the process environment (see the
    /// [module docs](self) for the variables).
    pub fn from_env() -> Result<MessagesApi, EnvErrors> {
        MessagesApi::from_vars(process_env)
    }

    /// The platform's account, from variables found through `lookup`; every
    /// problem is reported, not only the first.
    ///
    /// ```
    /// use msgcore::providers::telnyx::send::MessagesApi;
    ///
    /// let error = MessagesApi::from_vars(|_| None).unwrap_err();
    /// let variables: Vec<&str> = error.problems().iter().map(|p| p.variable).collect();
    /// assert_eq!(variables, ["TELNYX_API_KEY", "TELNYX_FROM_NUMBER"]);
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<MessagesApi, EnvErrors> {
        let vars = Vars::new(lookup);
        let mut problems = EnvErrors::default();
        let api_key = problems.keep(vars.required(
            "TELNYX_API_KEY",
            "a Telnyx v2 API key (Mission Control Portal, API Keys)",
        ));
        let profile = problems.keep(
            vars.optional("TELNYX_MESSAGING_PROFILE_ID")
                .map(profile_id)
                .transpose(),
        );
        let number = problems.keep(vars.e164("TELNYX_FROM_NUMBER"));
        // A malformed sender is said already, and is not also "not set".
        let sender = number.zip(profile).and_then(|(number, profile)| {
            problems.keep(one_sender(
                ("TELNYX_FROM_NUMBER", number.map(Sender::Number)),
                (
                    "TELNYX_MESSAGING_PROFILE_ID",
                    profile.map(Sender::MessagingProfile),
                ),
            ))
        });
        let base = problems.keep(vars.url("TELNYX_API_BASE_URL", DEFAULT_BASE_URL));
        let api = api_key.zip(sender).map(|(key, sender)| {
            let api = MessagesApi::new(key, sender);
            match base {
                Some(Some(base)) => api.with_base_url(base),
                _ => api,
            }
        });
        problems.finish(api)
    }
}

/// `value` if it is a UUID, the shape of Telnyx's messaging profile ids.
fn profile_id(value: String) -> Result<String, EnvError> {
    match uuid::Uuid::try_parse(&value) {
        Ok(_) => Ok(value),
        Err(_) => Err(EnvError::new(
            "TELNYX_MESSAGING_PROFILE_ID",
            format!(
                "must be a messaging profile id like 4000eba1-a0c0-4563-9925-b25e842a7cb6, got {value:?}"
            ),
        )),
    }
}

#[cfg(test)]
mod tests;
