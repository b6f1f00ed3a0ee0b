//! The dashboard's state: every room as a summary, the open rooms as tables
//! patched row by row, and which rooms the page wants open.
//!
//! A snapshot replaces everything; a row patch replaces the row with the
//! same candidate in that room, or appends it, and is dropped for a room
//! that is not open (the relay stops sending them once it has the new
//! watch set). Rooms and summaries are kept behind `Rc`, so a patch copies
//! only what it touches and the other tables and summary lines are not
//! redrawn.

use std::collections::BTreeMap;
use std::rc::Rc;

use examgate_shared::Millis;
use examgate_shared::checkin::{CheckinStatus, CheckinView};
use examgate_shared::clock::ClockSync;
use examgate_shared::error::ErrorCode;
use examgate_shared::proctoring::{Incident, RoomSummary, SentMessage};
use examgate_shared::protocol::RelayToProctor;
use examgate_shared::roster::{CandidateRow, RoomView};
use yew::Reducible;

use super::watch::WatchSet;
use crate::socket::{Link, Refusal, SocketEvent, Stop};

/// Every room the session may watch, by room id.
pub type Summaries = BTreeMap<u64, Rc<RoomSummary>>;

#[derive(Debug, Clone, PartialEq)]
pub struct DashState {
    /// The open rooms, with their rows, in the relay's order.
    pub rooms: Vec<Rc<RoomView>>,
    pub summaries: Rc<Summaries>,
    pub watch: WatchSet,
    /// Bumped each time the feed is (re)established: the page's watch set
    /// goes out again then.
    pub connections: u32,
    /// The room to bring into view once its table is there.
    pub focus: Option<u64>,
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
    /// Boxed: a snapshot is large, the other actions are a word.
    Socket(Box<SocketEvent<RelayToProctor>>),
    Tick(Millis),
    /// Open a room's table (central view, search hit).
    Open(u64),
    /// Hide a room's table.
    Hide(u64),
    /// The focused room was brought into view.
    Focused,
}

impl From<SocketEvent<RelayToProctor>> for DashAction {
    fn from(event: SocketEvent<RelayToProctor>) -> Self {
        DashAction::Socket(Box::new(event))
    }
}

/// Replaces the item with the same id, or appends it.
fn upsert<T>(items: &mut Vec<T>, item: T, id: impl Fn(&T) -> u64) {
    let key = id(&item);
    match items.iter_mut().find(|x| id(x) == key) {
        Some(existing) => *existing = item,
        None => items.push(item),
    }
}

impl DashState {
    pub fn new(now: Millis) -> Self {
        DashState {
            rooms: Vec::new(),
            summaries: Rc::default(),
            watch: WatchSet::default(),
            connections: 0,
            focus: None,
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

    /// The ids of the rooms whose tables the feed carries now.
    pub fn shown(&self) -> Vec<u64> {
        self.rooms.iter().map(|r| r.room_id).collect()
    }

    /// The row of `candidate` in an open room.
    pub fn row(&self, candidate: u64) -> Option<&CandidateRow> {
        self.rooms
            .iter()
            .flat_map(|r| r.rows.iter())
            .find(|r| r.candidate_id == candidate)
    }

    fn room_mut(&mut self, room_id: u64) -> Option<&mut RoomView> {
        // Not an open room: the relay resends a snapshot when views drift,
        // so dropping is safe.
        self.rooms
            .iter_mut()
            .find(|r| r.room_id == room_id)
            .map(Rc::make_mut)
    }

    fn patch(&mut self, room_id: u64, row: CandidateRow) {
        if let Some(room) = self.room_mut(room_id) {
            upsert(&mut room.rows, row, |r| r.candidate_id);
        }
    }

    fn patch_checkin(&mut self, view: CheckinView) {
        let Some(room) = self.room_mut(view.room_id) else {
            return;
        };
        upsert(&mut room.checkins, view, |c| c.checkin_id);
        let count =
            |s: CheckinStatus| room.checkins.iter().filter(|c| c.status == s).count() as u32;
        room.checkin_counts.awaiting = count(CheckinStatus::AwaitingProctor);
        room.checkin_counts.confirmed = count(CheckinStatus::Confirmed);
    }

    fn patch_incident(&mut self, incident: Incident) {
        if let Some(room) = self.room_mut(incident.room_id) {
            upsert(&mut room.incidents, incident, |i| i.id);
        }
    }

    fn patch_message(&mut self, message: SentMessage) {
        if let Some(room) = self.room_mut(message.room_id) {
            upsert(&mut room.messages, message, |m| m.id);
        }
    }

    fn patch_summaries(&mut self, summaries: Vec<RoomSummary>) {
        let all = Rc::make_mut(&mut self.summaries);
        for s in summaries {
            all.insert(s.room_id, Rc::new(s));
        }
    }

    fn on_relay(&mut self, msg: RelayToProctor, at: Millis) {
        self.now = at;
        match msg {
            RelayToProctor::Snapshot {
                echo,
                relay_time,
                rooms,
                summaries,
            } => {
                if let Some(echo) = echo {
                    // The answer to this connection's hello: re-measure.
                    self.clock.reset();
                    self.clock.observe(echo, relay_time, at);
                }
                self.rooms = rooms.into_iter().map(Rc::new).collect();
                self.summaries = Rc::new(
                    summaries
                        .into_iter()
                        .map(|s| (s.room_id, Rc::new(s)))
                        .collect(),
                );
                self.loaded = true;
                self.last_error = None;
            }
            RelayToProctor::Summaries { summaries } => self.patch_summaries(summaries),
            RelayToProctor::Row { room_id, row } => self.patch(room_id, row),
            RelayToProctor::Checkin { checkin } => self.patch_checkin(checkin),
            RelayToProctor::Incident { incident } => self.patch_incident(incident),
            RelayToProctor::Message { message } => self.patch_message(message),
            RelayToProctor::Pong { echo, relay_time } => {
                self.clock.observe(echo, relay_time, at);
            }
            RelayToProctor::Error { error } => self.last_error = Some(error.code),
        }
    }

    fn on_link(&mut self, link: Link) {
        if link.is_live() && !self.link.is_live() {
            self.connections += 1;
        }
        self.link = link;
        if let Link::Stopped(Stop::Policy(reason)) = link {
            match Refusal::new(self.last_error.or(reason)) {
                Refusal::SignedOut(code) => self.signed_out = Some(code),
                Refusal::Fatal(code) => self.fatal = Some(code),
            }
        }
    }

    fn open(&mut self, room: u64) {
        let shown = self.shown();
        self.watch.open(&shown, room);
        self.focus = Some(room);
    }

    fn hide(&mut self, room: u64) {
        let shown = self.shown();
        if self.watch.hide(&shown, room) {
            // Gone from the screen now; the relay's next snapshot agrees.
            self.rooms.retain(|r| r.room_id != room);
        }
    }
}

impl Reducible for DashState {
    type Action = DashAction;

    fn reduce(self: Rc<Self>, action: DashAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            DashAction::Socket(event) => match *event {
                SocketEvent::Message { msg, at } => s.on_relay(msg, at),
                SocketEvent::Link(link) => s.on_link(link),
            },
            DashAction::Tick(now) => s.now = now,
            DashAction::Open(room) => s.open(room),
            DashAction::Hide(room) => s.hide(room),
            DashAction::Focused => s.focus = None,
        }
        Rc::new(s)
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
