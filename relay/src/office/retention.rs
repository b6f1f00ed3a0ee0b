//! How long personal data is kept, and the purge that enforces it. Marks,
//! answers and the audit trail are the school's record and stay; the card's
//! files (the chip photo, the MRZ, EF.SOD) go soon after the complaint
//! period; CCCD numbers a little later, masked to their last four digits.
//! docs/exam-office.md states the same periods.
//!
//! The purge works on the database file directly (the relay may be running:
//! SQLite serialises the writers) and records what it did in the audit
//! trail.

use examgate_shared::Millis;
use rusqlite::{Connection, params};

use crate::at_rest::{AtRest, CARD_KEY_PREFIX};
use crate::model::last_four;
use crate::store::person_ids::MASK_PREFIX;

const DAY_MS: Millis = 86_400_000;

/// Retention periods, counted from the end of each sitting's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// The chip photo and raw card files of every check-in.
    pub card_files_days: i64,
    /// CCCD numbers in the roster and in check-ins.
    pub person_ids_days: i64,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            card_files_days: 30,
            person_ids_days: 365,
        }
    }
}

/// What one purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    /// Check-ins whose card files were removed.
    pub card_files: usize,
    /// Roster rows and check-ins whose CCCD number was masked.
    pub person_ids: usize,
}

