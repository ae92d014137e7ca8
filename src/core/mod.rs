//! The deterministic core: plain data and pure functions, no I/O, no clock.
//!
//! Every rule here takes what it needs as arguments (`now` included), so each can
//! be unit-tested, property-tested, fuzzed and benchmarked in isolation.

pub mod channel;
pub mod phone;
pub mod segments;
pub(crate) mod text;
