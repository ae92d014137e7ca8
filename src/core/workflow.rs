//! Workflows (SPEC §13, §18): a list of steps a contact runs through, one run
//! per (workflow, contact), persisted between events.

mod status;

pub use status::RunStatus;
