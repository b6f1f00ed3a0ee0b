//! `GET /api/audit/head`: the audit chain's head (entries, last id, hash,
//! time) for any signed-in staff member. The results page and the room
//! minutes print it; whoever keeps the paper can later tell, with `audit
//! verify`, whether the record was changed since.

use axum::Json;
use axum::extract::State;
use examgate_shared::audit_chain::ChainHead;

use super::auth::Staff;
use super::error::ApiError;
use crate::AppState;
use crate::attempts::internal;

pub async fn head(
    State(state): State<AppState>,
    _staff: Staff,
) -> Result<Json<ChainHead>, ApiError> {
    let head = state
        .store
        .read(crate::audit::read_head)
        .await
        .map_err(internal)?;
    Ok(Json(head))
}
