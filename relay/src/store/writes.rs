//! Every write the relay makes, as a function of a connection (a
//! `Transaction` derefs to one). The writer thread runs them; seeding runs
//! them directly before the writer starts.

use examgate_shared::Millis;
use examgate_shared::attempt::{AttemptStatus, StudentEvent};
use examgate_shared::audit_chain::{self, ATTEMPT_FINAL, FinalCommit, Hash};
use examgate_shared::error::ErrorCode;
use examgate_shared::exam::Exam;
use examgate_shared::paper::Arrangement;
use examgate_shared::scoring::Grade;

use super::db::{Db, DbError, Dialect, OptionalRow};
use super::person_ids::StoredPerson;
use crate::args;
use crate::at_rest::AtRest;
use crate::model::{
    AttemptId, CandidateId, RoomId, RosterEntry, SiteId, Sitting, SittingId, TokenHash, User,
    role_name,
};

/// Stores an exam definition and commits it into the audit chain.
pub fn insert_exam(conn: Db<'_>, exam: &Exam) -> Result<(), DbError> {
    let json = serde_json::to_string(exam).expect("exams serialise");
    conn.execute(
        "INSERT INTO exams (id, definition) VALUES (?1, ?2)",
        args![exam.id, json],
    )?;
    commit_exam(conn, crate::clock::now_ms(), "relay", &exam.id, &json)
}

/// An `exam_definition` audit entry with the SHA-256 of the definition
/// exactly as stored (`shared::audit_chain::ExamCommit`): whenever one is
/// stored or corrected, so `audit verify` tells a key changed behind the
/// relay's back.
pub fn commit_exam(
    conn: Db<'_>,
    at: Millis,
    actor: &str,
    exam_id: &str,
    stored_definition: &str,
) -> Result<(), DbError> {
    let detail = audit_chain::ExamCommit::of(exam_id, stored_definition).detail();
    audit(conn, at, actor, audit_chain::EXAM_DEFINITION, &detail)
}

pub fn insert_site(conn: Db<'_>, name: &str, code: &str) -> Result<SiteId, DbError> {
    conn.query_row(
        "INSERT INTO sites (name, code) VALUES (?1, ?2) RETURNING id",
        args![name, code],
        |r| r.get::<SiteId>(0),
    )
}

pub fn insert_room(conn: Db<'_>, site: SiteId, name: &str, seats: u32) -> Result<RoomId, DbError> {
    conn.query_row(
        "INSERT INTO rooms (site_id, name, seats) VALUES (?1, ?2, ?3) RETURNING id",
        args![site, name, seats],
        |r| r.get::<RoomId>(0),
    )
}

/// A sitting: `event` and `shift` for a shift the office planned.
pub fn insert_sitting(conn: Db<'_>, s: &Sitting) -> Result<SittingId, DbError> {
    conn.query_row(
        "INSERT INTO sittings (exam_id, opens_at, closes_at, duration_ms, event_id, shift,
                               requires_card, practice, hard_stop, fullscreen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
        args![
            s.exam_id,
            s.opens_at,
            s.closes_at,
            s.duration_ms,
            s.event_id,
            s.shift,
            s.requires_card,
            s.practice
                .map(|p| serde_json::to_string(&p).expect("rules serialise")),
            s.hard_stop,
            s.fullscreen
        ],
        |r| r.get::<SittingId>(0),
    )
}

pub fn insert_join_code(
    conn: Db<'_>,
    code: &str,
    sitting: SittingId,
    room: RoomId,
    requires_card: bool,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO join_codes (code, sitting_id, room_id, requires_card) VALUES (?1, ?2, ?3, ?4)",
        args![code, sitting, room, requires_card],
    )?;
    Ok(())
}

/// Swaps an attempt's bearer token (the candidate moved computers).
pub fn replace_token(
    conn: Db<'_>,
    attempt: AttemptId,
    token_hash: &TokenHash,
) -> Result<(), DbError> {
    conn.execute(
        "UPDATE attempts SET token_hash = ?2 WHERE id = ?1",
        args![attempt, &token_hash[..]],
    )?;
    Ok(())
}

