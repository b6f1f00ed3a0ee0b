//! The dashboard reducer: snapshots, row, check-in, incident, message and
//! summary patches, the watch set, and sign-out.

use examgate_shared::error::ErrorBody;
use examgate_shared::proctoring::{IncidentCategory, StatusCounts};
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
        extra_ms: 0,
        remaining_ms: None,
        warnings: 0,
        last_warning: None,
    }
}

fn room(room_id: u64) -> RoomView {
    RoomView {
        room_id,
        site_id: 1,
        site: "THPT A".into(),
        name: format!("P.{room_id}"),
        exam_title: "Toán".into(),
        rows: vec![row(room_id * 100 + 1, RowStatus::NotStarted)],
        requires_card: true,
        join_code: Some("TOAN-P03".into()),
        checkins: Vec::new(),
        checkin_counts: Default::default(),
        incidents: Vec::new(),
        messages: Vec::new(),
    }
}

fn summary(room_id: u64, warnings: u32) -> RoomSummary {
    RoomSummary {
        room_id,
        site_id: 1,
        site: "THPT A".into(),
        name: format!("P.{room_id}"),
        exam_title: "Toán".into(),
        requires_card: false,
        counts: StatusCounts {
            working: 40,
            ..StatusCounts::default()
        },
        warnings,
        warned: warnings.min(1),
        incidents: 0,
        pending_checkins: 0,
    }
}

fn msg(msg: RelayToProctor) -> DashAction {
    SocketEvent::Message { msg, at: 1_000 }.into()
}

fn snapshot(rooms: &[u64], summaries: usize) -> RelayToProctor {
    RelayToProctor::Snapshot {
        echo: Some(990),
        relay_time: 5_000,
        rooms: rooms.iter().map(|&r| room(r)).collect(),
        summaries: (1..=summaries as u64).map(|r| summary(r, 0)).collect(),
    }
}

fn loaded() -> Rc<DashState> {
    Rc::new(DashState::new(0)).reduce(msg(snapshot(&[1], 1)))
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
            row: row(101, RowStatus::Working),
        }))
        .reduce(msg(RelayToProctor::Row {
            room_id: 1,
            row: row(102, RowStatus::Paused),
        }));
    let rows = &s.rooms[0].rows;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].status, RowStatus::Working);
    assert_eq!(s.row(102).map(|r| r.status), Some(RowStatus::Paused));
}

#[test]
fn row_patches_count_only_for_open_rooms() {
    // 500 rooms summarised, only room 1 open.
    let s = Rc::new(DashState::new(0)).reduce(msg(snapshot(&[1], 500)));
    assert_eq!(s.summaries.len(), 500);
    let s = s.reduce(msg(RelayToProctor::Row {
        room_id: 9,
        row: row(901, RowStatus::Working),
    }));
    assert_eq!(s.rooms.len(), 1, "a closed room's row opens nothing");
    assert_eq!(s.row(901), None);
    // Once room 9 is open (the relay's next snapshot has it), it counts.
    let s = s
        .reduce(DashAction::Open(9))
        .reduce(msg(snapshot(&[1, 9], 500)))
        .reduce(msg(RelayToProctor::Row {
            room_id: 9,
            row: row(901, RowStatus::Working),
        }));
    assert_eq!(s.row(901).map(|r| r.status), Some(RowStatus::Working));
}

#[test]
fn summary_patches_replace_only_the_rooms_they_name() {
    let s = Rc::new(DashState::new(0)).reduce(msg(snapshot(&[], 3)));
    let before = s.summaries.clone();
    let s = s.reduce(msg(RelayToProctor::Summaries {
        summaries: vec![summary(2, 4), summary(7, 1)],
    }));
    assert_eq!(s.summaries.len(), 4, "room 7 is new");
    assert_eq!(s.summaries[&2].warnings, 4);
    // Untouched rooms keep the very same value, so their lines are not
    // drawn again.
    assert!(Rc::ptr_eq(&before[&1], &s.summaries[&1]));
    assert!(Rc::ptr_eq(&before[&3], &s.summaries[&3]));
    assert!(!Rc::ptr_eq(&before[&2], &s.summaries[&2]));
    // A row patch leaves the summaries alone altogether.
    let s2 = s.clone().reduce(msg(RelayToProctor::Row {
        room_id: 1,
        row: row(101, RowStatus::Working),
    }));
    assert!(Rc::ptr_eq(&s.summaries, &s2.summaries));
}

#[test]
fn opening_and_hiding_rooms_sets_the_watch_and_survives_reconnects() {
    let live = |s: Rc<DashState>| s.reduce(SocketEvent::Link(Link::Live).into());
    let s = live(Rc::new(DashState::new(0)).reduce(msg(snapshot(&[], 500))));
    assert_eq!(s.connections, 1);
    assert_eq!(s.watch.chosen(), None, "the relay's default until a click");
    let s = s.reduce(DashAction::Open(42)).reduce(DashAction::Open(7));
    assert_eq!(s.watch.chosen(), Some(&[42, 7][..]));
    assert_eq!(s.focus, Some(7));
    let s = s
        .reduce(msg(snapshot(&[7, 42], 500)))
        .reduce(DashAction::Hide(42));
    assert_eq!(s.watch.chosen(), Some(&[7][..]));
    assert_eq!(
        s.shown(),
        vec![7],
        "hidden at once, before the relay answers"
    );
    // The connection drops and comes back: a new connection to announce
    // the same choice on.
    let s = s.reduce(SocketEvent::Link(Link::Retrying { at: 5_000 }).into());
    let s = live(s);
    assert_eq!(s.connections, 2);
    assert_eq!(s.watch.chosen(), Some(&[7][..]));
}

#[test]
fn incidents_and_messages_join_their_room_and_acknowledgements_replace() {
    let incident = Incident {
        id: 3,
        at: 900,
        room_id: 1,
        candidate_id: None,
        category: IncidentCategory::Technical,
        text: "Mất điện 5 phút".into(),
        by: "gt01".into(),
    };
    let message = |seen_by: Vec<u64>| SentMessage {
        id: 8,
        at: 950,
        room_id: 1,
        candidate_id: None,
        text: "Còn 15 phút".into(),
        by: "gt01".into(),
        seen_by,
    };
    let s = loaded()
        .reduce(msg(RelayToProctor::Incident {
            incident: incident.clone(),
        }))
        .reduce(msg(RelayToProctor::Message {
            message: message(vec![]),
        }))
        .reduce(msg(RelayToProctor::Message {
            message: message(vec![101]),
        }))
        .reduce(msg(RelayToProctor::Incident {
            incident: Incident {
                room_id: 2,
                ..incident
            },
        }));
    assert_eq!(s.rooms[0].incidents.len(), 1);
    assert_eq!(s.rooms[0].messages.len(), 1, "acknowledged, not added");
    assert_eq!(s.rooms[0].messages[0].seen_by, vec![101]);
}

#[test]
fn unauthorized_signs_out() {
    let s = loaded()
        .reduce(msg(RelayToProctor::Error {
            error: ErrorBody::new(ErrorCode::Unauthorized, "expired"),
        }))
        .reduce(SocketEvent::Link(Link::Stopped(Stop::Policy(None))).into());
    assert_eq!(s.signed_out, Some(ErrorCode::Unauthorized));
}
