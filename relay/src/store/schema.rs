//! The SQLite schema and connection settings.
//!
//! Durability first: WAL with `synchronous=FULL`, so an answer the relay has
//! acknowledged survives a power cut (NORMAL could roll the last commit
//! back). Throughput comes from group commit in [`super::writer`], not from
//! weaker syncing.

use std::path::Path;

use rusqlite::Connection;

/// Bumped when the schema changes; stored in `meta`.
pub const SCHEMA_VERSION: i64 = 3;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- The full exam definition (shared::exam::Exam as JSON), key included.
CREATE TABLE IF NOT EXISTS exams (
    id         TEXT PRIMARY KEY,
    definition TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sites (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rooms (
    id      INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    name    TEXT NOT NULL
);
-- One scheduled run of an exam: its window and the working time per attempt.
CREATE TABLE IF NOT EXISTS sittings (
    id          INTEGER PRIMARY KEY,
    exam_id     TEXT NOT NULL REFERENCES exams(id),
    opens_at    INTEGER NOT NULL,
    closes_at   INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL
);
-- A code students type to join a room of a sitting without a card.
CREATE TABLE IF NOT EXISTS join_codes (
    code       TEXT PRIMARY KEY,
    sitting_id INTEGER NOT NULL REFERENCES sittings(id),
    room_id    INTEGER NOT NULL REFERENCES rooms(id),
    -- 1: candidates enter only by chip-ID check-in (or a seat code).
    requires_card INTEGER NOT NULL DEFAULT 0
);
-- Who may sit in a room of a sitting, as the school registered them.
CREATE TABLE IF NOT EXISTS roster (
    id         INTEGER PRIMARY KEY,
    sitting_id INTEGER NOT NULL REFERENCES sittings(id),
    room_id    INTEGER NOT NULL REFERENCES rooms(id),
    -- The 12-digit personal ID on the chip card.
    person_id  TEXT NOT NULL,
    -- YYYY-MM-DD.
    birth      TEXT NOT NULL,
    name       TEXT NOT NULL,
    UNIQUE (sitting_id, person_id)
);
-- Every check-in the relay judged, accepted or refused, with its reasons
-- and evidence (the card's files as read): the audit trail of identity.
CREATE TABLE IF NOT EXISTS checkins (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    sitting_id  INTEGER NOT NULL REFERENCES sittings(id),
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    -- From the chip; NULL when the card could not be read that far.
    person_id   TEXT,
    -- 'accepted' (then the proctor decides) or the refusal's error code.
    verdict     TEXT NOT NULL,
    reasons     TEXT NOT NULL,
    -- 'confirmed', 'rejected' or 'released', with who and when.
    decision    TEXT,
    decided_by  TEXT,
    decided_at  INTEGER,
    station     TEXT NOT NULL,
    -- The card's files as read (JSON: base64 EF.COM, groups, EF.SOD).
    evidence    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS candidates (
    id         INTEGER PRIMARY KEY,
    sitting_id INTEGER NOT NULL REFERENCES sittings(id),
    room_id    INTEGER NOT NULL REFERENCES rooms(id),
    name       TEXT NOT NULL,
    -- Lower-cased, whitespace-folded name: one candidate per name per room.
    name_key   TEXT NOT NULL,
    UNIQUE (sitting_id, room_id, name_key)
);
-- At most one attempt per candidate. Only the token's SHA-256 is kept.
CREATE TABLE IF NOT EXISTS attempts (
    id           INTEGER PRIMARY KEY,
    candidate_id INTEGER NOT NULL UNIQUE REFERENCES candidates(id),
    token_hash   BLOB NOT NULL UNIQUE,
    -- The paper's order for this attempt (shared::paper::Arrangement, JSON).
    arrangement  TEXT NOT NULL DEFAULT '{}',
    started_at   INTEGER,
    deadline_at  INTEGER,
    -- 'submitted' or 'closed' once final, with the grade beside it.
    final_status TEXT,
    finished_at  INTEGER,
    -- Exact score in milli-points as 'num/den', and rounded for reading.
    score        TEXT,
    score_milli  INTEGER,
    mark_tenths  INTEGER
);
-- Every numbered student event, accepted or refused: the attempt's state is
-- a replay of these through shared::attempt. `refused` holds the error code.
CREATE TABLE IF NOT EXISTS events (
    attempt_id  INTEGER NOT NULL REFERENCES attempts(id),
    seq         INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    event       TEXT NOT NULL,
    refused     TEXT,
    PRIMARY KEY (attempt_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS users (
    username      TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    room_id       INTEGER REFERENCES rooms(id),
    display_name  TEXT NOT NULL
);
-- Results as computed when a sitting's last attempt ended (evidence).
CREATE TABLE IF NOT EXISTS results (
    id          INTEGER PRIMARY KEY,
    sitting_id  INTEGER NOT NULL REFERENCES sittings(id),
    computed_at INTEGER NOT NULL,
    results     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
"#;

/// Opens (creating if needed) the database at `path` and brings the schema
/// up to date.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    configure(&conn)?;
    conn.execute_batch(SCHEMA)?;
    migrate(&conn)?;
    Ok(conn)
}

/// Brings an older database up to [`SCHEMA_VERSION`], one step at a time.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .ok();
    let mut version = stored
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(SCHEMA_VERSION);
    if version == 1 {
        // Version 2: per-attempt arrangement (versions, shuffles) and exact
        // fractional scores.
        conn.execute_batch(
            "ALTER TABLE attempts ADD COLUMN arrangement TEXT NOT NULL DEFAULT '{}';
             ALTER TABLE attempts ADD COLUMN score TEXT;",
        )?;
        version = 2;
    }
    if version == 2 {
        // Version 3: chip-ID check-in (roster and checkins are created above).
        conn.execute_batch(
            "ALTER TABLE join_codes ADD COLUMN requires_card INTEGER NOT NULL DEFAULT 0;",
        )?;
        version = 3;
    }
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [version.to_string()],
    )?;
    Ok(())
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

/// True when nothing has been set up yet (no exam at all).
pub fn is_empty(conn: &Connection) -> rusqlite::Result<bool> {
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM exams", [], |r| r.get(0))?;
    Ok(n == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
