//! `POST /api/join`: a student enters a join code and their name.

use axum::Json;
use axum::extract::State;
use examgate_shared::protocol::{JoinRequest, JoinResponse};

use super::ApiJson;
use super::error::ApiError;
use crate::AppState;

pub async fn join(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<JoinRequest>,
) -> Result<Json<JoinResponse>, ApiError> {
    Ok(Json(state.join(req).await?))
}
