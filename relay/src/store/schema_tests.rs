//! Migration tests: databases of every earlier version are brought up to
//! the current schema with their data, and upgraded chains verify.

use super::*;
use rusqlite::OptionalExtension;

fn version(conn: &Connection) -> String {
    conn.query_row(
        "SELECT value FROM meta WHERE key = 'schema_version'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

fn has_column(conn: &Connection, table: &str, column: &str) -> bool {
    conn.prepare(&format!("SELECT {column} FROM {table} LIMIT 0"))
        .is_ok()
}

#[test]
fn a_version_3_database_gains_the_exam_office_and_the_bank_and_keeps_its_roster() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.sqlite3");
    {
        // The version-3 tables that changed, as version 3 made them.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             INSERT INTO meta VALUES ('schema_version', '3');
             CREATE TABLE exams (id TEXT PRIMARY KEY, definition TEXT NOT NULL);
             CREATE TABLE sites (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
             CREATE TABLE rooms (id INTEGER PRIMARY KEY, site_id INTEGER NOT NULL, name TEXT NOT NULL);
             CREATE TABLE sittings (id INTEGER PRIMARY KEY, exam_id TEXT NOT NULL,
                 opens_at INTEGER NOT NULL, closes_at INTEGER NOT NULL, duration_ms INTEGER NOT NULL);
             CREATE TABLE roster (id INTEGER PRIMARY KEY, sitting_id INTEGER NOT NULL,
                 room_id INTEGER NOT NULL, person_id TEXT NOT NULL, birth TEXT NOT NULL,
                 name TEXT NOT NULL, UNIQUE (sitting_id, person_id));
             CREATE TABLE candidates (id INTEGER PRIMARY KEY, sitting_id INTEGER NOT NULL,
                 room_id INTEGER NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL,
                 UNIQUE (sitting_id, room_id, name_key));
             CREATE TABLE users (username TEXT PRIMARY KEY, password_hash TEXT NOT NULL,
                 role TEXT NOT NULL, room_id INTEGER, display_name TEXT NOT NULL);
             CREATE TABLE join_codes (code TEXT PRIMARY KEY, sitting_id INTEGER NOT NULL,
                 room_id INTEGER NOT NULL, requires_card INTEGER NOT NULL DEFAULT 0);
             INSERT INTO exams VALUES ('e', '{}');
             INSERT INTO sites VALUES (1, 's');
             INSERT INTO rooms VALUES (1, 1, 'r');
             INSERT INTO sittings VALUES (1, 'e', 0, 1, 1);
             INSERT INTO roster VALUES (7, 1, 1, '001206012345', '2006-03-04', 'Lê Thị Thu');
             INSERT INTO users VALUES ('p', 'h', 'room_proctor', 1, 'P');",
        )
        .unwrap();
    }
    let conn = open(&path).unwrap();
    assert_eq!(version(&conn), SCHEMA_VERSION.to_string());
    for (table, column) in [
        ("exam_events", "published_at"),
        ("rooms", "seats"),
        ("sittings", "shift"),
        ("roster", "candidate_number"),
        ("candidates", "candidate_number"),
        ("users", "disabled"),
        // Version 5: the question bank and teachers' subjects.
        ("users", "subject"),
        ("sittings", "practice"),
        ("bank_items", "dup_key"),
        ("bank_versions", "note"),
        ("bank_media", "bytes"),
        ("bank_paper_items", "item_version"),
        ("bank_stats", "facility"),
    ] {
        assert!(has_column(&conn, table, column), "{table}.{column}");
    }
    let (person, birth, name): (String, String, String) = conn
        .query_row(
            "SELECT person_id, birth, name FROM roster WHERE id = 7",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (person.as_str(), birth.as_str(), name.as_str()),
        ("001206012345", "2006-03-04", "Lê Thị Thu")
    );
    let seats: i64 = conn
        .query_row("SELECT seats FROM rooms WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(seats, 24);
    // A practice roster row without a card number is now allowed.
    conn.execute(
        "INSERT INTO roster (sitting_id, room_id, name, candidate_number) VALUES (1, 1, 'B', 'TN0002')",
        [],
    )
    .unwrap();
    assert!(!has_column(&conn, "roster_v3", "id"));
}

#[test]
fn a_version_5_database_is_chained_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.sqlite3");
    {
        // A version-5 database as the relay left it: audit rows and
        // events without hashes, one attempt ended, one working.
        let conn = open(&path).unwrap();
        conn.execute_batch(
            "ALTER TABLE audit DROP COLUMN hash;
             ALTER TABLE events DROP COLUMN hash;
             UPDATE meta SET value = '5' WHERE key = 'schema_version';
             INSERT INTO exams VALUES ('e', '{}');
             INSERT INTO sites (id, name) VALUES (1, 's');
             INSERT INTO rooms (id, site_id, name) VALUES (1, 1, 'r');
             INSERT INTO sittings (id, exam_id, opens_at, closes_at, duration_ms)
                 VALUES (1, 'e', 0, 1, 1);
             INSERT INTO candidates (id, sitting_id, room_id, name, name_key)
                 VALUES (1, 1, 1, 'A', 'a'), (2, 1, 1, 'B', 'b');
             INSERT INTO attempts (id, candidate_id, token_hash, final_status, finished_at)
                 VALUES (1, 1, x'01', 'submitted', 50), (2, 2, x'02', NULL, NULL);
             INSERT INTO events (attempt_id, seq, received_at, event, refused) VALUES
                 (1, 1, 10, '{\"type\":\"answer\",\"question\":1}', NULL),
                 (1, 2, 20, '{\"type\":\"submit\"}', NULL),
                 (2, 1, 30, '{\"type\":\"answer\",\"question\":7}', 'unknown_question');
             INSERT INTO audit (at, actor, action, detail) VALUES
                 (1, 'user:central', 'login', ''),
                 (2, 'relay', 'join', 'attempt 1'),
                 (3, 'relay', 'join', 'attempt 2');",
        )
        .unwrap();
    }
    let conn = open(&path).unwrap();
    assert_eq!(version(&conn), SCHEMA_VERSION.to_string());
    let report = crate::audit::verify_database(crate::store::db::Db::sqlite(&conn)).unwrap();
    // The three entries, one committing the exam's definition, then one
    // committing the ended attempt's events.
    assert_eq!(report.audit.count, 5);
    assert_eq!((report.attempts, report.events), (2, 3));
    let exam: String = conn
        .query_row("SELECT detail FROM audit WHERE id = 4", [], |r| r.get(0))
        .unwrap();
    assert!(exam.starts_with("exam e: definition sha256 "), "{exam}");
    let detail: String = conn
        .query_row("SELECT detail FROM audit WHERE id = 5", [], |r| r.get(0))
        .unwrap();
    assert!(
        detail.starts_with("attempt 1: submitted, 2 event(s), events head "),
        "{detail}"
    );
    // The relay chains on from the backfilled head.
    super::super::writes::audit(
        crate::store::db::Db::sqlite(&conn),
        60,
        "relay",
        "close_at_deadline",
        "attempt 2",
    )
    .unwrap();
    assert_eq!(
        crate::audit::verify_database(crate::store::db::Db::sqlite(&conn))
            .unwrap()
            .audit
            .count,
        6
    );
}

#[test]
fn a_version_2_database_gains_chip_check_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        // A database as version 2 left it: no requires_card, and its
        // join code already there.
        let conn = open(&path).unwrap();
        conn.execute_batch(
            "ALTER TABLE join_codes DROP COLUMN requires_card;
             UPDATE meta SET value = '2' WHERE key = 'schema_version';
             INSERT INTO exams (id, definition) VALUES ('e', '{}');
             INSERT INTO sites (id, name) VALUES (1, 's');
             INSERT INTO rooms (id, site_id, name) VALUES (1, 1, 'r');
             INSERT INTO sittings (id, exam_id, opens_at, closes_at, duration_ms)
                 VALUES (1, 'e', 0, 1, 1);
             INSERT INTO join_codes (code, sitting_id, room_id) VALUES ('OLD', 1, 1);",
        )
        .unwrap();
        assert!(!has_column(&conn, "join_codes", "requires_card"));
        assert_eq!(version(&conn), "2");
    }
    let conn = open(&path).unwrap();
    assert_eq!(version(&conn), SCHEMA_VERSION.to_string());
    assert!(has_column(&conn, "join_codes", "requires_card"));
    assert!(has_column(&conn, "roster", "person_id"));
    assert!(has_column(&conn, "checkins", "evidence"));
    // The old room stays a name-join room.
    let requires: bool = conn
        .query_row(
            "SELECT requires_card FROM join_codes WHERE code = 'OLD'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!requires);
    // Opening again changes nothing.
    drop(conn);
    assert_eq!(version(&open(&path).unwrap()), SCHEMA_VERSION.to_string());
}

