//! Start-up: open the database, seed the demo when asked and the database
//! is empty, make a one-time set-up link when nobody can sign in yet, load
//! the state, start the writer.

use std::path::{Path, PathBuf};

#[cfg(feature = "demo")]
use crate::clock::now_ms;
#[cfg(feature = "demo")]
use crate::seed::{DemoInfo, DemoOptions, seed_demo};
use crate::state::{AppState, Config};
use crate::store::{self, Store};

#[derive(Debug, thiserror::Error)]
pub enum BootError {
    #[error("cannot create the data folder {0}: {1}")]
    DataDir(PathBuf, std::io::Error),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Load(#[from] store::load::LoadError),
    #[error(transparent)]
    AtRest(#[from] crate::at_rest::AtRestError),
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

/// What [`boot`] did.
pub struct Booted {
    pub state: AppState,
    /// Present when this start seeded the demo (a fresh database).
    #[cfg(feature = "demo")]
    pub seeded: Option<DemoInfo>,
    /// A one-time set-up token, present while no account exists: the link
    /// `/office?setup=TOKEN` creates the first exam-office account.
    pub setup_token: Option<String>,
    pub db_path: PathBuf,
}

/// Opens `data_dir/examgate.sqlite3`, seeds it as `start` says when empty,
/// and loads the state.
pub fn boot(data_dir: &Path, config: Config, start: Start) -> Result<Booted, BootError> {
    std::fs::create_dir_all(data_dir).map_err(|e| BootError::DataDir(data_dir.into(), e))?;
    let db_path = data_dir.join(store::DB_FILE);
    let mut conn = store::open(&db_path)?;
    // A new key is made only for a database that holds nothing sealed: one
    // made beside sealed values would open none of them.
    let key_path = data_dir.join(crate::at_rest::KEY_FILE);
    if !key_path.exists() && store::person_ids::holds_sealed(&conn)? {
        return Err(crate::at_rest::AtRestError::KeyMissing(key_path.display().to_string()).into());
    }
    let at_rest = crate::at_rest::AtRest::load_or_create(data_dir)?;
    // An older version's CCCD numbers, in clear until now.
    let sealed = store::person_ids::seal_clear(&mut conn, &at_rest)?;
    if sealed > 0 {
        tracing::info!("sealed {sealed} CCCD number(s) an older version stored in clear");
    }
    #[cfg(feature = "demo")]
    let seeded = match start {
        Start::Demo(opts) if store::is_empty(&conn)? => {
            let opts = opts.map_or_else(|| DemoOptions::starting(now_ms()), |o| *o);
            Some(seed_demo(&mut conn, &opts, &at_rest)?)
        }
        _ => None,
    };
    #[cfg(not(feature = "demo"))]
    let Start::Empty = start;
    let setup_token = crate::office::setup::issue_if_nobody_can_sign_in(&conn)?;
    let loaded = store::load(&conn, &at_rest)?;
    for s in &loaded.sittings {
        if !loaded.exams.iter().any(|e| e.id == s.exam_id) {
            return Err(store::load::LoadError::Invalid(format!(
                "sitting {} names exam {}, which is not stored",
                s.id, s.exam_id
            ))
            .into());
        }
    }
    let state = AppState::new(loaded, Store::spawn(conn), config, at_rest);
    Ok(Booted {
        state,
        #[cfg(feature = "demo")]
        seeded,
        setup_token,
        db_path,
    })
}
