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
    let t0 = std::time::Instant::now();
    let joined = state.join(req).await;
    state.timings.join.record(t0.elapsed());
    Ok(Json(joined?))
}
