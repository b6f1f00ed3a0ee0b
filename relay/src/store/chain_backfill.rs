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
    audit_hashes(conn, CHUNK)?;
    event_hashes(conn, CHUNK)?;
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
        writes::commit_exam(
            crate::store::db::Db::sqlite(conn),
            now,
            UPGRADE_ACTOR,
            &id,
            &definition,
        )?;
    }
    Ok(())
}

/// Rows read at a time: a national database upgrades in bounded memory.
const CHUNK: i64 = 10_000;

fn audit_hashes(conn: &Connection, chunk: i64) -> rusqlite::Result<()> {
    let mut read = conn.prepare(
        "SELECT id, at, actor, action, detail FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let mut write = conn.prepare("UPDATE audit SET hash = ?2 WHERE id = ?1")?;
    let mut prev = audit_genesis();
    let mut after = 0u64;
    loop {
        let entries = read
            .query_map(params![after, chunk], |r| {
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    detail: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let Some(last) = entries.last().map(|e| e.id) else {
            return Ok(());
        };
        for e in entries {
            prev = e.link(&prev);
            write.execute(params![e.id, &prev[..]])?;
        }
        after = last;
    }
}

fn event_hashes(conn: &Connection, chunk: i64) -> rusqlite::Result<()> {
    let mut read = conn.prepare(
        "SELECT attempt_id, seq, received_at, event, refused FROM events
         WHERE (attempt_id, seq) > (?1, ?2)
         ORDER BY attempt_id, seq LIMIT ?3",
    )?;
    let mut write =
        conn.prepare("UPDATE events SET hash = ?3 WHERE attempt_id = ?1 AND seq = ?2")?;
    let mut chain: Option<(AttemptId, Hash)> = None;
    let mut after: (AttemptId, u64) = (0, 0);
    loop {
        let events = read
            .query_map(params![after.0, after.1, chunk], |r| {
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
        let Some(last) = events.last().map(|(a, e)| (*a, e.seq)) else {
            return Ok(());
        };
        for (attempt, e) in events {
            let prev = match chain {
                Some((a, h)) if a == attempt => h,
                _ => events_genesis(attempt),
            };
            let hash = e.link(&prev, attempt);
            write.execute(params![attempt, e.seq, &hash[..]])?;
            chain = Some((attempt, hash));
        }
        after = last;
    }
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
        writes::commit_events(
            crate::store::db::Db::sqlite(conn),
            attempt,
            &status,
            finished_at,
            UPGRADE_ACTOR,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Five audit rows and events of two attempts, with no hashes yet.
    fn unchained() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::store::open(&dir.path().join("db.sqlite3")).unwrap();
        conn.execute_batch(
            "INSERT INTO exams VALUES ('e', '{}');
             INSERT INTO sites (id, name) VALUES (1, 's');
             INSERT INTO rooms (id, site_id, name) VALUES (1, 1, 'r');
             INSERT INTO sittings (id, exam_id, opens_at, closes_at, duration_ms)
                 VALUES (1, 'e', 0, 1, 1);
             INSERT INTO candidates (id, sitting_id, room_id, name, name_key)
                 VALUES (1, 1, 1, 'A', 'a'), (2, 1, 1, 'B', 'b');
             INSERT INTO attempts (id, candidate_id, token_hash) VALUES (1, 1, x'01'), (2, 2, x'02');
             INSERT INTO audit (id, at, actor, action, detail) VALUES
                 (1, 1, 'a', 'login', ''), (2, 2, 'a', 'join', 'x'), (3, 3, 'b', 'join', 'y'),
                 (4, 4, 'b', 'login', ''), (5, 5, 'c', 'export', 'z');
             INSERT INTO events (attempt_id, seq, received_at, event, refused) VALUES
                 (1, 1, 10, '{}', NULL), (1, 2, 11, '{}', NULL), (1, 3, 12, '{}', 'late'),
                 (2, 1, 13, '{}', NULL), (2, 2, 14, '{}', NULL);",
        )
        .unwrap();
        (dir, conn)
    }

    fn hashes(conn: &Connection) -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = conn
            .prepare("SELECT hash FROM audit ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.extend(
            conn.prepare("SELECT hash FROM events ORDER BY attempt_id, seq")
                .unwrap()
                .query_map([], |r| r.get::<_, Vec<u8>>(0))
                .unwrap()
                .map(Result::unwrap),
        );
        out
    }

    #[test]
    fn chunks_of_any_size_chain_the_same() {
        let (_a, whole) = unchained();
        audit_hashes(&whole, CHUNK).unwrap();
        event_hashes(&whole, CHUNK).unwrap();
        let (_b, chunked) = unchained();
        audit_hashes(&chunked, 2).unwrap();
        event_hashes(&chunked, 2).unwrap();
        let expected = hashes(&whole);
        assert_eq!(expected.len(), 10, "every row hashed");
        assert_eq!(hashes(&chunked), expected);
        // Attempt 2's chain starts again from its own genesis.
        assert_eq!(
            expected[8],
            AnswerEvent {
                seq: 1,
                received_at: 13,
                event: "{}".into(),
                refused: None,
            }
            .link(&events_genesis(2), 2)
            .to_vec()
        );
    }
}
