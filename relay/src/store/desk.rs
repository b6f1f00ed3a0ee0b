//! The check-in desk's statements: challenges, the desk of an accepted
//! check-in (its poll token's hash, what the proctor sees, what the reader
//! gets), and seat codes. In the store, not in one relay's memory, so a
//! card challenged through one relay can answer through another, and a
//! proctor on any relay decides a check-in judged on any other.
//!
//! What must be decided once is decided by a statement: a challenge or a
//! seat code is taken with `DELETE … RETURNING` (one relay gets it), a
//! decision is claimed with `UPDATE … WHERE decision IS NULL` (or a stale
//! `confirming`, below), and the unique index `checkins_one_seat` keeps one
//! seat per card and sitting. Jobs that lock check-in rows and write the
//! audit trail take its lock first (`writes::audit_first`).
//! Secrets are sealed, and seat codes hashed with a key, by the caller
//! before they reach these functions.
//!
//! A student computer's confirmation takes two writes (the attempt is made
//! between them): the decision is first `confirming` (the seat held, the
//! check-in still awaiting to everyone else, no release), then `confirmed`
//! with the reader's outcome. A relay that died between the two leaves a
//! `confirming` row that a proctor may decide again after
//! [`CONFIRMING_EXPIRES_MS`].

use examgate_shared::Millis;

use super::db::{Db, DbError, Dialect, OptionalRow};
use crate::args;
use crate::model::{AttemptId, RoomId, SittingId, TokenHash};

/// A `confirming` decision older than this was left by a relay that
/// stopped half way: a proctor may decide again.
pub const CONFIRMING_EXPIRES_MS: Millis = 60_000;

/// How many expired rows one write sweeps at most.
const SWEEP: usize = 64;

/// Removes up to [`SWEEP`] expired rows of `table` (keyed by `key`). On
/// PostgreSQL rows another relay's batch is sweeping are skipped, not
/// waited for: two relays' batches never queue behind each other's sweep.
fn sweep_expired(db: Db<'_>, table: &str, key: &str, now: Millis) -> Result<(), DbError> {
    let skip_locked = match db.dialect() {
        Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
        Dialect::Sqlite => "",
    };
    db.execute(
        &format!(
            "DELETE FROM {table} WHERE {key} IN
                 (SELECT {key} FROM {table} WHERE expires_at <= ?1 LIMIT {SWEEP} {skip_locked})"
        ),
        args![now],
    )?;
    Ok(())
}

/// An outstanding challenge as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChallenge {
    /// The bytes the chip signs, in hex.
    pub challenge: String,
    pub sitting_id: SittingId,
    pub room_id: RoomId,
    pub expires_at: Millis,
    /// The relay's side of Chip Authentication, sealed.
    pub chip_auth: Option<String>,
}

/// Unexpired challenges outstanding.
pub fn open_challenges(db: Db<'_>, now: Millis) -> Result<u64, DbError> {
    db.query_row(
        "SELECT COUNT(*) FROM checkin_challenges WHERE expires_at > ?1",
        args![now],
        |r| r.get(0),
    )
}

/// Stores a challenge unless `max_open` unexpired ones are outstanding
/// already (then `false`); some expired ones go first.
pub fn insert_challenge(
    db: Db<'_>,
    id_hash: &TokenHash,
    c: &StoredChallenge,
    now: Millis,
    max_open: usize,
) -> Result<bool, DbError> {
    sweep_expired(db, "checkin_challenges", "id_hash", now)?;
    if open_challenges(db, now)? >= max_open as u64 {
        return Ok(false);
    }
    db.execute(
        "INSERT INTO checkin_challenges (id_hash, challenge, sitting_id, room_id, expires_at,
                                         chip_auth)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        args![
            id_hash,
            c.challenge,
            c.sitting_id,
            c.room_id,
            c.expires_at,
            c.chip_auth
        ],
    )?;
    Ok(true)
}

/// `WHERE {key} = ?1`, on PostgreSQL skipping a row another relay's batch
/// holds (a sweep of expired rows, or a take of the same one): that
/// batch takes it, and waiting for it could close a circle of waits.
fn the_one_unlocked(db: Db<'_>, table: &str, key: &str) -> String {
    match db.dialect() {
        Dialect::Postgres => {
            format!("{key} IN (SELECT {key} FROM {table} WHERE {key} = ?1 FOR UPDATE SKIP LOCKED)")
        }
        Dialect::Sqlite => format!("{key} = ?1"),
    }
}

/// Takes the challenge out (single use, whatever comes of the answer).
pub fn take_challenge(db: Db<'_>, id_hash: &TokenHash) -> Result<Option<StoredChallenge>, DbError> {
    db.query_row(
        &format!(
            "DELETE FROM checkin_challenges WHERE {}
             RETURNING challenge, sitting_id, room_id, expires_at, chip_auth",
            the_one_unlocked(db, "checkin_challenges", "id_hash")
        ),
        args![id_hash],
        |r| {
            Ok(StoredChallenge {
                challenge: r.get(0)?,
                sitting_id: r.get(1)?,
                room_id: r.get(2)?,
                expires_at: r.get(3)?,
                chip_auth: r.get(4)?,
            })
        },
    )
    .optional()
}

