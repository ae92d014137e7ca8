//! Why a file was not turned into an upload request.

use crate::core::message::media::MediaError;

/// A file [`MessagesApi::upload_request`](super::MessagesApi::upload_request)
/// refused before building any request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MediaUploadError {
    /// The bytes are not a file WhatsApp takes as the kind asked for: empty, over
    /// 16 MB, of a type WhatsApp does not take, or of another kind.
    #[error("`{file_name}` cannot be uploaded: {problem}")]
    Rejected {
        /// The file's name, as given.
        file_name: String,
        /// What is wrong with its bytes.
        problem: MediaError,
    },
}
