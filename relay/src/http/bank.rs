//! `/api/bank/*`: the question bank's endpoints. Roles and subjects are
//! checked in `crate::bank::access`; these handlers only carry bodies.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use examgate_bank_formats::Format;
use examgate_shared::bank::api::{
    ImportReport, ItemEdit, ItemSummary, ItemView, PaperBuilt, PaperRequest, PracticeOpened,
    PracticeRequest,
};
use examgate_shared::bank::print::PrintedVersion;
use examgate_shared::error::{ErrorBody, ErrorCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::ApiJson;
use super::auth::Staff;
use super::error::ApiError;
use crate::AppState;
use crate::bank::import::ImportOptions;
use crate::bank::items::Query as SearchQuery;

pub async fn import(
    State(state): State<AppState>,
    staff: Staff,
    Query(options): Query<ImportOptions>,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    Ok(Json(
        state.bank_import(&staff.0, options, body.to_vec()).await?,
    ))
}

pub async fn search(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<SearchQuery>,
) -> Result<Json<Vec<ItemSummary>>, ApiError> {
    Ok(Json(state.bank_search(&staff.0, query).await?))
}

pub async fn item(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<u64>,
) -> Result<Json<ItemView>, ApiError> {
    Ok(Json(state.bank_item(&staff.0, id).await?))
}

pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<u64>,
    ApiJson(edit): ApiJson<ItemEdit>,
) -> Result<Json<Value>, ApiError> {
    let version = state.bank_edit(&staff.0, id, edit).await?;
    Ok(Json(json!({ "id": id, "version": version })))
}

#[derive(Deserialize)]
pub struct Share {
    shared: bool,
}

pub async fn share(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<u64>,
    ApiJson(req): ApiJson<Share>,
) -> Result<Json<Value>, ApiError> {
    state.bank_share(&staff.0, id, req.shared).await?;
    Ok(Json(json!({ "id": id, "shared": req.shared })))
}

#[derive(Deserialize)]
pub struct ExportQuery {
    format: String,
    /// Comma-separated bank ids; every question the caller sees when absent.
    #[serde(default)]
    ids: String,
}

pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ExportQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let format = Format::parse(&q.format)
        .filter(|f| f.exports())
        .ok_or_else(|| {
            ApiError(ErrorBody::new(
                ErrorCode::Invalid,
                "format: gift, aiken, moodle_xml or qti",
            ))
        })?;
    let ids = q
        .ids
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<u64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| {
            ApiError(ErrorBody::new(
                ErrorCode::Invalid,
                "ids: numbers separated by commas",
            ))
        })?;
    let bytes = state.bank_export(&staff.0, format, ids).await?;
    let (media_type, file) = match format {
        Format::Gift => ("text/plain; charset=utf-8", "bank.gift.txt"),
        Format::Aiken => ("text/plain; charset=utf-8", "bank.aiken.txt"),
        Format::MoodleXml => ("application/xml", "bank.moodle.xml"),
        _ => ("application/zip", "bank.qti.zip"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    ))
}

pub async fn paper(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(req): ApiJson<PaperRequest>,
) -> Result<Json<PaperBuilt>, ApiError> {
    Ok(Json(state.bank_paper(&staff.0, req).await?))
}

pub async fn print(
    State(state): State<AppState>,
    staff: Staff,
    Path(exam_id): Path<String>,
) -> Result<Json<Vec<PrintedVersion>>, ApiError> {
    Ok(Json(state.bank_print(&staff.0, &exam_id).await?))
}

pub async fn practice(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(req): ApiJson<PracticeRequest>,
) -> Result<Json<PracticeOpened>, ApiError> {
    Ok(Json(state.bank_practice(&staff.0, req).await?))
}
