//! Twilio voice webhook bodies: parsing never panics on any bytes; a parsed call
//! has a `CallSid`, a confidence from 0 to 1, a status that reads back from its
//! own wire name, and parses the same again; a body that counts as a call status
//! callback is never missing a required parameter.

use msgcore::providers::twilio::voice::{CallStatus, is_call_callback, parse_call};
use msgcore::providers::twilio::webhook::WebhookError;

/// Runs one fuzz input: a form-encoded voice webhook body.
pub fn check(data: &[u8]) {
    let parsed = parse_call(data);
    if let Ok(call) = &parsed {
        assert!(!call.call_sid.is_empty());
        assert!(call.confidence.is_none_or(|c| (0.0..=1.0).contains(&c)));
        assert_eq!(CallStatus::from_wire(call.status.as_str()), call.status);
        assert_eq!(parse_call(data).as_ref(), Ok(call));
    }
    if is_call_callback(data) {
        assert!(!matches!(parsed, Err(WebhookError::Missing(_))));
    }
}
