//! Meta webhook bodies: parsing never panics on any bytes; every parsed message
//! names Meta and has a provider id, every status is about a message by Meta's id
//! and is never an opt-out, and the same body parses to the same result again.

use msgcore::model::ProviderName;
use msgcore::model::{MessageRef, TenantRef};
use msgcore::providers::meta::webhook::parse;

/// Runs one fuzz input: a webhook POST body.
pub fn check(data: &[u8]) {
    let tenant = || TenantRef::Slug("fuzz".into());
    if let Ok(parsed) = parse(data, tenant()) {
        for message in &parsed.messages {
            assert_eq!(message.message.provider, ProviderName::META);
            assert!(!message.message.provider_message_id.is_empty());
            assert!(!message.phone_number_id.is_empty());
        }
        for status in &parsed.statuses {
            assert!(
                matches!(&status.message, MessageRef::Provider { provider, id }
                    if *provider == ProviderName::META && !id.is_empty())
            );
            assert!(!status.opted_out);
        }
        assert_eq!(parse(data, tenant()), Ok(parsed));
    }
}
