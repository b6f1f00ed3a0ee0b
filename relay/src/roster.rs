//! The rooms as proctors see them.
//!
//! A province has hundreds of rooms and the central view asks about all of
//! them (its snapshot, and the summaries every second), so the facts of
//! many rooms are read in one pass over the plan — never one scan of every
//! join code, roster entry or check-in per room.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use examgate_shared::exam::Exam;
use examgate_shared::roster::RoomView;

use crate::AppState;
use crate::model::{JoinCode, RoomId, SittingId};

/// What the plan says of a room, for its table and its summary.
pub(crate) struct RoomFacts {
    pub room_id: RoomId,
    pub site_id: u64,
    pub site: String,
    pub name: String,
    /// Some shift admits candidates to it by chip-ID check-in only.
    pub requires_card: bool,
    /// The code students type (the first, when several shifts use it).
    pub join_code: Option<String>,
    /// The titles of the exams sat in the room, joined.
    pub exam_title: String,
}

/// A room's facts before its exam titles are looked up.
struct Gathered {
    facts: RoomFacts,
    sittings: BTreeSet<SittingId>,
}

impl AppState {
    /// The facts of the rooms `wanted` admits, in room order: one pass over
    /// the join codes under the plan's lock, exam titles after it (once per
    /// sitting) — `wanted` runs with the lock released, since it may read
    /// the plan itself (a second read while a writer waits would deadlock).
    pub(crate) fn room_facts(&self, wanted: impl Fn(RoomId) -> bool) -> Vec<RoomFacts> {
        let mut gathered: Vec<Gathered> = {
            let plan = self.catalog.plan();
            let mut codes: HashMap<RoomId, Vec<&JoinCode>> = HashMap::new();
            for code in plan.join_codes.values() {
                codes.entry(code.room_id).or_default().push(code);
            }
            plan.rooms
                .values()
                .map(|room| {
                    let codes = codes.get(&room.id).map_or(&[][..], Vec::as_slice);
                    Gathered {
                        facts: RoomFacts {
                            room_id: room.id,
                            site_id: room.site_id,
                            site: plan.site_name(room).to_owned(),
                            name: room.name.clone(),
                            requires_card: codes.iter().any(|c| c.requires_card),
                            join_code: codes.iter().map(|c| c.code.clone()).min(),
                            exam_title: String::new(),
                        },
                        sittings: codes.iter().map(|c| c.sitting_id).collect(),
                    }
                })
                .collect()
        };
        gathered.retain(|g| wanted(g.facts.room_id));
        let mut exams: HashMap<SittingId, Option<Arc<Exam>>> = HashMap::new();
        gathered
            .into_iter()
            .map(|gathered| {
                let Gathered {
                    mut facts,
                    sittings,
                } = gathered;
                let titles: BTreeSet<String> = sittings
                    .iter()
                    .filter_map(|s| {
                        exams
                            .entry(*s)
                            .or_insert_with(|| self.catalog.exam_of(*s))
                            .as_ref()
                            .map(|e| e.title.clone())
                    })
                    .collect();
                facts.exam_title = titles.into_iter().collect::<Vec<_>>().join(" · ");
                facts
            })
            .collect()
    }

    /// Room tables for every room that `visible` admits, in room order.
    pub fn room_views(&self, visible: impl Fn(RoomId) -> bool) -> Vec<RoomView> {
        let rooms = self.room_facts(visible);
        let ids: Vec<RoomId> = rooms.iter().map(|r| r.room_id).collect();
        let mut checkins = self.rooms_checkins(&ids);
        rooms
            .into_iter()
            .map(|facts| {
                let room_id = facts.room_id;
                let (checkins, checkin_counts) = checkins.remove(&room_id).unwrap_or_default();
                RoomView {
                    room_id,
                    site_id: facts.site_id,
                    site: facts.site,
                    name: facts.name,
                    exam_title: facts.exam_title,
                    rows: self.live.rows_of(room_id),
                    requires_card: facts.requires_card,
                    join_code: facts.join_code,
                    checkins,
                    checkin_counts,
                    incidents: self.oversight.incidents_of(room_id),
                    messages: self.oversight.messages_of(room_id),
                }
            })
            .collect()
    }
}
