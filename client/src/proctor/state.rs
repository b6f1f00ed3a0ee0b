//! The dashboard's state: the rooms as last told, patched row by row.
//!
//! A snapshot replaces everything; a row patch replaces the row with the
//! same candidate in that room, or appends it. Rooms are kept behind `Rc`,
//! so a patch copies only the room it touches and the other tables are not
//! redrawn.

use std::rc::Rc;

use examgate_shared::Millis;
use examgate_shared::checkin::{CheckinStatus, CheckinView};
use examgate_shared::clock::ClockSync;
use examgate_shared::error::ErrorCode;
use examgate_shared::protocol::RelayToProctor;
use examgate_shared::roster::{CandidateRow, RoomView};
use yew::Reducible;

use crate::socket::{Link, Refusal, SocketEvent, Stop};

#[derive(Debug, Clone, PartialEq)]
pub struct DashState {
    pub rooms: Vec<Rc<RoomView>>,
    /// A snapshot has arrived at least once.
    pub loaded: bool,
    pub clock: ClockSync,
    pub link: Link,
    /// Local time of the last tick or message.
    pub now: Millis,
    /// The relay refused the token: back to the login screen.
    pub signed_out: Option<ErrorCode>,
    /// Refused for good for another reason.
    pub fatal: Option<ErrorCode>,
    last_error: Option<ErrorCode>,
}

pub enum DashAction {
    Socket(SocketEvent<RelayToProctor>),
    Tick(Millis),
}

impl From<SocketEvent<RelayToProctor>> for DashAction {
    fn from(event: SocketEvent<RelayToProctor>) -> Self {
        DashAction::Socket(event)
    }
}

impl DashState {
    pub fn new(now: Millis) -> Self {
        DashState {
            rooms: Vec::new(),
            loaded: false,
            clock: ClockSync::default(),
            link: Link::Connecting,
            now,
            signed_out: None,
            fatal: None,
            last_error: None,
        }
    }

    /// The relay's time now, by the synced clock.
    pub fn relay_now(&self) -> Millis {
        self.clock.relay_now(self.now)
    }

    fn patch(&mut self, room_id: u64, row: CandidateRow) {
        let Some(room) = self.rooms.iter_mut().find(|r| r.room_id == room_id) else {
            // Not a room this proctor was shown; the relay resends a
            // snapshot when views drift, so ignoring is safe.
            return;
        };
        let rows = &mut Rc::make_mut(room).rows;
        match rows.iter_mut().find(|r| r.candidate_id == row.candidate_id) {
            Some(existing) => *existing = row,
            None => rows.push(row),
        }
    }

    fn patch_checkin(&mut self, view: CheckinView) {
        let Some(room) = self.rooms.iter_mut().find(|r| r.room_id == view.room_id) else {
            return;
        };
        let room = Rc::make_mut(room);
        match room
            .checkins
            .iter_mut()
            .find(|c| c.checkin_id == view.checkin_id)
        {
            Some(existing) => *existing = view,
            None => room.checkins.push(view),
        }
        let count =
            |s: CheckinStatus| room.checkins.iter().filter(|c| c.status == s).count() as u32;
        room.checkin_counts.awaiting = count(CheckinStatus::AwaitingProctor);
        room.checkin_counts.confirmed = count(CheckinStatus::Confirmed);
    }

    fn on_relay(&mut self, msg: RelayToProctor, at: Millis) {
        self.now = at;
        match msg {
            RelayToProctor::Snapshot {
                echo,
                relay_time,
                rooms,
            } => {
                if let Some(echo) = echo {
                    // The answer to this connection's hello: re-measure.
                    self.clock.reset();
                    self.clock.observe(echo, relay_time, at);
                }
                self.rooms = rooms.into_iter().map(Rc::new).collect();
                self.loaded = true;
                self.last_error = None;
            }
            RelayToProctor::Row { room_id, row } => self.patch(room_id, row),
            RelayToProctor::Checkin { checkin } => self.patch_checkin(checkin),
            RelayToProctor::Pong { echo, relay_time } => {
                self.clock.observe(echo, relay_time, at);
            }
            RelayToProctor::Error { error } => self.last_error = Some(error.code),
        }
    }

    fn on_link(&mut self, link: Link) {
        self.link = link;
        if let Link::Stopped(Stop::Policy(reason)) = link {
            match Refusal::new(self.last_error.or(reason)) {
                Refusal::SignedOut(code) => self.signed_out = Some(code),
                Refusal::Fatal(code) => self.fatal = Some(code),
            }
        }
    }
}

