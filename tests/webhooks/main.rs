//! The webhook router driven in process (`tower::ServiceExt::oneshot`) over an
//! inbox on the memory store, with requests signed by the crate's own signers.

mod harness;
mod limits;
mod meta;
mod responders;
mod telnyx;
mod twilio;
mod voice;

#[path = "../support/demo_tenant.rs"]
mod demo_tenant;
