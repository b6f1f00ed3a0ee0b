//! `POST /api/login`: proctors and teachers sign in; `POST /api/logout`:
//! they sign out, and the session is revoked for good (also across a
//! relay restart). Both are in the audit trail.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::{LoginRequest, LoginResponse};

use super::ApiJson;
use super::auth::bearer;
use super::error::ApiError;
use crate::AppState;
use crate::attempts::internal;
use crate::auth::{SESSION_TTL_MS, Session, verify_password};
use crate::clock::now_ms;
use crate::store::writes;

pub async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let username = req.username.trim().to_owned();
    if let Err(wait_ms) = state.login_throttle.check(&username, now_ms()) {
        return Err(ApiError(ErrorBody::new(
            ErrorCode::TooManyAttempts,
            format!(
                "too many failed sign-ins; try again in {} s",
                wait_ms / 1000 + 1
            ),
        )));
    }
    let user = state
        .users
        .read()
        .expect("users lock")
        .get(&username)
        .cloned();
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let password = req.password;
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, stored.as_deref()))
        .await
        .unwrap_or(false);
    let now = now_ms();
    let actor = format!("user:{}", req.username.trim());
    let outcome = if ok { "login" } else { "login_failed" };
    let audit = state
        .store
        .write(move |txn| writes::audit(txn, now, &actor, outcome, ""));
    if let Err(e) = audit.await {
        tracing::error!("audit write failed: {e}");
    }
    let (true, Some(user)) = (ok, user) else {
        state.login_throttle.failed(&username, now);
        return Err(ApiError(ErrorBody::new(
            ErrorCode::BadCredentials,
            "wrong user name or password",
        )));
    };
    state.login_throttle.succeeded(&username);
    // The password was checked against the account as it was read before
    // hashing; the office may have disabled it or reset its password since.
    let user = match state.users.read().expect("users lock").get(&username) {
        Some(now) if now.password_hash == user.password_hash => now.clone(),
        _ => {
            return Err(ApiError(ErrorBody::new(
                ErrorCode::BadCredentials,
                "wrong user name or password",
            )));
        }
    };
    if user.disabled {
        return Err(ApiError(ErrorBody::new(
            ErrorCode::AccountDisabled,
            "this account is disabled; contact the exam office",
        )));
    }
    let session = Session {
        username: user.username.clone(),
        role: user.role,
        room_id: user.room_id,
        site_id: user.site_id,
        expires_at: now + SESSION_TTL_MS,
    };
    let token = state
        .sessions
        .create(&state.store, session)
        .await
        .map_err(internal)?;
    // Storing the session took a moment: if the office disabled the
    // account or reset its password meanwhile, its sessions were ended
    // before this one existed, so this one ends here.
    let unchanged = state
        .users
        .read()
        .expect("users lock")
        .get(&username)
        .is_some_and(|now| !now.disabled && now.password_hash == user.password_hash);
    if !unchanged {
        state
            .sessions
            .end(&state.store, &token, now_ms())
            .await
            .map_err(internal)?;
        return Err(ApiError(ErrorBody::new(
            ErrorCode::BadCredentials,
            "wrong user name or password",
        )));
    }
    Ok(Json(LoginResponse {
        token,
        role: user.role,
        display_name: user.display_name,
    }))
}

/// `POST /api/logout` with the session's bearer token: revokes it (204).
/// An unknown or already ended token is `unauthorized`, as anywhere else.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let ended = match bearer(&headers) {
        Some(token) => {
            // Signed in on another relay: read it in, then end it.
            let _ = state.session(token).await;
            state
                .sessions
                .end(&state.store, token, now_ms())
                .await
                .map_err(internal)?
        }
        None => None,
    };
    match ended {
        Some(_) => Ok(StatusCode::NO_CONTENT),
        None => Err(ApiError(ErrorBody::new(
            ErrorCode::Unauthorized,
            "unknown or expired session",
        ))),
    }
}
