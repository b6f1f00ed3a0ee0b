//! What proctors add to the record: attempt controls, integrity signals,
//! incidents and messages — their writes, and reading them back at start.

use examgate_shared::Millis;
use examgate_shared::control::Control;
use examgate_shared::integrity::{Signal, Warning};
use examgate_shared::proctoring::{Incident, IncidentCategory, SentMessage};

use super::db::{Db, DbError};
use crate::args;
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
    conn: Db<'_>,
    attempt: AttemptId,
    at: Millis,
    after_seq: u64,
    control: &Control,
    actor: &str,
    reason: &str,
) -> Result<(), DbError> {
    let json = serde_json::to_string(control).expect("controls serialise");
    conn.execute(
        "INSERT INTO attempt_controls (attempt_id, at, after_seq, control, actor, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        args![attempt, at, after_seq, json, actor, reason],
    )?;
    Ok(())
}

/// An ended attempt works again: its grade is gone until it ends again.
pub fn reopen_attempt(conn: Db<'_>, attempt: AttemptId) -> Result<(), DbError> {
    conn.execute(
        "UPDATE attempts SET final_status = NULL, finished_at = NULL, score = NULL,
                             score_milli = NULL, mark_tenths = NULL
         WHERE id = ?1",
        args![attempt],
    )?;
    Ok(())
}

pub fn insert_signal(
    conn: Db<'_>,
    attempt: AttemptId,
    at: Millis,
    signal: &Signal,
) -> Result<(), DbError> {
    let json = serde_json::to_string(signal).expect("signals serialise");
    conn.execute(
        "INSERT INTO signals (attempt_id, at, signal) VALUES (?1, ?2, ?3)",
        args![attempt, at, json],
    )?;
    Ok(())
}

pub fn insert_incident(conn: Db<'_>, i: &Incident) -> Result<u64, DbError> {
    conn.query_row(
        "INSERT INTO incidents (at, room_id, candidate_id, category, text, by_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        args![
            i.at,
            i.room_id,
            i.candidate_id,
            i.category.as_str(),
            i.text,
            i.by
        ],
        |r| r.get::<u64>(0),
    )
}

pub fn insert_message(conn: Db<'_>, sitting: SittingId, m: &SentMessage) -> Result<u64, DbError> {
    conn.query_row(
        "INSERT INTO messages (at, sitting_id, room_id, candidate_id, text, by_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        args![m.at, sitting, m.room_id, m.candidate_id, m.text, m.by],
        |r| r.get::<u64>(0),
    )
}

/// Records that `candidate` acknowledged `message`; false if already.
pub fn insert_seen(
    conn: Db<'_>,
    message: u64,
    candidate: CandidateId,
    at: Millis,
) -> Result<bool, DbError> {
    let n = conn.execute(
        "INSERT INTO message_seen (message_id, candidate_id, at) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
        args![message, candidate, at],
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

/// The stored controls in the order they were taken: every attempt's, or
/// one attempt's (a relay re-reading an attempt another relay changed).
pub fn controls(conn: Db<'_>, of: Option<AttemptId>) -> Result<Vec<StoredControl>, DbError> {
    const COLUMNS: &str = "SELECT attempt_id, at, after_seq, control FROM attempt_controls";
    let read = |r: &super::db::Row<'_>| {
        Ok((
            r.get::<AttemptId>(0)?,
            r.get::<Millis>(1)?,
            r.get::<u64>(2)?,
            r.get::<String>(3)?,
        ))
    };
    let rows = match of {
        None => conn.query_map(&format!("{COLUMNS} ORDER BY id"), args![], read)?,
        Some(id) => conn.query_map(
            &format!("{COLUMNS} WHERE attempt_id = ?1 ORDER BY id"),
            args![id],
            read,
        )?,
    };
    rows.into_iter()
        .map(|(attempt_id, at, after_seq, json)| {
            let control = serde_json::from_str(&json).map_err(|e| {
                DbError::Conversion(format!("attempt {attempt_id}: a stored control: {e}"))
            })?;
            Ok(StoredControl {
                attempt_id,
                at,
                after_seq,
                control,
            })
        })
        .collect()
}

/// The integrity warnings in the order they came: every attempt's, or one
/// attempt's.
pub fn warnings(conn: Db<'_>, of: Option<AttemptId>) -> Result<Vec<(AttemptId, Warning)>, DbError> {
    const COLUMNS: &str = "SELECT attempt_id, at, signal FROM signals";
    let read = |r: &super::db::Row<'_>| {
        Ok((
            r.get::<AttemptId>(0)?,
            r.get::<Millis>(1)?,
            r.get::<String>(2)?,
        ))
    };
    let rows = match of {
        None => conn.query_map(&format!("{COLUMNS} ORDER BY id"), args![], read)?,
        Some(id) => conn.query_map(
            &format!("{COLUMNS} WHERE attempt_id = ?1 ORDER BY id"),
            args![id],
            read,
        )?,
    };
    // A signal this relay cannot read is skipped: warnings inform, they
    // decide nothing.
    Ok(rows
        .into_iter()
        .filter_map(|(attempt, at, json)| {
            let signal = serde_json::from_str(&json).ok()?;
            Some((attempt, Warning { at, signal }))
        })
        .collect())
}

pub fn load(conn: Db<'_>) -> Result<LoadedOversight, DbError> {
    let mut out = LoadedOversight {
        controls: controls(conn, None)?,
        warnings: warnings(conn, None)?,
        ..LoadedOversight::default()
    };
    out.incidents = conn.query_map(
        "SELECT id, at, room_id, candidate_id, category, text, by_user FROM incidents ORDER BY id",
        args![],
        |r| {
            Ok(Incident {
                id: r.get(0)?,
                at: r.get(1)?,
                room_id: r.get(2)?,
                candidate_id: r.get(3)?,
                category: category(&r.get::<String>(4)?),
                text: r.get(5)?,
                by: r.get(6)?,
            })
        },
    )?;
    let rows: Vec<(SittingId, SentMessage)> = conn.query_map(
        "SELECT id, at, sitting_id, room_id, candidate_id, text, by_user FROM messages ORDER BY id",
        args![],
        |r| {
            Ok((
                r.get::<SittingId>(2)?,
                SentMessage {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    room_id: r.get::<RoomId>(3)?,
                    candidate_id: r.get(4)?,
                    text: r.get(5)?,
                    by: r.get(6)?,
                    seen_by: Vec::new(),
                },
            ))
        },
    )?;
    for (sitting, mut m) in rows {
        m.seen_by = conn.query_map(
            "SELECT candidate_id FROM message_seen WHERE message_id = ?1 ORDER BY candidate_id",
            args![m.id],
            |r| r.get(0),
        )?;
        out.messages.push((sitting, m));
    }
    Ok(out)
}
