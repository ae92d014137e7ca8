//! [`FsMediaStore`]: files in a directory, a directory per tenant.
//!
//! ```text
//! root/
//!   <tenant id>/
//!     <media id>.bin    the bytes
//!     <media id>.json   the MediaRecord, written last: the file exists once it does
//!     .tmp-…            a write under way, or one a crash interrupted
//! ```
//!
//! Each of the two files is written to a temporary name, synced, and renamed
//! to its own; the directory is synced after each rename, so the record never
//! reaches the disk before the bytes it describes. A crash at any point leaves
//! either the whole file or nothing under its id (at worst a `.tmp-` file or a
//! `.bin` without its record, which no read ever sees and which may be deleted
//! while no upload runs).
//!
//! It uses `std::fs` inside [`tokio::task::spawn_blocking`] rather than
//! `tokio::fs`: every `tokio::fs` call is a `spawn_blocking` of its own, and a
//! put is ten file operations that belong together (each of two files
//! created, written, synced and renamed, and the directory synced); one
//! blocking task does them in one hop, and tokio needs no `fs` feature for it.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use async_trait::async_trait;

use super::{MediaRecord, MediaStore, MediaStoreError, NewMedia, StoredMedia};
use crate::model::{MediaId, TenantId};

/// Files kept under a root directory, written so that a crash never leaves
/// half a file under a real id. Several processes may share the root (a
/// volume mounted on each replica): ids are never reused, so no two writers
/// write the same name.
#[derive(Debug, Clone)]
pub struct FsMediaStore {
    root: PathBuf,
}

impl FsMediaStore {
    /// The store under `root`, created (with its parents) if missing.
    pub async fn open(root: impl Into<PathBuf>) -> Result<FsMediaStore, MediaStoreError> {
        let root = root.into();
        let created = root.clone();
        blocking(move || fs::create_dir_all(&created).map_err(io_error("create", &created)))
            .await?;
        Ok(FsMediaStore { root })
    }

    /// The directory it keeps files under.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

#[async_trait]
impl MediaStore for FsMediaStore {
    async fn put(&self, media: NewMedia) -> Result<MediaRecord, MediaStoreError> {
        let root = self.root.clone();
        blocking(move || put(&root, &media)).await
    }

    async fn get(
        &self,
        tenant: TenantId,
        id: MediaId,
    ) -> Result<Option<StoredMedia>, MediaStoreError> {
        let root = self.root.clone();
        blocking(move || get(&root, tenant, id)).await
    }
}

/// Runs `work` on tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, MediaStoreError> + Send + 'static,
) -> Result<T, MediaStoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(MediaStoreError::backend)?
}

fn put(root: &Path, media: &NewMedia) -> Result<MediaRecord, MediaStoreError> {
    let record = media.record();
    let dir = tenant_dir(root, record.tenant)?;
    let json = serde_json::to_vec_pretty(&record).map_err(|e| MediaStoreError::Corrupt {
        id: record.id,
        reason: format!("its record cannot be written as JSON: {e}"),
    })?;
    let (bytes_name, record_name) = names(record.id);
    write_atomically(&dir, &bytes_name, |file| file.write_all(&media.bytes))?;
    write_atomically(&dir, &record_name, |file| file.write_all(&json))?;
    Ok(record)
}

fn get(root: &Path, tenant: TenantId, id: MediaId) -> Result<Option<StoredMedia>, MediaStoreError> {
    let dir = root.join(tenant.to_string());
    let (bytes_name, record_name) = names(id);
    let record_path = dir.join(record_name);
    let json = match fs::read(&record_path) {
        Ok(json) => json,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(io_error("read", &record_path)(error)),
    };
    let corrupt = |reason: String| MediaStoreError::Corrupt { id, reason };
    let record: MediaRecord = serde_json::from_slice(&json)
        .map_err(|e| corrupt(format!("its record is not readable: {e}")))?;
    if (record.tenant, record.id) != (tenant, id) {
        return Err(corrupt(format!(
            "its record names media {} of tenant {}",
            record.id, record.tenant
        )));
    }
    let bytes_path = dir.join(bytes_name);
    let bytes = match fs::read(&bytes_path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Err(corrupt("its bytes are missing".to_owned()));
        }
        Err(error) => return Err(io_error("read", &bytes_path)(error)),
    };
    if bytes.len() as u64 != record.size {
        return Err(corrupt(format!(
            "its record says {} bytes, its file holds {}",
            record.size,
            bytes.len()
        )));
    }
    Ok(Some(StoredMedia { record, bytes }))
}

/// The bytes' and the record's file names.
fn names(id: MediaId) -> (String, String) {
    (format!("{id}.bin"), format!("{id}.json"))
}

/// The tenant's directory, made (and its entry synced into the root) the
/// first time.
fn tenant_dir(root: &Path, tenant: TenantId) -> Result<PathBuf, MediaStoreError> {
    let dir = root.join(tenant.to_string());
    match fs::create_dir(&dir) {
        Ok(()) => sync_dir(root)?,
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(io_error("create", &dir)(error)),
    }
    Ok(dir)
}

