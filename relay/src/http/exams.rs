//! `POST /api/exams/{id}/corrections`: fix a key or void a question, and
//! regrade (teacher only).

use axum::Json;
use axum::extract::{Path, State};
use examgate_shared::protocol::Role;

use super::ApiJson;
use super::auth::Staff;
use super::error::ApiError;
use crate::AppState;
use crate::regrade::{CorrectionRequest, RegradeReport};

pub async fn correct(
    State(state): State<AppState>,
    staff: Staff,
    Path(exam_id): Path<String>,
    ApiJson(req): ApiJson<CorrectionRequest>,
) -> Result<Json<RegradeReport>, ApiError> {
    staff.require(&[Role::Teacher], "correct exams")?;
    staff.require_whole_exam("correct exams")?;
    let actor = format!("user:{}", staff.0.username);
    Ok(Json(state.correct_exam(&actor, &exam_id, req).await?))
}
