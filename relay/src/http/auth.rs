//! Who is calling: the session behind `Authorization: Bearer <token>`, and
//! the role checks every staff endpoint makes on the relay (never trusting
//! what the page shows or hides).

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::protocol::Role;

use super::error::ApiError;
use crate::AppState;
use crate::auth::Session;

/// The token of `Authorization: Bearer <token>`, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// A signed-in staff member.
pub struct Staff(pub Session);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(&parts.headers).ok_or_else(|| {
            ApiError(ErrorBody::new(
                ErrorCode::Unauthorized,
                "sign in first (Bearer token)",
            ))
        })?;
        state.session(token).await.map(Staff).ok_or_else(|| {
            ApiError(ErrorBody::new(
                ErrorCode::Unauthorized,
                "unknown or expired session; sign in again",
            ))
        })
    }
}

impl Staff {
    /// Refuses a session scoped to one site: what `what` changes is the
    /// whole exam's.
    pub fn require_whole_exam(&self, what: &str) -> Result<(), ApiError> {
        match self.0.site_id {
            None => Ok(()),
            Some(_) => Err(ApiError(ErrorBody::new(
                ErrorCode::Forbidden,
                format!("a site's staff may not {what}: it is the whole exam's"),
            ))),
        }
    }

    /// Refuses unless the session has one of `roles`.
    pub fn require(&self, roles: &[Role], what: &str) -> Result<(), ApiError> {
        if roles.contains(&self.0.role) {
            Ok(())
        } else {
            Err(ApiError(ErrorBody::new(
                ErrorCode::Forbidden,
                format!("{:?} may not {what}", self.0.role),
            )))
        }
    }
}
