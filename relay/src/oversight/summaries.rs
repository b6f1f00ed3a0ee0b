//! The central view's room summaries: counts per status, warnings,
//! incidents and pending check-ins — computed from the cached rows, in one
//! pass over the check-ins for many rooms, and broadcast at most once a
//! second for the rooms that changed, so a province's central browser gets
//! a few hundred small numbers a second instead of every row.

use std::time::Duration;

use examgate_shared::proctoring::{RoomSummary, StatusCounts};

use crate::AppState;
use crate::model::RoomId;

/// How often changed summaries are sent.
pub const SUMMARY_INTERVAL: Duration = Duration::from_secs(1);

impl AppState {
    /// Summaries of `rooms` (unknown rooms are skipped), in the given order.
    pub fn room_summaries(&self, rooms: &[RoomId]) -> Vec<RoomSummary> {
        let facts: Vec<(RoomId, u64, String, String, bool)> = {
            let plan = self.catalog.plan();
            rooms
                .iter()
                .filter_map(|id| plan.rooms.get(id))
                .map(|room| {
                    let requires_card = plan
                        .join_codes
                        .values()
                        .any(|c| c.room_id == room.id && c.requires_card);
                    (
                        room.id,
                        room.site_id,
                        plan.site_name(room).to_owned(),
                        room.name.clone(),
                        requires_card,
                    )
                })
                .collect()
        };
        let pending = self.checkins.pending_by_room();
        facts
            .into_iter()
            .map(|(room_id, site_id, site, name, requires_card)| {
                let (counts, warnings, warned) = self.live.with_rows(room_id, |rows| {
                    let mut counts = StatusCounts::default();
                    let (mut warnings, mut warned) = (0, 0);
                    for row in rows {
                        counts.add(row.status);
                        warnings += row.warnings;
                        warned += u32::from(row.warnings > 0);
                    }
                    (counts, warnings, warned)
                });
                RoomSummary {
                    room_id,
                    site_id,
                    site,
                    name,
                    exam_title: self.exam_titles(room_id),
                    requires_card,
                    counts,
                    warnings,
                    warned,
                    incidents: self.oversight.incident_count(room_id),
                    pending_checkins: pending.get(&room_id).copied().unwrap_or(0),
                }
            })
            .collect()
    }
}

/// Runs forever: every [`SUMMARY_INTERVAL`], sends the summaries of the
/// rooms that changed since the last round.
pub async fn run_summaries(state: AppState) {
    let mut tick = tokio::time::interval(SUMMARY_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let rooms = state.oversight.take_dirty();
        if !rooms.is_empty() {
            let summaries = state.room_summaries(&rooms);
            state.live.send_summaries(summaries);
        }
    }
}
