//! Chip-ID check-in on the relay: challenges, verdicts, the proctor's
//! decision, seats and seat codes.
//!
//! Files: `challenge` (fresh bytes to sign), [`judge`] (is the card
//! genuine, whose is it), `verdict` (roster, seat, the audit record),
//! `decision` (the proctor's photo check, release, the reader's poll),
//! `seat_code` (proctor stations).
//!
//! The relay is the only judge; readers carry bytes. Every
//! judged check-in, refused or accepted, is written to the `checkins` table
//! with its reasons and the card's files before anyone is told the verdict.
//! An accepted card holds the person's seat in the sitting until the proctor
//! rejects it or releases the seat, so one card cannot sit at two computers.

pub mod anti_clone;
mod challenge;
mod decision;
pub mod evidence;
pub mod judge;
mod seat_code;
mod verdict;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use examgate_shared::Millis;
use examgate_shared::checkin::{CheckinPoll, CheckinStatus, CheckinView, SEAT_CODE_TTL_MS};
use examgate_shared::error::{ErrorBody, ErrorCode};
use tokio::sync::watch;

use crate::model::{JoinCode, RoomId, SittingId, TokenHash};

/// How long a poll waits for the proctor before answering "still waiting".
pub const POLL_WAIT: Duration = Duration::from_secs(20);

/// Seat-code alphabet: no 0/O, 1/I/L, so it reads aloud and types easily.
const SEAT_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const SEAT_CODE_LEN: usize = 6;

/// Outstanding challenges the relay keeps at most (a province's rooms
/// checking in at once stays far below; a flood does not grow memory).
pub const MAX_OPEN_CHALLENGES: usize = 20_000;

struct Challenge {
    bytes: [u8; 8],
    sitting_id: SittingId,
    room_id: RoomId,
    expires_at: Millis,
    /// The Chip Authentication the relay started with it, if the chip
    /// offers one.
    chip_auth: Option<anti_clone::PendingChipAuth>,
}

struct Record {
    view: CheckinView,
    code: JoinCode,
    poll_hash: TokenHash,
    /// Issued at a proctor station: confirmation yields a seat code.
    station: bool,
    photo: crate::photo::Displayable,
    /// What the reader gets once decided.
    outcome: Option<CheckinPoll>,
    changed: watch::Sender<CheckinStatus>,
}

struct SeatCode {
    seat: Seat,
    expires_at: Millis,
}

/// What a seat code opens.
#[derive(Debug, Clone, Copy)]
enum Seat {
    /// A card holder a proctor station checked in.
    Checkin(u64),
    /// An attempt a proctor moved to another computer.
    Attempt(crate::model::AttemptId),
}

#[derive(Default)]
struct Book {
    challenges: HashMap<String, Challenge>,
    records: HashMap<u64, Record>,
    /// (sitting, personal ID) → the check-in holding that person's seat.
    seats: HashMap<(SittingId, String), u64>,
    seat_codes: HashMap<TokenHash, SeatCode>,
    refused: HashMap<RoomId, u32>,
}

/// The check-in desk's memory. Seats survive a restart (rebuilt from the
/// confirmed check-ins); pending check-ins and challenges do not, and the
/// reader simply reads the card again.
#[derive(Default)]
pub struct Checkins {
    book: Mutex<Book>,
}

impl Checkins {
    /// Restores the seats confirmed before a restart.
    pub fn restore_seats(&self, seats: &[(u64, SittingId, String)]) {
        let mut book = self.book.lock().expect("checkins lock");
        for (id, sitting, person) in seats {
            book.seats.insert((*sitting, person.clone()), *id);
        }
    }

    fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        self.book.lock().expect("checkins lock")
    }

    /// Check-ins waiting for a proctor's decision, per room.
    pub fn pending_by_room(&self) -> HashMap<RoomId, u32> {
        let mut pending: HashMap<RoomId, u32> = HashMap::new();
        for r in self.book().records.values() {
            if r.view.status == CheckinStatus::AwaitingProctor {
                *pending.entry(r.code.room_id).or_default() += 1;
            }
        }
        pending
    }

    /// A one-time code that opens `attempt` on another computer.
    pub fn seat_code_for_attempt(&self, attempt: crate::model::AttemptId, now: Millis) -> String {
        let code = seat_code::new_seat_code();
        let mut book = self.book();
        book.seat_codes.retain(|_, s| s.expires_at > now);
        book.seat_codes.insert(
            crate::auth::hash_token(&code),
            SeatCode {
                seat: Seat::Attempt(attempt),
                expires_at: now + SEAT_CODE_TTL_MS,
            },
        );
        code
    }
}

fn refusal(code: ErrorCode, message: impl Into<String>) -> ErrorBody {
    ErrorBody::new(code, message)
}
