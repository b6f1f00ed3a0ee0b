//! Tests of [`super::verify_database`] on databases written by the relay's
//! own write functions, then edited the ways someone with the file could.

use examgate_shared::answer::AnswerValue;
use examgate_shared::attempt::StudentEvent;
use examgate_shared::audit_chain::{Problem, events_genesis};
use examgate_shared::error::ErrorCode;
use examgate_shared::exam::{OptionId, QuestionId};
use rusqlite::Connection;

use super::*;
use crate::store::writes;

fn answer(question: u32) -> StudentEvent {
    StudentEvent::Answer {
        question: QuestionId(question),
        value: Some(AnswerValue::Choice(OptionId(1))),
    }
}

/// Two attempts: 1 submitted after three events (committed), 2 working
/// with one; a few other audit entries around them.
fn database() -> (tempfile::TempDir, Connection) {
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
         INSERT INTO attempts (id, candidate_id, token_hash) VALUES (1, 1, x'01'), (2, 2, x'02');",
    )
    .unwrap();
    writes::audit(
        crate::store::db::Db::sqlite(&conn),
        1,
        "user:central",
        "login",
        "",
    )
    .unwrap();
    writes::insert_event(
        crate::store::db::Db::sqlite(&conn),
        1,
        1,
        10,
        &answer(1),
        None,
    )
    .unwrap();
    writes::insert_event(
        crate::store::db::Db::sqlite(&conn),
        2,
        1,
        11,
        &answer(2),
        None,
    )
    .unwrap();
    writes::insert_event(
        crate::store::db::Db::sqlite(&conn),
        1,
        2,
        12,
        &answer(9),
        Some(ErrorCode::UnknownQuestion),
    )
    .unwrap();
    writes::insert_event(
        crate::store::db::Db::sqlite(&conn),
        1,
        3,
        13,
        &StudentEvent::Submit,
        None,
    )
    .unwrap();
    conn.execute(
        "UPDATE attempts SET final_status = 'submitted' WHERE id = 1",
        [],
    )
    .unwrap();
    writes::commit_events(
        crate::store::db::Db::sqlite(&conn),
        1,
        "submitted",
        13,
        "relay",
    )
    .unwrap();
    writes::audit(
        crate::store::db::Db::sqlite(&conn),
        14,
        "relay",
        "close_at_deadline",
        "attempt 2",
    )
    .unwrap();
    // The exam was stored by hand above: committed as the relay does.
    writes::commit_exam(crate::store::db::Db::sqlite(&conn), 15, "relay", "e", "{}").unwrap();
    (dir, conn)
}

fn finding(conn: &Connection) -> Finding {
    match verify_database(crate::store::db::Db::sqlite(conn)) {
        Err(VerifyError::Broken(f)) => f,
        other => panic!("expected a finding, got {other:?}"),
    }
}

