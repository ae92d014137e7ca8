//! `POST /media` and `GET /media/{id}`: a tenant's files, uploaded as the
//! `file` part of a form, their type decided by their bytes, and given back
//! exactly with that type.

use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::Api;
use super::caller::Authorized;
use super::error::{ApiError, BodyRefusals, ErrorBody, PathOf, Refusals};
use super::form::{Form, MULTIPART, content_type, sent_as_other};
use crate::core::message::media::{MAX_MEDIA_BYTES, MediaFilename};
use crate::media::{MediaRecord, StoredMedia};

/// The largest body `POST /media` reads: a file of
/// [`MAX_MEDIA_BYTES`] (16,000,000 bytes) and 64 KiB for the form around it.
/// A body over it is 413 before it is read whole; a file within it but over
/// `MAX_MEDIA_BYTES` is 413 too.
pub const MEDIA_BODY_LIMIT: usize = MAX_MEDIA_BYTES + 64 * 1024;

/// A kept file as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MediaView {
    /// Its id, for `GET /media/{id}`.
    #[schema(example = "01938f4e-8c2a-7d3b-9e1f-2a3b4c5d6e7f")]
    pub id: String,
    /// Its type, as its bytes show it.
    #[schema(example = "image/jpeg")]
    pub mime_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// The name it was uploaded with, cleaned of paths and control characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "receipt.jpg")]
    pub filename: Option<String>,
}

impl From<&MediaRecord> for MediaView {
    fn from(record: &MediaRecord) -> MediaView {
        MediaView {
            id: record.id.to_string(),
            mime_type: record.media_type.mime_type().to_owned(),
            size: record.size,
            filename: record
                .filename
                .as_ref()
                .map(|name| name.as_str().to_owned()),
        }
    }
}

/// The form, as the OpenAPI document describes it.
#[derive(Debug, ToSchema)]
#[allow(dead_code, reason = "only its schema is used")]
struct MediaForm {
    /// The file: JPEG, PNG, WebP, PDF, DOCX, MP3, OGG (Opus) or MP4 by content,
    /// at most 16,000,000 bytes.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Keeps a file for messages to send later. Its bytes decide its type; its
/// name decides nothing. Scope `messages:send`.
#[utoipa::path(
    post,
    path = "/media",
    tag = "media",
    request_body(content = MediaForm, content_type = "multipart/form-data"),
    security(("api_key" = [])),
    responses(
        (status = 201, description = "Kept", body = MediaView),
        (status = 400, description = "No `file` part, or a file that is empty or by its content \
                                      not JPEG, PNG, WebP, PDF, DOCX, MP3, OGG (Opus) or MP4", body = ErrorBody),
        (status = 403, description = "The key lacks messages:send", body = ErrorBody),
        (status = 501, description = "The server keeps no media: no media store is configured", body = ErrorBody),
        Refusals,
        BodyRefusals,
    )
)]
pub(super) async fn upload(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    request: Request,
) -> Result<(StatusCode, Json<MediaView>), ApiError> {
    api.ops.may_upload_media(&principal)?;
    let sent_as = content_type(&request);
    if sent_as != MULTIPART {
        let wanted = format!("the `file` part of {MULTIPART}");
        return Err(sent_as_other(&wanted, &sent_as));
    }
    let (bytes, filename) = Form::read(request, &[], MEDIA_BODY_LIMIT).await?.file()?;
    let record = api
        .ops
        .upload_media(&principal, bytes.into(), filename.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(MediaView::from(&record))))
}

