//! `examgate-relay rehearsal`: a dress rehearsal (diễn tập) for load.
//!
//! Before exam day a province rehearses on the real server: every student
//! joins in the same minute and answers for a while, and the operators
//! watch the relay hold. This seeds a fresh data folder with what such a
//! rehearsal needs and nothing else — one sitting of the sample Math exam,
//! open now, with `rooms` typed-name rooms (join codes `DT0001`, …) and
//! one central-proctor account — and writes `rehearsal.json` beside the
//! database for the load generator (`examgate-loadgen`, docs/load.md).
//! The relay is then started on the folder as usual.

use std::path::Path;

use examgate_shared::Millis;
use examgate_shared::exam::Exam;
use examgate_shared::protocol::Role;
use serde::{Deserialize, Serialize};

use crate::auth::hash_password;
use crate::boot::Database;
use crate::model::{Sitting, User};
use crate::store::db::{Db, DbError};
use crate::store::{self, writes};

/// The sample exam: Math questions in Vietnamese with TeX (the demo's).
pub const SAMPLE_EXAM_JSON: &str = include_str!("../demo/toan-demo.json");

pub fn sample_exam() -> Exam {
    let exam: Exam = serde_json::from_str(SAMPLE_EXAM_JSON).expect("the sample exam is valid JSON");
    exam.validate().expect("the sample exam is a valid exam");
    exam
}

/// The rehearsal's central proctor.
pub const PROCTOR: &str = "dientap";

/// What to seed.
#[derive(Debug, Clone)]
pub struct Rehearsal {
    pub rooms: usize,
    /// Working time per attempt.
    pub duration_ms: Millis,
    /// The window opens at `opens_at` and closes `duration_ms` plus an hour
    /// later (late joiners still get their full time until then).
    pub opens_at: Millis,
    pub password: String,
}

/// What was seeded, as `rehearsal.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RehearsalInfo {
    pub codes: Vec<String>,
    pub proctor: String,
    pub password: String,
    pub opens_at: Millis,
    pub closes_at: Millis,
    pub duration_ms: Millis,
}

#[derive(Debug, thiserror::Error)]
pub enum RehearsalError {
    #[error("{0} already holds a database: a rehearsal needs a fresh folder")]
    NotFresh(String),
    #[error("database: {0}")]
    Db(#[from] crate::store::db::DbError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl From<rusqlite::Error> for RehearsalError {
    fn from(e: rusqlite::Error) -> RehearsalError {
        RehearsalError::Db(e.into())
    }
}

/// Seeds `data` (created if missing; it must hold no database yet).
pub fn seed(data: &Path, r: &Rehearsal) -> Result<RehearsalInfo, RehearsalError> {
    seed_on(data, &Database::Sqlite, r)
}

/// Like [`seed`], on the store `database` names: a PostgreSQL database must
/// hold no exam yet (the data folder still gets `rehearsal.json`).
pub fn seed_on(
    data: &Path,
    database: &Database,
    r: &Rehearsal,
) -> Result<RehearsalInfo, RehearsalError> {
    std::fs::create_dir_all(data)?;
    let closes_at = r.opens_at + r.duration_ms + 3_600_000;
    let codes = match database {
        Database::Sqlite => {
            let db = data.join(store::DB_FILE);
            if db.exists() {
                return Err(RehearsalError::NotFresh(data.display().to_string()));
            }
            let mut conn = store::open(&db)?;
            let txn = conn.transaction()?;
            let codes = write_rehearsal(Db::sqlite(&txn), r, closes_at)?;
            txn.commit()?;
            codes
        }
        Database::Postgres(url) => {
            let conn = store::pg_schema::open(url)?;
            let db = conn.db();
            db.execute_batch("BEGIN")?;
            // Under the first-start lock: a relay booting meanwhile does
            // not seed beside the rehearsal.
            store::pg_schema::lock_setup(db)?;
            if !store::is_empty(db)? {
                let _ = db.execute_batch("ROLLBACK");
                return Err(RehearsalError::NotFresh(url.clone()));
            }
            let codes = write_rehearsal(db, r, closes_at)?;
            db.commit()?;
            codes
        }
    };
    let info = RehearsalInfo {
        codes,
        proctor: PROCTOR.into(),
        password: r.password.clone(),
        opens_at: r.opens_at,
        closes_at,
        duration_ms: r.duration_ms,
    };
    std::fs::write(
        data.join("rehearsal.json"),
        serde_json::to_vec_pretty(&info).expect("plain data"),
    )?;
    Ok(info)
}

/// The rehearsal's exam, site, rooms with their codes and central
/// proctor, inside the caller's transaction; the codes.
fn write_rehearsal(db: Db<'_>, r: &Rehearsal, closes_at: Millis) -> Result<Vec<String>, DbError> {
    let exam = sample_exam();
    writes::insert_exam(db, &exam)?;
    let site = writes::insert_site(db, "Diễn tập", "DT")?;
    let sitting = writes::insert_sitting(
        db,
        &Sitting::stand_alone(&exam.id, r.opens_at, closes_at, r.duration_ms),
    )?;
    let mut codes = Vec::with_capacity(r.rooms);
    for i in 1..=r.rooms {
        let room = writes::insert_room(db, site, &format!("Phòng diễn tập {i:04}"), 40)?;
        let code = format!("DT{i:04}");
        writes::insert_join_code(db, &code, sitting, room, false)?;
        codes.push(code);
    }
    writes::insert_user(
        db,
        &User {
            username: PROCTOR.into(),
            password_hash: hash_password(&r.password),
            role: Role::CentralProctor,
            room_id: None,
            site_id: None,
            display_name: "Diễn tập — giám sát".into(),
            disabled: false,
            subject: String::new(),
        },
    )?;
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_a_fresh_folder_once() {
        let dir = tempfile::tempdir().unwrap();
        let r = Rehearsal {
            rooms: 3,
            duration_ms: 60_000,
            opens_at: 1_000,
            password: "pw-pw-pw-pw".into(),
        };
        let info = seed(dir.path(), &r).unwrap();
        assert_eq!(info.codes, ["DT0001", "DT0002", "DT0003"]);
        let conn = store::open(&dir.path().join(store::DB_FILE)).unwrap();
        let loaded = store::load(
            crate::store::db::Db::sqlite(&conn),
            &crate::at_rest::AtRest::with_key(&[1; 32]),
        )
        .unwrap();
        assert_eq!(loaded.rooms.len(), 3);
        assert_eq!(loaded.join_codes.len(), 3);
        assert_eq!(loaded.users.len(), 1);
        assert!(matches!(
            seed(dir.path(), &r),
            Err(RehearsalError::NotFresh(_))
        ));
    }
}
