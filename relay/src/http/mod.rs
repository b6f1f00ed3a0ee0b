//! The HTTP API: joining an exam, signing in, and the staff endpoints
//! (corrections, results, the exam office). Everything live happens on the WebSockets in
//! [`crate::ws`].

pub mod audit;
pub mod auth;
pub mod bank;
pub mod checkin;
pub mod error;
pub mod exams;
pub mod join;
pub mod login;
pub mod metrics;
pub mod office;
pub mod proctor;
pub mod results;
pub mod trust;

use axum::Json;
use axum::extract::FromRequest;
use axum::extract::rejection::JsonRejection;
use examgate_shared::error::{ErrorBody, ErrorCode};

use error::ApiError;

/// Largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// `Json<T>` whose rejections are our [`ErrorBody`] instead of plain text.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => {
                let code = if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ErrorCode::TooLarge
                } else {
                    ErrorCode::Malformed
                };
                Err(ApiError(ErrorBody::new(code, rejection.body_text())))
            }
        }
    }
}
