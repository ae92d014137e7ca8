//! `POST /contacts/import`: a CSV file (SPEC §18), sent as `text/csv` or as
//! the `file` part of a `multipart/form-data` form, answered with SPEC §18's
//! report.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Api;
use super::caller::Authorized;
use super::error::{ApiError, BodyRefusals, ErrorBody, QueryOf, Refusals};
use super::form::{Form, MULTIPART, bad_request, content_type, sent_as_other};
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
    api.ops.may_import_contacts(&principal)?;
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
        MULTIPART => {
            let form = Form::read(request, &["mappings"], IMPORT_BODY_LIMIT).await?;
            if let Some(text) = form.text("mappings") {
                options.mappings = serde_json::from_str::<Mappings>(text)
                    .map_err(|e| bad_request(format!("mappings: {e}")))?;
            }
            form.file()?.0
        }
        other => {
            let wanted = format!("text/csv or as the `file` part of {MULTIPART}");
            return Err(sent_as_other(&wanted, other));
        }
    };
    let report = api.ops.import_contacts(&principal, &file, options).await?;
    Ok(Json(report))
}
