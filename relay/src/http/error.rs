//! Refusals as HTTP responses: a status code and the JSON [`ErrorBody`].

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use examgate_shared::error::{ErrorBody, ErrorCode};

pub struct ApiError(pub ErrorBody);

impl From<ErrorBody> for ApiError {
    fn from(e: ErrorBody) -> Self {
        ApiError(e)
    }
}

pub fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode::*;
    match code {
        Malformed | InvalidName | InvalidAnswer | UnsupportedVersion | HelloExpected
        | OutOfOrder => StatusCode::BAD_REQUEST,
        TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        Unauthorized | BadCredentials => StatusCode::UNAUTHORIZED,
        Forbidden | ExamNotOpen => StatusCode::FORBIDDEN,
        UnknownCode | UnknownQuestion | UnknownOption => StatusCode::NOT_FOUND,
        ExamClosed | DeadlinePassed | AttemptClosed => StatusCode::GONE,
        AlreadyJoined | Replaced | AlreadyCheckedIn | Paused => StatusCode::CONFLICT,
        CheckinRequired | CheckinRejected | NotOnRoster => StatusCode::FORBIDDEN,
        ChallengeInvalid | SeatCodeInvalid => StatusCode::GONE,
        CardIncomplete | CardMalformed | CardUntrusted | CardAltered | CardNotGenuine
        | CardUnsupported => StatusCode::UNPROCESSABLE_ENTITY,
        CandidateNumberRequired | BirthMismatch | AccountDisabled => StatusCode::FORBIDDEN,
        NotFound => StatusCode::NOT_FOUND,
        Conflict => StatusCode::CONFLICT,
        Invalid | ImportRejected => StatusCode::UNPROCESSABLE_ENTITY,
        SetupInvalid => StatusCode::GONE,
        Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Overloaded => StatusCode::SERVICE_UNAVAILABLE,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (status_of(self.0.code), Json(self.0)).into_response()
    }
}
