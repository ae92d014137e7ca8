//! Media files a tenant uploads (SPEC §19's `POST /media` and `GET /media/{id}`):
//! the [`MediaStore`] port, and the stores that ship.
//!
//! A store keeps what it is given. What it is given was checked first, by
//! [`Operations::upload_media`](crate::service::Operations::upload_media): at
//! most 16,000,000 bytes, and by content one of the accepted types
//! ([`check_upload`](crate::core::message::media::check_upload)); the file
//! name, cleaned, is kept only to be given back.
//!
//! | store | for | durability |
//! |---|---|---|
//! | [`MemoryMediaStore`] | tests and single-process tools | none: gone with the process |
//! | `FsMediaStore` (feature `tokio`) | one machine, or a shared volume | each file written whole, synced, then renamed under its id |
//! | yours (S3, GCS, a database) | many replicas | implement [`MediaStore`]'s two methods; run `media::conformance` (feature `conformance`) against it |
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), msgcore::media::MediaStoreError> {
//! use chrono::{TimeZone, Utc};
//! use msgcore::core::message::media::{MediaFilename, MediaType, check_upload};
//! use msgcore::media::{MediaStore, MemoryMediaStore, NewMedia};
//! use msgcore::model::{MediaId, TenantId};
//!
//! let store = MemoryMediaStore::new();
//! let shop = TenantId::from_uuid(uuid::Uuid::now_v7());
//! let other = TenantId::from_uuid(uuid::Uuid::now_v7());
//! let bytes = b"%PDF-1.7\n%%EOF\n".to_vec();
//! let record = store
//!     .put(NewMedia {
//!         id: MediaId::from_uuid(uuid::Uuid::now_v7()),
//!         tenant: shop,
//!         media_type: check_upload(&bytes).expect("a PDF"),
//!         filename: MediaFilename::new("invoice.pdf"),
//!         created_at: Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap(), // the caller's clock
//!         bytes: bytes.clone(),
//!     })
//!     .await?;
//! assert_eq!((record.media_type, record.size), (MediaType::Pdf, 15));
//!
//! let stored = store.get(shop, record.id).await?.expect("kept");
//! assert_eq!(stored.bytes, bytes);
//! assert!(store.get(other, record.id).await?.is_none()); // another tenant's id is unknown
//! # Ok(())
//! # }
//! ```

#[cfg(any(test, feature = "conformance"))]
#[cfg_attr(docsrs, doc(cfg(feature = "conformance")))]
pub mod conformance;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub mod fs;
pub mod memory;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use fs::FsMediaStore;
pub use memory::MemoryMediaStore;

use crate::core::message::media::{MediaFilename, MediaType};
use crate::model::{MediaId, TenantId};

/// Where a tenant's media files are kept.
///
/// Every method takes the tenant and touches only that tenant's files: another
/// tenant's id is as unknown as an id never used.
#[async_trait]
pub trait MediaStore: Send + Sync {
    /// Keeps `media`'s bytes under its tenant and id, and returns its record
    /// ([`NewMedia::record`]). When it returns `Ok`, [`get`](Self::get) finds
    /// the whole file, and a crash before that leaves nothing under the id.
    /// Ids are new ([`IdSource`](crate::model::IdSource)'s promise); what a
    /// store does with a used one is its own.
    async fn put(&self, media: NewMedia) -> Result<MediaRecord, MediaStoreError>;

    /// The tenant's file `id` with its record; `None` when the tenant has none
    /// (another tenant's id included).
    async fn get(
        &self,
        tenant: TenantId,
        id: MediaId,
    ) -> Result<Option<StoredMedia>, MediaStoreError>;
}

/// A file to keep: checked already, with its id and the time it came.
#[derive(Clone, PartialEq, Eq)]
pub struct NewMedia {
    /// Its id, new.
    pub id: MediaId,
    /// Whose it is.
    pub tenant: TenantId,
    /// What its bytes are, by content.
    pub media_type: MediaType,
    /// The name it came with, cleaned, if it had one.
    pub filename: Option<MediaFilename>,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl NewMedia {
    /// The record a store returns for it: its fields, and the bytes' size.
    pub fn record(&self) -> MediaRecord {
        MediaRecord {
            id: self.id,
            tenant: self.tenant,
            media_type: self.media_type,
            size: self.bytes.len() as u64,
            filename: self.filename.clone(),
            created_at: self.created_at,
        }
    }
}

impl std::fmt::Debug for NewMedia {
    /// The record, and the bytes' count rather than up to 16 MB of them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMedia")
            .field("record", &self.record())
            .finish_non_exhaustive()
    }
}

/// What is known of a kept file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRecord {
    /// Its id.
    pub id: MediaId,
    /// Whose it is.
    pub tenant: TenantId,
    /// What its bytes are, by content.
    pub media_type: MediaType,
    /// Its size in bytes.
    pub size: u64,
    /// The name it came with, cleaned, if it had one.
    pub filename: Option<MediaFilename>,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
}

/// A kept file: its record and its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredMedia {
    /// What is known of it.
    pub record: MediaRecord,
    /// Its bytes, exactly as they were put.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for StoredMedia {
    /// The record; the bytes are as many as it says.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredMedia")
            .field("record", &self.record)
            .finish_non_exhaustive()
    }
}

/// Why a media store could not keep or read a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MediaStoreError {
    /// Reading or writing a file failed.
    #[error("could not {action} {path}: {source}")]
    Io {
        /// What was being done: `"create"`, `"write"`, `"read"`, `"sync"`, `"rename"`.
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A kept file could not be read back as it was put (edited by hand, a
    /// disk fault, a file whose bytes were lost).
    #[error("stored media {id} could not be read: {reason}")]
    Corrupt {
        /// Which file.
        id: MediaId,
        /// What was wrong.
        reason: String,
    },
    /// Your store's backend failed (an object store, a database).
    #[error("media backend error: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl MediaStoreError {
    /// Your backend's failure.
    pub fn backend(error: impl std::error::Error + Send + Sync + 'static) -> MediaStoreError {
        MediaStoreError::Backend(Box::new(error))
    }
}
