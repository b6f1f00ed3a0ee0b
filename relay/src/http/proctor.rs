//! `/api/proctor/*`: proctors' actions, incidents, messages, search and a
//! candidate's timeline. The rules (who may do what, to whom) live in
//! [`crate::oversight`]; this file only moves JSON.

use axum::Json;
use axum::extract::{Path, Query, State};
use examgate_shared::proctoring::{
    ActionRequest, ActionResponse, CandidateDetail, Incident, IncidentRequest, MessageRequest,
    SearchHit, SentMessage,
};
use serde::Deserialize;

use super::ApiJson;
use super::auth::Staff;
use super::error::ApiError;
use crate::AppState;

pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(req): ApiJson<ActionRequest>,
) -> Result<Json<ActionResponse>, ApiError> {
    Ok(Json(state.act(&staff.0, req).await?))
}

pub async fn incident(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(req): ApiJson<IncidentRequest>,
) -> Result<Json<Incident>, ApiError> {
    Ok(Json(state.record_incident(&staff.0, req).await?))
}

pub async fn message(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(req): ApiJson<MessageRequest>,
) -> Result<Json<Vec<SentMessage>>, ApiError> {
    Ok(Json(state.send_message(&staff.0, req).await?))
}

pub async fn candidate(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<u64>,
) -> Result<Json<CandidateDetail>, ApiError> {
    Ok(Json(state.candidate_timeline(&staff.0, id).await?))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn search(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<SearchQuery>,
) -> Result<Json<Vec<SearchHit>>, ApiError> {
    Ok(Json(state.search_candidates(&staff.0, &query.q)))
}
