//! `import`: `{"csv": "phone,name\n+12025550123,Ada\n", "default_region": "US",
//! "mappings": {"Tel": "phone"}}` → the SPEC §18 report, `{"rows": 1,
//! "created": 1, …}`. Each line imports into a fresh, empty inbox.

use std::ops::ControlFlow;
use std::sync::Arc;

use msgcore::core::import::{ImportOptions, ImportReport};
use msgcore::engine::Inbox;
use msgcore::store::MemoryStore;
use serde::Deserialize;

use super::{demo, lines};

#[derive(Deserialize)]
struct Input {
    csv: String,
    #[serde(flatten)]
    options: ImportOptions,
}

/// Imports one line's file into an empty inbox and reports.
pub fn handle(line: &str, out: &mut Vec<u8>) {
    let Some(input) = lines::parse::<Input>(line, out) else {
        return;
    };
    match import(&input) {
        Ok(report) => lines::write_json(out, &report),
        Err(message) => lines::write_error(out, message),
    }
}

fn import(input: &Input) -> Result<ImportReport, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("cannot start the import: {e}"))?;
    let inbox = Inbox::builder(Arc::new(MemoryStore::new())).build();
    let tenant = demo::tenant();
    runtime.block_on(async {
        inbox.put_tenant(&tenant).await.map_err(|e| e.to_string())?;
        inbox
            .import_contacts(tenant.id, input.csv.as_bytes(), &input.options, |_| {
                ControlFlow::Continue(())
            })
            .await
            .map_err(|e| e.to_string())
    })
}
