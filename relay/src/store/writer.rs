//! The single writer thread, with group commit.
//!
//! rusqlite is synchronous, and SQLite allows one writer at a time anyway, so
//! all writes go through one dedicated thread fed by a channel. The thread
//! takes every job that is waiting, runs them in one transaction (each in its
//! own savepoint, so one failing job does not undo the others), commits once
//! — one fsync for the whole batch — and only then answers each job. Callers
//! therefore learn of success only once their write is durable: the relay
//! acknowledges an answer after `write` returns, never before.

use std::sync::mpsc;
use std::thread;

use rusqlite::{Connection, Transaction};
use tokio::sync::oneshot;

/// Most jobs in one transaction; bounds the latency of the first one.
const MAX_BATCH: usize = 512;

/// A job runs inside the batch and returns its completion, which is called
/// with the commit's outcome: results are held back until then, so no caller
/// ever sees a success that was not committed.
type Job = Box<dyn FnOnce(&Transaction<'_>) -> Completion + Send>;
type Completion = Box<dyn FnOnce(Result<(), &rusqlite::Error>) + Send>;

/// A cheap, cloneable handle to the writer thread.
#[derive(Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
    /// The database file, for read-only connections (exports); `None` for
    /// an in-memory database.
    path: Option<std::path::PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the commit failed: {0}")]
    Commit(String),
    #[error("the database writer has stopped")]
    WriterGone,
}

impl Store {
    /// Moves `conn` into a new writer thread.
    pub fn spawn(conn: Connection) -> Store {
        let path = conn
            .path()
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from);
        let (jobs, rx) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run_writer(conn, rx))
            .expect("spawn the database writer thread");
        Store { jobs, path }
    }

    /// Runs `f` on a fresh read-only connection on a blocking thread: long
    /// reads (exports, inspection packages) see a consistent snapshot (WAL)
    /// without holding up the writer and the acks it owes.
    pub async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let path = self.path.clone().ok_or(StoreError::WriterGone)?;
        tokio::task::spawn_blocking(move || {
            let conn = Connection::open_with_flags(
                &path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            let txn = conn.unchecked_transaction()?;
            let out = f(&txn)?;
            txn.finish()?;
            Ok(out)
        })
        .await
        .map_err(|_| StoreError::WriterGone)?
    }

    /// Runs `f` in the next batch and returns its result once the batch is
    /// committed. An error from `f` rolls back only `f`'s own changes.
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> rusqlite::Result<T> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<Result<T, StoreError>>();
        let job: Job = Box::new(move |txn| {
            let outcome = run_in_savepoint(txn, f);
            Box::new(move |commit: Result<(), &rusqlite::Error>| {
                let result = match (outcome, commit) {
                    (Ok(v), Ok(())) => Ok(v),
                    (Err(e), _) => Err(e),
                    (Ok(_), Err(e)) => Err(StoreError::Commit(e.to_string())),
                };
                let _ = tx.send(result);
            })
        });
        self.jobs.send(job).map_err(|_| StoreError::WriterGone)?;
        rx.await.map_err(|_| StoreError::WriterGone)?
    }
}

fn run_in_savepoint<T>(
    txn: &Transaction<'_>,
    f: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
) -> Result<T, StoreError> {
    txn.execute_batch("SAVEPOINT job")?;
    match f(txn) {
        Ok(v) => {
            txn.execute_batch("RELEASE job")?;
            Ok(v)
        }
        Err(e) => {
            txn.execute_batch("ROLLBACK TO job; RELEASE job")?;
            Err(e.into())
        }
    }
}

fn run_writer(mut conn: Connection, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        run_batch(&mut conn, batch);
    }
}

fn run_batch(conn: &mut Connection, batch: Vec<Job>) {
    // IMMEDIATE: the write lock is taken (waiting out the busy timeout) when
    // the batch begins. A deferred transaction whose first statement reads
    // (a chain's previous hash) could not upgrade to writing while another
    // connection writes, and would fail at once instead of waiting.
    let txn = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!("cannot begin a transaction: {e}");
            // Dropping the jobs drops their reply channels: every caller
            // gets `WriterGone` instead of waiting forever.
            drop(batch);
            return;
        }
    };
    let completions: Vec<Completion> = batch.into_iter().map(|job| job(&txn)).collect();
    let commit = txn.commit();
    if let Err(e) = &commit {
        tracing::error!("database commit failed: {e}");
    }
    for done in completions {
        done(commit.as_ref().map(|_| ()));
    }
}
