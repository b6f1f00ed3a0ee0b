//! Checkpoints off the commit path.
//!
//! In WAL mode SQLite copies the log back into the database file every
//! 1,000 pages, inside whichever commit crosses the mark — and with
//! `synchronous=FULL` that copy ends with an fsync of the database file.
//! The answers waiting for that commit wait for the copy too: tens of
//! milliseconds every few seconds under a province's load. Here the writer
//! checkpoints only as a backstop (every 10,000 pages) and this thread runs
//! a passive checkpoint (never blocking the writer) every second on its own
//! connection. It stops when the writer does.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rusqlite::Connection;

/// The writer's own checkpoint threshold, in pages: a backstop if this
/// thread falls behind.
pub const WRITER_CHECKPOINT_PAGES: u32 = 10_000;

/// How often the background checkpoint runs.
pub const EVERY: Duration = Duration::from_secs(1);

/// Starts the checkpoint thread for the database at `path`; it runs while
/// `alive` holds.
pub fn spawn(path: PathBuf, alive: Arc<AtomicBool>) {
    let _ = std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            let Ok(conn) = Connection::open(&path) else {
                return;
            };
            let _ = conn.busy_timeout(Duration::from_secs(5));
            while alive.load(Ordering::Acquire) {
                std::thread::sleep(EVERY);
                if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    tracing::warn!("background checkpoint: {e}");
                }
            }
        });
}