/// Registers a person for a room of a sitting (`e.id` is ignored); the
/// CCCD number is written sealed, with its keyed hash.
pub fn insert_roster_entry(
    conn: Db<'_>,
    e: &RosterEntry,
    at_rest: &AtRest,
) -> Result<u64, DbError> {
    let person = e.person_id.as_deref().map(|p| StoredPerson::of(at_rest, p));
    conn.query_row(
        "INSERT INTO roster (sitting_id, room_id, person_id, person_key, birth, name,
                             candidate_number, pupil_id, class, school, seat)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        args![
            e.sitting_id,
            e.room_id,
            person.as_ref().map(|p| &p.sealed),
            person.as_ref().map(|p| &p.key),
            e.birth,
            e.name,
            e.candidate_number,
            e.pupil_id,
            e.class,
            e.school,
            e.seat
        ],
        |r| r.get::<u64>(0),
    )
}

/// What a judged check-in leaves in the audit trail.
#[derive(Debug, Clone)]
pub struct CheckinRecord {
    pub at: Millis,
    pub sitting_id: SittingId,
    pub room_id: RoomId,
    pub person_id: Option<String>,
    pub verdict: String,
    pub reasons: String,
    pub station: String,
    pub evidence: String,
}

/// Records a judged check-in (the CCCD number sealed, with its keyed hash)
/// and chains its verdict into the audit trail.
pub fn insert_checkin(conn: Db<'_>, r: &CheckinRecord, at_rest: &AtRest) -> Result<u64, DbError> {
    // The seat index may wait on another relay's check-in of the card.
    audit_first(conn)?;
    let person = r.person_id.as_deref().map(|p| StoredPerson::of(at_rest, p));
    let id: u64 = conn.query_row("INSERT INTO checkins (at, sitting_id, room_id, person_id, person_key, verdict, reasons, station, evidence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id", args![
            r.at,
            r.sitting_id,
            r.room_id,
            person.as_ref().map(|p| &p.sealed),
            person.as_ref().map(|p| &p.key),
            r.verdict,
            r.reasons,
            r.station,
            r.evidence
        ], |r| r.get(0))?;
    // The verdict in the audit chain, and the evidence (sealed, as stored)
    // by its hash: neither can change later unseen.
    let detail = serde_json::json!({
        "checkin": id,
        "sitting": r.sitting_id,
        "room": r.room_id,
        "person": r.person_id.as_deref().map(crate::model::masked_id),
        "verdict": r.verdict,
        "reasons": r.reasons,
        "evidence_sha256": audit_chain::to_hex(&<sha2::Sha256 as sha2::Digest>::digest(r.evidence.as_bytes()).into()),
    });
    audit(
        conn,
        r.at,
        &r.station,
        "checkin_verdict",
        &detail.to_string(),
    )?;
    Ok(id)
}

pub fn insert_user(conn: Db<'_>, user: &User) -> Result<(), DbError> {
    conn.execute("INSERT INTO users (username, password_hash, role, room_id, display_name, site_id, disabled,
                            subject)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", args![
            user.username,
            user.password_hash,
            role_name(user.role),
            user.room_id,
            user.display_name,
            user.site_id,
            user.disabled,
            user.subject
        ])?;
    Ok(())
}

/// Rewrites an account's mutable fields (password, scope, name, disabled).
pub fn update_user(conn: Db<'_>, user: &User) -> Result<(), DbError> {
    conn.execute(
        "UPDATE users SET password_hash = ?2, role = ?3, room_id = ?4, display_name = ?5,
                          site_id = ?6, disabled = ?7
         WHERE username = ?1",
        args![
            user.username,
            user.password_hash,
            role_name(user.role),
            user.room_id,
            user.display_name,
            user.site_id,
            user.disabled
        ],
    )?;
    Ok(())
}

/// `candidate_number` is the roster's số báo danh, if registered.
pub fn insert_candidate(
    conn: Db<'_>,
    sitting: SittingId,
    room: RoomId,
    name: &str,
    name_key: &str,
    candidate_number: Option<&str>,
) -> Result<CandidateId, DbError> {
    conn.query_row(
        "INSERT INTO candidates (sitting_id, room_id, name, name_key, candidate_number)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        args![sitting, room, name, name_key, candidate_number],
        |r| r.get::<CandidateId>(0),
    )
}