/// Rewrites attempt `attempt`'s event hashes as whoever edited an event
/// would, so its own chain verifies again.
fn rehash_events(conn: &Connection, attempt: u64) {
    let rows: Vec<(u64, i64, String, Option<String>)> = conn
        .prepare("SELECT seq, received_at, event, refused FROM events WHERE attempt_id = ?1 ORDER BY seq")
        .unwrap()
        .query_map([attempt], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prev = events_genesis(attempt);
    for (seq, at, event, refused) in rows {
        prev = examgate_shared::audit_chain::event_link(
            &prev,
            attempt,
            seq,
            at,
            &event,
            refused.as_deref(),
        );
        conn.execute(
            "UPDATE events SET hash = ?3 WHERE attempt_id = ?1 AND seq = ?2",
            rusqlite::params![attempt, seq, &prev[..]],
        )
        .unwrap();
    }
}

#[test]
fn what_the_relay_wrote_verifies() {
    let (_dir, conn) = database();
    let report = verify_database(crate::store::db::Db::sqlite(&conn)).unwrap();
    assert_eq!(report.audit.count, 4);
    assert_eq!(
        (report.attempts, report.events, report.committed),
        (2, 4, 1)
    );
    let head = crate::audit::read_head(crate::store::db::Db::sqlite(&conn)).unwrap();
    assert_eq!(head.id, 4);
    assert_eq!(head.entries, 4);
    assert_eq!(
        head.hash,
        examgate_shared::audit_chain::to_hex(&report.audit.head)
    );
}

#[test]
fn a_changed_audit_row_is_named() {
    let (_dir, conn) = database();
    conn.execute("UPDATE audit SET detail = 'attempt 7' WHERE id = 3", [])
        .unwrap();
    assert_eq!(
        finding(&conn).to_string(),
        "audit entry 3: hash does not match (changed, inserted or removed)"
    );
    // A removed row: the next one follows a gap.
    let (_dir, conn) = database();
    conn.execute("DELETE FROM audit WHERE id = 2", []).unwrap();
    assert_eq!(
        finding(&conn),
        Finding::Audit(examgate_shared::audit_chain::AuditBreak {
            id: 3,
            problem: Problem::Gap { expected: 2 }
        })
    );
}

#[test]
fn a_changed_answer_is_named_even_when_its_chain_is_rehashed() {
    let (_dir, conn) = database();
    conn.execute(
        "UPDATE events SET event = replace(event, '\"question\":1', '\"question\":4')
         WHERE attempt_id = 1 AND seq = 1",
        [],
    )
    .unwrap();
    assert_eq!(
        finding(&conn).to_string(),
        "attempt 1 event 1: hash does not match (changed, inserted or removed)"
    );
    // Rehashed: the event chain holds, the audit chain's commit does not.
    rehash_events(&conn, 1);
    assert_eq!(
        finding(&conn),
        Finding::CommitMismatch {
            attempt: 1,
            seq: 3,
            entry: 2
        }
    );
}

#[test]
fn after_the_end_only_refused_events_may_follow() {
    let (_dir, conn) = database();
    writes::insert_event(
        crate::store::db::Db::sqlite(&conn),
        1,
        4,
        20,
        &answer(2),
        Some(ErrorCode::AttemptClosed),
    )
    .unwrap();
    verify_database(crate::store::db::Db::sqlite(&conn)).unwrap();
    writes::insert_event(
        crate::store::db::Db::sqlite(&conn),
        1,
        5,
        21,
        &answer(2),
        None,
    )
    .unwrap();
    assert_eq!(
        finding(&conn),
        Finding::AcceptedAfterEnd {
            attempt: 1,
            seq: 5,
            entry: 2,
            committed: 3
        }
    );
}

#[test]
fn removed_events_attempts_and_commits_are_named() {
    let (_dir, conn) = database();
    conn.execute("DELETE FROM events WHERE attempt_id = 1 AND seq = 3", [])
        .unwrap();
    assert_eq!(
        finding(&conn),
        Finding::CommittedMissing {
            attempt: 1,
            entry: 2,
            committed: 3,
            stored: 2
        }
    );

    let (_dir, conn) = database();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DELETE FROM events WHERE attempt_id = 1; DELETE FROM attempts WHERE id = 1;",
    )
    .unwrap();
    assert_eq!(
        finding(&conn),
        Finding::UnknownAttempt {
            entry: 2,
            attempt: 1
        }
    );

    // An attempt made final behind the relay's back has no commit.
    let (_dir, conn) = database();
    conn.execute(
        "UPDATE attempts SET final_status = 'closed' WHERE id = 2",
        [],
    )
    .unwrap();
    assert_eq!(
        finding(&conn).to_string(),
        "attempt 2: closed, but no attempt_final audit entry commits its events"
    );
}

#[test]
fn a_database_without_chains_says_so() {
    let (_dir, conn) = database();
    conn.execute_batch("ALTER TABLE events DROP COLUMN hash")
        .unwrap();
    assert!(matches!(
        verify_database(crate::store::db::Db::sqlite(&conn)),
        Err(VerifyError::Unchained)
    ));
}
