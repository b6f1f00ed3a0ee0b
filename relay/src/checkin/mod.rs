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

    /// What the store held at start: the open sittings' check-ins and
    /// refusals.
    pub fn restore(&self, desks: Vec<DeskRow>, refused: Vec<(RoomId, u32)>, at_rest: &AtRest) {
        let mut book = self.book();
        for row in desks {
            let Some(desk) = row.desk.as_deref() else {
                continue;
            };
            match sealed::Desk::open(at_rest, desk) {
                Ok(desk) => {
                    let view = CheckinView {
                        status: decision::status_of(row.decision.as_deref()),
                        ..desk.view
                    };
                    book.views.insert(row.id, view);
                }
                Err(e) => tracing::warn!("check-in {}: {e}", row.id),
            }
        }
        book.refused.extend(refused);
    }

    /// A check-in judged or decided, here or on another relay: its view is
    /// kept, and a reader waiting here for its decision is woken.
    pub fn learn(&self, view: CheckinView) {
        let mut book = self.book();
        if view.status != CheckinStatus::AwaitingProctor
            && let Some(waiting) = book.waiting.remove(&view.checkin_id)
        {
            waiting.notify_waiters();
        }
        book.views.insert(view.checkin_id, view);
    }

    /// A card read refused in `room`, here or on another relay.
    pub fn count_refusal(&self, room: RoomId) {
        *self.book().refused.entry(room).or_default() += 1;
    }

    /// What a reader waiting for check-in `id` is woken by.
    fn waiter(&self, id: u64) -> Arc<Notify> {
        self.book().waiting.entry(id).or_default().clone()
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
