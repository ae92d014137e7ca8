//! A page of a tenant's contacts for an audience: those with any of some
//! tags and all of others, in creation order, after a cursor (SPEC §12, §18:
//! a campaign freezes its audience in contact creation order).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Contact, ContactId};

/// Where a page of contacts starts: after the contact created at `created_at`
/// with id `id` (contacts created at one instant are ordered by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ContactCursor {
    /// The last contact's creation time.
    pub created_at: DateTime<Utc>,
    /// The last contact's id.
    pub id: ContactId,
}

impl ContactCursor {
    /// The cursor just past `contact`.
    pub fn after(contact: &Contact) -> ContactCursor {
        ContactCursor {
            created_at: contact.created_at,
            id: contact.id,
        }
    }
}

/// Which contacts, and which page of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceQuery {
    /// Contacts with any of these tags; none is every contact.
    pub tags_any: Vec<String>,
    /// And with every one of these.
    #[serde(default)]
    pub tags_all: Vec<String>,
    /// Only contacts after this one; none is from the first.
    pub after: Option<ContactCursor>,
    /// At most this many.
    pub limit: usize,
}

impl AudienceQuery {
    /// Whether `contact` is in the audience and past the cursor.
    pub(crate) fn matches(&self, contact: &Contact) -> bool {
        let any =
            self.tags_any.is_empty() || contact.tags.iter().any(|t| self.tags_any.contains(t));
        let all = self.tags_all.iter().all(|t| contact.tags.contains(t));
        let past = self
            .after
            .is_none_or(|cursor| ContactCursor::after(contact) > cursor);
        any && all && past
    }
}
