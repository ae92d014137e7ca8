//! `POST /contacts/import`: a CSV file (SPEC §18), sent as `text/csv` or as
//! the `file` part of a `multipart/form-data` form, answered with SPEC §18's
//! report.

use axum::Json;
use axum::body::Bytes;
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Api;
use super::caller::Authorized;
use super::error::{ApiError, BodyRefusals, ErrorBody, QueryOf, Refusals};
use crate::core::import::{ImportOptions, ImportReport, Mappings};

/// The largest file `POST /contacts/import` reads: 16 MiB, about 200,000
/// rows. A larger one is 413; split it, or import it in process with
/// [`Inbox::import_contacts`](crate::engine::Inbox::import_contacts), which
/// streams.
pub const IMPORT_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// `POST /contacts/import`'s query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub(super) struct ImportQuery {
    /// The region numbers without a country code are read in (`US` by default).
    #[param(example = "GB")]
    default_region: Option<String>,
}

/// SPEC §18's import report.
#[derive(Debug, Serialize, ToSchema)]
#[allow(
    dead_code,
    reason = "only its schema is used; the answer is the ImportReport itself"
)]
struct ImportReportSchema {
    /// Data records read.
    rows: u64,
    /// Contacts created.
    created: u64,
    /// Known contacts the file named.
    updated: u64,
    /// Rows that opted at least one channel in.
    opted_in: u64,
    /// Rows whose opt-in a standing opt-out refused.
    opt_in_refused: u64,
    /// Rows skipped: `missing_phone`, `invalid_phone`, `duplicate`.
    #[schema(value_type = Object)]
    skipped: serde_json::Value,
    /// The skipped rows in file order (at most 10,000): `line`, `reason`,
    /// `value`.
    #[schema(value_type = Vec<Object>)]
    errors: Vec<serde_json::Value>,
}

/// The multipart form, as the OpenAPI document describes it.
#[derive(Debug, ToSchema)]
#[allow(dead_code, reason = "only its schema is used")]
struct ImportForm {
    /// The CSV file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `{HEADER: FIELD}` as JSON, overriding the header synonyms (SPEC §18).
    mappings: Option<String>,
}

/// Imports contacts from a CSV file: new numbers create contacts, known ones
/// are updated, opt-ins never undo an opt-out. Scope `contacts:write`.
#[utoipa::path(
    post,
    path = "/contacts/import",
    tag = "contacts",
    params(ImportQuery),
    request_body(content(
        (String = "text/csv"),
        (ImportForm = "multipart/form-data"),
    )),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "SPEC §18's report", body = ImportReportSchema),
        (status = 400, description = "No header, no phone column, a bad mapping or region, or a form without a file", body = ErrorBody),
        (status = 403, description = "The key lacks contacts:write", body = ErrorBody),
        Refusals,
        BodyRefusals,
    )
)]
pub(super) async fn import(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    QueryOf(query): QueryOf<ImportQuery>,
    request: Request,
) -> Result<Json<ImportReport>, ApiError> {
    let mut options = ImportOptions {
        default_region: query.default_region,
        ..ImportOptions::default()
    };
    let file = match content_type(&request).as_str() {
        "text/csv" | "application/csv" | "text/plain" => Bytes::from_request(request, &())
            .await
            .map_err(|rejection| ApiError::Rejected {
                status: rejection.status(),
                message: rejection.body_text(),
            })?,
        "multipart/form-data" => {
            let (file, mappings) = form(request).await?;
            options.mappings = mappings;
            file
        }
        other => {
            return Err(ApiError::Rejected {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                message: format!(
                    "send the file as text/csv or as the `file` part of multipart/form-data, not {other:?}"
                ),
            });
        }
    };
    let report = api.ops.import_contacts(&principal, &file, options).await?;
    Ok(Json(report))
}

/// The media type of the request, without its parameters, in lower case.
fn content_type(request: &Request) -> String {
    let value = request.headers().get(header::CONTENT_TYPE);
    let text = value.and_then(|v| v.to_str().ok()).unwrap_or_default();
    let essence = text.split(';').next().unwrap_or_default();
    essence.trim().to_ascii_lowercase()
}

/// The form's `file` and optional `mappings`.
async fn form(request: Request) -> Result<(Bytes, Mappings), ApiError> {
    let bad = |message: String| ApiError::Rejected {
        status: StatusCode::BAD_REQUEST,
        message,
    };
    let mut form = Multipart::from_request(request, &())
        .await
        .map_err(|rejection| ApiError::Rejected {
            status: rejection.status(),
            message: rejection.body_text(),
        })?;
    let (mut file, mut mappings) = (None, Mappings::default());
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("file") => file = Some(field.bytes().await.map_err(unreadable)?),
            Some("mappings") => {
                let text = field.text().await.map_err(|e| bad(e.body_text()))?;
                mappings =
                    serde_json::from_str(&text).map_err(|e| bad(format!("mappings: {e}")))?;
            }
            _ => {}
        }
    }
    let file = file.ok_or_else(|| bad("the form has no `file` part".to_owned()))?;
    Ok((file, mappings))
}

/// A form that cannot be read (413 over the limit, 400 malformed).
fn unreadable(error: MultipartError) -> ApiError {
    ApiError::Rejected {
        status: error.status(),
        message: error.body_text(),
    }
}