#[test]
fn a_version_6_database_has_its_cccd_numbers_sealed_and_gone_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.sqlite3");
    let person = "001206012345";
    {
        // A version-6 database: the roster unique by the number in clear,
        // check-ins and a card holder's candidate key in clear too.
        let conn = open(&path).unwrap();
        let exam = crate::rehearsal::sample_exam();
        super::super::writes::insert_exam(crate::store::db::Db::sqlite(&conn), &exam).unwrap();
        conn.execute_batch(&format!(
            "DROP INDEX checkins_by_person;
             DROP INDEX checkins_one_seat;
             ALTER TABLE checkins DROP COLUMN person_key;
             DROP TABLE roster;
             CREATE TABLE roster (id INTEGER PRIMARY KEY, sitting_id INTEGER NOT NULL,
                 room_id INTEGER NOT NULL, person_id TEXT, birth TEXT, name TEXT NOT NULL,
                 candidate_number TEXT, pupil_id TEXT, class TEXT NOT NULL DEFAULT '',
                 school TEXT NOT NULL DEFAULT '', seat INTEGER,
                 UNIQUE (sitting_id, person_id), UNIQUE (sitting_id, candidate_number));
             UPDATE meta SET value = '6' WHERE key = 'schema_version';
             INSERT INTO sites (id, name) VALUES (1, 's');
             INSERT INTO rooms (id, site_id, name) VALUES (1, 1, 'r');
             INSERT INTO sittings (id, exam_id, opens_at, closes_at, duration_ms)
                 VALUES (1, '{}', 0, 1, 1);
             INSERT INTO roster (id, sitting_id, room_id, person_id, birth, name, candidate_number, seat)
                 VALUES (7, 1, 1, '{person}', '2006-03-04', 'Lê Thị Thu', 'TN0007', 3),
                        (8, 1, 1, NULL, NULL, 'Trần Văn B', 'TN0008', 4);
             INSERT INTO checkins (at, sitting_id, room_id, person_id, verdict, reasons, station, evidence)
                 VALUES (5, 1, 1, '{person}', 'accepted', '', 'reader', '{{}}');
             INSERT INTO candidates (id, sitting_id, room_id, name, name_key, candidate_number)
                 VALUES (1, 1, 1, 'Lê Thị Thu', 'cccd:{person}', 'TN0007');",
            exam.id
        ))
        .unwrap();
    }
    let mut conn = open(&path).unwrap();
    assert_eq!(version(&conn), SCHEMA_VERSION.to_string());
    assert!(!has_column(&conn, "roster_v6", "id"));
    let at_rest = crate::at_rest::AtRest::with_key(&[9; 32]);
    // Roster (1), check-in (1), candidate key (1).
    assert_eq!(
        super::super::person_ids::seal_clear(&mut conn, &at_rest).unwrap(),
        3
    );
    assert_eq!(
        super::super::person_ids::seal_clear(&mut conn, &at_rest).unwrap(),
        0,
        "sealed once"
    );
    let loaded = super::super::load(crate::store::db::Db::sqlite(&conn), &at_rest).unwrap();
    let thu = loaded.roster.iter().find(|e| e.id == 7).unwrap();
    assert_eq!(thu.person_id.as_deref(), Some(person));
    assert_eq!(
        (thu.candidate_number.as_deref(), thu.seat),
        (Some("TN0007"), Some(3))
    );
    assert_eq!(loaded.roster.len(), 2);
    // The pending check-in was in the old relay's memory only: the
    // upgrade released it (schema 8).
    let decision: String = conn
        .query_row("SELECT decision FROM checkins", [], |r| r.get(0))
        .unwrap();
    assert_eq!(decision, "released");
    assert!(loaded.desks.is_empty());
    assert_eq!(loaded.candidates[0].key, at_rest.card_key(person));
    // Unique by the keyed hash now: the same number again is refused.
    let again = conn.execute(
        "INSERT INTO roster (sitting_id, room_id, person_id, person_key, name)
         VALUES (1, 1, 'enc1:x', ?1, 'X')",
        [at_rest.person_key(person)],
    );
    assert!(again.is_err(), "{again:?}");
    drop(conn);
    for file in ["v6.sqlite3", "v6.sqlite3-wal"] {
        let bytes = std::fs::read(dir.path().join(file)).unwrap_or_default();
        assert!(
            !bytes.windows(person.len()).any(|w| w == person.as_bytes()),
            "{file} still holds the number in clear"
        );
    }
}

