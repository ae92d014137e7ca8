//! Message content: any JSON either fails to parse, fails validation with a named
//! field, or validates into content that re-serializes to JSON that validates again
//! into the same content (of the same kind).
//!
//! Input: the JSON an API client would send, e.g. `{"type": "text", "text": "hi"}`.

use msgcore::Channel;
use msgcore::core::message::{Content, RawContent};

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let Ok(raw) = serde_json::from_slice::<RawContent>(data) else {
        return;
    };
    let kind = raw.kind();
    let content = match raw.validate() {
        Ok(content) => content,
        Err(error) => {
            assert!(!error.field.is_empty(), "an error names no field: {error}");
            return;
        }
    };
    assert_eq!(content.kind(), kind);
    assert_eq!(content.check_channel(Channel::WhatsApp), Ok(()));
    let _ = content.check_channel(Channel::Sms);
    let json = serde_json::to_string(&content).expect("valid content serializes");
    let again: Content = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("{json} does not validate again: {e}"));
    match (&content, &again) {
        // Without serde_json's float_roundtrip, a coordinate may come back one ulp off.
        (Content::Location(a), Content::Location(b)) => {
            assert!((a.latitude() - b.latitude()).abs() <= 1e-9);
            assert!((a.longitude() - b.longitude()).abs() <= 1e-9);
            assert_eq!((a.name(), a.address()), (b.name(), b.address()));
        }
        _ => assert_eq!(content, again),
    }
}
