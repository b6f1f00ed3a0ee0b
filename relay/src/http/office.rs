//! `/api/office/*` and `/api/setup`: the exam office's endpoints. Every
//! handler checks the role here and the scope in the state method it calls;
//! the bodies are the shapes of `examgate_shared::office::api`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::exam::Exam;
use examgate_shared::office::api::{
    AccountChange, AccountSlip, CardRoomRequest, NewAccount, NewEvent, NewRoom, NewShift, NewSite,
    PlanView, RosterImportReport, RosterRow, SetupRequest,
};
use examgate_shared::protocol::{LoginResponse, Role};
use serde::Deserialize;
use serde_json::{Value, json};

use super::ApiJson;
use super::auth::Staff;
use super::error::ApiError;
use crate::AppState;

const OFFICE: &[Role] = &[Role::ExamOffice];
/// Who may download hand-in files: the office, and the central proctor
/// (scoped to its site when it has one).
const HANDIN_READERS: &[Role] = &[Role::ExamOffice, Role::CentralProctor];

pub async fn setup(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<SetupRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    Ok(Json(state.set_up(req).await?))
}

pub async fn plan(State(state): State<AppState>, staff: Staff) -> Result<Json<PlanView>, ApiError> {
    staff.require(OFFICE, "read the exam plan")?;
    Ok(Json(state.plan_view(&staff.0)))
}

fn created(id: impl serde::Serialize) -> Json<Value> {
    Json(json!({ "id": id }))
}

pub async fn create_event(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(req): ApiJson<NewEvent>,
) -> Result<Json<Value>, ApiError> {
    staff.require(OFFICE, "plan exam events")?;
    Ok(created(state.create_event(&staff.0, req).await?))
}

pub async fn create_site(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(req): ApiJson<NewSite>,
) -> Result<Json<Value>, ApiError> {
    staff.require(OFFICE, "add sites")?;
    Ok(created(state.create_site(&staff.0, req).await?))
}

pub async fn create_room(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(req): ApiJson<NewRoom>,
) -> Result<Json<Value>, ApiError> {
    staff.require(OFFICE, "add rooms")?;
    Ok(created(state.create_room(&staff.0, req).await?))
}

pub async fn add_paper(
    State(state): State<AppState>,
    staff: Staff,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    staff.require(&[Role::ExamOffice, Role::Teacher], "add papers")?;
    staff.require_whole_exam("add papers")?;
    let exam: Exam = serde_json::from_slice(&body).map_err(|e| {
        ApiError(ErrorBody::new(
            ErrorCode::Malformed,
            format!("a paper is an exam definition in JSON: {e}"),
        ))
    })?;
    Ok(created(state.add_paper(&staff.0, exam).await?))
}

pub async fn create_shift(
    State(state): State<AppState>,
    staff: Staff,
    Path(event): Path<u64>,
    ApiJson(req): ApiJson<NewShift>,
) -> Result<Json<Value>, ApiError> {
    staff.require(OFFICE, "plan shifts")?;
    Ok(created(state.create_shift(&staff.0, event, req).await?))
}

#[derive(Deserialize)]
pub struct ImportQuery {
    /// `1`/`true`: report only, store nothing.
    #[serde(default)]
    dry_run: Option<String>,
}

pub async fn import_roster(
    State(state): State<AppState>,
    staff: Staff,
    Path(event): Path<u64>,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    staff.require(OFFICE, "import rosters")?;
    let dry_run = q
        .dry_run
        .as_deref()
        .is_some_and(|v| v == "1" || v == "true");
    let report: RosterImportReport = state
        .import_roster(&staff.0, event, &body, !dry_run)
        .await?;
    // A refused import says so in its status: nothing was stored.
    let status = if dry_run || report.committed {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(report)))
}

pub async fn roster(
    State(state): State<AppState>,
    staff: Staff,
    Path(event): Path<u64>,
) -> Result<Json<Vec<RosterRow>>, ApiError> {
    staff.require(OFFICE, "read the roster")?;
    Ok(Json(state.roster_rows(&staff.0, event).await?))
}

pub async fn candidate(
    State(state): State<AppState>,
    staff: Staff,
    Path((event, number)): Path<(u64, String)>,
) -> Result<Json<Value>, ApiError> {
    staff.require(
        &[Role::ExamOffice, Role::CentralProctor],
        "read a candidate's record",
    )?;
    Ok(Json(
        state.candidate_detail(&staff.0, event, &number).await?,
    ))
}

pub async fn set_card_room(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<CardRoomRequest>,
) -> Result<Json<Value>, ApiError> {
    staff.require(OFFICE, "set a room's check-in")?;
    state
        .set_card_room(&staff.0, &code, req.requires_card)
        .await?;
    Ok(Json(
        json!({ "code": code.to_uppercase(), "requires_card": req.requires_card }),
    ))
}

pub async fn create_account(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(req): ApiJson<NewAccount>,
) -> Result<Json<AccountSlip>, ApiError> {
    staff.require(OFFICE, "create accounts")?;
    Ok(Json(state.create_account(&staff.0, req).await?))
}

pub async fn change_account(
    State(state): State<AppState>,
    staff: Staff,
    Path(username): Path<String>,
    ApiJson(req): ApiJson<AccountChange>,
) -> Result<Json<Option<AccountSlip>>, ApiError> {
    staff.require(OFFICE, "change accounts")?;
    Ok(Json(state.change_account(&staff.0, &username, req).await?))
}

fn download(name: String, content_type: &'static str, bytes: Vec<u8>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
}

pub async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    Path(event): Path<u64>,
) -> Result<Json<crate::office::publish::Published>, ApiError> {
    staff.require(OFFICE, "publish results")?;
    Ok(Json(state.publish_event(&staff.0, event).await?))
}

pub async fn results_xlsx(
    State(state): State<AppState>,
    staff: Staff,
    Path(event): Path<u64>,
) -> Result<impl IntoResponse, ApiError> {
    staff.require(HANDIN_READERS, "download results")?;
    let (name, bytes) = state.event_xlsx(&staff.0, event).await?;
    Ok(download(
        name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    ))
}

pub async fn inspection_package(
    State(state): State<AppState>,
    staff: Staff,
    Path(event): Path<u64>,
) -> Result<impl IntoResponse, ApiError> {
    staff.require(OFFICE, "download the inspection package")?;
    if staff.0.site_id.is_some() {
        return Err(ApiError(ErrorBody::new(
            ErrorCode::Forbidden,
            "the inspection package is the whole exam's: the whole exam's office downloads it",
        )));
    }
    let (name, bytes) = state.event_package(&staff.0, event).await?;
    Ok(download(name, "application/zip", bytes))
}
