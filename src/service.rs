//! The service layer: what the REST API and the MCP server both do, so that
//! they share one set of scopes, limits and errors (SPEC §19).
//!
//! It sits over the [`Inbox`](crate::engine::Inbox) and draws what the pure
//! core must be handed: `now` from the inbox's clock, ids from its id source,
//! and secrets from the operating system's random source.

pub mod api_keys;

pub use api_keys::{ApiKeys, CreatedApiKey, NewApiKey, Principal};
