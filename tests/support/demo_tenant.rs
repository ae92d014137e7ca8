//! The tenant the engine-level tests share: `demo`, with an SMS and a WhatsApp
//! number, and the contact who writes to it.
#![allow(dead_code, reason = "each test crate uses the part it needs")]

use chrono::{DateTime, TimeZone, Utc};
use msgcore::E164;
use msgcore::core::channel::Channel;
use msgcore::model::{Tenant, TenantId, TenantNumber, TenantSettings};

pub const CONTACT: &str = "+14155550100";
pub const SMS_NUMBER: &str = "+14155550199";
pub const WHATSAPP_NUMBER: &str = "+14155550198";

pub fn t0() -> DateTime<Utc> {
    // A Monday, 10:00 in San Francisco (PST).
    Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap()
}

pub fn e164(text: &str) -> E164 {
    text.parse().unwrap()
}

/// Tenant `demo` with `settings`.
pub fn tenant(settings: TenantSettings) -> Tenant {
    Tenant {
        id: TenantId::from_uuid(uuid::Uuid::from_u128(0xd3e0)),
        slug: "demo".to_owned(),
        org_name: "Demo Co".to_owned(),
        numbers: vec![
            TenantNumber {
                channel: Channel::Sms,
                number: e164(SMS_NUMBER),
            },
            TenantNumber {
                channel: Channel::WhatsApp,
                number: e164(WHATSAPP_NUMBER),
            },
        ],
        settings,
    }
}