/// Writes `name` in `dir` whole or not at all: `write` fills a temporary file,
/// which is synced and renamed to `name`, and the directory synced. On any
/// failure the temporary file is removed and `name` is untouched.
fn write_atomically(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), MediaStoreError> {
    let temp = dir.join(format!(".tmp-{name}"));
    let target = dir.join(name);
    let written = File::create(&temp)
        .map_err(io_error("create", &temp))
        .and_then(|mut file| {
            write(&mut file).map_err(io_error("write", &temp))?;
            file.sync_all().map_err(io_error("sync", &temp))
        })
        .and_then(|()| fs::rename(&temp, &target).map_err(io_error("rename", &target)));
    if written.is_err() {
        // Best effort: the error that matters is the write's.
        let _ = fs::remove_file(&temp);
    }
    written?;
    sync_dir(dir)
}

/// Makes a directory's new entries durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), MediaStoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_error("sync", dir))
}

/// Windows cannot open a directory as a file to sync it; NTFS journals
/// renames.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), MediaStoreError> {
    Ok(())
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> MediaStoreError {
    let path = path.to_owned();
    move |source| MediaStoreError::Io {
        action,
        path,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::conformance;
    use crate::media::tests::TempDir;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn media(tenant: TenantId) -> NewMedia {
        NewMedia {
            id: MediaId::from_uuid(uuid::Uuid::now_v7()),
            tenant,
            media_type: crate::core::message::media::MediaType::Jpeg,
            filename: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
            bytes: vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
        }
    }

    /// A store in a fresh directory, and a file for it not put yet.
    async fn store_and_file() -> (TempDir, FsMediaStore, NewMedia) {
        let dir = TempDir::new();
        let store = FsMediaStore::open(&dir.0).await.unwrap();
        (dir, store, media(TenantId::from_uuid(uuid::Uuid::now_v7())))
    }

    #[tokio::test]
    async fn the_filesystem_store_passes_the_conformance_suite() {
        let dir = TempDir::new();
        let store = FsMediaStore::open(dir.0.join("nested/media"))
            .await
            .unwrap();
        conformance::run_all(&store).await;
    }

    #[tokio::test]
    async fn a_file_is_kept_as_its_bytes_and_a_record_beside_them_in_its_tenants_directory() {
        let (dir, store, new) = store_and_file().await;
        store.put(new.clone()).await.unwrap();

        let tenant_dir = dir.0.join(new.tenant.to_string());
        assert_eq!(
            entries(&tenant_dir),
            [format!("{}.bin", new.id), format!("{}.json", new.id)]
        );
        assert_eq!(
            fs::read(tenant_dir.join(format!("{}.bin", new.id))).unwrap(),
            new.bytes
        );
        let json = fs::read(tenant_dir.join(format!("{}.json", new.id))).unwrap();
        let record: MediaRecord = serde_json::from_slice(&json).unwrap();
        assert_eq!(record, new.record());
    }

    #[test]
    fn a_write_that_fails_halfway_leaves_neither_the_file_nor_its_temporary() {
        let dir = TempDir::new();
        fs::create_dir_all(&dir.0).unwrap();
        let failed = write_atomically(&dir.0, "x.bin", |file| {
            file.write_all(b"half of it")?;
            Err(io::Error::other("the disk is full"))
        });
        assert!(
            matches!(
                failed,
                Err(MediaStoreError::Io {
                    action: "write",
                    ..
                })
            ),
            "{failed:?}"
        );
        assert_eq!(entries(&dir.0), Vec::<String>::new());
    }

    #[tokio::test]
    async fn a_put_whose_rename_fails_leaves_nothing_a_get_can_see() {
        let (dir, store, new) = store_and_file().await;
        let tenant_dir = dir.0.join(new.tenant.to_string());
        // A directory where the bytes go: renaming a file over it fails.
        fs::create_dir_all(tenant_dir.join(format!("{}.bin", new.id))).unwrap();

        let failed = store.put(new.clone()).await;

        assert!(
            matches!(
                failed,
                Err(MediaStoreError::Io {
                    action: "rename",
                    ..
                })
            ),
            "{failed:?}"
        );
        assert_eq!(entries(&tenant_dir), [format!("{}.bin", new.id)]);
        assert!(store.get(new.tenant, new.id).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_record_whose_bytes_are_short_or_missing_is_corrupt_not_a_short_file() {
        let (dir, store, new) = store_and_file().await;
        store.put(new.clone()).await.unwrap();
        let bytes = dir
            .0
            .join(new.tenant.to_string())
            .join(format!("{}.bin", new.id));

        fs::write(&bytes, b"\xFF\xD8").unwrap();
        let short = store.get(new.tenant, new.id).await;
        fs::remove_file(&bytes).unwrap();
        let missing = store.get(new.tenant, new.id).await;

        for answer in [short, missing] {
            assert!(matches!(answer, Err(MediaStoreError::Corrupt { id, .. }) if id == new.id));
        }
    }
}
