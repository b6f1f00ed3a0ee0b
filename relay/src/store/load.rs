//! Reading everything back at start-up.
//!
//! The relay keeps its working set in memory; the database (SQLite or
//! PostgreSQL) is the durable record.
//! Attempts are rebuilt by replaying their stored events through the shared
//! attempt state machine, so a restart reaches exactly the state the relay
//! had acknowledged. Proctors' controls are replayed between the events
//! they followed, through the same `Attempt::control`, so a paused attempt
//! is still paused and extra time is still given after a restart.

use std::collections::HashMap;

use examgate_shared::Millis;
use examgate_shared::attempt::{Attempt, AttemptStatus, StudentEvent};
use examgate_shared::control::Control;
use examgate_shared::error::ErrorCode;
use examgate_shared::exam::Exam;
use examgate_shared::integrity::Warning;
use examgate_shared::paper::Arrangement;

use super::db::{Db, DbError, Row};
use super::oversight::{LoadedOversight, StoredControl};
use super::person_ids;
use crate::args;
use crate::at_rest::AtRest;
use crate::auth::Session;
use crate::model::{
    AttemptId, Candidate, CandidateId, ExamEvent, JoinCode, Room, RosterEntry, Site, Sitting,
    SittingId, TokenHash, User, parse_role,
};

/// An attempt as stored, replayed.
#[derive(Debug, Clone)]
pub struct StoredAttempt {
    pub id: AttemptId,
    pub candidate_id: CandidateId,
    pub token_hash: TokenHash,
    pub arrangement: Arrangement,
    pub attempt: Attempt,
    /// How many stored controls were replayed into `attempt`.
    pub controls: u64,
}

/// Everything the relay needs in memory.
#[derive(Debug, Default)]
pub struct Loaded {
    pub exams: Vec<Exam>,
    pub events: Vec<ExamEvent>,
    pub sites: Vec<Site>,
    pub rooms: Vec<Room>,
    pub sittings: Vec<Sitting>,
    pub join_codes: Vec<JoinCode>,
    pub roster: Vec<RosterEntry>,
    /// Accepted check-ins of the sittings still open, for proctors' views.
    pub desks: Vec<super::desk::DeskRow>,
    /// Refused card reads per room in the sittings still open.
    pub refused: Vec<(crate::model::RoomId, u32)>,
    pub candidates: Vec<Candidate>,
    pub attempts: Vec<StoredAttempt>,
    pub users: Vec<User>,
    /// The outstanding set-up link's token hash (no account yet).
    pub setup_hash: Option<TokenHash>,
    /// Staff sessions still valid: unexpired, unrevoked, account enabled.
    pub sessions: Vec<(TokenHash, Session)>,
    /// Signals, incidents and messages (the controls are replayed into
    /// `attempts` already).
    pub oversight: LoadedOversight,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("stored data is invalid: {0}")]
    Invalid(String),
}

impl From<LoadError> for DbError {
    fn from(e: LoadError) -> DbError {
        match e {
            LoadError::Db(e) => e,
            LoadError::Invalid(why) => DbError::Conversion(why),
        }
    }
}

/// The open attempts whose deadline passed before `before` (by the index
/// `attempts_open_by_deadline`).
pub(crate) const OVERDUE: &str = "SELECT id FROM attempts
     WHERE final_status IS NULL AND deadline_at IS NOT NULL AND deadline_at < ?1";

pub fn overdue(db: Db<'_>, before: Millis) -> Result<Vec<AttemptId>, DbError> {
    db.query_map(OVERDUE, args![before], |r| r.get(0))
}

/// Reads everything back; sealed CCCD numbers are opened with `at_rest`.
pub fn load(conn: Db<'_>, at_rest: &AtRest) -> Result<Loaded, LoadError> {
    let mut out = load_catalog(conn, at_rest)?;
    // The check-in desk (seats are the store's; this is what proctors see).
    let now = crate::clock::now_ms();
    out.desks = super::desk::open_desks(conn, now)?;
    out.refused = super::desk::refused_by_room(conn, now)?;
    out.candidates = query(
        conn,
        "SELECT id, sitting_id, room_id, name, name_key, candidate_number FROM candidates
         ORDER BY id",
        |r| {
            Ok(Candidate {
                id: r.get(0)?,
                sitting_id: r.get(1)?,
                room_id: r.get(2)?,
                name: r.get(3)?,
                key: r.get(4)?,
                candidate_number: r.get(5)?,
            })
        },
    )?;
    out.setup_hash = crate::office::setup::load_hash(conn)?;
    out.sessions = load_sessions(conn, crate::clock::now_ms())?;
    out.oversight = super::oversight::load(conn)?;
    let mut controls: HashMap<AttemptId, Vec<StoredControl>> = HashMap::new();
    for c in std::mem::take(&mut out.oversight.controls) {
        controls.entry(c.attempt_id).or_default().push(c);
    }
    let hard_stops: HashMap<SittingId, Option<Millis>> =
        out.sittings.iter().map(|s| (s.id, s.hard_stop)).collect();
    let hard_stop_of: HashMap<CandidateId, Option<Millis>> = out
        .candidates
        .iter()
        .map(|c| (c.id, hard_stops.get(&c.sitting_id).copied().flatten()))
        .collect();
    out.attempts = load_attempts(conn, None, &controls, &hard_stop_of)?;
    Ok(out)
}