impl Reducible for DashState {
    type Action = DashAction;

    fn reduce(self: Rc<Self>, action: DashAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            DashAction::Socket(SocketEvent::Message { msg, at }) => s.on_relay(msg, at),
            DashAction::Socket(SocketEvent::Link(link)) => s.on_link(link),
            DashAction::Tick(now) => s.now = now,
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use examgate_shared::error::ErrorBody;
    use examgate_shared::roster::RowStatus;

    use super::*;

    fn row(id: u64, status: RowStatus) -> CandidateRow {
        CandidateRow {
            candidate_id: id,
            candidate_number: None,
            name: format!("c{id}"),
            status,
            answered: 0,
            total: 10,
            deadline_ms: None,
            last_activity_ms: None,
            mark: None,
        }
    }

    fn msg(msg: RelayToProctor) -> DashAction {
        DashAction::Socket(SocketEvent::Message { msg, at: 1_000 })
    }

    fn loaded() -> Rc<DashState> {
        Rc::new(DashState::new(0)).reduce(msg(RelayToProctor::Snapshot {
            echo: Some(990),
            relay_time: 5_000,
            rooms: vec![RoomView {
                room_id: 1,
                site: "THPT A".into(),
                name: "P.12".into(),
                exam_title: "Toán".into(),
                rows: vec![row(1, RowStatus::NotStarted)],
                requires_card: true,
                join_code: Some("TOAN-P03".into()),
                checkins: Vec::new(),
                checkin_counts: Default::default(),
            }],
        }))
    }

    fn checkin(id: u64, room_id: u64, status: CheckinStatus) -> RelayToProctor {
        RelayToProctor::Checkin {
            checkin: CheckinView {
                checkin_id: id,
                room_id,
                status,
                roster_name: "Lê Văn Nam".into(),
                roster_birth: "2009-03-02".into(),
                chip_name: "Lê Văn Nam".into(),
                chip_birth: "2009-03-02".into(),
                person_id: "001209012345".into(),
                photo_url: format!("/api/checkins/{id}/photo"),
                at: 900,
                reseat: false,
            },
        }
    }

    #[test]
    fn checkins_arrive_are_decided_and_counted() {
        let s = loaded()
            .reduce(msg(checkin(7, 1, CheckinStatus::AwaitingProctor)))
            .reduce(msg(checkin(8, 1, CheckinStatus::AwaitingProctor)));
        assert_eq!(s.rooms[0].checkins.len(), 2);
        assert_eq!(s.rooms[0].checkin_counts.awaiting, 2);
        let s = s.reduce(msg(checkin(7, 1, CheckinStatus::Confirmed)));
        assert_eq!(s.rooms[0].checkins.len(), 2, "replaced, not added");
        assert_eq!(s.rooms[0].checkin_counts.awaiting, 1);
        assert_eq!(s.rooms[0].checkin_counts.confirmed, 1);
        // Another room's check-in is not this proctor's business.
        let s = s.reduce(msg(checkin(9, 2, CheckinStatus::AwaitingProctor)));
        assert_eq!(s.rooms.len(), 1);
        assert_eq!(s.rooms[0].checkins.len(), 2);
    }

    #[test]
    fn snapshot_syncs_the_clock() {
        let s = loaded();
        assert!(s.loaded);
        assert_eq!(s.relay_now(), 5_005);
    }

    #[test]
    fn row_patches_replace_or_append() {
        let s = loaded()
            .reduce(msg(RelayToProctor::Row {
                room_id: 1,
                row: row(1, RowStatus::Working),
            }))
            .reduce(msg(RelayToProctor::Row {
                room_id: 1,
                row: row(2, RowStatus::Working),
            }))
            .reduce(msg(RelayToProctor::Row {
                room_id: 9,
                row: row(3, RowStatus::Working),
            }));
        let rows = &s.rooms[0].rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].status, RowStatus::Working);
    }

    #[test]
    fn unauthorized_signs_out() {
        let s = loaded()
            .reduce(msg(RelayToProctor::Error {
                error: ErrorBody::new(ErrorCode::Unauthorized, "expired"),
            }))
            .reduce(DashAction::Socket(SocketEvent::Link(Link::Stopped(
                Stop::Policy(None),
            ))));
        assert_eq!(s.signed_out, Some(ErrorCode::Unauthorized));
    }
}
