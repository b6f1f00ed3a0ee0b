//! Start-up: open the database, seed the demo when it is empty, load the
//! state, start the writer.

use std::path::{Path, PathBuf};

use crate::clock::now_ms;
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
}

/// What [`boot`] did.
pub struct Booted {
    pub state: AppState,
    /// Present when this start seeded the demo (a fresh database).
    pub seeded: Option<DemoInfo>,
    pub db_path: PathBuf,
}

/// Opens `data_dir/examgate.sqlite3`, seeds it with `demo` (or the default
/// demo) when empty, and loads the state.
pub fn boot(
    data_dir: &Path,
    config: Config,
    demo: Option<DemoOptions>,
) -> Result<Booted, BootError> {
    std::fs::create_dir_all(data_dir).map_err(|e| BootError::DataDir(data_dir.into(), e))?;
    let db_path = data_dir.join("examgate.sqlite3");
    let mut conn = store::open(&db_path)?;
    let seeded = if store::is_empty(&conn)? {
        let opts = demo.unwrap_or_else(|| DemoOptions::starting(now_ms()));
        Some(seed_demo(&mut conn, &opts)?)
    } else {
        None
    };
    let loaded = store::load(&conn)?;
    for s in &loaded.sittings {
        if !loaded.exams.iter().any(|e| e.id == s.exam_id) {
            return Err(store::load::LoadError::Invalid(format!(
                "sitting {} names exam {}, which is not stored",
                s.id, s.exam_id
            ))
            .into());
        }
    }
    let state = AppState::new(loaded, Store::spawn(conn), config);
    Ok(Booted {
        state,
        seeded,
        db_path,
    })
}
