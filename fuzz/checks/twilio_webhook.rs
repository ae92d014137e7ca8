//! Twilio webhook bodies: parsing never panics on any bytes; a parsed message names
//! Twilio, a sender and at most ten attachments, and the same body parses to the
//! same message again; a parsed status callback calls error 21610 an opt-out and
//! nothing else.

use chrono::{TimeZone, Utc};
use msgcore::model::ProviderName;
use msgcore::model::TenantRef;
use msgcore::providers::twilio::webhook::{OPTED_OUT_ERROR, parse_message, parse_status};

/// Runs one fuzz input: a form-encoded webhook body.
pub fn check(data: &[u8]) {
    let tenant = || TenantRef::Slug("fuzz".into());
    if let Ok(parsed) = parse_message(data, tenant()) {
        assert_eq!(parsed.message.provider, ProviderName::TWILIO);
        assert!(!parsed.message.provider_message_id.is_empty());
        assert!(parsed.message.content.media.len() <= 10);
        assert_eq!(parse_message(data, tenant()), Ok(parsed));
    }
    let now = Utc
        .with_ymd_and_hms(2026, 3, 2, 18, 0, 0)
        .single()
        .unwrap_or_default();
    if let Ok(callback) = parse_status(data, tenant(), now) {
        let code = callback.update.error_code.as_deref();
        assert_eq!(callback.opted_out, code == Some(OPTED_OUT_ERROR));
        assert_eq!(callback.update.at, now);
    }
}