/// The next joining ordinal of `sitting` (0 for its first attempt): the
/// numbered paper an attempt gets. Counted in the store (its row locked
/// until the commit), so relays sharing it deal in one order; the count
/// starts from the attempts already made (a database from before it).
pub fn deal(conn: Db<'_>, sitting: SittingId) -> Result<u64, DbError> {
    let next = conn
        .query_row(
            "UPDATE sitting_deals SET dealt = dealt + 1 WHERE sitting_id = ?1
             RETURNING dealt - 1",
            args![sitting],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(next) = next {
        return Ok(next);
    }
    conn.query_row(
        "INSERT INTO sitting_deals (sitting_id, dealt)
         VALUES (?1, 1 + (SELECT COUNT(*) FROM attempts a
                          JOIN candidates c ON c.id = a.candidate_id
                          WHERE c.sitting_id = ?1))
         ON CONFLICT (sitting_id) DO UPDATE SET dealt = sitting_deals.dealt + 1
         RETURNING dealt - 1",
        args![sitting],
        |r| r.get(0),
    )
}

pub fn insert_attempt(
    conn: Db<'_>,
    candidate: CandidateId,
    token_hash: &TokenHash,
    arrangement: &Arrangement,
) -> Result<AttemptId, DbError> {
    let arrangement = serde_json::to_string(arrangement).expect("arrangements serialise");
    conn.query_row("INSERT INTO attempts (candidate_id, token_hash, arrangement) VALUES (?1, ?2, ?3) RETURNING id", args![candidate, token_hash.as_slice(), arrangement], |r| r.get::<AttemptId>(0))
}

/// Starts the attempt unless it has started; whether this call started it
/// (another relay may have, a moment before).
pub fn start_attempt(
    conn: Db<'_>,
    attempt: AttemptId,
    started_at: Millis,
    deadline_at: Millis,
) -> Result<bool, DbError> {
    let changed = conn.execute(
        "UPDATE attempts SET started_at = ?2, deadline_at = ?3 WHERE id = ?1 AND started_at IS NULL",
        args![attempt, started_at, deadline_at],
    )?;
    Ok(changed == 1)
}

/// Records event `seq`; `refused` is the code it was refused with, if any.
/// The event is chained to the attempt's previous one
/// (`shared::audit_chain`). The database decides duplicates and gaps: the
/// attempt is locked first (PostgreSQL, [`crate::store::pg_schema::attempt_lock`];
/// SQLite's one writer already excludes every other), so the head read
/// here is the last committed by
/// any relay, and anything but its successor is refused
/// ([`DbError::OutOfSequence`]). The primary key (attempt, seq) stays the
/// backstop.
pub fn insert_event(
    conn: Db<'_>,
    attempt: AttemptId,
    seq: u64,
    received_at: Millis,
    event: &StudentEvent,
    refused: Option<ErrorCode>,
) -> Result<(), DbError> {
    insert_event_as_read(conn, attempt, seq, received_at, event, refused, None)
}

/// What a relay that shares its database read of an attempt when it
/// decided an event: anything else stored (another relay's control, a
/// token replaced) makes the event [`DbError::Stale`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsRead {
    pub controls: u64,
    pub is_final: bool,
    pub token_hash: crate::model::TokenHash,
}

/// [`insert_event`], refused as stale unless the attempt is still `as_read`.
pub fn insert_event_as_read(
    conn: Db<'_>,
    attempt: AttemptId,
    seq: u64,
    received_at: Millis,
    event: &StudentEvent,
    refused: Option<ErrorCode>,
    as_read: Option<&AsRead>,
) -> Result<(), DbError> {
    let json = serde_json::to_string(event).expect("events serialise");
    let refused = refused.map(ErrorCode::as_str);
    let (head, prev) = match as_read {
        None => locked_events_head(conn, attempt)?,
        Some(as_read) => {
            let (head, prev, now) = locked_state(conn, attempt)?;
            if head + 1 == seq && now.as_ref() != Some(as_read) {
                return Err(DbError::Stale { attempt });
            }
            (head, prev)
        }
    };
    if seq != head + 1 {
        return Err(DbError::OutOfSequence { attempt, seq, head });
    }
    let hash = audit_chain::event_link(&prev, attempt, seq, received_at, &json, refused);
    conn.execute(
        "INSERT INTO events (attempt_id, seq, received_at, event, refused, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        args![attempt, seq, received_at, json, refused, &hash[..]],
    )?;
    Ok(())
}

