//! The platform's Twilio account from the environment: [`MessagesApi::from_env`].
//!
//! | variable | |
//! |---|---|
//! | `TWILIO_ACCOUNT_SID` | required: `AC` and 32 hex digits |
//! | `TWILIO_AUTH_TOKEN` | required |
//! | `TWILIO_FROM_NUMBER` | the E.164 number to send from, unless… |
//! | `TWILIO_MESSAGING_SERVICE_SID` | …a Messaging Service (`MG` and 32 hex digits) picks it; set one of the two |
//! | `TWILIO_API_BASE_URL` | optional: another host (a proxy, a mock server) |
//! | `TWILIO_STATUS_CALLBACK_URL` | optional: where Twilio posts status callbacks |

use super::send::{MessagesApi, Sender, TwilioCredentials};
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
    /// use msgcore::providers::twilio::send::MessagesApi;
    ///
    /// let error = MessagesApi::from_vars(|name| match name {
    ///     "TWILIO_ACCOUNT_SID" => Some(format!("AC{}", "0".repeat(32))),
    ///     "TWILIO_FROM_NUMBER" => Some("2025551234".to_owned()),
    ///     _ => None,
    /// })
    /// .unwrap_err();
    /// assert_eq!(
    ///     error.to_string(),
    ///     "TWILIO_AUTH_TOKEN is not set: set it to the auth token of the account in TWILIO_ACCOUNT_SID; \
    ///      TWILIO_FROM_NUMBER must be an E.164 number like +12025551234, got \"2025551234\""
    /// );
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<MessagesApi, EnvErrors> {
        let vars = Vars::new(lookup);
        let mut problems = EnvErrors::default();
        let account_sid = problems.keep(
            vars.required(
                "TWILIO_ACCOUNT_SID",
                "your Twilio account SID (AC and 32 hex digits, from the Twilio console)",
            )
            .and_then(|value| sid("TWILIO_ACCOUNT_SID", value, "AC", "an account SID")),
        );
        let auth_token = problems.keep(vars.required(
            "TWILIO_AUTH_TOKEN",
            "the auth token of the account in TWILIO_ACCOUNT_SID",
        ));
        let service = problems.keep(
            vars.optional("TWILIO_MESSAGING_SERVICE_SID")
                .map(|value| {
                    let what = "a Messaging Service SID";
                    sid("TWILIO_MESSAGING_SERVICE_SID", value, "MG", what)
                })
                .transpose(),
        );
        let number = problems.keep(vars.e164("TWILIO_FROM_NUMBER"));
        // Only two readable senders can be told apart: a malformed one is said
        // already, and is not also "not set".
        let sender = number.zip(service).and_then(|(number, service)| {
            problems.keep(one_sender(
                ("TWILIO_FROM_NUMBER", number.map(Sender::Number)),
                (
                    "TWILIO_MESSAGING_SERVICE_SID",
                    service.map(Sender::MessagingService),
                ),
            ))
        });
        let base = problems.keep(vars.url("TWILIO_API_BASE_URL", super::send::DEFAULT_BASE_URL));
        let callback = problems.keep(vars.url(
            "TWILIO_STATUS_CALLBACK_URL",
            "https://example.com/webhooks/twilio/status",
        ));
        let api = account_sid
            .zip(auth_token)
            .zip(sender)
            .map(|((sid, token), sender)| {
                let mut api = MessagesApi::new(TwilioCredentials::new(sid, token), sender);
                if let Some(Some(base)) = base {
                    api = api.with_base_url(base);
                }
                if let Some(Some(url)) = callback {
                    api = api.with_status_callback(url);
                }
                api
            });
        problems.finish(api)
    }
}

/// `value` if it is `prefix` and 32 hex digits, Twilio's shape for SIDs.
fn sid(name: &'static str, value: String, prefix: &str, what: &str) -> Result<String, EnvError> {
    let well_formed = value
        .strip_prefix(prefix)
        .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if well_formed {
        Ok(value)
    } else {
        Err(EnvError::new(
            name,
            format!("must be {what}: {prefix} followed by 32 hex digits, got {value:?}"),
        ))
    }
}

#[cfg(test)]
mod tests;
