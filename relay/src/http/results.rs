//! Results for teachers, the central proctor and the exam office: the list
//! of sittings, a sitting's results with the item analysis (JSON), and the
//! CSV export.
//! Room proctors are refused: results are not theirs to read.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use examgate_shared::protocol::{Role, SittingSummary};
use examgate_shared::results::results_csv;

use super::auth::Staff;
use super::error::ApiError;
use crate::AppState;

const READERS: &[Role] = &[Role::Teacher, Role::CentralProctor, Role::ExamOffice];

/// Results of a whole sitting are for staff of the whole exam; a site's
/// own staff read their site's rows in the hand-in workbook.
fn require_reader(staff: &Staff) -> Result<(), ApiError> {
    staff.require(READERS, "read results")?;
    if staff.0.site_id.is_some() {
        return Err(ApiError(examgate_shared::error::ErrorBody::new(
            examgate_shared::error::ErrorCode::Forbidden,
            "a site's staff read their site's results in the hand-in workbook",
        )));
    }
    Ok(())
}

pub async fn sittings(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<SittingSummary>>, ApiError> {
    require_reader(&staff)?;
    Ok(Json(state.sitting_summaries()))
}

pub async fn results_json(
    State(state): State<AppState>,
    staff: Staff,
    Path(sitting): Path<u64>,
) -> Result<impl IntoResponse, ApiError> {
    require_reader(&staff)?;
    let json = state.sitting_results_json(sitting).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        // The cached bytes, shared: no copy per request.
        axum::body::Body::from(axum::body::Bytes::from_owner(ArcBytes(json))),
    ))
}

/// Cached JSON as a response body without copying it.
struct ArcBytes(std::sync::Arc<Vec<u8>>);

impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

pub async fn results_csv_export(
    State(state): State<AppState>,
    staff: Staff,
    Path(sitting): Path<u64>,
) -> Result<impl IntoResponse, ApiError> {
    require_reader(&staff)?;
    let results = state.sitting_results(sitting).await?;
    let exam = state
        .catalog
        .exam_of(sitting)
        .expect("sitting_results found the exam");
    // A byte-order mark so spreadsheet programs read the Vietnamese names
    // as UTF-8.
    let body = format!("\u{feff}{}", results_csv(&exam, &results.rows));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"results-{sitting}.csv\""),
            ),
        ],
        body,
    ))
}
