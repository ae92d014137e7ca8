//! Signing webhooks the way Telnyx does, for tests.
//!
//! A server that verifies Telnyx webhooks needs signed requests in its own tests;
//! this produces them from a fixed seed, so tests stay deterministic.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signer as _, SigningKey};

use super::signature::signed_message;

/// An Ed25519 key that signs webhooks as Telnyx does (for tests: Telnyx keeps
/// the real private key).
///
/// ```
/// use msgcore::providers::telnyx::WebhookSigner;
/// let signer = WebhookSigner::from_seed([1; 32]);
/// assert_eq!(signer.public_key().len(), 44);
/// assert_eq!(signer.sign("1700000000", b"{}").len(), 88);
/// ```
#[derive(Clone)]
pub struct WebhookSigner {
    key: SigningKey,
}

impl std::fmt::Debug for WebhookSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSigner")
            .field("public_key", &self.public_key())
            .finish_non_exhaustive()
    }
}

impl WebhookSigner {
    /// The key derived from a 32-byte seed (an Ed25519 secret key).
    pub fn from_seed(seed: [u8; 32]) -> WebhookSigner {
        WebhookSigner {
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// The public key in base64, as Mission Control shows it.
    pub fn public_key(&self) -> String {
        STANDARD.encode(self.key.verifying_key().as_bytes())
    }

    /// The `telnyx-signature-ed25519` value for `timestamp` and `body`.
    pub fn sign(&self, timestamp: &str, body: &[u8]) -> String {
        STANDARD.encode(self.key.sign(&signed_message(timestamp, body)).to_bytes())
    }
}