/// Checks, under the attempt's lock, that the attempt is still as the
/// relay read it when it decided a control: `after_seq` its last event,
/// and final or not as `final_then`. A change by another relay since
/// ([`DbError::Stale`]) sends the relay to read it again and decide anew,
/// so two relays closing one attempt at its deadline close it once.
pub fn claim_attempt(
    conn: Db<'_>,
    attempt: AttemptId,
    after_seq: u64,
    final_then: bool,
    controls_then: u64,
) -> Result<(), DbError> {
    let (head, _, now) = locked_state(conn, attempt)?;
    let same = now.is_some_and(|n| n.is_final == final_then && n.controls == controls_then);
    if head != after_seq || !same {
        return Err(DbError::Stale { attempt });
    }
    Ok(())
}

/// [`locked_events_head`] and the attempt's stored controls count, final
/// flag and token, read in one statement (one round trip per answer, as
/// for a relay alone).
fn locked_state(conn: Db<'_>, attempt: AttemptId) -> Result<(u64, Hash, Option<AsRead>), DbError> {
    lock_attempt(conn, attempt)?;
    let row = conn
        .query_row(
            "SELECT (SELECT seq FROM events WHERE attempt_id = ?1 ORDER BY seq DESC LIMIT 1),
                    (SELECT hash FROM events WHERE attempt_id = ?1 ORDER BY seq DESC LIMIT 1),
                    a.final_status, a.token_hash,
                    (SELECT count(*) FROM attempt_controls c WHERE c.attempt_id = ?1)
             FROM attempts a WHERE a.id = ?1",
            args![attempt],
            |r| {
                let token: Vec<u8> = r.get(3)?;
                Ok((
                    r.get::<Option<u64>>(0)?,
                    r.get::<Option<Vec<u8>>>(1)?,
                    AsRead {
                        is_final: r.get::<Option<String>>(2)?.is_some(),
                        token_hash: token.as_slice().try_into().map_err(|_| {
                            DbError::Conversion("a token hash is not 32 bytes".into())
                        })?,
                        controls: r.get(4)?,
                    },
                ))
            },
        )
        .optional()?;
    Ok(match row {
        // As in `events_head`: a missing or malformed hash chains on as if
        // from nothing; `audit verify` names that event.
        Some((Some(seq), hash, now)) => (seq, as_hash(hash).unwrap_or_default(), Some(now)),
        Some((None, _, now)) => (0, audit_chain::events_genesis(attempt), Some(now)),
        None => (0, audit_chain::events_genesis(attempt), None),
    })
}

/// [`events_head`], with the attempt locked until the commit where other
/// relays write too. On PostgreSQL the lock is its own statement,
/// sent in the same round trip as the read: the read then takes its
/// snapshot after the lock was granted, so it sees whatever the relay that
/// held the lock before committed (one statement locking and reading would
/// read from before its wait).
fn locked_events_head(conn: Db<'_>, attempt: AttemptId) -> Result<(u64, Hash), DbError> {
    lock_attempt(conn, attempt)?;
    events_head(conn, attempt)
}

/// Holds the attempt until the commit where other relays write too (sent
/// with the next statement).
fn lock_attempt(conn: Db<'_>, attempt: AttemptId) -> Result<(), DbError> {
    if conn.dialect() == Dialect::Postgres {
        // An advisory lock, not `SELECT … FOR UPDATE`: a row lock writes
        // the attempt's tuple (and WAL, and after each checkpoint a whole
        // page) for every answer; this one lives in the lock table only.
        conn.control(&format!(
            "SELECT pg_advisory_xact_lock({})",
            crate::store::pg_schema::attempt_lock(attempt)
        ))?;
    }
    Ok(())
}

/// The number and hash of an attempt's last event (0 and the attempt's
/// genesis value when it has none).
pub fn events_head(conn: Db<'_>, attempt: AttemptId) -> Result<(u64, Hash), DbError> {
    let last = conn
        .query_row(
            "SELECT seq, hash FROM events WHERE attempt_id = ?1 ORDER BY seq DESC LIMIT 1",
            args![attempt],
            |r| Ok((r.get::<u64>(0)?, r.get::<Option<Vec<u8>>>(1)?)),
        )
        .optional()?;
    Ok(match last {
        // A missing or malformed hash chains on as if from nothing;
        // `audit verify` names that event.
        Some((seq, hash)) => (seq, as_hash(hash).unwrap_or_default()),
        None => (0, audit_chain::events_genesis(attempt)),
    })
}

