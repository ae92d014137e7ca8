//! Meta WhatsApp Cloud API: sending, webhook signature verification and parsing.
//!
//! [`send::MessagesApi`] builds the Cloud API's requests (messages of every
//! content kind, media uploads, read receipts) and reads its answers, sans-IO.
//!
//! Meta signs each webhook's raw body with the app secret and sends
//! `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>`. [`SignatureVerifier`] checks
//! it in constant time over the bytes exactly as received: verify before parsing
//! the JSON, because re-serialized JSON is not the body Meta signed.

pub mod send;
mod signature;
pub mod webhook;

pub use send::{MediaUploadError, MessagesApi};

pub use signature::{SIGNATURE_HEADER, SignatureVerifier};
