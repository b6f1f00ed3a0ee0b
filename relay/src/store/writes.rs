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
use rusqlite::{Connection, OptionalExtension, params};

use super::person_ids::StoredPerson;
use crate::at_rest::AtRest;
use crate::model::{
    AttemptId, CandidateId, RoomId, RosterEntry, SiteId, Sitting, SittingId, TokenHash, User,
    role_name,
};

/// Stores an exam definition and commits it into the audit chain.
pub fn insert_exam(conn: &Connection, exam: &Exam) -> rusqlite::Result<()> {
    let json = serde_json::to_string(exam).expect("exams serialise");
    conn.prepare_cached("INSERT INTO exams (id, definition) VALUES (?1, ?2)")?
        .execute(params![exam.id, json])?;
    commit_exam(conn, crate::clock::now_ms(), "relay", &exam.id, &json)
}

/// An `exam_definition` audit entry with the SHA-256 of the definition
/// exactly as stored (`shared::audit_chain::ExamCommit`): whenever one is
/// stored or corrected, so `audit verify` tells a key changed behind the
/// relay's back.
pub fn commit_exam(
    conn: &Connection,
    at: Millis,
    actor: &str,
    exam_id: &str,
    stored_definition: &str,
) -> rusqlite::Result<()> {
    let detail = audit_chain::ExamCommit::of(exam_id, stored_definition).detail();
    audit(conn, at, actor, audit_chain::EXAM_DEFINITION, &detail)
}

pub fn insert_site(conn: &Connection, name: &str, code: &str) -> rusqlite::Result<SiteId> {
    conn.prepare_cached("INSERT INTO sites (name, code) VALUES (?1, ?2)")?
        .execute(params![name, code])?;
    Ok(conn.last_insert_rowid() as SiteId)
}

pub fn insert_room(
    conn: &Connection,
    site: SiteId,
    name: &str,
    seats: u32,
) -> rusqlite::Result<RoomId> {
    conn.prepare_cached("INSERT INTO rooms (site_id, name, seats) VALUES (?1, ?2, ?3)")?
        .execute(params![site, name, seats])?;
    Ok(conn.last_insert_rowid() as RoomId)
}

/// A sitting: `event` and `shift` for a shift the office planned.
pub fn insert_sitting(conn: &Connection, s: &Sitting) -> rusqlite::Result<SittingId> {
    conn.prepare_cached(
        "INSERT INTO sittings (exam_id, opens_at, closes_at, duration_ms, event_id, shift,
                               requires_card, practice, hard_stop, fullscreen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
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
    ])?;
    Ok(conn.last_insert_rowid() as SittingId)
}

pub fn insert_join_code(
    conn: &Connection,
    code: &str,
    sitting: SittingId,
    room: RoomId,
    requires_card: bool,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO join_codes (code, sitting_id, room_id, requires_card) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![code, sitting, room, requires_card])?;
    Ok(())
}

/// Swaps an attempt's bearer token (the candidate moved computers).
pub fn replace_token(
    conn: &Connection,
    attempt: AttemptId,
    token_hash: &TokenHash,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE attempts SET token_hash = ?2 WHERE id = ?1")?
        .execute(params![attempt, &token_hash[..]])?;
    Ok(())
}

/// Registers a person for a room of a sitting (`e.id` is ignored); the
/// CCCD number is written sealed, with its keyed hash.
pub fn insert_roster_entry(
    conn: &Connection,
    e: &RosterEntry,
    at_rest: &AtRest,
) -> rusqlite::Result<u64> {
    let person = e.person_id.as_deref().map(|p| StoredPerson::of(at_rest, p));
    conn.prepare_cached(
        "INSERT INTO roster (sitting_id, room_id, person_id, person_key, birth, name,
                             candidate_number, pupil_id, class, school, seat)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
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
    ])?;
    Ok(conn.last_insert_rowid() as u64)
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
pub fn insert_checkin(
    conn: &Connection,
    r: &CheckinRecord,
    at_rest: &AtRest,
) -> rusqlite::Result<u64> {
    let person = r.person_id.as_deref().map(|p| StoredPerson::of(at_rest, p));
    conn.prepare_cached("INSERT INTO checkins (at, sitting_id, room_id, person_id, person_key, verdict, reasons, station, evidence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?
        .execute(params![
            r.at,
            r.sitting_id,
            r.room_id,
            person.as_ref().map(|p| &p.sealed),
            person.as_ref().map(|p| &p.key),
            r.verdict,
            r.reasons,
            r.station,
            r.evidence
        ])?;
    let id = conn.last_insert_rowid() as u64;
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

/// The proctor's decision on a check-in (or a seat released).
pub fn decide_checkin(
    conn: &Connection,
    id: u64,
    decision: &str,
    by: &str,
    at: Millis,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE checkins SET decision = ?2, decided_by = ?3, decided_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, decision, by, at])?;
    Ok(())
}

pub fn insert_user(conn: &Connection, user: &User) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO users (username, password_hash, role, room_id, display_name, site_id, disabled,
                            subject)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?
        .execute(params![
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
pub fn update_user(conn: &Connection, user: &User) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE users SET password_hash = ?2, role = ?3, room_id = ?4, display_name = ?5,
                          site_id = ?6, disabled = ?7
         WHERE username = ?1",
    )?
    .execute(params![
        user.username,
        user.password_hash,
        role_name(user.role),
        user.room_id,
        user.display_name,
        user.site_id,
        user.disabled
    ])?;
    Ok(())
}

