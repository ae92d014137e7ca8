//! The tenant every `msgctl` inbox holds: `demo`, "Demo Co", with no numbers of
//! its own (steps name the tenant by slug, not by number).

use msgcore::model::{Tenant, TenantId, TenantSettings};

/// The `demo` tenant.
pub fn tenant() -> Tenant {
    Tenant {
        id: TenantId::from_uuid(uuid::Uuid::nil()),
        slug: "demo".to_owned(),
        org_name: "Demo Co".to_owned(),
        numbers: Vec::new(),
        settings: TenantSettings::default(),
    }
}
