//! The proctor's HTTP calls (`/api/proctor/*`), with the session token.
//! What they change comes back on the proctor feed too (rows, incidents,
//! messages), which is what redraws the tables; the replies only tell the
//! dialog how it went.

use examgate_shared::proctoring::{
    ActionResponse, CandidateDetail, Incident, SearchHit, SentMessage,
};

use super::dialog::Request;
use crate::http::{self, HttpError};

/// What the relay answered to a [`Request`].
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Action(ActionResponse),
    Incident(Incident),
    Messages(Vec<SentMessage>),
}

pub async fn send(request: &Request, token: &str) -> Result<Reply, HttpError> {
    let token = Some(token);
    Ok(match request {
        Request::Action(body) => {
            Reply::Action(http::post_json_auth("/api/proctor/actions", body, token).await?)
        }
        Request::Incident(body) => {
            Reply::Incident(http::post_json_auth("/api/proctor/incidents", body, token).await?)
        }
        Request::Message(body) => {
            Reply::Messages(http::post_json_auth("/api/proctor/messages", body, token).await?)
        }
    })
}

pub async fn candidate(id: u64, token: &str) -> Result<CandidateDetail, HttpError> {
    http::get_json(&format!("/api/proctor/candidates/{id}"), token).await
}

pub async fn search(query: &str, token: &str) -> Result<Vec<SearchHit>, HttpError> {
    let q = String::from(js_sys::encode_uri_component(query));
    http::get_json(&format!("/api/proctor/search?q={q}"), token).await
}
