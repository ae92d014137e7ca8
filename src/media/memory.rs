//! [`MemoryMediaStore`]: files in a map, for tests and single-process tools.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;

use super::{MediaRecord, MediaStore, MediaStoreError, NewMedia, StoredMedia};
use crate::model::{MediaId, TenantId};

/// Files kept in memory, gone with the process. Nothing bounds it: for tests
/// and tools, not for a server that takes uploads from the world.
#[derive(Debug, Default)]
pub struct MemoryMediaStore {
    files: Mutex<HashMap<(TenantId, MediaId), StoredMedia>>,
}

impl MemoryMediaStore {
    /// An empty store.
    pub fn new() -> MemoryMediaStore {
        MemoryMediaStore::default()
    }

    fn files(&self) -> MutexGuard<'_, HashMap<(TenantId, MediaId), StoredMedia>> {
        // An insert or a clone cannot leave the map half-changed, so a panic
        // elsewhere while it was held leaves it usable.
        self.files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait]
impl MediaStore for MemoryMediaStore {
    async fn put(&self, media: NewMedia) -> Result<MediaRecord, MediaStoreError> {
        let record = media.record();
        let stored = StoredMedia {
            record: record.clone(),
            bytes: media.bytes,
        };
        self.files().insert((record.tenant, record.id), stored);
        Ok(record)
    }

    async fn get(
        &self,
        tenant: TenantId,
        id: MediaId,
    ) -> Result<Option<StoredMedia>, MediaStoreError> {
        Ok(self.files().get(&(tenant, id)).cloned())
    }
}