/// What the exam office and the bank change while relays run: exams, the
/// plan (events, sites, rooms, shifts, join codes, the roster) and staff
/// accounts. The rest of [`Loaded`] is left empty.
pub fn load_catalog(conn: Db<'_>, at_rest: &AtRest) -> Result<Loaded, LoadError> {
    let mut out = Loaded::default();
    let exams = query(conn, "SELECT id, definition FROM exams ORDER BY id", |r| {
        Ok((r.get::<String>(0)?, r.get::<String>(1)?))
    })?;
    for (id, json) in exams {
        let exam: Exam = serde_json::from_str(&json)
            .map_err(|e| LoadError::Invalid(format!("exam {id}: {e}")))?;
        exam.validate()
            .map_err(|e| LoadError::Invalid(format!("exam {id}: {e}")))?;
        out.exams.push(exam);
    }
    out.events = query(
        conn,
        "SELECT id, name, subject, created_at, published_at FROM exam_events ORDER BY id",
        |r| {
            Ok(ExamEvent {
                id: r.get(0)?,
                name: r.get(1)?,
                subject: r.get(2)?,
                created_at: r.get(3)?,
                published_at: r.get(4)?,
            })
        },
    )?;
    out.sites = query(conn, "SELECT id, name, code FROM sites ORDER BY id", |r| {
        Ok(Site {
            id: r.get(0)?,
            name: r.get(1)?,
            code: r.get(2)?,
        })
    })?;
    out.rooms = query(
        conn,
        "SELECT id, site_id, name, seats FROM rooms ORDER BY id",
        |r| {
            Ok(Room {
                id: r.get(0)?,
                site_id: r.get(1)?,
                name: r.get(2)?,
                seats: r.get(3)?,
            })
        },
    )?;
    out.sittings = query(
        conn,
        "SELECT id, exam_id, opens_at, closes_at, duration_ms, event_id, shift, requires_card,
                practice, hard_stop, fullscreen
         FROM sittings ORDER BY id",
        |r| {
            Ok(Sitting {
                id: r.get(0)?,
                exam_id: r.get(1)?,
                opens_at: r.get(2)?,
                closes_at: r.get(3)?,
                duration_ms: r.get(4)?,
                event_id: r.get(5)?,
                shift: r.get(6)?,
                requires_card: r.get(7)?,
                // Unreadable rules would be a bug; a single try is the safe reading.
                practice: r
                    .get::<Option<String>>(8)?
                    .map(|json| serde_json::from_str(&json).unwrap_or_default()),
                hard_stop: r.get(9)?,
                fullscreen: r.get(10)?,
            })
        },
    )?;
    out.join_codes = query(
        conn,
        "SELECT code, sitting_id, room_id, requires_card FROM join_codes",
        |r| {
            Ok(JoinCode {
                code: r.get(0)?,
                sitting_id: r.get(1)?,
                room_id: r.get(2)?,
                requires_card: r.get(3)?,
            })
        },
    )?;
    out.roster = query(
        conn,
        "SELECT id, sitting_id, room_id, person_id, birth, name, candidate_number, pupil_id,
                class, school, seat
         FROM roster ORDER BY id",
        |r| {
            Ok(RosterEntry {
                id: r.get(0)?,
                sitting_id: r.get(1)?,
                room_id: r.get(2)?,
                person_id: person_ids::open(at_rest, r.get(3)?)
                    .map_err(person_ids::sealed_error)?,
                birth: r.get(4)?,
                name: r.get(5)?,
                candidate_number: r.get(6)?,
                pupil_id: r.get(7)?,
                class: r.get(8)?,
                school: r.get(9)?,
                seat: r.get(10)?,
            })
        },
    )?;
    let users = query(
        conn,
        "SELECT username, password_hash, role, room_id, display_name, site_id, disabled, subject
         FROM users",
        |r| {
            Ok((
                r.get::<String>(2)?,
                User {
                    username: r.get(0)?,
                    password_hash: r.get(1)?,
                    role: examgate_shared::protocol::Role::Teacher,
                    room_id: r.get(3)?,
                    display_name: r.get(4)?,
                    site_id: r.get(5)?,
                    disabled: r.get(6)?,
                    subject: r.get(7)?,
                },
            ))
        },
    )?;
    for (role, mut user) in users {
        user.role = parse_role(&role).ok_or_else(|| {
            LoadError::Invalid(format!("user {}: unknown role {role}", user.username))
        })?;
        out.users.push(user);
    }
    Ok(out)
}

