//! Meta WhatsApp Cloud API: webhook signature verification and parsing.
//!
//! Meta signs each webhook's raw body with the app secret and sends
//! `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>`. [`SignatureVerifier`] checks
//! it in constant time over the bytes exactly as received: verify before parsing
//! the JSON, because re-serialized JSON is not the body Meta signed.

mod signature;
pub mod webhook;

pub use signature::{SIGNATURE_HEADER, SignatureVerifier};
