//! A tenant for API and MCP tests: fresh id, a slug and one number.
#![allow(dead_code, reason = "each test crate uses the part it needs")]

use msgcore::model::{Tenant, TenantId, TenantNumber, TenantSettings};
use msgcore::{Channel, E164};

/// Tenant `slug` ("`slug` Corp") receiving on `number` over `channel`.
pub fn tenant(slug: &str, number: &str, channel: Channel) -> Tenant {
    Tenant {
        id: TenantId::from_uuid(uuid::Uuid::now_v7()),
        slug: slug.to_owned(),
        org_name: format!("{slug} Corp"),
        numbers: vec![TenantNumber {
            channel,
            number: number.parse::<E164>().unwrap(),
        }],
        settings: TenantSettings::default(),
    }
}
