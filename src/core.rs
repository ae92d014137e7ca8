//! The deterministic core: plain data and pure functions, no I/O, no clock.
//!
//! Every rule here takes what it needs as arguments (`now` included), so each can
//! be unit-tested, property-tested, fuzzed and benchmarked in isolation.

pub mod analytics;
pub mod api_key;
pub mod audience;
pub mod automation;
pub mod campaign;
pub mod channel;
pub mod condition;
pub mod consent;
pub mod contact_edit;
pub mod conversation;
pub mod csat;
pub mod delivery;
pub(crate) mod id;
pub mod import;
pub mod keyword;
pub mod message;
pub mod phone;
pub mod plan;
pub mod quick_reply;
pub mod quiet_hours;
pub mod ratelimit;
pub mod segments;
pub mod tagging;
pub mod template;
pub(crate) mod text;
pub mod trigger;
pub mod usage;
pub mod webhook_endpoint;
pub mod webhook_event;
pub mod webhook_retry;
pub mod webhook_signing;
pub mod window;
pub mod workflow;
