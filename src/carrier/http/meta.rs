//! The Cloud API's calls beside sending, over HTTP: uploading a media file and
//! marking an incoming message as read, through the tenant's own number like
//! [`HttpCarrier::send`](crate::carrier::Carrier::send).

use crate::carrier::HttpCarrier;
use crate::core::message::MediaKind;
use crate::model::CarrierError;
use crate::model::TenantId;
use crate::providers::meta::send::{MediaUploadError, MessagesApi};

/// Why [`HttpCarrier::upload_media`] gave no media id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MediaSendError {
    /// The file was refused before any request: empty, over 16 MB, or not a type
    /// WhatsApp takes for the kind asked for. Sending it again will not help.
    #[error(transparent)]
    Rejected(#[from] MediaUploadError),
    /// Meta refused the upload, or did not answer;
    /// [`CarrierError::is_transient`] says whether to try again.
    #[error(transparent)]
    Refused(#[from] CarrierError),
}

impl HttpCarrier<MessagesApi> {
    /// Uploads a file to `tenant`'s number (the platform's when it has none of
    /// its own) and returns the media id to send it by (`media_id` in SPEC §6
    /// content).
    ///
    /// WhatsApp's limits are checked on the bytes before anything is sent: at
    /// most 16 MB, and by content (whatever `file_name` says) JPEG, PNG or WebP
    /// for an image, PDF or DOCX for a document, MP3 or OGG (Opus) for audio,
    /// MP4 for video. Meta keeps an uploaded file for 30 days.
    ///
    /// ```no_run
    /// use msgcore::core::message::MediaKind;
    /// use msgcore::model::TenantId;
    /// use msgcore::carrier::HttpCarrier;
    /// use msgcore::providers::meta::send::MessagesApi;
    ///
    /// # async fn upload(tenant: TenantId) -> Result<(), Box<dyn std::error::Error>> {
    /// let carrier = HttpCarrier::new(MessagesApi::new("EAAG-token", "106540352242922"));
    /// let invoice = std::fs::read("invoice-1042.pdf")?;
    /// let media_id = carrier
    ///     .upload_media(tenant, MediaKind::Document, "invoice-1042.pdf", &invoice)
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn upload_media(
        &self,
        tenant: TenantId,
        kind: MediaKind,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<String, MediaSendError> {
        let api = self.api_for(tenant);
        let request = api.upload_request(kind, file_name, bytes)?;
        let response = self.exchange(api, request).await?;
        Ok(api.read_upload(&response)?)
    }

    /// Marks the incoming message `wamid` as read on `tenant`'s number: the
    /// sender sees blue ticks, on it and on the messages before it. Meta
    /// answers `{"success": true}`; anything else is a [`CarrierError`].
    pub async fn mark_read(&self, tenant: TenantId, wamid: &str) -> Result<(), CarrierError> {
        let api = self.api_for(tenant);
        let response = self.exchange(api, api.mark_read_request(wamid)).await?;
        api.read_ack(&response)
    }
}
