//! Who is connected, and the proctor feed.
//!
//! - Each attempt has at most one live student connection. A newer one
//!   (a reload, a second tab, another computer) replaces the older, which is
//!   told why and closed.
//! - Every candidate's current [`CandidateRow`] is cached here; a change is
//!   stored in the cache and broadcast to proctor connections, which filter
//!   by what their session may see. A proctor that falls behind the bounded
//!   broadcast gets a fresh snapshot instead of the missed patches.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use examgate_shared::checkin::CheckinView;
use examgate_shared::error::ErrorBody;
use examgate_shared::proctoring::RoomSummary;
use examgate_shared::protocol::RelayToProctor;
use examgate_shared::roster::CandidateRow;
use tokio::sync::{Notify, broadcast, mpsc};

use crate::model::{AttemptId, CandidateId, RoomId};

/// Patches queued per proctor connection before it counts as lagging.
const FEED_CAPACITY: usize = 1024;

/// Messages queued per student connection; a student that cannot take them
/// is disconnected (it will reconnect and get a fresh welcome).
pub const STUDENT_QUEUE: usize = 32;

/// What a connection's writer task sends.
#[derive(Debug, Clone)]
pub enum Outgoing {
    Text(String),
    Close(u16, String),
}

/// One change for the proctor views.
// Nearly every update is a room's; boxing it would cost an allocation per
// row change to save a few hundred bytes per queued update.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum FeedUpdate {
    /// For the feeds that have `room_id` open (rows, check-ins, incidents,
    /// messages).
    Room {
        room_id: RoomId,
        message: RelayToProctor,
    },
    /// Rooms whose counts changed, for every feed that may watch them.
    Summaries(Arc<Vec<RoomSummary>>),
}

struct StudentConn {
    conn_id: u64,
    /// The page load that opened it (its hello's `tab`).
    tab: Option<String>,
    tx: mpsc::Sender<Outgoing>,
    /// Ends the connection's read loop when its queue cannot take a close.
    kill: Arc<Notify>,
}

impl StudentConn {
    /// Queues `msg`; a connection whose queue is full is not reading, so it
    /// is ended instead of letting the relay buffer without bound (the
    /// browser reconnects and gets a fresh welcome).
    fn send_or_kill(&self, msg: Outgoing) {
        if self.tx.try_send(msg).is_err() {
            self.kill.notify_one();
        }
    }
}

pub struct Live {
    students: Mutex<HashMap<AttemptId, StudentConn>>,
    rows: Mutex<HashMap<RoomId, BTreeMap<CandidateId, CandidateRow>>>,
    feed: broadcast::Sender<FeedUpdate>,
    next_conn_id: AtomicU64,
}

impl Default for Live {
    fn default() -> Self {
        Live {
            students: Mutex::default(),
            rows: Mutex::default(),
            feed: broadcast::channel(FEED_CAPACITY).0,
            next_conn_id: AtomicU64::new(1),
        }
    }
}

impl Live {
    /// Registers the connection for `attempt`, replacing (and closing) any
    /// older one. Returns the new connection's id and whether an older one
    /// of *another* page load was still open (a page reconnecting over its
    /// own half-open connection is not a second connection). `kill` is
    /// notified when the connection must end at once.
    pub fn connect_student(
        &self,
        attempt: AttemptId,
        tab: Option<String>,
        tx: mpsc::Sender<Outgoing>,
        kill: Arc<Notify>,
    ) -> (u64, bool) {
        let conn_id = self.next_conn_id.fetch_add(1, Ordering::Relaxed);
        let same_page = |old: &StudentConn| old.tab.is_some() && old.tab == tab;
        let old = self.students.lock().expect("students lock").insert(
            attempt,
            StudentConn {
                conn_id,
                tab: tab.clone(),
                tx,
                kill,
            },
        );
        let replaced = old.as_ref().is_some_and(|old| !same_page(old));
        if let Some(old) = old {
            old.send_or_kill(Outgoing::Close(
                examgate_shared::protocol::close_code::REPLACED,
                "replaced: a newer connection took over this attempt".into(),
            ));
        }
        (conn_id, replaced)
    }

    /// Ends the attempt's connection, if any: its token was replaced.
    pub fn close_student(&self, attempt: AttemptId, why: ErrorBody) {
        let old = self
            .students
            .lock()
            .expect("students lock")
            .remove(&attempt);
        if let Some(old) = old {
            old.send_or_kill(Outgoing::Close(
                examgate_shared::protocol::close_code::REPLACED,
                format!("{}: {}", why.code.as_str(), why.message),
            ));
        }
    }

    /// Unregisters `conn_id` if it is still the attempt's current connection.
    /// Returns whether it was (and so whether the attempt is now offline).
    pub fn disconnect_student(&self, attempt: AttemptId, conn_id: u64) -> bool {
        let mut map = self.students.lock().expect("students lock");
        if map.get(&attempt).is_some_and(|c| c.conn_id == conn_id) {
            map.remove(&attempt);
            true
        } else {
            false
        }
    }

    pub fn is_connected(&self, attempt: AttemptId) -> bool {
        self.students
            .lock()
            .expect("students lock")
            .contains_key(&attempt)
    }

    /// Sends to the attempt's live connection, if any.
    pub fn send_to_student(&self, attempt: AttemptId, msg: Outgoing) {
        let map = self.students.lock().expect("students lock");
        if let Some(conn) = map.get(&attempt) {
            conn.send_or_kill(msg);
        }
    }

    /// Stores and broadcasts a row.
    pub fn publish(&self, room_id: RoomId, row: CandidateRow) {
        self.rows
            .lock()
            .expect("rows lock")
            .entry(room_id)
            .or_default()
            .insert(row.candidate_id, row.clone());
        self.send_room(room_id, RelayToProctor::Row { room_id, row });
    }

    /// Broadcasts a change to the feeds that have `room_id` open.
    pub fn send_room(&self, room_id: RoomId, message: RelayToProctor) {
        // No receivers is fine: nobody is watching.
        let _ = self.feed.send(FeedUpdate::Room { room_id, message });
    }

    /// Broadcasts changed room counts.
    pub fn send_summaries(&self, summaries: Vec<RoomSummary>) {
        let _ = self.feed.send(FeedUpdate::Summaries(Arc::new(summaries)));
    }

    /// Tells the room's proctors about a check-in (new or decided).
    pub fn publish_checkin(&self, view: CheckinView) {
        self.send_room(view.room_id, RelayToProctor::Checkin { checkin: view });
    }

    pub fn subscribe(&self) -> broadcast::Receiver<FeedUpdate> {
        self.feed.subscribe()
    }

    /// The cached rows of `room`, by candidate id.
    pub fn rows_of(&self, room: RoomId) -> Vec<CandidateRow> {
        let map = self.rows.lock().expect("rows lock");
        map.get(&room)
            .map(|rows| rows.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Applies `f` to the cached rows of `room` without copying them.
    pub fn with_rows<T>(
        &self,
        room: RoomId,
        f: impl FnOnce(&mut dyn Iterator<Item = &CandidateRow>) -> T,
    ) -> T {
        let map = self.rows.lock().expect("rows lock");
        let mut rows = map.get(&room).into_iter().flat_map(|r| r.values());
        f(&mut rows)
    }
}