/// The desk of an accepted check-in, written with its verdict: the view
/// and the photo sealed.
pub fn open_desk(
    db: Db<'_>,
    checkin: u64,
    poll_hash: &TokenHash,
    at_station: bool,
    sealed_view: &str,
    sealed_photo: &str,
) -> Result<(), DbError> {
    db.execute(
        "UPDATE checkins SET poll_hash = ?2, at_station = ?3, desk = ?4, photo = ?5 WHERE id = ?1",
        args![checkin, poll_hash, at_station, sealed_view, sealed_photo],
    )?;
    Ok(())
}

/// An accepted check-in's desk as stored (without its photo).
#[derive(Debug, Clone)]
pub struct DeskRow {
    pub id: u64,
    pub sitting_id: SittingId,
    pub room_id: RoomId,
    /// `None` while the proctor has not decided.
    pub decision: Option<String>,
    pub at_station: bool,
    /// The view, sealed; `None` once purged (or for a check-in from before
    /// schema 8).
    pub desk: Option<String>,
}

const DESK_COLUMNS: &str = "id, sitting_id, room_id, decision, at_station, desk";

fn desk_row(r: &super::db::Row<'_>) -> Result<DeskRow, DbError> {
    Ok(DeskRow {
        id: r.get(0)?,
        sitting_id: r.get(1)?,
        room_id: r.get(2)?,
        decision: r.get(3)?,
        at_station: r.get(4)?,
        desk: r.get(5)?,
    })
}

/// The accepted check-in `id`, if there is one.
pub fn desk(db: Db<'_>, id: u64) -> Result<Option<DeskRow>, DbError> {
    db.query_row(
        &format!("SELECT {DESK_COLUMNS} FROM checkins WHERE id = ?1 AND verdict = 'accepted'"),
        args![id],
        desk_row,
    )
    .optional()
}

