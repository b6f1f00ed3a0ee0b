//! Schema 6 chains the audit trail and the answer events
//! (`shared::audit_chain`); a database from before has neither hash. The
//! upgrade computes them over what is stored, in id and (attempt, number)
//! order, and commits each already-ended attempt's events with an
//! `attempt_final` entry, so an upgraded database verifies — from the
//! upgrade on, changes show; before it, the record is what it was.

use examgate_shared::audit_chain::{AnswerEvent, AuditEntry, Hash, audit_genesis, events_genesis};
use rusqlite::{Connection, params};

use super::writes;
use crate::model::AttemptId;

/// Who wrote the `attempt_final` entries of attempts that ended before
/// the upgrade.
const UPGRADE_ACTOR: &str = "relay:schema-upgrade";

pub fn backfill(conn: &Connection) -> rusqlite::Result<()> {
    audit_hashes(conn)?;
    event_hashes(conn)?;
    commit_exams(conn)?;
    commit_ended_attempts(conn)
}

/// Commits every stored exam definition (keys) as it is at the upgrade.
fn commit_exams(conn: &Connection) -> rusqlite::Result<()> {
    let exams = conn
        .prepare("SELECT id, definition FROM exams ORDER BY id")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let now = crate::clock::now_ms();
    for (id, definition) in exams {
        writes::commit_exam(conn, now, UPGRADE_ACTOR, &id, &definition)?;
    }
    Ok(())
}

fn audit_hashes(conn: &Connection) -> rusqlite::Result<()> {
    let mut read = conn.prepare("SELECT id, at, actor, action, detail FROM audit ORDER BY id")?;
    let entries = read
        .query_map([], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                detail: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut write = conn.prepare("UPDATE audit SET hash = ?2 WHERE id = ?1")?;
    let mut prev = audit_genesis();
    for e in entries {
        prev = e.link(&prev);
        write.execute(params![e.id, &prev[..]])?;
    }
    Ok(())
}

fn event_hashes(conn: &Connection) -> rusqlite::Result<()> {
    let mut read = conn.prepare(
        "SELECT attempt_id, seq, received_at, event, refused FROM events
         ORDER BY attempt_id, seq",
    )?;
    let events = read
        .query_map([], |r| {
            Ok((
                r.get::<_, AttemptId>(0)?,
                AnswerEvent {
                    seq: r.get(1)?,
                    received_at: r.get(2)?,
                    event: r.get(3)?,
                    refused: r.get(4)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut write =
        conn.prepare("UPDATE events SET hash = ?3 WHERE attempt_id = ?1 AND seq = ?2")?;
    let mut chain: Option<(AttemptId, Hash)> = None;
    for (attempt, e) in events {
        let prev = match chain {
            Some((a, h)) if a == attempt => h,
            _ => events_genesis(attempt),
        };
        let hash = e.link(&prev, attempt);
        write.execute(params![attempt, e.seq, &hash[..]])?;
        chain = Some((attempt, hash));
    }
    Ok(())
}

fn commit_ended_attempts(conn: &Connection) -> rusqlite::Result<()> {
    let mut read = conn.prepare(
        "SELECT id, final_status, COALESCE(finished_at, 0) FROM attempts
         WHERE final_status IS NOT NULL ORDER BY id",
    )?;
    let ended = read
        .query_map([], |r| {
            Ok((r.get::<_, AttemptId>(0)?, r.get::<_, String>(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (attempt, status, finished_at) in ended {
        writes::commit_events(conn, attempt, &status, finished_at, UPGRADE_ACTOR)?;
    }
    Ok(())
}