fn as_hash(stored: Option<Vec<u8>>) -> Option<Hash> {
    stored.and_then(|bytes| Hash::try_from(bytes.as_slice()).ok())
}

/// Marks the attempt final with its grade; whether this call made it
/// final. Only the first final write (the row's `final_status` still NULL,
/// decided under the attempt's lock) sets the status and time and commits the
/// head of its answer events into the audit chain (`attempt_final`);
/// a later one (a regrade, or a second relay closing the same attempt)
/// rewrites only the grade, which the same answers give alike.
pub fn finish_attempt(
    conn: Db<'_>,
    attempt: AttemptId,
    status: AttemptStatus,
    finished_at: Millis,
    grade: &Grade,
) -> Result<bool, DbError> {
    let status = match status {
        AttemptStatus::Submitted => "submitted",
        AttemptStatus::Closed => "closed",
        other => unreachable!("finish_attempt with non-final status {other:?}"),
    };
    let (num, den) = grade.score.fraction();
    let score = format!("{num}/{den}");
    let first = conn.execute(
        "UPDATE attempts SET final_status = ?2, finished_at = ?3, score = ?4, score_milli = ?5,
         mark_tenths = ?6 WHERE id = ?1 AND final_status IS NULL",
        args![
            attempt,
            status,
            finished_at,
            score,
            grade.score.milli_rounded(),
            grade.mark.tenths()
        ],
    )? == 1;
    if !first {
        conn.execute(
            "UPDATE attempts SET score = ?2, score_milli = ?3, mark_tenths = ?4 WHERE id = ?1",
            args![
                attempt,
                score,
                grade.score.milli_rounded(),
                grade.mark.tenths()
            ],
        )?;
        return Ok(false);
    }
    commit_events(conn, attempt, status, finished_at, "relay")?;
    Ok(true)
}

/// Writes the `attempt_final` audit entry naming the attempt's events as
/// they stand (how many, and the last one's hash).
pub fn commit_events(
    conn: Db<'_>,
    attempt: AttemptId,
    status: &str,
    at: Millis,
    actor: &str,
) -> Result<(), DbError> {
    let (events, head) = events_head(conn, attempt)?;
    let commit = FinalCommit {
        attempt_id: attempt,
        status: status.to_owned(),
        events,
        head,
    };
    audit(conn, at, actor, ATTEMPT_FINAL, &commit.detail())
}

/// Appends to the audit trail, chained to the last entry
/// (`shared::audit_chain`): the new entry takes the next id and commits to
/// the previous entry's hash. Nothing slips in between the read and the
/// insert: on SQLite the writer thread runs one job at a time; on
/// PostgreSQL, where several relays write, the chain's lock is held until
/// the commit (so audited writes of all relays take turns, a batch at a
/// time).
/// For a job that writes the audit trail and also locks rows another
/// relay's batch may lock (a join's candidate and dealing counter, a
/// check-in, a decision, a moved attempt): takes the audit trail's lock
/// first (PostgreSQL). Every batch that audits takes that lock anyway, so
/// two batches can then never each hold one of the two and wait for the
/// other.
pub fn audit_first(conn: Db<'_>) -> Result<(), DbError> {
    if conn.dialect() == Dialect::Postgres {
        super::pg_schema::lock_audit(conn)?;
    }
    Ok(())
}

pub fn audit(
    conn: Db<'_>,
    at: Millis,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<(), DbError> {
    if conn.dialect() == Dialect::Postgres {
        super::pg_schema::lock_audit(conn)?;
    }
    let last = conn
        .query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            args![],
            |r| Ok((r.get::<u64>(0)?, r.get::<Option<Vec<u8>>>(1)?)),
        )
        .optional()?;
    let (id, prev) = match last {
        // A missing hash chains on as if from nothing; `audit verify`
        // names that entry.
        Some((id, hash)) => (id + 1, as_hash(hash).unwrap_or_default()),
        None => (1, audit_chain::audit_genesis()),
    };
    let hash = audit_chain::audit_link(&prev, id, at, actor, action, detail);
    conn.execute(
        "INSERT INTO audit (id, at, actor, action, detail, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        args![id, at, actor, action, detail, &hash[..]],
    )?;
    Ok(())
}
