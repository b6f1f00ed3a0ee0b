//! The SQLite schema and connection settings.
//!
//! Durability first: WAL with `synchronous=FULL`, so an answer the relay has
//! acknowledged survives a power cut (NORMAL could roll the last commit
//! back). Throughput comes from group commit in [`super::writer`], not from
//! weaker syncing.

use std::path::Path;

use rusqlite::Connection;
use rusqlite::config::DbConfig;

/// Bumped when the schema changes; stored in `meta`.
pub const SCHEMA_VERSION: i64 = 8;

pub(crate) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- The full exam definition (shared::exam::Exam as JSON), key included.
CREATE TABLE IF NOT EXISTS exams (
    id         TEXT PRIMARY KEY,
    definition TEXT NOT NULL
);
-- An exam event as the exam office plans it ("kỳ thi"): its shifts are
-- sittings, its people are the roster of those sittings.
CREATE TABLE IF NOT EXISTS exam_events (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    subject      TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    -- Set once results are handed in: from then on only key corrections
    -- (with who, what and why) change them.
    published_at INTEGER,
    published_by TEXT
);
-- A site ("điểm thi"), usually a school.
CREATE TABLE IF NOT EXISTS sites (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS rooms (
    id      INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    name    TEXT NOT NULL,
    -- Working computers / seats; automatic allocation fills up to this.
    seats   INTEGER NOT NULL DEFAULT 24
);
-- One scheduled run of an exam: its window and the working time per attempt.
-- An office-planned shift ("ca thi") is one sitting of its event.
CREATE TABLE IF NOT EXISTS sittings (
    id          INTEGER PRIMARY KEY,
    exam_id     TEXT NOT NULL REFERENCES exams(id),
    opens_at    INTEGER NOT NULL,
    closes_at   INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    event_id    INTEGER REFERENCES exam_events(id),
    shift       TEXT NOT NULL DEFAULT '',
    -- 1: the shift's rooms check chip ID cards (its join codes say so too).
    requires_card INTEGER NOT NULL DEFAULT 0,
    -- A practice exam's rules as JSON (tries allowed, which try counts);
    -- NULL for an exam.
    practice    TEXT,
    -- The office's hard stop (relay ms): no attempt of the shift works past
    -- it, extra time and pauses included. NULL: none.
    hard_stop   INTEGER,
    -- 1: the exam page asks for full screen and reports leaving it.
    fullscreen  INTEGER NOT NULL DEFAULT 0
);
-- A code students type to join a room of a sitting without a card.
CREATE TABLE IF NOT EXISTS join_codes (
    code       TEXT PRIMARY KEY,
    sitting_id INTEGER NOT NULL REFERENCES sittings(id),
    room_id    INTEGER NOT NULL REFERENCES rooms(id),
    -- 1: candidates enter only by chip-ID check-in (or a seat code).
    requires_card INTEGER NOT NULL DEFAULT 0
);
-- Who may sit in a room of a sitting, as the school registered them. Only
-- what the exam needs is kept (see docs/exam-office.md).
CREATE TABLE IF NOT EXISTS roster (
    id               INTEGER PRIMARY KEY,
    sitting_id       INTEGER NOT NULL REFERENCES sittings(id),
    room_id          INTEGER NOT NULL REFERENCES rooms(id),
    -- The 12-digit personal ID on the chip card (CCCD), sealed (at_rest.rs);
    -- NULL when the room does not check cards and the sheet had none;
    -- `•row•last4` once the purge removed it.
    person_id        TEXT,
    -- Its keyed hash (AtRest::person_key): how it is found and kept unique.
    person_key       TEXT,
    -- YYYY-MM-DD.
    birth            TEXT,
    name             TEXT NOT NULL,
    -- Số báo danh: the one identifier of a candidate in every list.
    candidate_number TEXT,
    -- The MOET pupil ID ("mã định danh Bộ GD&ĐT").
    pupil_id         TEXT,
    class            TEXT NOT NULL DEFAULT '',
    school           TEXT NOT NULL DEFAULT '',
    seat             INTEGER,
    UNIQUE (sitting_id, person_key),
    UNIQUE (sitting_id, candidate_number)
);
-- Every check-in the relay judged, accepted or refused, with its reasons
-- and evidence (the card's files as read): the audit trail of identity.
CREATE TABLE IF NOT EXISTS checkins (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    sitting_id  INTEGER NOT NULL REFERENCES sittings(id),
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    -- From the chip, sealed; NULL when the card could not be read that far.
    person_id   TEXT,
    -- Its keyed hash, as in the roster.
    person_key  TEXT,
    -- 'accepted' (then the proctor decides) or the refusal's error code.
    verdict     TEXT NOT NULL,
    reasons     TEXT NOT NULL,
    -- 'confirmed', 'rejected' or 'released', with who and when.
    decision    TEXT,
    decided_by  TEXT,
    decided_at  INTEGER,
    station     TEXT NOT NULL,
    -- The card's files as read (JSON: base64 EF.COM, groups, EF.SOD).
    evidence    TEXT NOT NULL,
    -- The check-in desk, shared by every relay (schema 8). An accepted
    -- card's reader polls with a token whose hash is kept here; `desk` is
    -- what the proctor sees of it (names, ID), `photo` the chip photo, and
    -- `outcome` what the reader gets once decided (a seat code or the
    -- attempt's token), all three sealed. While a student computer's
    -- confirmation makes the attempt, `decision` is 'confirming'.
    poll_hash   BLOB,
    at_station  INTEGER NOT NULL DEFAULT 0,
    desk        TEXT,
    photo       TEXT,
    outcome     TEXT
);
-- Numbered papers dealt per sitting (schema 8): the next joiner's ordinal,
-- one counter however many relays deal.
CREATE TABLE IF NOT EXISTS sitting_deals (
    sitting_id INTEGER NOT NULL PRIMARY KEY REFERENCES sittings(id),
    dealt      INTEGER NOT NULL
);
-- Outstanding challenges: single use (taken with DELETE … RETURNING by
-- whichever relay the reader answers through), short-lived. `chip_auth`
-- is the relay's side of Chip Authentication (the secure channel the chip
-- will answer under and the DG14 it was made for), sealed.
CREATE TABLE IF NOT EXISTS checkin_challenges (
    id_hash    BLOB PRIMARY KEY,
    challenge  TEXT NOT NULL,
    sitting_id INTEGER NOT NULL,
    room_id    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    chip_auth  TEXT
);
-- One-time seat codes (by hash): a proctor station's confirmed card, or an
-- attempt a proctor moved to another computer.
CREATE TABLE IF NOT EXISTS seat_codes (
    code_hash  BLOB PRIMARY KEY,
    checkin_id INTEGER,
    attempt_id INTEGER,
    expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS candidates (
    id         INTEGER PRIMARY KEY,
    sitting_id INTEGER NOT NULL REFERENCES sittings(id),
    room_id    INTEGER NOT NULL REFERENCES rooms(id),
    name       TEXT NOT NULL,
    -- Lower-cased, whitespace-folded name: one candidate per name per room.
    name_key   TEXT NOT NULL,
    -- The roster's số báo danh, when the candidate was registered.
    candidate_number TEXT,
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
    -- SHA-256 chaining this event to the attempt's previous one
    -- (shared::audit_chain): a changed answer breaks the chain.
    hash        BLOB,
    PRIMARY KEY (attempt_id, seq)
) WITHOUT ROWID;
-- Proctors' controls of attempts (shared::control::Control as JSON) and the
-- relay's deadline closes, with the event number each follows: a restart
-- replays events and controls in this order.
CREATE TABLE IF NOT EXISTS attempt_controls (
    id         INTEGER PRIMARY KEY,
    attempt_id INTEGER NOT NULL REFERENCES attempts(id),
    at         INTEGER NOT NULL,
    after_seq  INTEGER NOT NULL,
    control    TEXT NOT NULL,
    actor      TEXT NOT NULL,
    reason     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempt_controls_by_attempt ON attempt_controls (attempt_id, id);
-- Integrity signals (shared::integrity::Signal as JSON), from the page or
-- seen by the relay.
CREATE TABLE IF NOT EXISTS signals (
    id         INTEGER PRIMARY KEY,
    attempt_id INTEGER NOT NULL REFERENCES attempts(id),
    at         INTEGER NOT NULL,
    signal     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS signals_by_attempt ON signals (attempt_id, id);
-- Incidents proctors recorded against a room or a candidate.
CREATE TABLE IF NOT EXISTS incidents (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    room_id      INTEGER NOT NULL REFERENCES rooms(id),
    candidate_id INTEGER REFERENCES candidates(id),
    category     TEXT NOT NULL,
    text         TEXT NOT NULL,
    by_user      TEXT NOT NULL
);
-- Messages from proctors to a candidate or to a room's candidates of one
-- sitting, and who acknowledged them.
CREATE TABLE IF NOT EXISTS messages (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    sitting_id   INTEGER NOT NULL REFERENCES sittings(id),
    room_id      INTEGER NOT NULL REFERENCES rooms(id),
    candidate_id INTEGER REFERENCES candidates(id),
    text         TEXT NOT NULL,
    by_user      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS message_seen (
    message_id   INTEGER NOT NULL REFERENCES messages(id),
    candidate_id INTEGER NOT NULL REFERENCES candidates(id),
    at           INTEGER NOT NULL,
    PRIMARY KEY (message_id, candidate_id)
);
-- Staff sessions, by the SHA-256 of their token, so a restart keeps
-- proctors signed in; revoked ones stay for the record.
CREATE TABLE IF NOT EXISTS sessions (
    token_hash BLOB PRIMARY KEY,
    username   TEXT NOT NULL,
    role       TEXT NOT NULL,
    room_id    INTEGER,
    site_id    INTEGER,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
-- Staff. Scope: a room (room proctors), a site, or everything (both NULL).
CREATE TABLE IF NOT EXISTS users (
    username      TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    room_id       INTEGER REFERENCES rooms(id),
    display_name  TEXT NOT NULL,
    site_id       INTEGER REFERENCES sites(id),
    disabled      INTEGER NOT NULL DEFAULT 0,
    -- A teacher's subject: whose bank questions they see and edit.
    subject       TEXT NOT NULL DEFAULT ''
);
-- The question bank: the newest version of each question (shared::bank::Item
-- as JSON, pictures as references into bank_media) and what search needs.
CREATE TABLE IF NOT EXISTS bank_items (
    id            INTEGER PRIMARY KEY,
    version       INTEGER NOT NULL,
    subject       TEXT NOT NULL DEFAULT '',
    owner         TEXT NOT NULL,
    -- 1: the exam office shared it with every teacher.
    shared        INTEGER NOT NULL DEFAULT 0,
    kind          TEXT NOT NULL,
    -- Text and options after NFC, case and white space: equal keys are
    -- the same question, so an import does not store it twice.
    dup_key       TEXT NOT NULL,
    -- Text, options and metadata for search, as typed and with diacritics
    -- folded away.
    search        TEXT NOT NULL,
    search_folded TEXT NOT NULL,
    item          TEXT NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS bank_items_dup ON bank_items (dup_key);
-- Every version of every bank question, with who saved it and when.
CREATE TABLE IF NOT EXISTS bank_versions (
    item_id INTEGER NOT NULL REFERENCES bank_items(id),
    version INTEGER NOT NULL,
    item    TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at      INTEGER NOT NULL,
    note    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, version)
);
-- Pictures, once each, by content (sha256 name).
CREATE TABLE IF NOT EXISTS bank_media (
    name       TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    bytes      BLOB NOT NULL
);
-- Which bank question (and version) each question of a paper came from.
CREATE TABLE IF NOT EXISTS bank_paper_items (
    exam_id      TEXT NOT NULL,
    question_id  INTEGER NOT NULL,
    item_id      INTEGER NOT NULL REFERENCES bank_items(id),
    item_version INTEGER NOT NULL,
    PRIMARY KEY (exam_id, question_id)
);
-- What each sitting taught the bank about a question.
CREATE TABLE IF NOT EXISTS bank_stats (
    item_id        INTEGER NOT NULL REFERENCES bank_items(id),
    sitting_id     INTEGER NOT NULL REFERENCES sittings(id),
    exam_id        TEXT NOT NULL,
    at             INTEGER NOT NULL,
    candidates     INTEGER NOT NULL,
    facility       REAL NOT NULL,
    discrimination REAL,
    flags          TEXT NOT NULL,
    PRIMARY KEY (item_id, sitting_id)
);
-- Results as computed when a sitting's last attempt ended (evidence).
CREATE TABLE IF NOT EXISTS results (
    id          INTEGER PRIMARY KEY,
    sitting_id  INTEGER NOT NULL REFERENCES sittings(id),
    computed_at INTEGER NOT NULL,
    results     TEXT NOT NULL
);
-- Append-only and hash-chained: `hash` is SHA-256 over the previous
-- entry's hash and this entry (shared::audit_chain), so `audit verify`
-- finds the first entry changed, removed or inserted.
CREATE TABLE IF NOT EXISTS audit (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    hash   BLOB
);
-- A candidate's timeline finds their joins and moves without a scan.
CREATE INDEX IF NOT EXISTS audit_by_action ON audit (action, actor);
"#;

/// Indexes on columns that older schemas lack: made after [`migrate`] has
/// added them.
pub(crate) const INDEXES: &str = "
CREATE INDEX IF NOT EXISTS checkins_by_person ON checkins (sitting_id, person_key);
-- One card, one seat per sitting: an accepted check-in holds it until the
-- proctor rejects it or releases the seat, whichever relay judged it.
CREATE UNIQUE INDEX IF NOT EXISTS checkins_one_seat ON checkins (sitting_id, person_key)
    WHERE verdict = 'accepted' AND (decision IS NULL OR decision IN ('confirming', 'confirmed'));
CREATE INDEX IF NOT EXISTS checkin_challenges_by_expiry ON checkin_challenges (expires_at);
CREATE INDEX IF NOT EXISTS seat_codes_by_expiry ON seat_codes (expires_at);
-- The open attempts by deadline: every relay of a cluster looks, once a
-- second, for attempts overdue that nobody closed (cluster::adopt_overdue).
CREATE INDEX IF NOT EXISTS attempts_open_by_deadline ON attempts (deadline_at)
    WHERE final_status IS NULL;
";

/// The upgrade to schema 8 on either engine, so that the seat index
/// (`checkins_one_seat`) holds one row per card and sitting: a check-in
/// still awaiting the proctor was held only in the old relay's memory,
/// which the upgrade's restart forgot (its reader had to read the card
/// again), so it is released; and should a card hold two confirmed seats
/// (relays of a cluster each kept their own seats), all but the newest are.
pub(crate) const RELEASE_FORGOTTEN_CHECKINS: &str =
    "UPDATE checkins SET decision = 'released', decided_by = 'upgrade'
     WHERE verdict = 'accepted' AND decision IS NULL;
     UPDATE checkins SET decision = 'released', decided_by = 'upgrade'
     WHERE verdict = 'accepted' AND decision = 'confirmed' AND person_key IS NOT NULL
       AND id < (SELECT MAX(newer.id) FROM checkins newer
                 WHERE newer.sitting_id = checkins.sitting_id
                   AND newer.person_key = checkins.person_key
                   AND newer.verdict = 'accepted' AND newer.decision = 'confirmed');";

/// Opens (creating if needed) the database at `path` and brings the schema
/// up to date.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    configure(&conn)?;
    // Creating and migrating in one transaction: a start that stops half
    // way (power cut, kill) leaves the database as it was, never with a
    // renamed table and an empty new one.
    let txn = conn.unchecked_transaction()?;
    txn.execute_batch(SCHEMA)?;
    migrate(&txn)?;
    txn.execute_batch(INDEXES)?;
    txn.commit()?;
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
    if version == 3 {
        // Version 4: the exam office (events, shifts, seats, registered
        // candidates, staff scopes). Columns are added only where missing
        // (the tables above may already be the new ones); the roster is
        // rebuilt because SQLite cannot drop NOT NULL from person_id.
        for (table, column, decl) in [
            ("sites", "code", "TEXT NOT NULL DEFAULT ''"),
            ("rooms", "seats", "INTEGER NOT NULL DEFAULT 24"),
            ("sittings", "event_id", "INTEGER REFERENCES exam_events(id)"),
            ("sittings", "shift", "TEXT NOT NULL DEFAULT ''"),
            ("sittings", "requires_card", "INTEGER NOT NULL DEFAULT 0"),
            ("candidates", "candidate_number", "TEXT"),
            ("users", "site_id", "INTEGER REFERENCES sites(id)"),
            ("users", "disabled", "INTEGER NOT NULL DEFAULT 0"),
        ] {
            if !column_exists(conn, table, column)? {
                conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl}"))?;
            }
        }
        if !column_exists(conn, "roster", "candidate_number")? {
            conn.execute_batch("ALTER TABLE roster RENAME TO roster_v3;")?;
            conn.execute_batch(SCHEMA)?;
            conn.execute_batch(
                "INSERT INTO roster (id, sitting_id, room_id, person_id, birth, name)
                     SELECT id, sitting_id, room_id, person_id, birth, name FROM roster_v3;
                 DROP TABLE roster_v3;",
            )?;
        }
        version = 4;
    }
    if version == 4 {
        // Version 5: the question bank (its tables are created above) and
        // teachers' subjects.
        if !column_exists(conn, "users", "subject")? {
            conn.execute_batch("ALTER TABLE users ADD COLUMN subject TEXT NOT NULL DEFAULT ''")?;
        }
        if !column_exists(conn, "sittings", "practice")? {
            conn.execute_batch("ALTER TABLE sittings ADD COLUMN practice TEXT")?;
        }
        version = 5;
    }
    if version == 5 {
        // Version 6: proctor control (tables created above), hard stop and
        // full screen per shift, hash chains over the audit and the events.
        for (table, column, decl) in [
            ("sittings", "hard_stop", "INTEGER"),
            ("sittings", "fullscreen", "INTEGER NOT NULL DEFAULT 0"),
            ("events", "hash", "BLOB"),
            ("audit", "hash", "BLOB"),
        ] {
            if !column_exists(conn, table, column)? {
                conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl}"))?;
            }
        }
        // What was stored unchained is chained as it stands, so the
        // upgraded database verifies.
        super::chain_backfill::backfill(conn)?;
        version = 6;
    }
    if version == 6 {
        // Version 7: CCCD numbers sealed, found by a keyed hash. The roster
        // is rebuilt to be unique by the hash, not by the (now sealed)
        // number; the numbers are sealed by `person_ids::seal_clear` at the
        // next start, which has the key.
        if !column_exists(conn, "checkins", "person_key")? {
            conn.execute_batch("ALTER TABLE checkins ADD COLUMN person_key TEXT")?;
        }
        if !column_exists(conn, "roster", "person_key")? {
            conn.execute_batch("ALTER TABLE roster RENAME TO roster_v6;")?;
            conn.execute_batch(SCHEMA)?;
            conn.execute_batch(
                "INSERT INTO roster (id, sitting_id, room_id, person_id, birth, name,
                                     candidate_number, pupil_id, class, school, seat)
                     SELECT id, sitting_id, room_id, person_id, birth, name,
                            candidate_number, pupil_id, class, school, seat FROM roster_v6;
                 DROP TABLE roster_v6;",
            )?;
        }
        version = 7;
    }
    if version == 7 {
        // Version 8: the check-in desk in the store (its tables are created
        // above), shared by every relay.
        for (column, decl) in [
            ("poll_hash", "BLOB"),
            ("at_station", "INTEGER NOT NULL DEFAULT 0"),
            ("desk", "TEXT"),
            ("photo", "TEXT"),
            ("outcome", "TEXT"),
        ] {
            if !column_exists(conn, "checkins", column)? {
                conn.execute_batch(&format!("ALTER TABLE checkins ADD COLUMN {column} {decl}"))?;
            }
        }
        conn.execute_batch(RELEASE_FORGOTTEN_CHECKINS)?;
        version = 8;
    }
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [version.to_string()],
    )?;
    Ok(())
}

fn column_exists(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let names = stmt.query_map([], |r| r.get::<_, String>(1))?;
    for name in names {
        if name? == column {
            return Ok(true);
        }
    }
    Ok(false)
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // The writer prepares each statement once (rusqlite keeps 16 by
    // default; a batch touches more kinds than that).
    conn.set_prepared_statement_cache_capacity(128);
    // Plans that do not depend on bound values. Without this, SQLite marks
    // the `?` of a `col = ?` term as plan-relevant, and rusqlite clears a
    // statement's bindings when it returns to the cache — which expires
    // it: every cached statement was parsed and planned again at each use
    // (an eighth of the writer's time under load).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // What is overwritten or deleted (a CCCD number sealed in place, card
    // files and numbers the purge removes) is zeroed in the file, not left
    // in its free space.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

/// True when nothing has been set up yet (no exam at all).
pub fn is_empty(db: super::db::Db<'_>) -> Result<bool, super::db::DbError> {
    let n: i64 = db.query_row("SELECT COUNT(*) FROM exams", crate::args![], |r| r.get(0))?;
    Ok(n == 0)
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
