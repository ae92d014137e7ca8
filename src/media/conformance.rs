//! The [`MediaStore`] contract as executable checks, for any implementation:
//! run [`run_all`] against yours from a test with the `conformance` feature
//! on. Each check makes its own tenants and ids, so a store that already holds
//! files passes as well as an empty one.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! msgcore::media::conformance::run_all(&msgcore::media::MemoryMediaStore::new()).await;
//! # }
//! ```
//!
//! Like `store::conformance`, this is a test suite: its `expect`s and
//! `assert!`s are its assertions, and fire only when the store under test
//! breaks the contract or fails.

use chrono::{DateTime, TimeZone, Utc};

use super::{MediaStore, NewMedia};
use crate::core::message::media::{MediaFilename, MediaType};
use crate::model::{MediaId, TenantId};

/// Every check below, one after another; panics naming the first broken rule.
pub async fn run_all(store: &dyn MediaStore) {
    a_put_file_is_got_back_whole_with_its_record(store).await;
    another_tenants_id_and_an_unused_id_are_unknown(store).await;
    files_are_kept_apart_by_tenant_and_id(store).await;
    for bytes in [Vec::new(), vec![0], patterned(1 << 20)] {
        bytes_round_trip(store, bytes, None).await;
    }
}

/// A file put is got back byte for byte, with the record `put` returned:
/// its type, its size, its cleaned name and its time.
pub async fn a_put_file_is_got_back_whole_with_its_record(store: &dyn MediaStore) {
    let media = new_media(tenant(), b"%PDF-1.7\n%%EOF\n".to_vec(), "report.pdf");
    let record = store.put(media.clone()).await.expect("put");
    assert_eq!(record, media.record(), "put returns the file's record");
    assert_eq!(record.size, 15);
    let stored = store.get(media.tenant, media.id).await.expect("get");
    let stored = stored.expect("a file put is found by its tenant and id");
    assert_eq!(stored.record, record, "get returns the record put returned");
    assert_eq!(stored.bytes, media.bytes, "get returns the bytes put");
}

/// Another tenant asking for a file's id, and its own tenant asking for an id
/// never used, both get `None`.
pub async fn another_tenants_id_and_an_unused_id_are_unknown(store: &dyn MediaStore) {
    let media = new_media(tenant(), vec![0xFF, 0xD8, 0xFF, 0xE0], "photo.jpg");
    store.put(media.clone()).await.expect("put");
    let other = store.get(tenant(), media.id).await.expect("get");
    assert!(
        other.is_none(),
        "another tenant got a file that is not its own"
    );
    let unused = store.get(media.tenant, new_id()).await.expect("get");
    assert!(unused.is_none(), "an id never used found a file");
}

/// Two tenants' files, several each, come back each as its own.
pub async fn files_are_kept_apart_by_tenant_and_id(store: &dyn MediaStore) {
    let mut put = Vec::new();
    for tenant in [tenant(), tenant()] {
        for n in 0..3u8 {
            let media = new_media(tenant, vec![n; usize::from(n) + 1], "same-name.bin");
            store.put(media.clone()).await.expect("put");
            put.push(media);
        }
    }
    for media in put {
        let stored = store.get(media.tenant, media.id).await.expect("get");
        let stored = stored.expect("every file put is found");
        assert_eq!(
            stored.bytes, media.bytes,
            "a file came back with another's bytes"
        );
    }
}

/// `bytes`, put with `filename` (none when it cleans to nothing), are got back
/// identical: any bytes, the empty file included (the store does not check
/// them; the service did).
pub async fn bytes_round_trip(store: &dyn MediaStore, bytes: Vec<u8>, filename: Option<&str>) {
    let mut media = new_media(tenant(), bytes, "");
    media.filename = filename.and_then(MediaFilename::new);
    let record = store.put(media.clone()).await.expect("put");
    let stored = store.get(media.tenant, media.id).await.expect("get");
    let stored = stored.expect("a file put is found");
    assert_eq!(stored.record, record);
    assert_eq!(stored.record.filename, media.filename);
    assert!(
        stored.bytes == media.bytes,
        "{} bytes came back changed",
        media.bytes.len()
    );
}

/// A fresh tenant id.
fn tenant() -> TenantId {
    TenantId::from_uuid(uuid::Uuid::now_v7())
}

fn new_id() -> MediaId {
    MediaId::from_uuid(uuid::Uuid::now_v7())
}

fn new_media(tenant: TenantId, bytes: Vec<u8>, filename: &str) -> NewMedia {
    NewMedia {
        id: new_id(),
        tenant,
        // A store keeps whatever it is told the bytes are.
        media_type: MediaType::Pdf,
        filename: MediaFilename::new(filename),
        created_at: uploaded_at(),
        bytes,
    }
}

fn uploaded_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 30, 15)
        .single()
        .expect("a valid time")
}

/// `len` bytes that are not all alike, so a shifted or truncated copy differs.
fn patterned(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}
