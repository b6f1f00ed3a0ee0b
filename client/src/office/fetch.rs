//! The office's requests that [`crate::http`] does not make: a body that
//! is not JSON we serialised (a roster file's bytes, a paper file's text),
//! an answer read whatever its status (a refused roster commit is a `422`
//! with its report), and a file fetched with the token and offered as a
//! download (a plain link could not send the `Authorization` header).

use examgate_shared::error::{ErrorBody, ErrorCode};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Headers, Request, RequestInit, Response};

use crate::http::HttpError;

/// The fetch: status and text of the answer, or why there is none.
pub async fn send(
    method: &str,
    path: &str,
    body: Option<(JsValue, &str)>,
    token: &str,
) -> Result<(u16, String), HttpError> {
    let response = fetch(method, path, body, token)
        .await
        .map_err(|e| network(path, e))?;
    let text = response_text(&response)
        .await
        .map_err(|e| network(path, e))?;
    Ok((response.status(), text))
}

async fn fetch(
    method: &str,
    path: &str,
    body: Option<(JsValue, &str)>,
    token: &str,
) -> Result<Response, JsValue> {
    let headers = Headers::new()?;
    headers.set("Accept", "application/json")?;
    headers.set("Authorization", &format!("Bearer {token}"))?;
    let init = RequestInit::new();
    init.set_method(method);
    if let Some((body, content_type)) = body {
        headers.set("Content-Type", content_type)?;
        init.set_body(&body);
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(path, &init)?;
    JsFuture::from(gloo::utils::window().fetch_with_request(&request))
        .await?
        .dyn_into()
}

/// Downloads `path` and offers it under the relay's file name.
pub async fn fetch_file(path: &str, token: &str, fallback: String) -> Result<String, HttpError> {
    let response = fetch("GET", path, None, token)
        .await
        .map_err(|e| network(path, e))?;
    if !response.ok() {
        let text = response_text(&response).await.unwrap_or_default();
        return Err(relay_error(response.status(), &text));
    }
    let name = response
        .headers()
        .get("Content-Disposition")
        .ok()
        .flatten()
        .and_then(|h| file_name(&h))
        .unwrap_or(fallback);
    let blob = response_blob(&response)
        .await
        .map_err(|e| network(path, e))?;
    crate::results::api::offer_blob(&name, &blob);
    Ok(name)
}

async fn response_text(response: &Response) -> Result<String, JsValue> {
    let text = JsFuture::from(response.text()?).await?;
    Ok(text.as_string().unwrap_or_default())
}

async fn response_blob(response: &Response) -> Result<Blob, JsValue> {
    JsFuture::from(response.blob()?).await?.dyn_into()
}

fn network(path: &str, e: JsValue) -> HttpError {
    gloo::console::warn!(format!("examgate: request to {path} failed"), e);
    HttpError::Network
}

/// A 2xx answer decoded, anything else as the relay's refusal.
pub fn decode<R: DeserializeOwned>(status: u16, text: &str) -> Result<R, HttpError> {
    if (200..300).contains(&status) {
        serde_json::from_str(text).map_err(|e| {
            HttpError::Relay(ErrorBody::new(
                ErrorCode::Internal,
                format!("unreadable reply: {e}"),
            ))
        })
    } else {
        Err(relay_error(status, text))
    }
}

/// The relay's error body, or a stand-in when a proxy answered instead.
pub fn relay_error(status: u16, text: &str) -> HttpError {
    HttpError::Relay(
        serde_json::from_str(text)
            .unwrap_or_else(|_| ErrorBody::new(ErrorCode::Internal, format!("HTTP {status}"))),
    )
}

/// The file name of a `Content-Disposition: attachment; filename="…"`.
pub fn file_name(header: &str) -> Option<String> {
    let (_, rest) = header.split_once("filename=")?;
    let name = rest.split(';').next()?.trim().trim_matches('"').trim();
    // A name is a name, never a path.
    let name = name.rsplit(['/', '\\']).next()?;
    (!name.is_empty()).then(|| name.to_owned())
}

/// A user name as one path segment: anything but letters, digits and
/// `-._~` percent-encoded.
pub fn encode_segment(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_come_from_the_header() {
        assert_eq!(
            file_name("attachment; filename=\"ket-qua.xlsx\"").as_deref(),
            Some("ket-qua.xlsx")
        );
        assert_eq!(
            file_name("attachment; filename=ho-so.zip; size=3").as_deref(),
            Some("ho-so.zip")
        );
        assert_eq!(
            file_name("attachment; filename=\"../../x.zip\"").as_deref(),
            Some("x.zip")
        );
        assert_eq!(file_name("attachment"), None);
        assert_eq!(file_name("attachment; filename=\"\""), None);
    }

    #[test]
    fn user_names_are_one_segment() {
        assert_eq!(encode_segment("gt.01"), "gt.01");
        assert_eq!(encode_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_segment("hoà"), "ho%C3%A0");
    }

    #[test]
    fn refusals_keep_the_relays_message() {
        let e = relay_error(409, r#"{"code":"conflict","message":"room P.01 exists"}"#);
        let failure = super::super::state::Failure::from_http(&e);
        assert_eq!(
            failure.problem,
            crate::i18n::Problem::Code(ErrorCode::Conflict)
        );
        assert_eq!(
            failure.detail,
            super::super::state::Detail::Relay("room P.01 exists".into())
        );
        let e = relay_error(502, "<html>Bad gateway</html>");
        assert_eq!(e.code(), Some(ErrorCode::Internal));
    }
}
