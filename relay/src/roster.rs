//! The rooms as proctors see them.

use std::collections::BTreeSet;

use examgate_shared::roster::RoomView;

use crate::AppState;
use crate::model::RoomId;

impl AppState {
    /// Room tables for every room that `visible` admits, in room order.
    pub fn room_views(&self, visible: impl Fn(RoomId) -> bool) -> Vec<RoomView> {
        // Room facts first, under the plan's lock; `visible`, check-ins and
        // rows after it is released (`visible` may read the plan itself: a
        // second read while a writer waits would deadlock).
        let rooms: Vec<(RoomId, u64, String, String, bool, Option<String>)> = {
            let plan = self.catalog.plan();
            plan.rooms
                .values()
                .map(|room| {
                    let codes: Vec<_> = plan
                        .join_codes
                        .values()
                        .filter(|c| c.room_id == room.id)
                        .collect();
                    (
                        room.id,
                        room.site_id,
                        plan.site_name(room).to_owned(),
                        room.name.clone(),
                        codes.iter().any(|c| c.requires_card),
                        codes.iter().map(|c| c.code.clone()).min(),
                    )
                })
                .collect()
        };
        rooms
            .into_iter()
            .filter(|room| visible(room.0))
            .map(|(room_id, site_id, site, name, requires_card, join_code)| {
                let (checkins, checkin_counts) = self.room_checkins(room_id);
                RoomView {
                    room_id,
                    site_id,
                    site,
                    name,
                    exam_title: self.exam_titles(room_id),
                    rows: self.live.rows_of(room_id),
                    requires_card,
                    join_code,
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
