//! Who is connected, and the proctor feed.
//!
//! - Each attempt has at most one live student connection. A newer one
//!   (a reload, a second tab, another computer) replaces the older, which is
//!   told why and closed.
//! - Every candidate's current [`CandidateRow`] is cached here. A change is
//!   stored in the cache, encoded once, and queued for the proctor
//!   connections that have that room open — and only them: a province's
//!   central view and hundreds of room proctors are not all woken for every
//!   answer. Queues are bounded and never waited on: a proctor connection
//!   that falls behind is marked lagging, its queue is dropped, and it sends
//!   a fresh snapshot when it catches up. Students never wait for proctors.
//! - Room summaries (once a second) go to every proctor connection through
//!   a small broadcast; a lagging receiver simply gets the next one.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use examgate_shared::error::ErrorBody;
use examgate_shared::proctoring::RoomSummary;
use examgate_shared::protocol::{RelayToProctor, encode};
use examgate_shared::roster::CandidateRow;
use tokio::sync::{Notify, broadcast, mpsc};
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::model::{AttemptId, CandidateId, RoomId};

/// Room messages queued per proctor connection before it counts as lagging.
pub const FEED_CAPACITY: usize = 1024;

/// Summary rounds queued per proctor connection (one a second).
const SUMMARY_CAPACITY: usize = 4;

/// Messages queued per student connection; a student that cannot take them
/// is disconnected (it will reconnect and get a fresh welcome).
pub const STUDENT_QUEUE: usize = 32;

/// What a connection's writer task sends. Text is shared: a row encoded
/// once goes to every proctor watching its room without a copy.
#[derive(Debug, Clone)]
pub enum Outgoing {
    Text(Utf8Bytes),
    Close(u16, String),
}

impl Outgoing {
    pub fn text(text: String) -> Outgoing {
        Outgoing::Text(Utf8Bytes::from(text))
    }
}

/// One round of changed rooms' summaries, with the message for a session
/// that may see them all encoded once (a province's central views).
pub struct SummaryRound {
    pub rooms: Vec<RoomSummary>,
    pub all: Utf8Bytes,
}

/// One proctor connection's subscription to the rooms it has open.
pub struct Feed {
    id: u64,
    queue: mpsc::Sender<Utf8Bytes>,
    lagged: AtomicBool,
    /// Woken when the connection fell behind.
    lag: Notify,
}

impl Feed {
    /// Whether the connection fell behind since the last call (and so must
    /// drop what it has queued and send a fresh snapshot).
    pub fn take_lagged(&self) -> bool {
        self.lagged.swap(false, Ordering::AcqRel)
    }

    /// Resolves when the connection falls behind.
    pub async fn lagging(&self) {
        if self.lagged.load(Ordering::Acquire) {
            return;
        }
        self.lag.notified().await;
    }

    fn push(&self, text: &Utf8Bytes) {
        if self.queue.try_send(text.clone()).is_err() && !self.lagged.swap(true, Ordering::AcqRel) {
            self.lag.notify_one();
        }
    }
}

struct StudentConn {
    conn_id: u64,
    /// The page load that opened it (its hello's `tab`).
    tab: Option<String>,
    /// When it was registered (this relay's clock).
    opened_at: examgate_shared::Millis,
    tx: crate::ws::queue::Sender<Outgoing>,
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
    /// The proctor connections that have each room open.
    watchers: Mutex<HashMap<RoomId, Vec<Arc<Feed>>>>,
    summaries: broadcast::Sender<Arc<SummaryRound>>,
    next_conn_id: AtomicU64,
}

