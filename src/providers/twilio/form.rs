//! Reading a Twilio webhook's `application/x-www-form-urlencoded` body, shared by
//! the messaging and voice parsers.

use std::collections::HashMap;

use crate::core::channel::Channel;
use crate::core::phone::E164;
use crate::providers::webhook_error::WebhookError;

/// The form parameters; a repeated key keeps its first value.
pub(super) struct Params(HashMap<String, String>);

impl Params {
    pub(super) fn parse(body: &[u8]) -> Params {
        let mut params = HashMap::new();
        for (key, value) in form_urlencoded::parse(body) {
            params
                .entry(key.into_owned())
                .or_insert_with(|| value.into_owned());
        }
        Params(params)
    }

    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The parameter, when present and not empty.
    pub(super) fn text(&self, key: &str) -> Option<String> {
        self.get(key).filter(|v| !v.is_empty()).map(str::to_owned)
    }

    pub(super) fn required(&self, key: &'static str) -> Result<&str, WebhookError> {
        self.get(key)
            .filter(|v| !v.is_empty())
            .ok_or(WebhookError::Missing(key))
    }

    pub(super) fn address(&self, key: &'static str) -> Result<(Channel, E164), WebhookError> {
        E164::from_twilio_address(self.required(key)?).map_err(|e| WebhookError::Invalid {
            field: key,
            reason: e.to_string(),
        })
    }
}
