//! `upload_media` and `media`: a tenant's files, kept by the media store
//! [`Operations::media_store`] was given, for messages to name later.

use std::sync::Arc;

use super::api_keys::Principal;
use super::operations::Operations;
use crate::core::api_key::Scope;
use crate::core::message::media::{MediaFilename, check_upload};
use crate::engine::NotFound;
use crate::error::Error;
use crate::media::{MediaRecord, MediaStore, NewMedia, StoredMedia};
use crate::model::MediaId;

/// The media store of an [`Operations`], if it was given one.
#[derive(Clone, Default)]
pub(crate) struct MediaSlot(Option<Arc<dyn MediaStore>>);

impl MediaSlot {
    /// A slot holding `store`.
    pub(crate) fn new(store: Arc<dyn MediaStore>) -> MediaSlot {
        MediaSlot(Some(store))
    }

    fn store(&self) -> Result<&dyn MediaStore, Error> {
        self.0.as_deref().ok_or(Error::NoMediaStore)
    }
}

impl std::fmt::Debug for MediaSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.0.is_some() {
            "configured"
        } else {
            "none"
        };
        f.debug_tuple("MediaSlot").field(&state).finish()
    }
}

impl Operations {
    /// Keeps uploaded media in `store`. Without one, [`upload_media`](Self::upload_media)
    /// and [`media`](Self::media) answer [`Error::NoMediaStore`] (501): a
    /// server that takes files must say where they go, rather than keep them
    /// in memory until it restarts or runs out.
    pub fn media_store(self, store: Arc<dyn MediaStore>) -> Operations {
        self.media_slot(MediaSlot::new(store))
    }

    /// Keeps uploaded media where `slot` says, if anywhere.
    pub(crate) fn media_slot(mut self, slot: MediaSlot) -> Operations {
        self.media = slot;
        self
    }

    /// Keeps `bytes` as a file of the principal's tenant and returns its
    /// record, with a new id. The bytes decide the type
    /// ([`check_upload`]: JPEG, PNG, WebP, PDF, DOCX, MP3, OGG Opus or MP4);
    /// `filename` never does, and is kept cleaned ([`MediaFilename`]), or not
    /// at all when nothing of it is left. Empty or unrecognized content is
    /// [`Error::Media`] (400), over 16,000,000 bytes
    /// ([`MAX_MEDIA_BYTES`](crate::core::message::media::MAX_MEDIA_BYTES))
    /// 413. Scope `messages:send`.
    pub async fn upload_media(
        &self,
        principal: &Principal,
        bytes: Vec<u8>,
        filename: Option<&str>,
    ) -> Result<MediaRecord, Error> {
        let store = self.may_upload_media(principal)?;
        let media_type = check_upload(&bytes)?;
        let media = NewMedia {
            id: MediaId::from_uuid(self.inbox.ids.next_id()),
            tenant: principal.tenant,
            media_type,
            filename: filename.and_then(MediaFilename::new),
            created_at: self.inbox.clock.now(),
            bytes,
        };
        Ok(store.put(media).await?)
    }

    /// Whether `principal` may upload a file here (scope `messages:send`, and
    /// a media store to keep it): the store. A server asks before reading the
    /// upload, so that a key that may not upload never has it buffer 16 MB.
    pub fn may_upload_media(&self, principal: &Principal) -> Result<&dyn MediaStore, Error> {
        principal.require(Scope::MessagesSend)?;
        self.media.store()
    }