/// What tells whether a relay's copy of an attempt is the stored one: its
/// token, its last event's number, whether it is final and how many
/// controls it has had. Every change of an attempt changes one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptVersion {
    pub token_hash: Vec<u8>,
    pub head: u64,
    pub is_final: bool,
    pub controls: u64,
}

/// The attempt's [`AttemptVersion`] in one statement.
pub fn attempt_version(conn: Db<'_>, id: AttemptId) -> Result<Option<AttemptVersion>, DbError> {
    let found = conn.query_map(
        "SELECT a.token_hash, a.final_status,
                (SELECT max(e.seq) FROM events e WHERE e.attempt_id = a.id),
                (SELECT count(*) FROM attempt_controls c WHERE c.attempt_id = a.id)
         FROM attempts a WHERE a.id = ?1",
        args![id],
        |r| {
            Ok(AttemptVersion {
                token_hash: r.get(0)?,
                is_final: r.get::<Option<String>>(1)?.is_some(),
                head: r.get::<Option<u64>>(2)?.unwrap_or(0),
                controls: r.get(3)?,
            })
        },
    )?;
    Ok(found.into_iter().next())
}

/// Every attempt of a sitting as (id, last event, final, controls).
pub fn sitting_versions(
    conn: Db<'_>,
    sitting: SittingId,
) -> Result<Vec<(AttemptId, u64, bool, u64)>, DbError> {
    conn.query_map(
        "SELECT a.id, (SELECT max(e.seq) FROM events e WHERE e.attempt_id = a.id),
                a.final_status,
                (SELECT count(*) FROM attempt_controls k WHERE k.attempt_id = a.id)
         FROM attempts a JOIN candidates c ON c.id = a.candidate_id WHERE c.sitting_id = ?1",
        args![sitting],
        |r| {
            Ok((
                r.get(0)?,
                r.get::<Option<u64>>(1)?.unwrap_or(0),
                r.get::<Option<String>>(2)?.is_some(),
                r.get(3)?,
            ))
        },
    )
}

/// How [`load_attempt`] finds its attempt.
#[derive(Debug, Clone, Copy)]
pub enum Which<'a> {
    Id(AttemptId),
    Token(&'a TokenHash),
}

/// One attempt as stored now, replayed, with its candidate and its
/// integrity warnings: what a relay reads when another relay may have
/// changed the attempt (or created it).
#[derive(Debug, Clone)]
pub struct AttemptNow {
    pub candidate: Candidate,
    pub stored: StoredAttempt,
    pub warnings: Vec<Warning>,
}

pub fn load_attempt(conn: Db<'_>, which: Which<'_>) -> Result<Option<AttemptNow>, LoadError> {
    let id = match which {
        Which::Id(id) => conn
            .query_map("SELECT id FROM attempts WHERE id = ?1", args![id], |r| {
                r.get::<AttemptId>(0)
            })?
            .pop(),
        Which::Token(hash) => conn
            .query_map(
                "SELECT id FROM attempts WHERE token_hash = ?1",
                args![&hash[..]],
                |r| r.get::<AttemptId>(0),
            )?
            .pop(),
    };
    let Some(id) = id else { return Ok(None) };
    let candidates = conn.query_map(
        "SELECT c.id, c.sitting_id, c.room_id, c.name, c.name_key, c.candidate_number,
                s.hard_stop
         FROM attempts a JOIN candidates c ON c.id = a.candidate_id
                         JOIN sittings s ON s.id = c.sitting_id
         WHERE a.id = ?1",
        args![id],
        |r| {
            Ok((
                Candidate {
                    id: r.get(0)?,
                    sitting_id: r.get(1)?,
                    room_id: r.get(2)?,
                    name: r.get(3)?,
                    key: r.get(4)?,
                    candidate_number: r.get(5)?,
                },
                r.get::<Option<Millis>>(6)?,
            ))
        },
    )?;
    let Some((candidate, hard_stop)) = candidates.into_iter().next() else {
        return Err(LoadError::Invalid(format!("attempt {id} has no candidate")));
    };
    let controls = HashMap::from([(id, super::oversight::controls(conn, Some(id))?)]);
    let hard_stop_of = HashMap::from([(candidate.id, hard_stop)]);
    let stored = load_attempts(conn, Some(id), &controls, &hard_stop_of)?
        .pop()
        .ok_or_else(|| LoadError::Invalid(format!("attempt {id} vanished while read")))?;
    let warnings = super::oversight::warnings(conn, Some(id))?
        .into_iter()
        .map(|(_, w)| w)
        .collect();
    Ok(Some(AttemptNow {
        candidate,
        stored,
        warnings,
    }))
}

