//! The rooms as proctors see them.

use std::collections::BTreeSet;

use examgate_shared::roster::RoomView;

use crate::AppState;
use crate::model::{Room, RoomId};
use crate::state::Plan;

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
}

impl RoomFacts {
    /// Read under the plan's lock the caller holds.
    pub(crate) fn of(plan: &Plan, room: &Room) -> RoomFacts {
        let codes: Vec<_> = plan
            .join_codes
            .values()
            .filter(|c| c.room_id == room.id)
            .collect();
        RoomFacts {
            room_id: room.id,
            site_id: room.site_id,
            site: plan.site_name(room).to_owned(),
            name: room.name.clone(),
            requires_card: codes.iter().any(|c| c.requires_card),
            join_code: codes.iter().map(|c| c.code.clone()).min(),
        }
    }
}

impl AppState {
    /// Room tables for every room that `visible` admits, in room order.
    pub fn room_views(&self, visible: impl Fn(RoomId) -> bool) -> Vec<RoomView> {
        // Room facts first, under the plan's lock; `visible`, check-ins and
        // rows after it is released (`visible` may read the plan itself: a
        // second read while a writer waits would deadlock).
        let rooms: Vec<RoomFacts> = {
            let plan = self.catalog.plan();
            plan.rooms
                .values()
                .map(|room| RoomFacts::of(&plan, room))
                .collect()
        };
        rooms
            .into_iter()
            .filter(|room| visible(room.room_id))
            .map(|facts| {
                let room_id = facts.room_id;
                let (checkins, checkin_counts) = self.room_checkins(room_id);
                RoomView {
                    room_id,
                    site_id: facts.site_id,
                    site: facts.site,
                    name: facts.name,
                    exam_title: self.exam_titles(room_id),
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

    /// The titles of the exams sat in `room`, joined.
    pub(crate) fn exam_titles(&self, room: RoomId) -> String {
        let sittings: BTreeSet<u64> = self
            .catalog
            .plan()
            .join_codes
            .values()
            .filter(|c| c.room_id == room)
            .map(|c| c.sitting_id)
            .collect();
        let titles: BTreeSet<String> = sittings
            .into_iter()
            .filter_map(|s| self.catalog.exam_of(s))
            .map(|e| e.title.clone())
            .collect();
        titles.into_iter().collect::<Vec<_>>().join(" · ")
    }
}