/// The room of accepted check-in `id` and its sealed chip photo (`None`
/// once purged).
pub fn photo(db: Db<'_>, id: u64) -> Result<Option<(RoomId, Option<String>)>, DbError> {
    db.query_row(
        "SELECT room_id, photo FROM checkins WHERE id = ?1 AND verdict = 'accepted'",
        args![id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// What a reader's poll needs of an accepted check-in: its poll token's
/// hash and what it gets once decided (sealed).
#[derive(Debug, Clone)]
pub struct Polled {
    pub sitting_id: SittingId,
    pub poll_hash: Option<Vec<u8>>,
    pub outcome: Option<String>,
}

pub fn polled(db: Db<'_>, id: u64) -> Result<Option<Polled>, DbError> {
    db.query_row(
        "SELECT sitting_id, poll_hash, outcome FROM checkins WHERE id = ?1 AND verdict = 'accepted'",
        args![id],
        |r| {
            Ok(Polled {
                sitting_id: r.get(0)?,
                poll_hash: r.get(1)?,
                outcome: r.get(2)?,
            })
        },
    )
    .optional()
}

/// The desks of the sittings still open at `now` (what a starting relay
/// shows its proctors).
pub fn open_desks(db: Db<'_>, now: Millis) -> Result<Vec<DeskRow>, DbError> {
    db.query_map(
        &format!(
            "SELECT {DESK_COLUMNS} FROM checkins
             WHERE verdict = 'accepted' AND desk IS NOT NULL
               AND sitting_id IN (SELECT id FROM sittings WHERE closes_at > ?1)
             ORDER BY id"
        ),
        args![now],
        desk_row,
    )
}

/// Refused card reads per room in the sittings still open at `now`.
pub fn refused_by_room(db: Db<'_>, now: Millis) -> Result<Vec<(RoomId, u32)>, DbError> {
    db.query_map(
        "SELECT room_id, COUNT(*) FROM checkins
         WHERE verdict <> 'accepted'
           AND sitting_id IN (SELECT id FROM sittings WHERE closes_at > ?1)
         GROUP BY room_id",
        args![now],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// The check-in holding the card's seat in the sitting (by the card's
/// keyed hash), if any.
pub fn seat_holder(
    db: Db<'_>,
    sitting: SittingId,
    person_key: &str,
) -> Result<Option<u64>, DbError> {
    db.query_row(
        "SELECT id FROM checkins
         WHERE sitting_id = ?1 AND person_key = ?2 AND verdict = 'accepted'
           AND (decision IS NULL OR decision IN ('confirming', 'confirmed'))",
        args![sitting, person_key],
        |r| r.get(0),
    )
    .optional()
}

/// Records the proctor's decision (`confirming`, `confirmed` or
/// `rejected`) with what the reader gets (sealed; `None` while
/// confirming), if nobody decided first; `false` when someone did.
pub fn claim_decision(
    db: Db<'_>,
    id: u64,
    decision: &str,
    outcome: Option<&str>,
    by: &str,
    at: Millis,
) -> Result<bool, DbError> {
    let changed = db.execute(
        "UPDATE checkins SET decision = ?2, outcome = ?3, decided_by = ?4, decided_at = ?5
         WHERE id = ?1 AND verdict = 'accepted'
           AND (decision IS NULL OR (decision = 'confirming' AND decided_at <= ?6))",
        args![id, decision, outcome, by, at, at - CONFIRMING_EXPIRES_MS],
    )?;
    Ok(changed == 1)
}

/// The `confirming` decision claimed at `claimed_at` made good:
/// `confirmed`, with what the reader gets; `false` if it was given back or
/// taken over meanwhile.
pub fn confirm(
    db: Db<'_>,
    id: u64,
    claimed_at: Millis,
    sealed_outcome: &str,
) -> Result<bool, DbError> {
    let changed = db.execute(
        "UPDATE checkins SET decision = 'confirmed', outcome = ?3
         WHERE id = ?1 AND decision = 'confirming' AND decided_at = ?2",
        args![id, claimed_at, sealed_outcome],
    )?;
    Ok(changed == 1)
}

/// Gives the `confirming` decision claimed at `claimed_at` back (the
/// admission it led to failed), so a proctor can decide again.
/// `false` if it was taken over meanwhile.
pub fn unclaim_decision(db: Db<'_>, id: u64, claimed_at: Millis) -> Result<bool, DbError> {
    let changed = db.execute(
        "UPDATE checkins SET decision = NULL, decided_by = NULL, decided_at = NULL
         WHERE id = ?1 AND decision = 'confirming' AND decided_at = ?2",
        args![id, claimed_at],
    )?;
    Ok(changed == 1)
}

/// Frees a confirmed seat; `false` when it is not confirmed (any more).
pub fn release_seat(db: Db<'_>, id: u64, by: &str, at: Millis) -> Result<bool, DbError> {
    let changed = db.execute(
        "UPDATE checkins SET decision = 'released', decided_by = ?2, decided_at = ?3
         WHERE id = ?1 AND decision = 'confirmed'",
        args![id, by, at],
    )?;
    Ok(changed == 1)
}

/// What a seat code opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    /// A card holder a proctor station checked in.
    Checkin(u64),
    /// An attempt a proctor moved to another computer.
    Attempt(AttemptId),
}

/// Stores a seat code (by its keyed hash); some codes nobody typed in time
/// go first.
pub fn insert_seat_code(
    db: Db<'_>,
    code_hash: &TokenHash,
    seat: Seat,
    now: Millis,
    expires_at: Millis,
) -> Result<(), DbError> {
    sweep_expired(db, "seat_codes", "code_hash", now)?;
    let (checkin, attempt) = match seat {
        Seat::Checkin(id) => (Some(id), None),
        Seat::Attempt(id) => (None, Some(id)),
    };
    db.execute(
        "INSERT INTO seat_codes (code_hash, checkin_id, attempt_id, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
        args![code_hash, checkin, attempt, expires_at],
    )?;
    Ok(())
}

fn seat_of(checkin: Option<u64>, attempt: Option<AttemptId>) -> Result<Seat, DbError> {
    match (checkin, attempt) {
        (Some(id), None) => Ok(Seat::Checkin(id)),
        (None, Some(id)) => Ok(Seat::Attempt(id)),
        _ => Err(DbError::Conversion(
            "a seat code opens one check-in or one attempt".into(),
        )),
    }
}

/// What the unexpired seat code opens, leaving it in place.
pub fn peek_seat_code(
    db: Db<'_>,
    code_hash: &TokenHash,
    now: Millis,
) -> Result<Option<Seat>, DbError> {
    db.query_row(
        "SELECT checkin_id, attempt_id FROM seat_codes WHERE code_hash = ?1 AND expires_at > ?2",
        args![code_hash, now],
        |r| seat_of(r.get(0)?, r.get(1)?),
    )
    .optional()
}

/// Takes the seat code out (single use); what it opened, if it had not
/// expired.
pub fn take_seat_code(
    db: Db<'_>,
    code_hash: &TokenHash,
    now: Millis,
) -> Result<Option<Seat>, DbError> {
    let taken = db
        .query_row(
            &format!(
                "DELETE FROM seat_codes WHERE {}
                 RETURNING checkin_id, attempt_id, expires_at",
                the_one_unlocked(db, "seat_codes", "code_hash")
            ),
            args![code_hash],
            |r| Ok((seat_of(r.get(0)?, r.get(1)?)?, r.get::<Millis>(2)?)),
        )
        .optional()?;
    Ok(taken.and_then(|(seat, expires_at)| (expires_at > now).then_some(seat)))
}