impl Default for Live {
    fn default() -> Self {
        Live {
            students: Mutex::default(),
            rows: Mutex::default(),
            watchers: Mutex::default(),
            summaries: broadcast::channel(SUMMARY_CAPACITY).0,
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
        tx: crate::ws::queue::Sender<Outgoing>,
        kill: Arc<Notify>,
    ) -> (u64, bool) {
        let conn_id = self.next_conn_id.fetch_add(1, Ordering::Relaxed);
        let same_page = |old: &StudentConn| old.tab.is_some() && old.tab == tab;
        let old = self.students.lock().expect("students lock").insert(
            attempt,
            StudentConn {
                conn_id,
                tab: tab.clone(),
                opened_at: crate::clock::now_ms(),
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

    /// Ends the attempt's connection if it was opened at or before `at`
    /// (another relay took the attempt then); `false` when the one here is
    /// newer and stays (its own news ends the other). One look under the
    /// lock: a connection registered meanwhile is never the one ended.
    pub fn close_student_opened_by(
        &self,
        attempt: AttemptId,
        at: examgate_shared::Millis,
        why: ErrorBody,
    ) -> bool {
        let old = {
            let mut students = self.students.lock().expect("students lock");
            if students
                .get(&attempt)
                .is_some_and(|conn| conn.opened_at > at)
            {
                return false;
            }
            students.remove(&attempt)
        };
        Self::end(old, &why);
        true
    }

    /// Ends the attempt's connection, if any: its token was replaced.
    pub fn close_student(&self, attempt: AttemptId, why: ErrorBody) {
        let old = self
            .students
            .lock()
            .expect("students lock")
            .remove(&attempt);
        Self::end(old, &why);
    }

    fn end(old: Option<StudentConn>, why: &ErrorBody) {
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

    /// Students with a live connection.
    pub fn students_online(&self) -> usize {
        self.students.lock().expect("students lock").len()
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

    /// Stores a row and queues it for the room's proctors.
    pub fn publish(&self, room_id: RoomId, row: CandidateRow) {
        self.rows
            .lock()
            .expect("rows lock")
            .entry(room_id)
            .or_default()
            .insert(row.candidate_id, row.clone());
        self.send_room(room_id, RelayToProctor::Row { room_id, row });
    }

    /// Queues a change for the feeds that have `room_id` open, encoded once.
    pub fn send_room(&self, room_id: RoomId, message: RelayToProctor) {
        let feeds: Vec<Arc<Feed>> = match self.watchers.lock().expect("watchers lock").get(&room_id)
        {
            Some(feeds) if !feeds.is_empty() => feeds.clone(),
            // Nobody is watching: nothing to encode.
            _ => return,
        };
        // Encoded outside the lock: other rooms' changes go on meanwhile.
        let text = Utf8Bytes::from(encode(&message));
        for feed in &feeds {
            feed.push(&text);
        }
    }

    /// Broadcasts changed room counts.
    pub fn send_summaries(&self, summaries: Vec<RoomSummary>) {
        if self.summaries.receiver_count() == 0 {
            return;
        }
        let all = Utf8Bytes::from(encode(&RelayToProctor::Summaries {
            summaries: summaries.clone(),
        }));
        let _ = self.summaries.send(Arc::new(SummaryRound {
            rooms: summaries,
            all,
        }));
    }

    /// A new proctor feed with nothing open yet, and its queue's receiving
    /// end.
    pub fn feed(&self) -> (Arc<Feed>, mpsc::Receiver<Utf8Bytes>) {
        let (queue, rx) = mpsc::channel(FEED_CAPACITY);
        let feed = Arc::new(Feed {
            id: self.next_conn_id.fetch_add(1, Ordering::Relaxed),
            queue,
            lagged: AtomicBool::new(false),
            lag: Notify::new(),
        });
        (feed, rx)
    }

    /// Makes `rooms` the set `feed` receives changes of.
    pub fn watch(&self, feed: &Arc<Feed>, rooms: impl IntoIterator<Item = RoomId>) {
        let mut watchers = self.watchers.lock().expect("watchers lock");
        unwatch_all(&mut watchers, feed.id);
        for room in rooms {
            watchers.entry(room).or_default().push(feed.clone());
        }
    }

    /// Stops every change to `feed` (its connection ended).
    pub fn unwatch(&self, feed: &Feed) {
        unwatch_all(&mut self.watchers.lock().expect("watchers lock"), feed.id);
    }

    /// Summaries as they are made.
    pub fn subscribe_summaries(&self) -> broadcast::Receiver<Arc<SummaryRound>> {
        self.summaries.subscribe()
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

fn unwatch_all(watchers: &mut HashMap<RoomId, Vec<Arc<Feed>>>, id: u64) {
    watchers.retain(|_, feeds| {
        feeds.retain(|f| f.id != id);
        !feeds.is_empty()
    });
}

#[cfg(test)]
mod tests {
    use examgate_shared::protocol::RelayToProctor;

    use super::*;

    fn pong(n: i64) -> RelayToProctor {
        RelayToProctor::Pong {
            echo: n,
            relay_time: n,
        }
    }

    #[test]
    fn changes_reach_only_the_feeds_watching_the_room() {
        let live = Live::default();
        let (a, mut a_rx) = live.feed();
        let (b, mut b_rx) = live.feed();
        live.watch(&a, [1, 2]);
        live.watch(&b, [2]);
        live.send_room(1, pong(1));
        live.send_room(2, pong(2));
        live.send_room(3, pong(3));
        assert_eq!(a_rx.try_recv().unwrap().as_str(), encode(&pong(1)));
        assert_eq!(a_rx.try_recv().unwrap().as_str(), encode(&pong(2)));
        assert!(a_rx.try_recv().is_err());
        assert_eq!(b_rx.try_recv().unwrap().as_str(), encode(&pong(2)));
        assert!(b_rx.try_recv().is_err());
        // Re-watching replaces the set; unwatching ends it.
        live.watch(&a, [3]);
        live.send_room(1, pong(4));
        assert!(a_rx.try_recv().is_err());
        live.unwatch(&b);
        live.send_room(2, pong(5));
        assert!(b_rx.try_recv().is_err());
    }

    #[test]
    fn late_news_of_a_takeover_closes_only_an_older_connection() {
        let live = Live::default();
        let (tx, mut rx) = crate::ws::queue::queue(8);
        let before = crate::clock::now_ms() - 1;
        live.connect_student(7, None, tx, Arc::default());
        let why = || ErrorBody::new(examgate_shared::error::ErrorCode::Replaced, "taken");
        // Taken elsewhere before this connection opened: the news is late.
        assert!(!live.close_student_opened_by(7, before, why()));
        assert!(live.is_connected(7));
        // Taken elsewhere after it opened: this one is the older.
        assert!(live.close_student_opened_by(7, crate::clock::now_ms() + 1, why()));
        assert!(!live.is_connected(7));
        assert!(matches!(
            futures_executor::block_on(rx.recv()),
            Some(Outgoing::Close(..))
        ));
    }

    #[test]
    fn a_feed_that_stops_reading_never_holds_up_the_sender() {
        let live = Live::default();
        let (slow, mut rx) = live.feed();
        live.watch(&slow, [7]);
        // Far more than it may queue: every send returns at once.
        let t0 = std::time::Instant::now();
        for n in 0..(FEED_CAPACITY as i64 * 3) {
            live.send_room(7, pong(n));
        }
        assert!(t0.elapsed() < std::time::Duration::from_secs(1));
        assert!(slow.take_lagged(), "marked lagging");
        assert!(!slow.take_lagged(), "once");
        // What it holds is bounded; it will get a snapshot instead.
        let mut queued = 0;
        while rx.try_recv().is_ok() {
            queued += 1;
        }
        assert_eq!(queued, FEED_CAPACITY);
    }
}
