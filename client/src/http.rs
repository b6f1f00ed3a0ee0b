//! JSON over HTTP to the relay's `/api/*` endpoints.
//!
//! Uses the browser's `fetch` directly (gloo-net is not compiled in). A
//! refusal comes back as the relay's [`ErrorBody`]; failing to reach the
//! relay at all is told apart, because on a school network it is the common
//! case and needs a different instruction.

use examgate_shared::error::{ErrorBody, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

use crate::i18n::Problem;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// The relay answered with a refusal.
    Relay(ErrorBody),
    /// No answer: offline, relay down, or the request was blocked.
    Network,
}

impl HttpError {
    pub fn problem(&self) -> Problem {
        match self {
            HttpError::Relay(body) => Problem::Code(body.code),
            HttpError::Network => Problem::Network,
        }
    }

    /// The relay's error code, if it answered.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            HttpError::Relay(body) => Some(body.code),
            HttpError::Network => None,
        }
    }
}

/// `POST`s `body` as JSON to `path` (same origin) and decodes the reply.
pub async fn post_json<T: Serialize, R: DeserializeOwned>(
    path: &str,
    body: &T,
) -> Result<R, HttpError> {
    let json = serde_json::to_string(body).unwrap_or_default();
    decode(path, send("POST", path, Some(&json), None).await)
}

/// Like [`post_json`], with `Authorization: Bearer` when `token` is given
/// (a proctor station, a proctor's decision).
pub async fn post_json_auth<T: Serialize, R: DeserializeOwned>(
    path: &str,
    body: &T,
    token: Option<&str>,
) -> Result<R, HttpError> {
    let json = serde_json::to_string(body).unwrap_or_default();
    decode(path, send("POST", path, Some(&json), token).await)
}

/// `POST`s nothing to `path` as a signed-in staff member, for endpoints
/// that answer with no body (`204`), such as signing out.
pub async fn post_auth(path: &str, token: &str) -> Result<(), HttpError> {
    accepted(path, send("POST", path, None, Some(token)).await).map(drop)
}

/// `GET`s `path` (same origin) as a signed-in staff member, `token` going in
/// the `Authorization: Bearer` header, and decodes the JSON reply.
pub async fn get_json<R: DeserializeOwned>(path: &str, token: &str) -> Result<R, HttpError> {
    decode(path, send("GET", path, None, Some(token)).await)
}

/// Turns the outcome of [`send`] into the decoded reply or the reason
/// there is none.
fn decode<R: DeserializeOwned>(
    path: &str,
    sent: Result<(u16, String), JsValue>,
) -> Result<R, HttpError> {
    let text = accepted(path, sent)?;
    serde_json::from_str(&text).map_err(|e| {
        HttpError::Relay(ErrorBody::new(
            ErrorCode::Internal,
            format!("unreadable reply from {path}: {e}"),
        ))
    })
}

/// The body of a `2xx` reply, or the relay's refusal, or no answer at all.
fn accepted(path: &str, sent: Result<(u16, String), JsValue>) -> Result<String, HttpError> {
    let (status, text) = sent.map_err(|e| {
        gloo::console::warn!(format!("examgate: request to {path} failed"), e);
        HttpError::Network
    })?;
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        // A proxy in front of the relay may answer with HTML; that is still
        // a server-side failure, not ours.
        Err(HttpError::Relay(
            serde_json::from_str(&text).unwrap_or_else(|_| {
                ErrorBody::new(ErrorCode::Internal, format!("HTTP {status} from {path}"))
            }),
        ))
    }
}

/// The fetch itself: status and body text, or the JavaScript error.
async fn send(
    method: &str,
    path: &str,
    json: Option<&str>,
    token: Option<&str>,
) -> Result<(u16, String), JsValue> {
    let headers = Headers::new()?;
    headers.set("Accept", "application/json")?;
    if json.is_some() {
        headers.set("Content-Type", "application/json")?;
    }
    if let Some(token) = token {
        headers.set("Authorization", &format!("Bearer {token}"))?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(&headers);
    if let Some(json) = json {
        init.set_body(&JsValue::from_str(json));
    }
    let request = Request::new_with_str_and_init(path, &init)?;
    let response: Response = JsFuture::from(gloo::utils::window().fetch_with_request(&request))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?).await?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}
