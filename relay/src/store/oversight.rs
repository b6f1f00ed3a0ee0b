//! What proctors add to the record: attempt controls, integrity signals,
//! incidents and messages — their writes, and reading them back at start.

use examgate_shared::Millis;
use examgate_shared::control::Control;
use examgate_shared::integrity::{Signal, Warning};
use examgate_shared::proctoring::{Incident, IncidentCategory, SentMessage};
use rusqlite::{Connection, params};

use crate::model::{AttemptId, CandidateId, RoomId, SittingId};

/// A stored control with the event number it follows.
#[derive(Debug, Clone)]
pub struct StoredControl {
    pub attempt_id: AttemptId,
    pub at: Millis,
    pub after_seq: u64,
    pub control: Control,
}

pub fn insert_control(
    conn: &Connection,
    attempt: AttemptId,
    at: Millis,
    after_seq: u64,
    control: &Control,
    actor: &str,
    reason: &str,
) -> rusqlite::Result<()> {
    let json = serde_json::to_string(control).expect("controls serialise");
    conn.execute(
        "INSERT INTO attempt_controls (attempt_id, at, after_seq, control, actor, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![attempt, at, after_seq, json, actor, reason],
    )?;
    Ok(())
}

/// An ended attempt works again: its grade is gone until it ends again.
pub fn reopen_attempt(conn: &Connection, attempt: AttemptId) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE attempts SET final_status = NULL, finished_at = NULL, score = NULL,
                             score_milli = NULL, mark_tenths = NULL
         WHERE id = ?1",
        [attempt],
    )?;
    Ok(())
}

pub fn insert_signal(
    conn: &Connection,
    attempt: AttemptId,
    at: Millis,
    signal: &Signal,
) -> rusqlite::Result<()> {
    let json = serde_json::to_string(signal).expect("signals serialise");
    conn.execute(
        "INSERT INTO signals (attempt_id, at, signal) VALUES (?1, ?2, ?3)",
        params![attempt, at, json],
    )?;
    Ok(())
}

pub fn insert_incident(conn: &Connection, i: &Incident) -> rusqlite::Result<u64> {
    conn.execute(
        "INSERT INTO incidents (at, room_id, candidate_id, category, text, by_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            i.at,
            i.room_id,
            i.candidate_id,
            i.category.as_str(),
            i.text,
            i.by
        ],
    )?;
    Ok(conn.last_insert_rowid() as u64)
}

pub fn insert_message(
    conn: &Connection,
    sitting: SittingId,
    m: &SentMessage,
) -> rusqlite::Result<u64> {
    conn.execute(
        "INSERT INTO messages (at, sitting_id, room_id, candidate_id, text, by_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![m.at, sitting, m.room_id, m.candidate_id, m.text, m.by],
    )?;
    Ok(conn.last_insert_rowid() as u64)
}

/// Records that `candidate` acknowledged `message`; false if already.
pub fn insert_seen(
    conn: &Connection,
    message: u64,
    candidate: CandidateId,
    at: Millis,
) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO message_seen (message_id, candidate_id, at) VALUES (?1, ?2, ?3)",
        params![message, candidate, at],
    )?;
    Ok(n == 1)
}

/// Everything of this module, read back at start.
#[derive(Debug, Default)]
pub struct LoadedOversight {
    pub controls: Vec<StoredControl>,
    pub warnings: Vec<(AttemptId, Warning)>,
    pub incidents: Vec<Incident>,
    /// Each message with its sitting.
    pub messages: Vec<(SittingId, SentMessage)>,
}

fn category(name: &str) -> IncidentCategory {
    IncidentCategory::ALL
        .into_iter()
        .find(|c| c.as_str() == name)
        .unwrap_or(IncidentCategory::Other)
}

pub fn load(conn: &Connection) -> rusqlite::Result<LoadedOversight> {
    let mut out = LoadedOversight::default();
    let mut stmt = conn
        .prepare("SELECT attempt_id, at, after_seq, control FROM attempt_controls ORDER BY id")?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, AttemptId>(0)?,
            r.get::<_, Millis>(1)?,
            r.get::<_, u64>(2)?,
            r.get::<_, String>(3)?,
        ))
    })? {
        let (attempt_id, at, after_seq, json) = row?;
        let control = serde_json::from_str(&json).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, e.into())
        })?;
        out.controls.push(StoredControl {
            attempt_id,
            at,
            after_seq,
            control,
        });
    }
    let mut stmt = conn.prepare("SELECT attempt_id, at, signal FROM signals ORDER BY id")?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, AttemptId>(0)?,
            r.get::<_, Millis>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (attempt, at, json) = row?;
        // A signal this relay cannot read is skipped: warnings inform, they
        // decide nothing.
        if let Ok(signal) = serde_json::from_str(&json) {
            out.warnings.push((attempt, Warning { at, signal }));
        }
    }
    let mut stmt = conn.prepare(
        "SELECT id, at, room_id, candidate_id, category, text, by_user FROM incidents ORDER BY id",
    )?;
    for row in stmt.query_map([], |r| {
        Ok(Incident {
            id: r.get(0)?,
            at: r.get(1)?,
            room_id: r.get(2)?,
            candidate_id: r.get(3)?,
            category: category(&r.get::<_, String>(4)?),
            text: r.get(5)?,
            by: r.get(6)?,
        })
    })? {
        out.incidents.push(row?);
    }
    let mut seen = conn.prepare(
        "SELECT candidate_id FROM message_seen WHERE message_id = ?1 ORDER BY candidate_id",
    )?;
    let mut stmt = conn.prepare(
        "SELECT id, at, sitting_id, room_id, candidate_id, text, by_user FROM messages ORDER BY id",
    )?;
    let rows: Vec<(SittingId, SentMessage)> = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, SittingId>(2)?,
                SentMessage {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    room_id: r.get::<_, RoomId>(3)?,
                    candidate_id: r.get(4)?,
                    text: r.get(5)?,
                    by: r.get(6)?,
                    seen_by: Vec::new(),
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    for (sitting, mut m) in rows {
        m.seen_by = seen
            .query_map([m.id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        out.messages.push((sitting, m));
    }
    Ok(out)
}
