//! `GET /api/trust`: what the relay trusts for chip check-in — every CSCA
//! with its origin (file or master list), key and validity, the CRLs with
//! their freshness, the master lists with their signers, and warnings (an
//! expired or soon-expiring CSCA, a stale CRL). For any signed-in staff
//! member: CSCA certificates are public, and whoever sets up a site must be
//! able to see why a whole country's cards would be refused.

use axum::Json;
use axum::extract::State;
use examgate_shared::chip::verify::TrustReport;

use super::auth::Staff;
use crate::AppState;

pub async fn report(State(state): State<AppState>, _staff: Staff) -> Json<TrustReport> {
    let now_secs = crate::clock::now_ms() / 1000;
    Json(state.config.trust.report(now_secs))
}
