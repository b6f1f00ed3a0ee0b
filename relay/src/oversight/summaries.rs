//! The central view's room summaries: counts per status, warnings,
//! incidents and pending check-ins — computed from the cached rows, in one
//! pass over the check-ins for many rooms, and broadcast at most once a
//! second for the rooms that changed, so a province's central browser gets
//! a few hundred small numbers a second instead of every row.

use std::collections::HashSet;
use std::time::Duration;

use examgate_shared::proctoring::{RoomSummary, StatusCounts};

use crate::AppState;
use crate::model::RoomId;

/// How often changed summaries are sent.
pub const SUMMARY_INTERVAL: Duration = Duration::from_secs(1);

impl AppState {
    /// Summaries of `rooms` (unknown rooms are skipped), in room order.
    pub fn room_summaries(&self, rooms: &[RoomId]) -> Vec<RoomSummary> {
        let wanted: HashSet<RoomId> = rooms.iter().copied().collect();
        let facts = self.room_facts(|room| wanted.contains(&room));
        let pending = self.checkins.pending_by_room();
        facts
            .into_iter()
            .map(|facts| {
                let room_id = facts.room_id;
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
                    site_id: facts.site_id,
                    site: facts.site,
                    name: facts.name,
                    exam_title: facts.exam_title,
                    requires_card: facts.requires_card,
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
