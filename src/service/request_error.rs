//! What the service layer refuses on its own account.

use super::page::PageError;
use crate::core::phone::E164;

/// A request the service layer refuses before the engine sees it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// A page or page size out of bounds (400).
    #[error(transparent)]
    Page(#[from] PageError),
    /// The tenant has a contact with this number already (409).
    #[error("a contact with number {phone} exists")]
    ContactExists {
        /// The number.
        phone: E164,
    },
}