/// `candidate_number` is the roster's số báo danh, if registered.
pub fn insert_candidate(
    conn: &Connection,
    sitting: SittingId,
    room: RoomId,
    name: &str,
    name_key: &str,
    candidate_number: Option<&str>,
) -> rusqlite::Result<CandidateId> {
    conn.prepare_cached(
        "INSERT INTO candidates (sitting_id, room_id, name, name_key, candidate_number)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![sitting, room, name, name_key, candidate_number])?;
    Ok(conn.last_insert_rowid() as CandidateId)
}

pub fn insert_attempt(
    conn: &Connection,
    candidate: CandidateId,
    token_hash: &TokenHash,
    arrangement: &Arrangement,
) -> rusqlite::Result<AttemptId> {
    let arrangement = serde_json::to_string(arrangement).expect("arrangements serialise");
    conn.prepare_cached(
        "INSERT INTO attempts (candidate_id, token_hash, arrangement) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![candidate, token_hash.as_slice(), arrangement])?;
    Ok(conn.last_insert_rowid() as AttemptId)
}

pub fn start_attempt(
    conn: &Connection,
    attempt: AttemptId,
    started_at: Millis,
    deadline_at: Millis,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE attempts SET started_at = ?2, deadline_at = ?3 WHERE id = ?1 AND started_at IS NULL")?
        .execute(params![attempt, started_at, deadline_at])?;
    Ok(())
}

/// Records event `seq`; `refused` is the code it was refused with, if any.
/// The primary key (attempt, seq) makes a second insert of the same number
/// fail rather than silently duplicate. The event is chained to the
/// attempt's previous one (`shared::audit_chain`); the writer thread runs
/// one job at a time, so the previous hash read here is the last written.
pub fn insert_event(
    conn: &Connection,
    attempt: AttemptId,
    seq: u64,
    received_at: Millis,
    event: &StudentEvent,
    refused: Option<ErrorCode>,
) -> rusqlite::Result<()> {
    let json = serde_json::to_string(event).expect("events serialise");
    let refused = refused.map(ErrorCode::as_str);
    let (_, prev) = events_head(conn, attempt)?;
    let hash = audit_chain::event_link(&prev, attempt, seq, received_at, &json, refused);
    conn.prepare_cached(
        "INSERT INTO events (attempt_id, seq, received_at, event, refused, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![attempt, seq, received_at, json, refused, &hash[..]])?;
    Ok(())
}

/// The number and hash of an attempt's last event (0 and the attempt's
/// genesis value when it has none).
pub fn events_head(conn: &Connection, attempt: AttemptId) -> rusqlite::Result<(u64, Hash)> {
    let last = conn
        .prepare_cached(
            "SELECT seq, hash FROM events WHERE attempt_id = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([attempt], |r| {
            Ok((r.get::<_, u64>(0)?, r.get::<_, Option<Vec<u8>>>(1)?))
        })
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

/// Marks the attempt final with its grade. The first time it becomes final
/// (not on a regrade) an `attempt_final` audit entry commits the head of
/// its answer events, tying them into the audit chain.
pub fn finish_attempt(
    conn: &Connection,
    attempt: AttemptId,
    status: AttemptStatus,
    finished_at: Millis,
    grade: &Grade,
) -> rusqlite::Result<()> {
    let status = match status {
        AttemptStatus::Submitted => "submitted",
        AttemptStatus::Closed => "closed",
        other => unreachable!("finish_attempt with non-final status {other:?}"),
    };
    let was_final: bool = conn
        .prepare_cached("SELECT final_status IS NOT NULL FROM attempts WHERE id = ?1")?
        .query_row([attempt], |r| r.get(0))?;
    let (num, den) = grade.score.fraction();
    conn.prepare_cached(
        "UPDATE attempts SET final_status = ?2, finished_at = ?3, score = ?4, score_milli = ?5,
         mark_tenths = ?6 WHERE id = ?1",
    )?
    .execute(params![
        attempt,
        status,
        finished_at,
        format!("{num}/{den}"),
        grade.score.milli_rounded(),
        grade.mark.tenths()
    ])?;
    if was_final {
        return Ok(());
    }
    commit_events(conn, attempt, status, finished_at, "relay")
}

/// Writes the `attempt_final` audit entry naming the attempt's events as
/// they stand (how many, and the last one's hash).
pub fn commit_events(
    conn: &Connection,
    attempt: AttemptId,
    status: &str,
    at: Millis,
    actor: &str,
) -> rusqlite::Result<()> {
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
/// the previous entry's hash. The writer thread runs one job at a time, so
/// nothing slips in between the read and the insert.
pub fn audit(
    conn: &Connection,
    at: Millis,
    actor: &str,
    action: &str,
    detail: &str,
) -> rusqlite::Result<()> {
    let last = conn
        .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| {
            Ok((r.get::<_, u64>(0)?, r.get::<_, Option<Vec<u8>>>(1)?))
        })
        .optional()?;
    let (id, prev) = match last {
        // A missing hash chains on as if from nothing; `audit verify`
        // names that entry.
        Some((id, hash)) => (id + 1, as_hash(hash).unwrap_or_default()),
        None => (1, audit_chain::audit_genesis()),
    };
    let hash = audit_chain::audit_link(&prev, id, at, actor, action, detail);
    conn.prepare_cached(
        "INSERT INTO audit (id, at, actor, action, detail, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, at, actor, action, detail, &hash[..]])?;
    Ok(())
}