/// A file of the key's tenant, byte for byte, with the type its bytes showed
/// when it was uploaded. Scope `messages:read`.
#[utoipa::path(
    get,
    path = "/media/{id}",
    tag = "media",
    params(("id" = String, Path, description = "The file's id, as `POST /media` answered it")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The file",
            content(
                ("image/jpeg"), ("image/png"), ("image/webp"), ("application/pdf"),
                ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                ("audio/mpeg"), ("audio/ogg"), ("video/mp4"),
            ),
            headers(
                ("Content-Length" = u64, description = "The file's size in bytes"),
                ("Content-Disposition" = String, description = "`attachment`, with the file's \
                   name (`filename` in ASCII, `filename*` in UTF-8) when it was uploaded with one"),
                ("X-Content-Type-Options" = String, description = "`nosniff`: the type is the one \
                   the bytes were checked to be"),
            ),
        ),
        (status = 403, description = "The key lacks messages:read", body = ErrorBody),
        (status = 404, description = "No such file", body = ErrorBody),
        (status = 501, description = "The server keeps no media: no media store is configured", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn download(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    PathOf(id): PathOf<String>,
) -> Result<Response, ApiError> {
    let media = api.ops.media(&principal, &id).await?;
    Ok(file_response(media))
}

/// The file's bytes with headers that say exactly what they are, so that no
/// browser guesses otherwise.
fn file_response(media: StoredMedia) -> Response {
    let record = media.record;
    let mut response = Body::from(media.bytes).into_response();
    let headers = response.headers_mut();
    let mime_type = HeaderValue::from_static(record.media_type.mime_type());
    headers.insert(header::CONTENT_TYPE, mime_type);
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(record.size));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(value) = HeaderValue::from_str(&content_disposition(record.filename.as_ref())) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `attachment`, with the name as RFC 6266 gives it: `filename` in ASCII for
/// old clients, `filename*` in UTF-8 (RFC 8187) for the rest.
fn content_disposition(filename: Option<&MediaFilename>) -> String {
    let Some(name) = filename else {
        return "attachment".to_owned();
    };
    let name = name.as_str();
    let ascii: String = name
        .chars()
        .map(|c| match c {
            // `%` too: some clients percent-decode `filename`.
            '"' | '\\' | '%' => '_',
            c if c == ' ' || c.is_ascii_graphic() => c,
            _ => '_',
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        rfc8187(name)
    )
}

/// `text` percent-encoded as RFC 8187's `value-chars`: its `attr-char`s as they
/// are, every other byte of its UTF-8 as `%XX`.
fn rfc8187(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        let attr_char = byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte);
        if attr_char {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn disposition(raw: &str) -> String {
        content_disposition(MediaFilename::new(raw).as_ref())
    }

    #[test]
    fn a_plain_name_is_given_in_both_forms_and_no_name_is_a_bare_attachment() {
        assert_eq!(
            disposition("receipt 12.pdf"),
            "attachment; filename=\"receipt 12.pdf\"; filename*=UTF-8''receipt%2012.pdf"
        );
        assert_eq!(content_disposition(None), "attachment");
    }

    #[test]
    fn quotes_percent_signs_and_non_ascii_never_reach_the_ascii_form() {
        assert_eq!(
            disposition("Zoë \"100%\".docx"),
            "attachment; filename=\"Zo_ _100__.docx\"; \
             filename*=UTF-8''Zo%C3%AB%20%22100%25%22.docx"
        );
    }

    proptest! {
        #[test]
        fn any_uploaded_name_makes_a_valid_header_that_keeps_the_name(raw in any::<String>()) {
            let Some(name) = MediaFilename::new(&raw) else { return Ok(()) };
            let value = content_disposition(Some(&name));
            prop_assert!(HeaderValue::from_str(&value).is_ok(), "{value:?}");
            prop_assert!(value.is_ascii());
            let (_, encoded) = value.split_once("filename*=UTF-8''").unwrap();
            prop_assert_eq!(percent_decode(encoded), name.as_str().as_bytes());
        }
    }

    fn percent_decode(text: &str) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut rest = text.as_bytes();
        while let Some((&first, tail)) = rest.split_first() {
            if first == b'%' {
                let hex = std::str::from_utf8(&tail[..2]).unwrap();
                bytes.push(u8::from_str_radix(hex, 16).unwrap());
                rest = &tail[2..];
            } else {
                bytes.push(first);
                rest = tail;
            }
        }
        bytes
    }
}
