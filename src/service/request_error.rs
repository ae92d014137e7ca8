//! What the service layer refuses on its own account.

use chrono::{DateTime, Utc};

use super::page::PageError;
use crate::core::conversation::guide::GuideError;
use crate::core::phone::E164;
use crate::core::webhook_endpoint::UrlError;

/// A request the service layer refuses before the engine sees it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// A page or page size out of bounds (400).
    #[error(transparent)]
    Page(#[from] PageError),
    /// A conversation guide that is empty or too long (400).
    #[error(transparent)]
    Guide(#[from] GuideError),
    /// A `Last-Event-ID` that is not an event's sequence number (400).
    #[error("Last-Event-ID: {0:?} is not an event's sequence number")]
    LastEventId(String),
    /// A webhook endpoint's address that cannot be one (400).
    #[error("url: {0}")]
    WebhookUrl(#[from] UrlError),
    /// A webhook endpoint's description over its limit (400).
    #[error("description: at most {most} characters")]
    DescriptionTooLong {
        /// The limit.
        most: usize,
    },
    /// The tenant has as many webhook endpoints as it may (409).
    #[error("the tenant has {most} webhook endpoints, the most it may have; delete one first")]
    TooManyWebhooks {
        /// The limit.
        most: usize,
    },
    /// A time range whose start is not before its end (400).
    #[error("from: must be before to (from {from}, to {to})")]
    EmptyRange {
        /// The start asked for.
        from: DateTime<Utc>,
        /// The end asked for.
        to: DateTime<Utc>,
    },
    /// A time range longer than one request adds up (400).
    #[error("from, to: at most {most_days} days apart; ask for a shorter range")]
    RangeTooLong {
        /// The limit.
        most_days: i64,
    },
    /// A field of a request that cannot be read (400).
    #[error("{field}: {problem}")]
    Field {
        /// The field.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The tenant has a contact with this number already (409).
    #[error("a contact with number {phone} exists")]
    ContactExists {
        /// The number.
        phone: E164,
    },
}
