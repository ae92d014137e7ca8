//! The platform's Telnyx account from the environment: [`MessagesApi::from_env`].
//!
//! | variable | |
//! |---|---|
//! | `TELNYX_API_KEY` | required: a v2 API key |
//! | `TELNYX_FROM_NUMBER` | the E.164 number to send from, unless… |
//! | `TELNYX_MESSAGING_PROFILE_ID` | …a messaging profile's number pool picks it (a UUID); set one of the two |
//! | `TELNYX_API_BASE_URL` | optional: another host (a proxy, a mock server) |

use super::send::{DEFAULT_BASE_URL, MessagesApi, Sender};
use crate::providers::env_error::EnvError;
use crate::providers::env_vars::{Vars, one_sender, process_env};

impl MessagesApi {
    /// The platform's account, from the process environment (see the
    /// [module docs](self) for the variables).
    pub fn from_env() -> Result<MessagesApi, EnvError> {
        MessagesApi::from_vars(process_env)
    }

    /// The platform's account, from variables found through `lookup`.
    ///
    /// ```
    /// use msgcore::providers::telnyx::send::MessagesApi;
    ///
    /// let error = MessagesApi::from_vars(|_| None).unwrap_err();
    /// assert_eq!(error.variable, "TELNYX_API_KEY");
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<MessagesApi, EnvError> {
        let vars = Vars::new(lookup);
        let api_key = vars.required(
            "TELNYX_API_KEY",
            "a Telnyx v2 API key (Mission Control Portal, API Keys)",
        )?;
        let profile = vars
            .optional("TELNYX_MESSAGING_PROFILE_ID")
            .map(profile_id)
            .transpose()?;
        let sender = one_sender(
            (
                "TELNYX_FROM_NUMBER",
                vars.e164("TELNYX_FROM_NUMBER")?.map(Sender::Number),
            ),
            (
                "TELNYX_MESSAGING_PROFILE_ID",
                profile.map(Sender::MessagingProfile),
            ),
        )?;
        let api = MessagesApi::new(api_key, sender);
        Ok(match vars.url("TELNYX_API_BASE_URL", DEFAULT_BASE_URL)? {
            Some(base) => api.with_base_url(base),
            None => api,
        })
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
