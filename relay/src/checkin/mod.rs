//! Chip-ID check-in on the relay: challenges, verdicts, the proctor's
//! decision, seats and seat codes.
//!
//! Files: `challenge` (fresh bytes to sign), [`judge`] (is the card
//! genuine, whose is it), `verdict` (roster, seat, the audit record),
//! `decision` (the proctor's photo check, release, the reader's poll),
//! `seat_code` (proctor stations), `sealed` (what the desk stores sealed).
//!
//! The relay is the only judge; readers carry bytes. Every
//! judged check-in, refused or accepted, is written to the `checkins` table
//! with its reasons and the card's files before anyone is told the verdict.
//! An accepted card holds the person's seat in the sitting until the proctor
//! rejects it or releases the seat, so one card cannot sit at two computers.
//!
//! The desk lives in the store ([`crate::store::desk`]), not in a relay's
//! memory: a card challenged through one relay answers through another, a
//! proctor on any relay decides, a seat code works on any relay, and a
//! restart forgets nothing. What a relay keeps is a copy of the views for
//! its proctors (its own check-ins, those other relays told of over the
//! bus, those open when it started) and the readers waiting on it.

pub mod anti_clone;
mod challenge;
mod decision;
pub mod evidence;
pub mod judge;
mod sealed;
mod seat_code;
pub(crate) use seat_code::new_seat_code;
mod verdict;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use examgate_shared::checkin::{CheckinStatus, CheckinView};
use examgate_shared::error::{ErrorBody, ErrorCode};
use tokio::sync::Notify;

use crate::at_rest::AtRest;
use crate::model::RoomId;
use crate::store::desk::DeskRow;

/// How long a poll waits for the proctor before answering "still waiting".
pub const POLL_WAIT: Duration = Duration::from_secs(20);

/// Seat-code alphabet: no 0/O, 1/I/L, so it reads aloud and types easily.
const SEAT_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const SEAT_CODE_LEN: usize = 6;

/// Outstanding challenges the deployment keeps at most (a province's rooms
/// checking in at once stays far below; a flood does not grow the table).
pub const MAX_OPEN_CHALLENGES: usize = 20_000;

#[derive(Default)]
struct Book {
    /// What proctors see of each check-in this relay knows.
    views: HashMap<u64, CheckinView>,
    /// Refused card reads per room (the sittings still open).
    refused: HashMap<RoomId, u32>,
    /// Readers waiting on this relay for a check-in's decision.
    waiting: HashMap<u64, Arc<Notify>>,
}

/// This relay's copy of the check-in desk, for its proctors' views and its
/// waiting readers; the desk itself is in the store.
#[derive(Default)]
pub struct Checkins {
    book: Mutex<Book>,
}

impl Checkins {
    fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        self.book.lock().expect("checkins lock")
    }

    /// What the store holds: the open sittings' check-ins and refusals
    /// (at start, and again once the bus listens, for what other relays
    /// did in between).
    pub fn restore(&self, desks: Vec<DeskRow>, refused: Vec<(RoomId, u32)>, at_rest: &AtRest) {
        for row in desks {
            match sealed::stored_view(at_rest, &row) {
                Some(Ok(view)) => self.learn(view),
                Some(Err(e)) => tracing::warn!("check-in {}: {e}", row.id),
                None => {}
            }
        }
        self.book().refused.extend(refused);
    }

    /// A check-in judged or decided, here or on another relay: its view is
    /// kept, and a reader waiting here for its decision is woken.
    pub fn learn(&self, view: CheckinView) {
        let mut book = self.book();
        let id = view.checkin_id;
        let decided = |v: &CheckinView| v.status != CheckinStatus::AwaitingProctor;
        // News may pass each other on the bus: a decided check-in is never
        // taken back to awaiting (a confirmation given back is one that was
        // never told as confirmed).
        if !decided(&view) && book.views.get(&id).is_some_and(decided) {
            return;
        }
        if decided(&view)
            && let Some(waiting) = book.waiting.remove(&id)
        {
            waiting.notify_waiters();
        }
        book.views.insert(id, view);
    }

    /// A card read refused in `room`, here or on another relay.
    pub fn count_refusal(&self, room: RoomId) {
        *self.book().refused.entry(room).or_default() += 1;
    }

    /// What a reader waiting for check-in `id` is woken by (only a reader
    /// whose poll token was checked: the map grows by real check-ins only).
    fn waiter(&self, id: u64) -> Waiter<'_> {
        let notify = self.book().waiting.entry(id).or_default().clone();
        Waiter {
            checkins: self,
            id,
            notify,
        }
    }

    /// Check-ins waiting for a proctor's decision, per room.
    pub fn pending_by_room(&self) -> HashMap<RoomId, u32> {
        let mut pending: HashMap<RoomId, u32> = HashMap::new();
        for view in self.book().views.values() {
            if view.status == CheckinStatus::AwaitingProctor {
                *pending.entry(view.room_id).or_default() += 1;
            }
        }
        pending
    }
}

impl crate::AppState {
    /// Reads the open sittings' check-ins and refusals again (see
    /// [`Checkins::restore`]).
    pub async fn reload_desk(&self) -> Result<(), crate::store::StoreError> {
        let now = crate::clock::now_ms();
        let (desks, refused) = self
            .store
            .read(move |db| {
                Ok((
                    crate::store::desk::open_desks(db, now)?,
                    crate::store::desk::refused_by_room(db, now)?,
                ))
            })
            .await?;
        self.checkins.restore(desks, refused, &self.at_rest);
        Ok(())
    }
}

/// A reader waiting on this relay; the last one to stop waiting for a
/// check-in takes its entry out.
struct Waiter<'a> {
    checkins: &'a Checkins,
    id: u64,
    notify: Arc<Notify>,
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        let mut book = self.checkins.book();
        // The map's reference and this one: nobody else waits.
        if Arc::strong_count(&self.notify) == 2
            && book
                .waiting
                .get(&self.id)
                .is_some_and(|w| Arc::ptr_eq(w, &self.notify))
        {
            book.waiting.remove(&self.id);
        }
    }
}

fn refusal(code: ErrorCode, message: impl Into<String>) -> ErrorBody {
    ErrorBody::new(code, message)
}

/// What the store holds for the desk but this relay cannot open (a damaged
/// row, another deployment's key): logged, and an internal error.
fn unreadable(e: impl std::fmt::Display) -> ErrorBody {
    tracing::error!("check-in desk: {e}");
    ErrorBody::new(
        ErrorCode::Internal,
        "the relay could not read this check-in from its store",
    )
}
