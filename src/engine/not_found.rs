//! What the engine could not find.

/// A record the request named does not exist (for this tenant).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotFound {
    /// No tenant has this id, slug or number.
    #[error("no tenant is configured for {0}")]
    Tenant(String),
    /// The tenant has no contact with this number or id (a send to a number never
    /// seen: create the contact first, with consent).
    #[error("no contact {0}")]
    Contact(String),
    /// The tenant has no such conversation (or the contact has none yet).
    #[error("no conversation {0}")]
    Conversation(String),
    /// The tenant has no message with this id, provider id or client id.
    #[error("no message {0}")]
    Message(String),
    /// The tenant has no campaign with this id.
    #[error("no campaign {0}")]
    Campaign(String),
    /// The tenant has no workflow with this id.
    #[error("no workflow {0}")]
    Workflow(String),
    /// The tenant has no automation rule with this id.
    #[error("no automation rule {0}")]
    Rule(String),
    /// The tenant has no API key with this id.
    #[error("no API key {0}")]
    ApiKey(String),
    /// The tenant has no webhook endpoint with this id.
    #[error("no webhook endpoint {0}")]
    Webhook(String),
    /// The tenant has no media file with this id.
    #[error("no media {0}")]
    Media(String),
}
