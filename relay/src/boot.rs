//! Start-up: open the database (SQLite in the data folder, or a shared
//! PostgreSQL), seed the demo when asked and the database is empty, make a
//! one-time set-up link when nobody can sign in yet, load the state, start
//! the writer.

use std::path::{Path, PathBuf};

#[cfg(feature = "demo")]
use crate::clock::now_ms;
#[cfg(feature = "demo")]
use crate::seed::{DemoInfo, DemoOptions, seed_demo};
use crate::state::{AppState, Config};
use crate::store::db::Db;
use crate::store::{self, Store};

#[derive(Debug, thiserror::Error)]
pub enum BootError {
    #[error("cannot create the data folder {0}: {1}")]
    DataDir(PathBuf, std::io::Error),
    #[error("database: {0}")]
    Db(#[from] crate::store::db::DbError),
    #[error(transparent)]
    Load(#[from] store::load::LoadError),
    #[error(transparent)]
    AtRest(#[from] crate::at_rest::AtRestError),
}

impl From<rusqlite::Error> for BootError {
    fn from(e: rusqlite::Error) -> BootError {
        BootError::Db(e.into())
    }
}

/// What an empty database starts as.
#[derive(Debug, Clone)]
pub enum Start {
    /// A real exam: nothing but a set-up link for the first exam-office
    /// account.
    Empty,
    /// The demo exam, rooms and accounts (the default demo when `None`).
    #[cfg(feature = "demo")]
    Demo(Option<Box<DemoOptions>>),
}

/// Which store the relay keeps its record in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// `DATA/examgate.sqlite3`, embedded: one relay, nothing to run beside
    /// it (the default).
    Sqlite,
    /// A PostgreSQL database (`postgres://user@host:port/name`) that any
    /// number of relays share.
    Postgres(String),
}

impl Database {
    /// `--database`: a `postgres://` (or `postgresql://`) URL, or `sqlite`.
    pub fn parse(text: &str) -> Result<Database, String> {
        if text == "sqlite" {
            Ok(Database::Sqlite)
        } else if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Ok(Database::Postgres(text.to_owned()))
        } else {
            Err(format!(
                "--database takes `sqlite` or a postgres:// URL, not {text:?}"
            ))
        }
    }
}

/// What [`boot`] did.
pub struct Booted {
    pub state: AppState,
    /// Present when this start seeded the demo (a fresh database).
    #[cfg(feature = "demo")]
    pub seeded: Option<DemoInfo>,
    /// A one-time set-up token, present while no account exists: the link
    /// `/office?setup=TOKEN` creates the first exam-office account.
    pub setup_token: Option<String>,
    /// The SQLite file, when the store is SQLite.
    pub db_path: PathBuf,
}

/// Opens `data_dir/examgate.sqlite3`, seeds it as `start` says when empty,
/// and loads the state.
pub fn boot(data_dir: &Path, config: Config, start: Start) -> Result<Booted, BootError> {
    boot_on(data_dir, &Database::Sqlite, config, start)
}

/// Like [`boot`], on the store `database` names. The data folder keeps the
/// at-rest key either way: relays that share a PostgreSQL database share
/// that key file too (docs/deployment.md).
pub fn boot_on(
    data_dir: &Path,
    database: &Database,
    config: Config,
    start: Start,
) -> Result<Booted, BootError> {
    std::fs::create_dir_all(data_dir).map_err(|e| BootError::DataDir(data_dir.into(), e))?;
    let db_path = data_dir.join(store::DB_FILE);
    match database {
        Database::Sqlite => {
            let mut conn = store::open(&db_path)?;
            let at_rest = at_rest_for(data_dir, Db::sqlite(&conn))?;
            // An older version's CCCD numbers, in clear until now.
            let sealed = store::person_ids::seal_clear(&mut conn, &at_rest)?;
            if sealed > 0 {
                tracing::info!("sealed {sealed} CCCD number(s) an older version stored in clear");
            }
            let txn = conn.transaction()?;
            let prepared = prepare(Db::sqlite(&txn), start, &at_rest)?;
            txn.commit()?;
            let loaded = store::load(Db::sqlite(&conn), &at_rest)?;
            finish(
                loaded,
                Store::spawn(conn),
                config,
                at_rest,
                prepared,
                db_path,
            )
        }
        Database::Postgres(url) => {
            let conn = store::pg_schema::open(url)?;
            let db = conn.db();
            let at_rest = at_rest_for(data_dir, db)?;
            db.execute_batch("BEGIN")?;
            // Relays started together on an empty database: one seeds, the
            // others wait for its commit and find it seeded.
            let prepared = store::pg_schema::lock_setup(db)
                .map_err(BootError::from)
                .and_then(|()| prepare(db, start, &at_rest));
            match prepared {
                Ok(prepared) => {
                    db.commit()?;
                    let loaded = store::load(db, &at_rest)?;
                    finish(
                        loaded,
                        Store::on_postgres(conn, url),
                        config,
                        at_rest,
                        prepared,
                        db_path,
                    )
                }
                Err(e) => {
                    let _ = db.execute_batch("ROLLBACK");
                    Err(e)
                }
            }
        }
    }
}

/// The data folder's at-rest key, made only for a database that holds
/// nothing sealed: a key made beside sealed values would open none of them.
fn at_rest_for(data_dir: &Path, db: Db<'_>) -> Result<crate::at_rest::AtRest, BootError> {
    let key_path = data_dir.join(crate::at_rest::KEY_FILE);
    if !key_path.exists() && store::person_ids::holds_sealed(db)? {
        return Err(crate::at_rest::AtRestError::KeyMissing(key_path.display().to_string()).into());
    }
    Ok(crate::at_rest::AtRest::load_or_create(data_dir)?)
}

/// What [`prepare`] did to a fresh database.
struct Prepared {
    #[cfg(feature = "demo")]
    seeded: Option<DemoInfo>,
    setup_token: Option<String>,
}

/// Seeds the demo when asked and the database is empty, and makes the
/// set-up link when nobody can sign in: inside the caller's transaction.
fn prepare(
    db: Db<'_>,
    start: Start,
    at_rest: &crate::at_rest::AtRest,
) -> Result<Prepared, BootError> {
    #[cfg(feature = "demo")]
    let seeded = match start {
        Start::Demo(opts) if store::is_empty(db)? => {
            let opts = opts.map_or_else(|| DemoOptions::starting(now_ms()), |o| *o);
            Some(seed_demo(db, &opts, at_rest)?)
        }
        _ => None,
    };
    #[cfg(not(feature = "demo"))]
    let (Start::Empty, _) = (start, at_rest);
    let setup_token = crate::office::setup::issue_if_nobody_can_sign_in(db)?;
    Ok(Prepared {
        #[cfg(feature = "demo")]
        seeded,
        setup_token,
    })
}

fn finish(
    loaded: store::Loaded,
    store: Store,
    config: Config,
    at_rest: crate::at_rest::AtRest,
    prepared: Prepared,
    db_path: PathBuf,
) -> Result<Booted, BootError> {
    for s in &loaded.sittings {
        if !loaded.exams.iter().any(|e| e.id == s.exam_id) {
            return Err(store::load::LoadError::Invalid(format!(
                "sitting {} names exam {}, which is not stored",
                s.id, s.exam_id
            ))
            .into());
        }
    }
    let state = AppState::new(loaded, store, config, at_rest);
    Ok(Booted {
        state,
        #[cfg(feature = "demo")]
        seeded: prepared.seeded,
        setup_token: prepared.setup_token,
        db_path,
    })
}