fn query<T>(
    conn: Db<'_>,
    sql: &str,
    f: impl FnMut(&Row<'_>) -> Result<T, DbError>,
) -> Result<Vec<T>, DbError> {
    conn.query_map(sql, args![], f)
}

/// The staff sessions a restarted relay keeps: not expired at `now`, not
/// revoked, and of an account that is not disabled (even if revoking its
/// sessions was never recorded).
pub fn load_sessions(conn: Db<'_>, now: Millis) -> Result<Vec<(TokenHash, Session)>, LoadError> {
    sessions_where(conn, now, None)
}

/// One session by its token's hash, if it is still valid: what a relay
/// reads for a token signed in on another relay.
pub fn load_session(
    conn: Db<'_>,
    now: Millis,
    token_hash: &TokenHash,
) -> Result<Option<Session>, LoadError> {
    Ok(sessions_where(conn, now, Some(token_hash))?
        .pop()
        .map(|(_, session)| session))
}

fn sessions_where(
    conn: Db<'_>,
    now: Millis,
    token_hash: Option<&TokenHash>,
) -> Result<Vec<(TokenHash, Session)>, LoadError> {
    const VALID: &str = "SELECT s.token_hash, s.username, s.role, s.room_id, s.site_id,
                                s.expires_at
                         FROM sessions s JOIN users u ON u.username = s.username
                         WHERE s.revoked_at IS NULL AND s.expires_at > ?1 AND u.disabled = 0";
    let sql = match token_hash {
        Some(_) => format!("{VALID} AND s.token_hash = ?2"),
        None => VALID.to_owned(),
    };
    let hash: &[u8] = token_hash.map_or(&[], |h| &h[..]);
    let with_hash = args![now, hash];
    let rows = conn.query_map(
        &sql,
        if token_hash.is_some() {
            with_hash
        } else {
            &with_hash[..1]
        },
        |r| {
            Ok((
                r.get::<Vec<u8>>(0)?,
                r.get::<String>(2)?,
                Session {
                    username: r.get(1)?,
                    role: examgate_shared::protocol::Role::Teacher,
                    room_id: r.get(3)?,
                    site_id: r.get(4)?,
                    expires_at: r.get(5)?,
                },
            ))
        },
    )?;
    let mut out = Vec::new();
    for (hash, role, mut session) in rows {
        let hash = TokenHash::try_from(hash.as_slice())
            .map_err(|_| LoadError::Invalid("a session's token hash is not 32 bytes".into()))?;
        session.role = parse_role(&role).ok_or_else(|| {
            LoadError::Invalid(format!(
                "session of {}: unknown role {role}",
                session.username
            ))
        })?;
        out.push((hash, session));
    }
    Ok(out)
}

/// Replays one stored control. It was checked when it was taken; here only
/// its effect is wanted, so the grace is no limit, and a deadline close is
/// a close. One that no longer applies (the host clock stepped back between
/// a control and the start, say) is logged and skipped: a relay that
/// refused to start mid-exam would lose every room, not one control.
fn replay_control(
    attempt: &mut Attempt,
    id: AttemptId,
    c: &StoredControl,
    hard_stop: Option<Millis>,
) -> Result<(), LoadError> {
    if c.control == Control::DeadlineClose {
        attempt.close(c.at);
        return Ok(());
    }
    if let Err(e) = attempt.control(&c.control, c.at, Millis::MAX / 4, hard_stop) {
        tracing::error!(
            "attempt {id}: control {} at {} does not replay ({}); skipped",
            c.control.name(),
            c.at,
            e.explain()
        );
    }
    Ok(())
}

fn load_attempts(
    conn: Db<'_>,
    only: Option<AttemptId>,
    controls: &HashMap<AttemptId, Vec<StoredControl>>,
    hard_stop_of: &HashMap<CandidateId, Option<Millis>>,
) -> Result<Vec<StoredAttempt>, LoadError> {
    struct Stored {
        id: AttemptId,
        candidate_id: CandidateId,
        token_hash: Vec<u8>,
        arrangement: String,
        started_at: Option<i64>,
        deadline_at: Option<i64>,
        final_status: Option<String>,
        finished_at: Option<i64>,
    }
    let read = |r: &Row<'_>| {
        Ok(Stored {
            id: r.get(0)?,
            candidate_id: r.get(1)?,
            token_hash: r.get(2)?,
            arrangement: r.get(3)?,
            started_at: r.get(4)?,
            deadline_at: r.get(5)?,
            final_status: r.get(6)?,
            finished_at: r.get(7)?,
        })
    };
    const COLUMNS: &str = "SELECT id, candidate_id, token_hash, arrangement, started_at,
                                  deadline_at, final_status, finished_at FROM attempts";
    let rows = match only {
        None => conn.query_map(&format!("{COLUMNS} ORDER BY id"), args![], read)?,
        Some(id) => conn.query_map(&format!("{COLUMNS} WHERE id = ?1"), args![id], read)?,
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let token_hash: TokenHash = row.token_hash.as_slice().try_into().map_err(|_| {
            LoadError::Invalid(format!("attempt {}: token hash is not 32 bytes", row.id))
        })?;
        let arrangement: Arrangement = serde_json::from_str(&row.arrangement)
            .map_err(|e| LoadError::Invalid(format!("attempt {}: arrangement: {e}", row.id)))?;
        let mut attempt = Attempt::default();
        let hard_stop = hard_stop_of.get(&row.candidate_id).copied().flatten();
        let mut pending = controls.get(&row.id).map_or(&[][..], Vec::as_slice);
        let control_count = pending.len() as u64;
        // Controls taken before the start (extra time) are in the start's
        // stored deadline already; replaying them keeps `extra_ms` right.
        let pre_start = match row.started_at {
            Some(started) => pending.iter().take_while(|c| c.at <= started).count(),
            None => pending.len(),
        };
        for c in &pending[..pre_start] {
            replay_control(&mut attempt, row.id, c, hard_stop)?;
        }
        pending = &pending[pre_start..];
        if let (Some(started), Some(deadline)) = (row.started_at, row.deadline_at) {
            attempt.status = AttemptStatus::Working;
            attempt.started_ms = Some(started);
            attempt.deadline_ms = Some(deadline);
            attempt.last_activity_ms = Some(started);
        }
        let replay = conn.query_map(
            "SELECT seq, received_at, event, refused FROM events WHERE attempt_id = ?1 ORDER BY seq",
            args![row.id],
            |r| {
                Ok((
                    r.get::<u64>(0)?,
                    r.get::<i64>(1)?,
                    r.get::<String>(2)?,
                    r.get::<Option<String>>(3)?,
                ))
            },
        )?;
        for (seq, at, json, refused) in replay {
            while let Some((c, rest)) = pending.split_first()
                && c.after_seq < seq
            {
                replay_control(&mut attempt, row.id, c, hard_stop)?;
                pending = rest;
            }
            if seq != attempt.acked_seq + 1 {
                return Err(LoadError::Invalid(format!(
                    "attempt {}: event {seq} follows {}",
                    row.id, attempt.acked_seq
                )));
            }
            if let Some(code) = refused {
                // An unknown code (a newer relay's) still consumes the number.
                let code = ErrorCode::parse(&code).unwrap_or(ErrorCode::Invalid);
                attempt.record_refusal(seq, code);
                continue;
            }
            let event: StudentEvent = serde_json::from_str(&json)
                .map_err(|e| LoadError::Invalid(format!("attempt {} event {seq}: {e}", row.id)))?;
            attempt.apply(seq, &event, at);
        }
        for c in pending {
            replay_control(&mut attempt, row.id, c, hard_stop)?;
        }
        // Databases from before controls were recorded close only here.
        if row.final_status.as_deref() == Some("closed") && !attempt.status.is_final() {
            attempt.close(row.finished_at.unwrap_or_default());
        }
        out.push(StoredAttempt {
            id: row.id,
            candidate_id: row.candidate_id,
            token_hash,
            arrangement,
            attempt,
            controls: control_count,
        });
    }
    Ok(out)
}
