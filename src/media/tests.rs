//! Laws every store that ships keeps, whatever the bytes.

use std::path::PathBuf;

use proptest::prelude::*;

use super::{MediaStore, MemoryMediaStore, conformance};

/// A fresh directory under the system's temporary one, removed on drop.
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new() -> TempDir {
        let name = format!("msgcore-media-{}", uuid::Uuid::now_v7());
        TempDir(std::env::temp_dir().join(name))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn the_memory_store_passes_the_conformance_suite() {
    conformance::run_all(&MemoryMediaStore::new()).await;
}

/// Every store that ships, fresh; the directory lives as long as they do.
#[cfg(feature = "tokio")]
async fn stores() -> (Vec<Box<dyn MediaStore>>, TempDir) {
    let dir = TempDir::new();
    let fs = super::FsMediaStore::open(&dir.0).await.unwrap();
    (vec![Box::new(MemoryMediaStore::new()), Box::new(fs)], dir)
}

#[cfg(not(feature = "tokio"))]
async fn stores() -> (Vec<Box<dyn MediaStore>>, TempDir) {
    (vec![Box::new(MemoryMediaStore::new())], TempDir::new())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_bytes_and_any_name_come_back_identical_from_every_store(
        bytes in proptest::collection::vec(any::<u8>(), 0..4096),
        filename in proptest::option::of(any::<String>()),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let (stores, _dir) = stores().await;
            for store in &stores {
                conformance::bytes_round_trip(store.as_ref(), bytes.clone(), filename.as_deref())
                    .await;
            }
        });
    }
}