    /// The tenant's file `id` (a text that is no id is as unknown as another
    /// tenant's file: [`NotFound::Media`], 404). Scope `messages:read`.
    pub async fn media(&self, principal: &Principal, id: &str) -> Result<StoredMedia, Error> {
        principal.require(Scope::MessagesRead)?;
        let store = self.media.store()?;
        let unknown = || Error::from(NotFound::Media(id.to_owned()));
        let id: MediaId = id.parse().map_err(|_| unknown())?;
        store.get(principal.tenant, id).await?.ok_or_else(unknown)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::ErrorKind;
    use crate::core::api_key::{ApiKeyId, Scopes};
    use crate::core::message::media::MediaType;
    use crate::engine::{Inbox, ManualClock};
    use crate::media::MemoryMediaStore;
    use crate::model::{SequentialIds, TenantId};
    use crate::store::MemoryStore;

    fn operations(store: Option<Arc<dyn MediaStore>>) -> Operations {
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
        let inbox = Inbox::builder(Arc::new(MemoryStore::new()))
            .clock(Arc::new(ManualClock::new(at)))
            .ids(Arc::new(SequentialIds::default()))
            .build();
        let operations = Operations::new(Arc::new(inbox));
        match store {
            Some(store) => operations.media_store(store),
            None => operations,
        }
    }

    fn principal(scopes: &[Scope]) -> Principal {
        Principal {
            tenant: TenantId::from_uuid(uuid::Uuid::now_v7()),
            key: ApiKeyId::from_uuid(uuid::Uuid::now_v7()),
            scopes: scopes.iter().copied().collect::<Scopes>(),
        }
    }

    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0 a photo";

    #[tokio::test]
    async fn an_upload_gets_a_new_id_its_type_by_content_the_clock_time_and_a_clean_name() {
        let ops = operations(Some(Arc::new(MemoryMediaStore::new())));
        let sender = principal(&[Scope::MessagesSend, Scope::MessagesRead]);

        let record = ops
            .upload_media(&sender, JPEG.to_vec(), Some("C:\\fakepath\\notes.pdf"))
            .await
            .unwrap();

        assert_eq!(
            record.id.to_string(),
            "00000000-0000-0000-0000-000000000001"
        );
        assert_eq!(
            record.media_type,
            MediaType::Jpeg,
            "the bytes decide, not the name"
        );
        assert_eq!(
            record.filename.as_ref().map(|n| n.as_str()),
            Some("notes.pdf")
        );
        assert_eq!(
            record.created_at,
            Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
        );
        let stored = ops.media(&sender, &record.id.to_string()).await.unwrap();
        assert_eq!((stored.record, stored.bytes), (record, JPEG.to_vec()));
    }

    #[tokio::test]
    async fn each_operation_checks_its_scope_before_anything_else() {
        let ops = operations(None);
        let reader = principal(&[Scope::MessagesRead]);
        let sender = principal(&[Scope::MessagesSend]);

        let upload = ops.upload_media(&reader, JPEG.to_vec(), None).await;
        let read = ops.media(&sender, "not-an-id").await;

        assert_eq!(upload.unwrap_err().kind(), ErrorKind::Forbidden);
        assert_eq!(read.unwrap_err().kind(), ErrorKind::Forbidden);
    }

    #[tokio::test]
    async fn without_a_media_store_both_operations_say_so() {
        let ops = operations(None);
        let admin = principal(&[Scope::Admin]);

        let upload = ops.upload_media(&admin, JPEG.to_vec(), None).await;
        let read = ops
            .media(&admin, "00000000-0000-0000-0000-000000000001")
            .await;

        for refused in [upload.map(|_| ()), read.map(|_| ())] {
            let error = refused.unwrap_err();
            assert_eq!(
                (error.kind(), error.http_status()),
                (ErrorKind::NoMediaStore, 501)
            );
            assert!(
                error.to_string().contains("Operations::media_store"),
                "{error}"
            );
        }
    }

    #[tokio::test]
    async fn text_is_refused_whatever_its_name_and_a_bad_id_is_unknown() {
        let ops = operations(Some(Arc::new(MemoryMediaStore::new())));
        let admin = principal(&[Scope::Admin]);

        let text = ops
            .upload_media(&admin, b"just text".to_vec(), Some("photo.jpg"))
            .await;
        let bad_id = ops.media(&admin, "../etc/passwd").await;

        assert_eq!(text.unwrap_err().kind(), ErrorKind::InvalidMedia);
        let bad_id = bad_id.unwrap_err();
        assert_eq!(
            (bad_id.kind(), bad_id.to_string()),
            (ErrorKind::UnknownMedia, "no media ../etc/passwd".into())
        );
    }
}
