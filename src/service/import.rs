//! `import_contacts`: a CSV file (SPEC §18) into the principal's tenant.

use std::ops::ControlFlow;

use super::api_keys::Principal;
use super::operations::{DEFAULT_REGION, Operations};
use crate::core::api_key::Scope;
use crate::core::import::{ImportOptions, ImportReport};
use crate::error::Error;

impl Operations {
    /// Imports `file` as [`Inbox::import_contacts`](crate::engine::Inbox::import_contacts)
    /// does, numbers without a country code read in `options`' region (the
    /// US when it names none), and reports what it did: SPEC §18's report.
    /// Opt-ins have source `csv_import` and never undo an opt-out. Scope
    /// `contacts:write`.
    pub async fn import_contacts(
        &self,
        principal: &Principal,
        file: &[u8],
        mut options: ImportOptions,
    ) -> Result<ImportReport, Error> {
        self.may_import_contacts(principal)?;
        options
            .default_region
            .get_or_insert_with(|| DEFAULT_REGION.to_owned());
        self.inbox
            .import_contacts(principal.tenant, file, &options, |_| {
                ControlFlow::Continue(())
            })
            .await
    }
}

impl Operations {
    /// Whether `principal` may import contacts (scope `contacts:write`). A
    /// server asks before reading the file, so that a key that may not
    /// import never has it buffer 16 MiB.
    pub fn may_import_contacts(&self, principal: &Principal) -> Result<(), Error> {
        principal.require(Scope::ContactsWrite)
    }
}
