//! `GET /api/metrics`: what an operator watches during an exam — open
//! connections against the limit, students online, and the database
//! writer's group commits (batches, sizes, commit time). Counts only, no
//! personal data; answered to loopback peers only (a monitoring agent on
//! the relay's machine), 403 to anyone else — and to anything that came
//! through a reverse proxy on the same machine (it says so with
//! `X-Forwarded-For` or `Forwarded`), which would otherwise look local.

use axum::Extension;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use examgate_shared::error::{ErrorBody, ErrorCode};
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use crate::AppState;
use crate::listen::Peer;
use crate::store::writer::WriterSnapshot;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Metrics {
    pub connections_open: usize,
    pub connections_limit: usize,
    /// Connections answered with 503 `overloaded` since start.
    pub connections_refused: usize,
    pub students_online: usize,
    pub attempts: usize,
    pub writer: WriterSnapshot,
    /// The relay's own latencies (events: arrival → reply).
    pub timings: crate::timings::TimingsSnapshot,
}

pub async fn metrics(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<Peer>>>,
    headers: axum::http::HeaderMap,
) -> Result<Json<Metrics>, ApiError> {
    // Without connection info (the router driven in-process by tests) the
    // caller is this process.
    let proxied = headers.contains_key("x-forwarded-for") || headers.contains_key("forwarded");
    if proxied || peer.is_some_and(|p| !p.0.0.0.ip().is_loopback()) {
        return Err(ErrorBody::new(
            ErrorCode::Forbidden,
            "metrics are served to the relay's own machine only",
        )
        .into());
    }
    Ok(Json(Metrics {
        connections_open: state.gate.open(),
        connections_limit: state.gate.limit(),
        connections_refused: state.gate.refused(),
        students_online: state.live.students_online(),
        attempts: state.people().attempts.len(),
        writer: state.store.stats(),
        timings: state.timings.snapshot(),
    }))
}
