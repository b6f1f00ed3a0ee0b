//! The check-in endpoints: challenge, card files, the reader's poll, and the
//! proctor's photo, decision and seat release. The rules are in
//! [`crate::checkin`]; this is only the HTTP shape.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use examgate_shared::checkin::{
    ChallengeRequest, ChallengeResponse, CheckinAccepted, CheckinPoll, CheckinRequest, CheckinView,
    Decision,
};
use examgate_shared::error::{ErrorBody, ErrorCode};

use super::ApiJson;
use super::auth::{Staff, bearer};
use super::error::ApiError;
use crate::AppState;

pub async fn challenge(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<ChallengeRequest>,
) -> Result<Json<ChallengeResponse>, ApiError> {
    Ok(Json(
        state
            .issue_challenge(&req.code, req.dg14.as_deref())
            .await?,
    ))
}

/// A student's computer posts without a token; a proctor station posts with
/// the proctor's session (and `station: true`).
pub async fn check_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CheckinRequest>,
) -> Result<Json<CheckinAccepted>, ApiError> {
    let station = match bearer(&headers) {
        Some(token) => state.session(token).await,
        None => None,
    };
    Ok(Json(state.check_in(req, station).await?))
}

pub async fn poll(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> Result<Json<CheckinPoll>, ApiError> {
    let token = bearer(&headers).ok_or_else(|| {
        ApiError(ErrorBody::new(
            ErrorCode::Unauthorized,
            "the poll token is missing",
        ))
    })?;
    Ok(Json(state.poll_checkin(id, token).await?))
}

pub async fn photo(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<u64>,
) -> Result<Response, ApiError> {
    let (mime, bytes) = state.checkin_photo(id, &staff.0).await?;
    // Personal data: never cached by the browser or anything between.
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}

pub async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<u64>,
    ApiJson(decision): ApiJson<Decision>,
) -> Result<Json<CheckinView>, ApiError> {
    Ok(Json(state.decide_checkin(id, &staff.0, decision).await?))
}

pub async fn release(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<u64>,
) -> Result<Json<CheckinView>, ApiError> {
    Ok(Json(state.release_checkin(id, &staff.0).await?))
}
