//! Telnyx webhook bodies: parsing never panics on any bytes and gives the same
//! answer twice; a message or status names Telnyx and a non-empty message id, a
//! message's tenant is a number, and an opt-out always carries an error code.

use msgcore::model::ProviderName;
use msgcore::model::{MessageRef, TenantRef};
use msgcore::providers::telnyx::webhook::{TelnyxEvent, parse};

/// Runs one fuzz input: a webhook body.
pub fn check(data: &[u8]) {
    let parsed = parse(data);
    assert_eq!(parse(data), parsed);
    match parsed {
        Ok(TelnyxEvent::Message(message)) => {
            assert_eq!(message.provider, ProviderName::TELNYX);
            assert!(!message.provider_message_id.is_empty());
            assert!(matches!(message.tenant, TenantRef::Number(_)));
        }
        Ok(TelnyxEvent::Status(callback)) => {
            let MessageRef::Provider { provider, id } = &callback.message else {
                panic!("a Telnyx status names the provider's message id");
            };
            assert_eq!(provider, &ProviderName::TELNYX);
            assert!(!id.is_empty());
            if callback.update.error_code.is_none() {
                assert!(!callback.opted_out, "an opt-out always carries its code");
            }
        }
        Ok(_) | Err(_) => {}
    }
}
