//! The REST API driven in process (`tower::ServiceExt::oneshot`) over an
//! inbox on the memory store, with keys made through `ApiKeys`.

mod access;
#[path = "../support/api_tenants.rs"]
mod api_tenants;
mod campaigns;
mod chats;
mod contacts;
mod events;
mod harness;
mod import;
mod limits;
mod logs;
mod media;
mod templates;
mod webhooks;