/// Removes what `retention` no longer allows at `now`. With `dry_run`,
/// only counts. Idempotent.
pub fn purge(
    conn: &mut Connection,
    at_rest: &AtRest,
    retention: Retention,
    now: Millis,
    dry_run: bool,
) -> Result<Purged, crate::store::db::DbError> {
    let files_before = now - retention.card_files_days * DAY_MS;
    let ids_before = now - retention.person_ids_days * DAY_MS;
    let txn = conn.transaction()?;
    let over = "sitting_id IN (SELECT id FROM sittings WHERE closes_at <= ?1)";
    let card_files: usize = txn.query_row(
        &format!(
            "SELECT COUNT(*) FROM checkins WHERE {over} AND evidence NOT LIKE '{{\"purged_at\"%'"
        ),
        params![files_before],
        |r| r.get(0),
    )?;
    let id_rows: usize = txn.query_row(
        &format!(
            "SELECT (SELECT COUNT(*) FROM roster WHERE {over} AND person_id NOT LIKE '{MASK_PREFIX}%')
                  + (SELECT COUNT(*) FROM checkins WHERE {over} AND person_id NOT LIKE '{MASK_PREFIX}%')"
        ),
        params![ids_before],
        |r| r.get(0),
    )?;
    if !dry_run {
        // The verdict, its reasons and the proctor's decision stay; the
        // files become a note of when they went.
        txn.execute(
            &format!(
                "UPDATE checkins SET evidence = json_object('purged_at', ?2, 'kept',
                     'verdict, reasons, decision; card files removed after the retention period'),
                     desk = NULL, photo = NULL, outcome = NULL, poll_hash = NULL
                 WHERE {over} AND evidence NOT LIKE '{{\"purged_at\"%'"
            ),
            params![files_before, now],
        )?;
        // A card holder's candidate key is their ID: keyed by the row now.
        txn.execute(
            &format!(
                "UPDATE candidates SET name_key = '{CARD_KEY_PREFIX}{MASK_PREFIX}' || id
                 WHERE {over} AND name_key LIKE '{CARD_KEY_PREFIX}%'
                   AND name_key NOT LIKE '{CARD_KEY_PREFIX}{MASK_PREFIX}%'"
            ),
            params![ids_before],
        )?;
        // The numbers are sealed, so each is opened to keep its last four
        // digits; its keyed hash goes too (with the key it would still
        // say whose row it was). Roster masks stay unique per sitting: the
        // row id goes in front.
        for (table, mask) in [
            (
                "roster",
                (|id, last4| format!("{MASK_PREFIX}{id}{MASK_PREFIX}{last4}"))
                    as fn(i64, &str) -> String,
            ),
            ("checkins", |_, last4| {
                format!("{}{last4}", MASK_PREFIX.repeat(8))
            }),
        ] {
            let due: Vec<(i64, String)> = txn
                .prepare(&format!(
                    "SELECT id, person_id FROM {table}
                     WHERE {over} AND person_id NOT LIKE '{MASK_PREFIX}%'"
                ))?
                .query_map(params![ids_before], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut update = txn.prepare(&format!(
                "UPDATE {table} SET person_id = ?2, person_key = NULL WHERE id = ?1"
            ))?;
            for (id, stored) in due {
                let person = at_rest
                    .open(&stored)
                    .map_err(crate::store::person_ids::sealed_error)?;
                update.execute(params![id, mask(id, last_four(&person))])?;
            }
        }
        // Chained like every audit entry (`audit verify`).
        let detail = format!(
            "card files of {card_files} check-in(s) removed (older than {} days); \
             {id_rows} CCCD number(s) masked (older than {} days)",
            retention.card_files_days, retention.person_ids_days
        );
        crate::store::writes::audit(
            crate::store::db::Db::sqlite(&txn),
            now,
            "purge",
            "purge",
            &detail,
        )?;
    }
    txn.commit()?;
    if !dry_run {
        // What was overwritten is zeroed in the file (`secure_delete`);
        // the log's copies go with its truncation.
        crate::store::person_ids::truncate_wal(conn)?;
    }
    Ok(Purged {
        card_files,
        person_ids: id_rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two sittings' rosters and check-ins, their numbers sealed as an
    /// upgraded relay leaves them.
    fn db() -> (tempfile::TempDir, Connection, AtRest) {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::store::open(&dir.path().join("db.sqlite3")).unwrap();
        conn.execute_batch(
            "INSERT INTO exams (id, definition) VALUES ('e', '{}');
             INSERT INTO sites (id, name) VALUES (1, 's');
             INSERT INTO rooms (id, site_id, name) VALUES (1, 1, 'r');
             -- an old sitting (closed on day 0) and a recent one (day 100)
             INSERT INTO sittings (id, exam_id, opens_at, closes_at, duration_ms)
                 VALUES (1, 'e', 0, 0, 1), (2, 'e', 0, 8640000000, 1);
             INSERT INTO roster (sitting_id, room_id, person_id, birth, name)
                 VALUES (1, 1, '001206012345', '2006-03-04', 'A'),
                        (2, 1, '079208000111', '2008-01-01', 'B');
             INSERT INTO checkins (at, sitting_id, room_id, person_id, verdict, reasons, station, evidence,
                                   desk, photo, outcome, poll_hash)
                 VALUES (0, 1, 1, '001206012345', 'accepted', '', '', '{\"groups\":{\"2\":\"photo\"}}',
                         'desk', 'photo', 'outcome', x'01'),
                        (0, 2, 1, '079208000111', 'accepted', '', '', '{\"groups\":{\"2\":\"photo\"}}',
                         'desk', 'photo', 'outcome', x'01');
             INSERT INTO candidates (sitting_id, room_id, name, name_key)
                 VALUES (1, 1, 'A', 'cccd:001206012345'), (2, 1, 'B', 'cccd:079208000111');",
        )
        .unwrap();
        let at_rest = AtRest::with_key(&[5; 32]);
        assert_eq!(
            crate::store::person_ids::seal_clear(&mut conn, &at_rest).unwrap(),
            6
        );
        // The exam was stored by hand: committed as the relay does.
        crate::store::writes::commit_exam(
            crate::store::db::Db::sqlite(&conn),
            0,
            "relay",
            "e",
            "{}",
        )
        .unwrap();
        (dir, conn, at_rest)
    }

    fn evidence(conn: &Connection, sitting: i64) -> String {
        conn.query_row(
            "SELECT evidence FROM checkins WHERE sitting_id = ?1",
            [sitting],
            |r| r.get(0),
        )
        .unwrap()
    }

    #[test]
    fn removes_what_its_periods_say_and_nothing_else() {
        let (_dir, mut conn, at_rest) = db();
        let r = Retention::default();
        // Day 31: the old sitting's card files go, its IDs stay.
        let day31 = 31 * DAY_MS;
        let counted = purge(&mut conn, &at_rest, r, day31, true).unwrap();
        assert_eq!(
            counted,
            Purged {
                card_files: 1,
                person_ids: 0
            }
        );
        assert!(
            evidence(&conn, 1).contains("photo"),
            "a dry run changes nothing"
        );
        assert_eq!(
            purge(&mut conn, &at_rest, r, day31, false).unwrap(),
            counted
        );
        assert!(evidence(&conn, 1).starts_with("{\"purged_at\""));
        // The desk's copy of the chip photo and ID, and the reader's
        // outcome, go with the files.
        let desks: Vec<bool> = conn
            .prepare("SELECT desk IS NULL AND photo IS NULL AND outcome IS NULL AND poll_hash IS NULL FROM checkins ORDER BY sitting_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(desks, [true, false]);
        assert!(
            evidence(&conn, 2).contains("photo"),
            "the recent sitting keeps its files"
        );
        let verdict: String = conn
            .query_row(
                "SELECT verdict FROM checkins WHERE sitting_id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(verdict, "accepted", "the verdict stays");
        // Day 366: the old sitting's CCCD numbers are masked (roster and
        // check-in); the recent sitting's are not, though its card files
        // (closed on day 100) are now past their 30 days too.
        let purged = purge(&mut conn, &at_rest, r, 366 * DAY_MS, false).unwrap();
        assert_eq!(
            purged,
            Purged {
                card_files: 1,
                person_ids: 2
            }
        );
        assert!(evidence(&conn, 2).starts_with("{\"purged_at\""));
        let rows: Vec<(String, Option<String>)> = conn
            .prepare("SELECT person_id, person_key FROM roster ORDER BY sitting_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows[0], ("•1•2345".to_string(), None), "masked, unkeyed");
        assert_eq!(at_rest.open(&rows[1].0).unwrap(), "079208000111");
        assert_eq!(rows[1].1, Some(at_rest.person_key("079208000111")));
        let keys: Vec<String> = conn
            .prepare("SELECT name_key FROM candidates ORDER BY sitting_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            keys,
            ["cccd:•1".to_string(), at_rest.card_key("079208000111")]
        );
        let checkin_id: String = conn
            .query_row(
                "SELECT person_id FROM checkins WHERE sitting_id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(checkin_id, "••••••••2345");
        // Again: nothing left to do.
        assert_eq!(
            purge(&mut conn, &at_rest, r, 366 * DAY_MS, false).unwrap(),
            Purged::default()
        );
        let audits: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM audit WHERE action = 'purge'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(audits, 3);
        // Chained like every entry.
        crate::audit::verify_database(crate::store::db::Db::sqlite(&conn)).unwrap();
    }
}
