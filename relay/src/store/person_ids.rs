//! CCCD numbers at rest: written sealed with their keyed hash
//! ([`crate::at_rest`]), opened when loaded, and sealed in place where an
//! older version (schema 6 and before) left them in clear.
//!
//! What a stored `person_id` can be: NULL, sealed (`enc1:…`), or the
//! purge's mask (`•…`); a clear number only until [`seal_clear`] has run,
//! which every start does before loading.

use rusqlite::{Connection, params};

use crate::at_rest::{AtRest, AtRestError, CARD_KEY_PREFIX, SEALED_PREFIX};

/// How the purge's masks begin (`•row•1234` in the roster, `••••••••1234`
/// in check-ins, `cccd:•row` as a candidate key).
pub const MASK_PREFIX: &str = "•";

/// A CCCD number as it is written: sealed, and its keyed hash.
pub struct StoredPerson {
    pub sealed: String,
    pub key: String,
}

impl StoredPerson {
    pub fn of(at_rest: &AtRest, person_id: &str) -> StoredPerson {
        StoredPerson {
            sealed: at_rest.seal(person_id),
            key: at_rest.person_key(person_id),
        }
    }
}

/// A stored `person_id` opened: the number, the purge's mask as it is, or
/// NULL.
pub fn open(at_rest: &AtRest, stored: Option<String>) -> Result<Option<String>, AtRestError> {
    stored.map(|s| at_rest.open(&s)).transpose()
}

/// A sealed value that does not open, as a row reader's error (the
/// message names the key as the likely cause).
pub fn sealed_error(e: AtRestError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

/// A stored `person_id` as exports show it: its last four digits (a value
/// that does not open with this key says so instead of failing the export).
pub fn masked(at_rest: &AtRest, stored: Option<String>) -> Option<String> {
    stored.map(|s| match at_rest.open(&s) {
        Ok(person) => crate::model::masked_id(&person),
        Err(e) => format!("({e})"),
    })
}

/// Seals every CCCD number stored in clear, gives it its keyed hash, and
/// turns card holders' candidate keys into keyed ones; then truncates the
/// WAL so the clear values leave the disk with it (`secure_delete` zeroes
/// them in the database file). Returns how many values it sealed.
pub fn seal_clear(conn: &mut Connection, at_rest: &AtRest) -> rusqlite::Result<usize> {
    let txn = conn.transaction()?;
    let mut sealed = 0;
    for table in ["roster", "checkins"] {
        let clear: Vec<(i64, String)> = txn
            .prepare(&format!(
                "SELECT id, person_id FROM {table}
                 WHERE person_id IS NOT NULL AND person_id NOT LIKE '{SEALED_PREFIX}%'
                   AND person_id NOT LIKE '{MASK_PREFIX}%'"
            ))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut update = txn.prepare(&format!(
            "UPDATE {table} SET person_id = ?2, person_key = ?3 WHERE id = ?1"
        ))?;
        for (id, person) in clear {
            let stored = StoredPerson::of(at_rest, &person);
            update.execute(params![id, stored.sealed, stored.key])?;
            sealed += 1;
        }
    }
    let clear_keys: Vec<(i64, String)> = txn
        .prepare(&format!(
            "SELECT id, substr(name_key, {}) FROM candidates
             WHERE name_key LIKE '{CARD_KEY_PREFIX}%'",
            CARD_KEY_PREFIX.len() + 1
        ))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        // A number (12 digits) is in clear; a keyed hash (32 hex digits)
        // and the purge's mask are not.
        .filter(|(_, rest): &(i64, String)| {
            rest.len() == examgate_shared::chip::id_card::ID_DIGITS
                && rest.bytes().all(|b| b.is_ascii_digit())
        })
        .collect();
    for (id, person) in clear_keys {
        txn.execute(
            "UPDATE candidates SET name_key = ?2 WHERE id = ?1",
            params![id, at_rest.card_key(&person)],
        )?;
        sealed += 1;
    }
    txn.commit()?;
    if sealed > 0 {
        truncate_wal(conn)?;
    }
    Ok(sealed)
}

/// Whether anything in the database was sealed with a data folder's key.
pub fn holds_sealed(conn: super::db::Db<'_>) -> Result<bool, super::db::DbError> {
    conn.query_row(
        &format!(
            "SELECT EXISTS (SELECT 1 FROM roster WHERE person_id LIKE '{SEALED_PREFIX}%')
                 OR EXISTS (SELECT 1 FROM checkins WHERE person_id LIKE '{SEALED_PREFIX}%'
                                                      OR evidence LIKE '{SEALED_PREFIX}%')"
        ),
        crate::args![],
        |r| r.get(0),
    )
}

/// Copies the WAL into the database and empties it, so values just
/// overwritten are not left in the log. When a reader holds the log (the
/// purge beside a running relay), says so: the old values stay in it until
/// the relay's next checkpoint reuses it.
pub fn truncate_wal(conn: &Connection) -> rusqlite::Result<()> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    if busy != 0 {
        tracing::warn!(
            "the database log could not be emptied now (in use); removed values stay in it until it is reused"
        );
    }
    Ok(())
}
