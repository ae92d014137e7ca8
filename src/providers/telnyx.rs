//! Telnyx: sending through the v2 Messages API (sans-IO), webhook signature
//! verification and webhook parsing.
//!
//! Telnyx signs `timestamp|body` with Ed25519 and sends the signature (base64)
//! in `telnyx-signature-ed25519` and the Unix timestamp in `telnyx-timestamp`.
//! [`WebhookVerifier`] parses the account's public key once, refuses timestamps
//! further than a tolerance (default 300 s) from the `now` you pass, and is
//! stricter than Telnyx's own SDK where that SDK is lax: base64 must be
//! canonical, the timestamp plain ASCII digits, and the key and signature pass
//! the strict Ed25519 checks (no small-order points, no non-canonical encodings).
//!
//! [`WebhookSigner`] signs the same way, for tests of your own webhook handlers.

pub mod env;
pub mod send;
mod signature;
mod signer;
pub mod webhook;

pub use signature::{DEFAULT_TOLERANCE, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookVerifier};
pub use signer::WebhookSigner;
