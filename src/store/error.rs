//! What can go wrong in a store.

use crate::model::MessageId;

/// A store could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A unique value (a tenant slug, a tenant number, a contact's phone, a
    /// provider message id) belongs to another record.
    #[error("{what} is already taken")]
    Taken {
        /// What was taken (`"slug demo"`, `"number +14155550100"`).
        what: String,
    },
    /// A changeset mixes tenants or contacts; nothing was written.
    #[error("the changeset mixes tenants or contacts; nothing was written")]
    InconsistentChangeset,
    /// A stored record could not be read back (a row written by a newer version,
    /// or edited by hand).
    #[error("stored {what} could not be read: {reason}")]
    Corrupt {
        /// Which record.
        what: String,
        /// Why.
        reason: String,
    },
    /// More commits are waiting than the write queue holds (see
    /// [`GroupCommitOptions`](crate::engine::GroupCommitOptions)); nothing was written. A
    /// webhook answered 503 for it is sent again by the provider.
    #[error("{waiting} commits are waiting already; try again shortly")]
    Overloaded {
        /// How many commits the queue holds when full.
        waiting: usize,
    },
    /// The database failed (connection, I/O, migration).
    #[error("database error: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    /// A database failure.
    pub fn backend(error: impl std::error::Error + Send + Sync + 'static) -> StoreError {
        StoreError::Backend(Box::new(error))
    }

    /// Whether trying again may help (a database failure may be transient, a
    /// full queue drains; the others will not change).
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Backend(_) | StoreError::Overloaded { .. })
    }
}

/// A changeset was not committed; nothing of it was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CommitError {
    /// The contact changed (or was created) since it was loaded: load it again and
    /// decide again.
    #[error("the contact changed since it was loaded")]
    Conflict,
    /// A message with the same (tenant, provider, provider message id) or (tenant,
    /// client id) exists, or an outbox item for the same message: the event was
    /// handled before.
    #[error("message {existing} already records this event")]
    Duplicate {
        /// The message already stored.
        existing: MessageId,
    },
    /// A call log with the same (tenant, provider, call, status) is stored: the
    /// status callback was handled before.
    #[error("this call's status is logged already")]
    DuplicateCallLog,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}
