//! Record identifiers: UUID newtypes, and where new ones come from.

use std::sync::atomic::{AtomicU64, Ordering};

use uuid::Uuid;

use crate::core::id::uuid_id;

uuid_id!(
    /// A tenant (one business using the inbox).
    TenantId
);
uuid_id!(
    /// A contact of one tenant.
    ContactId
);
uuid_id!(
    /// A conversation with one contact.
    ConversationId
);
uuid_id!(
    /// A message, inbound or outbound; an outbound message's outbox item shares it.
    MessageId
);
uuid_id!(
    /// A media file a tenant uploaded ([`MediaStore`](crate::media::MediaStore)).
    MediaId
);

/// Where the engine gets identifiers for new records.
///
/// Ids are made before the commit (a reply's outbox item must name its message), so
/// they cannot come from the database. The default, [`RandomIds`], makes UUIDv7s,
/// which sort by creation time and keep B-tree indexes compact; tests and
/// `msgctl simulate` use [`SequentialIds`] so their output is reproducible.
pub trait IdSource: Send + Sync + std::fmt::Debug {
    /// A new identifier, never returned before.
    fn next_id(&self) -> Uuid;
}

/// UUIDv7 identifiers from the system clock and a random source.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn next_id(&self) -> Uuid {
        Uuid::now_v7()
    }
}

/// `00000000-0000-0000-0000-000000000001`, `…0002`, …: reproducible identifiers
/// for tests and simulations.
#[derive(Debug, Default)]
pub struct SequentialIds(AtomicU64);

impl IdSource for SequentialIds {
    fn next_id(&self) -> Uuid {
        Uuid::from_u128(u128::from(self.0.fetch_add(1, Ordering::Relaxed) + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_ids_count_up_from_one_and_print_as_uuids() {
        let ids = SequentialIds::default();
        assert_eq!(
            ids.next_id().to_string(),
            "00000000-0000-0000-0000-000000000001"
        );
        let second = MessageId::from_uuid(ids.next_id());
        assert_eq!(second.to_string().parse::<MessageId>(), Ok(second));
    }

    #[test]
    fn random_ids_are_distinct_version_7_uuids() {
        let (a, b) = (RandomIds.next_id(), RandomIds.next_id());
        assert_ne!(a, b);
        assert_eq!(a.get_version_num(), 7);
    }
}