#[test]
fn cached_statements_are_planned_once_whatever_is_bound() {
    // The writer's statements come from rusqlite's cache, which clears a
    // statement's bindings when it is returned; a statement whose plan
    // depended on a bound value expired there and was parsed again at its
    // next use (every answer paid for it under load).
    let dir = tempfile::tempdir().unwrap();
    let conn = open(&dir.path().join("db.sqlite3")).unwrap();
    let sql = "SELECT seq, hash FROM events WHERE attempt_id = ?1 ORDER BY seq DESC LIMIT 1";
    for attempt in [0_i64, 1, 7, 1, 0, 42] {
        let mut stmt = conn.prepare_cached(sql).unwrap();
        let _ = stmt
            .query_row([attempt], |r| r.get::<_, i64>(0))
            .optional()
            .unwrap();
    }
    let stmt = conn.prepare_cached(sql).unwrap();
    assert_eq!(
        stmt.get_status(rusqlite::StatementStatus::RePrepare),
        0,
        "the statement was prepared again"
    );
}

#[test]
fn a_version_7_database_releases_forgotten_check_ins_and_keeps_one_seat_per_card() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v7.sqlite3");
    {
        // A version-7 database: no desk columns or tables; two accepted
        // check-ins of one card left undecided (each relay restart forgot
        // the pending one and the reader read the card again); a confirmed
        // card of another person; and a third person's card confirmed
        // twice (two relays each kept their own seats).
        let conn = open(&path).unwrap();
        let exam = crate::rehearsal::sample_exam();
        super::super::writes::insert_exam(crate::store::db::Db::sqlite(&conn), &exam).unwrap();
        conn.execute_batch(&format!(
            "DROP INDEX checkins_one_seat;
             DROP INDEX checkin_challenges_by_expiry;
             DROP TABLE checkin_challenges;
             DROP TABLE seat_codes;
             ALTER TABLE checkins DROP COLUMN poll_hash;
             ALTER TABLE checkins DROP COLUMN at_station;
             ALTER TABLE checkins DROP COLUMN desk;
             ALTER TABLE checkins DROP COLUMN photo;
             ALTER TABLE checkins DROP COLUMN outcome;
             UPDATE meta SET value = '7' WHERE key = 'schema_version';
             INSERT INTO sites (id, name) VALUES (1, 's');
             INSERT INTO rooms (id, site_id, name) VALUES (1, 1, 'r');
             INSERT INTO sittings (id, exam_id, opens_at, closes_at, duration_ms)
                 VALUES (1, '{}', 0, 1, 1);
             INSERT INTO checkins (at, sitting_id, room_id, person_key, verdict, reasons, station,
                                   evidence, decision)
                 VALUES (5, 1, 1, 'k1', 'accepted', '', 'reader', '{{}}', NULL),
                        (6, 1, 1, 'k1', 'accepted', '', 'reader', '{{}}', NULL),
                        (7, 1, 1, 'k2', 'accepted', '', 'reader', '{{}}', 'confirmed'),
                        (8, 1, 1, 'k3', 'accepted', '', 'reader', '{{}}', 'confirmed'),
                        (9, 1, 1, 'k3', 'accepted', '', 'reader', '{{}}', 'confirmed');",
            exam.id
        ))
        .unwrap();
    }
    let conn = open(&path).unwrap();
    assert_eq!(version(&conn), SCHEMA_VERSION.to_string());
    for column in ["poll_hash", "at_station", "desk", "photo", "outcome"] {
        assert!(has_column(&conn, "checkins", column), "{column}");
    }
    let decisions: Vec<(String, Option<String>)> = conn
        .prepare("SELECT person_key, decision FROM checkins ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        decisions,
        [
            ("k1".into(), Some("released".into())),
            ("k1".into(), Some("released".into())),
            ("k2".into(), Some("confirmed".into())),
            ("k3".into(), Some("released".into())),
            ("k3".into(), Some("confirmed".into())),
        ]
    );
    // One seat per card and sitting from now on: the released card may
    // check in again once; the confirmed one may not until released.
    let pending = "INSERT INTO checkins (at, sitting_id, room_id, person_key, verdict, reasons,
                                         station, evidence)
                   VALUES (8, 1, 1, ?1, 'accepted', '', 'reader', '{}')";
    conn.execute(pending, ["k1"]).unwrap();
    let twice = conn.execute(pending, ["k1"]);
    assert!(twice.is_err(), "{twice:?}");
    let held = conn.execute(pending, ["k2"]);
    assert!(held.is_err(), "{held:?}");
    // A refusal of a seated card is recorded all the same.
    conn.execute(
        "INSERT INTO checkins (at, sitting_id, room_id, person_key, verdict, reasons, station,
                               evidence)
         VALUES (9, 1, 1, 'k2', 'already_checked_in', '', 'reader', '{}')",
        [],
    )
    .unwrap();
}

#[test]
fn the_overdue_sweep_reads_the_open_attempts_by_their_index() {
    let dir = tempfile::tempdir().unwrap();
    let conn = open(&dir.path().join("t.sqlite3")).unwrap();
    let plan: Vec<String> = conn
        .prepare(&format!(
            "EXPLAIN QUERY PLAN {}",
            super::super::load::OVERDUE
        ))
        .unwrap()
        .query_map([1_i64], |r| r.get(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        plan.iter()
            .any(|step| step.contains("attempts_open_by_deadline")),
        "{plan:?}"
    );
}
