//! The rooms as proctors see them.

use std::collections::BTreeSet;

use examgate_shared::roster::RoomView;

use crate::AppState;
use crate::model::RoomId;

impl AppState {
    /// Room tables for every room that `visible` admits, in room order.
    pub fn room_views(&self, visible: impl Fn(RoomId) -> bool) -> Vec<RoomView> {
        self.catalog
            .rooms
            .values()
            .filter(|room| visible(room.id))
            .map(|room| {
                let (checkins, checkin_counts) = self.room_checkins(room.id);
                let codes: Vec<_> = self
                    .catalog
                    .join_codes
                    .values()
                    .filter(|c| c.room_id == room.id)
                    .collect();
                RoomView {
                    room_id: room.id,
                    site: self.catalog.site_name(room).to_owned(),
                    name: room.name.clone(),
                    exam_title: self.exam_titles(room.id),
                    rows: self.live.rows_of(room.id),
                    requires_card: codes.iter().any(|c| c.requires_card),
                    join_code: codes.iter().map(|c| c.code.clone()).min(),
                    checkins,
                    checkin_counts,
                }
            })
            .collect()
    }

    /// The titles of the exams sat in `room`, joined.
    fn exam_titles(&self, room: RoomId) -> String {
        let titles: BTreeSet<String> = self
            .catalog
            .join_codes
            .values()
            .filter(|c| c.room_id == room)
            .filter_map(|c| self.catalog.exam_of(c.sitting_id))
            .map(|e| e.title.clone())
            .collect();
        titles.into_iter().collect::<Vec<_>>().join(" · ")
    }
}
