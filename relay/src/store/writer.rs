//! The single writer thread, with group commit.
//!
//! rusqlite is synchronous, and SQLite allows one writer at a time anyway, so
//! all writes go through one dedicated thread fed by a channel. On
//! PostgreSQL the same thread holds one connection: each relay commits its
//! writes in groups (one WAL flush per batch; the savepoints around each
//! job travel with its statements, so a job costs only its own round
//! trips), and the server orders the batches of several relays by their
//! row locks. The thread
//! takes every job that is waiting, runs them in one transaction (each in its
//! own savepoint, so one failing job does not undo the others), commits once
//! — one fsync for the whole batch — and only then answers each job. Callers
//! therefore learn of success only once their write is durable: the relay
//! acknowledges an answer after `write` returns, never before.
//!
//! On PostgreSQL a connection the server ended (a restart, a failover to
//! the replica behind the same address) is made again: the batch it failed
//! is answered with errors, jobs arriving while the server is away are
//! refused at once, and writing resumes when it is back.
//!
//! Two lanes: answers and controls ([`Store::write`]) go first into every
//! batch; joins and attempt starts ([`Store::write_bulk`]) fill the rest, at
//! most [`MAX_BULK`] a batch and at least [`MIN_BULK`] when any wait. At the start of an exam a province's joins
//! arrive within seconds; they are committed in large groups, while an
//! answer given meanwhile waits for one batch at most, not for the queue of
//! joins ahead of it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Instant;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::db::{Conn, Db, DbError, Dialect, PgConn};
use crate::timings::{Histogram, Percentiles};

/// Most jobs in one transaction; bounds the latency of the first one.
const MAX_BATCH: usize = 512;

/// Most bulk jobs (joins, starts) in one transaction: bounds how long an
/// answer arriving behind them waits.
pub const MAX_BULK: usize = 128;

/// Bulk jobs every batch takes when there are any, however many answers
/// wait: joins are never starved.
pub const MIN_BULK: usize = 16;

/// A job runs inside the batch and returns its completion, which is called
/// with the commit's outcome: results are held back until then, so no caller
/// ever sees a success that was not committed.
type Job = Box<dyn FnOnce(Db<'_>) -> Completion + Send>;
type Completion = Box<dyn FnOnce(Result<(), &DbError>) + Send>;

/// What the writer has done: batches, their sizes, commit time. Read by
/// `GET /api/metrics` (durable throughput and group-commit batch sizes).
#[derive(Debug, Default)]
pub struct WriterStats {
    batches: AtomicU64,
    jobs: AtomicU64,
    failed_commits: AtomicU64,
    commit_us: AtomicU64,
    largest: AtomicU64,
    /// Batches of 1, 2–4, 5–16, 17–64, 65–256, 257–512 jobs.
    sizes: [AtomicU64; 6],
    /// Per answer or control (the first lane, whose latency is an ack's):
    /// from being handed to the writer until it began to run (its turn:
    /// the batch before it and the jobs ahead of it in its own).
    queued: Histogram,
    /// Per batch: the commit alone (the WAL's write and fsync).
    commit: Histogram,
    /// Per answer or control: from the commit's outcome until the caller
    /// ran again (the scheduler's share).
    woken: Histogram,
}

/// Upper bounds of [`WriterStats`]' size classes.
pub const BATCH_CLASSES: [usize; 6] = [1, 4, 16, 64, 256, MAX_BATCH];

/// A copy of [`WriterStats`] as numbers.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct WriterSnapshot {
    pub batches: u64,
    pub jobs: u64,
    pub failed_commits: u64,
    /// Time in batches: their jobs and their commits.
    pub commit_ms: f64,
    pub largest_batch: u64,
    /// `[upper bound, batches]` per size class.
    pub batch_sizes: Vec<(usize, u64)>,
    /// Where an answer's wait for the writer goes: waiting for its batch,
    /// the commit, and its caller being scheduled again afterwards.
    pub queued: Percentiles,
    pub commit: Percentiles,
    pub woken: Percentiles,
}

impl WriterStats {
    fn record(&self, jobs: usize, commit: std::time::Duration, ok: bool) {
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.jobs.fetch_add(jobs as u64, Ordering::Relaxed);
        self.commit_us
            .fetch_add(commit.as_micros() as u64, Ordering::Relaxed);
        self.largest.fetch_max(jobs as u64, Ordering::Relaxed);
        if !ok {
            self.failed_commits.fetch_add(1, Ordering::Relaxed);
        }
        let class = BATCH_CLASSES
            .iter()
            .position(|&b| jobs <= b)
            .unwrap_or(BATCH_CLASSES.len() - 1);
        self.sizes[class].fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> WriterSnapshot {
        WriterSnapshot {
            batches: self.batches.load(Ordering::Relaxed),
            jobs: self.jobs.load(Ordering::Relaxed),
            failed_commits: self.failed_commits.load(Ordering::Relaxed),
            commit_ms: self.commit_us.load(Ordering::Relaxed) as f64 / 1000.0,
            largest_batch: self.largest.load(Ordering::Relaxed),
            batch_sizes: BATCH_CLASSES
                .iter()
                .zip(&self.sizes)
                .map(|(b, n)| (*b, n.load(Ordering::Relaxed)))
                .collect(),
            queued: self.queued.percentiles(),
            commit: self.commit.percentiles(),
            woken: self.woken.percentiles(),
        }
    }
}

/// Which lane a job takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lane {
    First,
    Bulk,
}

/// A cheap, cloneable handle to the writer thread.
#[derive(Clone)]
pub struct Store {
    jobs: mpsc::Sender<(Lane, Job)>,
    stats: Arc<WriterStats>,
    /// Where [`Store::read`] gets a connection of its own.
    readers: Readers,
}

/// Read connections: a SQLite file opened read-only per read, or pooled
/// PostgreSQL connections.
#[derive(Clone)]
enum Readers {
    /// An in-memory SQLite database (tests): nothing else can open it.
    None,
    SqliteFile(std::path::PathBuf),
    Postgres(Arc<PgPool>),
}

/// PostgreSQL connections for reads, opened on demand, at most
/// [`POOL_MAX`] at once.
struct PgPool {
    url: String,
    idle: std::sync::Mutex<Vec<PgConn>>,
    /// A permit per connection in use: a burst of exports waits its turn
    /// rather than taking the server's `max_connections`.
    permits: tokio::sync::Semaphore,
}

/// Connections a pool keeps idle; more are opened when needed and closed
/// after use.
const POOL_IDLE: usize = 8;

/// Most read connections a relay holds at once.
pub const POOL_MAX: usize = 16;

impl PgPool {
    fn take(&self) -> Result<PgConn, DbError> {
        loop {
            let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            match idle {
                // One the server ended meanwhile (a failover) is dropped.
                Some(conn) if conn.is_closed() => continue,
                Some(conn) => return Ok(conn),
                None => return PgConn::connect(&self.url),
            }
        }
    }

    fn give_back(&self, conn: PgConn) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < POOL_IDLE {
            idle.push(conn);
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] DbError),
    #[error("the commit failed: {0}")]
    Commit(String),
    #[error("the database writer has stopped")]
    WriterGone,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Db(e.into())
    }
}

impl Store {
    /// Moves `conn` into a new writer thread.
    pub fn spawn(conn: Connection) -> Store {
        let path = conn
            .path()
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from);
        let alive = Arc::new(std::sync::atomic::AtomicBool::new(true));
        if let Some(path) = &path {
            let _ = conn.pragma_update(
                None,
                "wal_autocheckpoint",
                super::checkpoint::WRITER_CHECKPOINT_PAGES,
            );
            super::checkpoint::spawn(path.clone(), alive.clone());
        }
        let readers = path.map_or(Readers::None, Readers::SqliteFile);
        Store::start(Conn::Sqlite(conn), readers, alive, None)
    }

    /// A writer on the PostgreSQL database at `url` (created or checked by
    /// `pg_schema::open`), and a pool of read connections beside it.
    pub fn spawn_postgres(url: &str) -> Result<Store, DbError> {
        Ok(Store::on_postgres(super::pg_schema::open(url)?, url))
    }

    /// Like [`Store::spawn_postgres`], with `conn` (opened by
    /// `pg_schema::open` on `url`) as the writer's connection.
    pub fn on_postgres(conn: PgConn, url: &str) -> Store {
        let readers = Readers::Postgres(Arc::new(PgPool {
            url: url.to_owned(),
            idle: std::sync::Mutex::new(Vec::new()),
            permits: tokio::sync::Semaphore::new(POOL_MAX),
        }));
        let alive = Arc::new(std::sync::atomic::AtomicBool::new(true));
        Store::start(Conn::Postgres(conn), readers, alive, Some(url.to_owned()))
    }

    /// `reconnect`: PostgreSQL's URL, to connect again when the server
    /// goes away.
    fn start(
        conn: Conn,
        readers: Readers,
        alive: Arc<std::sync::atomic::AtomicBool>,
        reconnect: Option<String>,
    ) -> Store {
        let (jobs, rx) = mpsc::channel::<(Lane, Job)>();
        let stats = Arc::new(WriterStats::default());
        let counted = stats.clone();
        thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || {
                run_writer(conn, rx, &counted, reconnect.as_deref());
                alive.store(false, Ordering::Release);
            })
            .expect("spawn the database writer thread");
        Store {
            jobs,
            stats,
            readers,
        }
    }

    /// What the writer has done so far.
    pub fn stats(&self) -> WriterSnapshot {
        self.stats.snapshot()
    }

    /// Runs `f` on a read connection of its own, on a blocking thread, in
    /// one snapshot: long reads (exports, inspection packages) see a
    /// consistent state without holding up the writer and the acks it owes.
    pub async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(Db<'_>) -> Result<T, DbError> + Send + 'static,
    {
        let readers = self.readers.clone();
        let permit = match &self.readers {
            Readers::Postgres(pool) => Some(
                pool.permits
                    .acquire()
                    .await
                    .map_err(|_| StoreError::WriterGone)?,
            ),
            _ => None,
        };
        let read = tokio::task::spawn_blocking(move || match readers {
            Readers::None => Err(StoreError::WriterGone),
            Readers::SqliteFile(path) => {
                let conn = Connection::open_with_flags(
                    &path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                conn.busy_timeout(std::time::Duration::from_secs(5))?;
                let txn = conn.unchecked_transaction()?;
                let out = f(Db::sqlite(&txn))?;
                txn.finish()?;
                Ok(out)
            }
            Readers::Postgres(pool) => {
                let conn = pool.take()?;
                let db = conn.db();
                db.execute_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
                let out = f(db);
                let end = db.execute_batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
                if end.is_ok() {
                    pool.give_back(conn);
                }
                let out = out?;
                end?;
                Ok(out)
            }
        })
        .await
        .map_err(|_| StoreError::WriterGone)?;
        drop(permit);
        read
    }

    /// Like [`Store::read`], for one statement: on PostgreSQL it runs on its
    /// own (a statement is its own snapshot), sparing the two round trips
    /// of a transaction around it.
    pub async fn read_one<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(Db<'_>) -> Result<T, DbError> + Send + 'static,
    {
        let Readers::Postgres(pool) = &self.readers else {
            return self.read(f).await;
        };
        let pool = pool.clone();
        let _permit = pool
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::WriterGone)?;
        let reader = pool.clone();
        tokio::task::spawn_blocking(move || {
            let conn = reader.take()?;
            let out = f(conn.db());
            // A failed statement leaves no transaction open here, but the
            // connection may be what failed: only a good one goes back.
            if out.is_ok() {
                reader.give_back(conn);
            }
            Ok(out?)
        })
        .await
        .map_err(|_| StoreError::WriterGone)?
    }

    /// Runs `f` in the next batch and returns its result once the batch is
    /// committed. An error from `f` rolls back only `f`'s own changes.
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(Db<'_>) -> Result<T, DbError> + Send + 'static,
    {
        self.write_in(Lane::First, f).await
    }

    /// Like [`Store::write`], in the bulk lane: joins and attempt starts,
    /// which come in floods and may wait behind answers.
    pub async fn write_bulk<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(Db<'_>) -> Result<T, DbError> + Send + 'static,
    {
        self.write_in(Lane::Bulk, f).await
    }

    async fn write_in<T, F>(&self, lane: Lane, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(Db<'_>) -> Result<T, DbError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<(Result<T, StoreError>, Instant)>();
        let (stats, handed) = (self.stats.clone(), Instant::now());
        let job: Job = Box::new(move |db| {
            if lane == Lane::First {
                stats.queued.record(handed.elapsed());
            }
            let outcome = run_in_savepoint(db, f);
            Box::new(move |commit: Result<(), &DbError>| {
                let result = match (outcome, commit) {
                    (Ok(v), Ok(())) => Ok(v),
                    (Err(e), _) => Err(e),
                    (Ok(_), Err(e)) => Err(StoreError::Commit(e.to_string())),
                };
                let _ = tx.send((result, Instant::now()));
            })
        });
        self.jobs
            .send((lane, job))
            .map_err(|_| StoreError::WriterGone)?;
        let (result, answered) = rx.await.map_err(|_| StoreError::WriterGone)?;
        if lane == Lane::First {
            self.stats.woken.record(answered.elapsed());
        }
        result
    }
}

fn run_in_savepoint<T>(
    db: Db<'_>,
    f: impl FnOnce(Db<'_>) -> Result<T, DbError>,
) -> Result<T, StoreError> {
    db.control("SAVEPOINT job")?;
    match f(db) {
        Ok(v) => {
            db.control("RELEASE job")?;
            Ok(v)
        }
        Err(e) => {
            db.control("ROLLBACK TO job")?;
            db.control("RELEASE job")?;
            Err(e.into())
        }
    }
}

fn run_writer(
    mut conn: Conn,
    rx: mpsc::Receiver<(Lane, Job)>,
    stats: &WriterStats,
    reconnect: Option<&str>,
) {
    let mut first: VecDeque<Job> = VecDeque::new();
    let mut bulk: VecDeque<Job> = VecDeque::new();
    let take = |(lane, job): (Lane, Job), first: &mut VecDeque<Job>, bulk: &mut VecDeque<Job>| {
        match lane {
            Lane::First => first.push_back(job),
            Lane::Bulk => bulk.push_back(job),
        }
    };
    loop {
        if first.is_empty() && bulk.is_empty() {
            match rx.recv() {
                Ok(j) => take(j, &mut first, &mut bulk),
                Err(_) => return,
            }
        }
        while let Ok(j) = rx.try_recv() {
            take(j, &mut first, &mut bulk);
        }
        let (take_first, take_bulk) = batch_shape(first.len(), bulk.len());
        let mut batch: Vec<Job> = first.drain(..take_first).collect();
        batch.extend(bulk.drain(..take_bulk));
        let (jobs, t0) = (batch.len(), Instant::now());
        let ok = run_batch(conn.db(), batch, stats);
        stats.record(jobs, t0.elapsed(), ok);
        if let (Conn::Postgres(pg), Some(url)) = (&conn, reconnect)
            && pg.is_closed()
        {
            match connect_again(url, &rx, &mut first, &mut bulk) {
                Some(pg) => conn = Conn::Postgres(pg),
                None => return,
            }
        }
    }
}

/// The PostgreSQL server went away (a restart, a failover to the replica
/// behind the same address): connects again, waiting longer each time up
/// to [`RECONNECT_MAX`]. Meanwhile jobs are refused at once, not queued:
/// their callers answer with an error (a page resends its answers later),
/// and nothing piles up in memory however long the database is gone.
/// `None` once the relay has dropped its store.
fn connect_again(
    url: &str,
    rx: &mpsc::Receiver<(Lane, Job)>,
    first: &mut VecDeque<Job>,
    bulk: &mut VecDeque<Job>,
) -> Option<PgConn> {
    tracing::error!("PostgreSQL connection lost: the writer connects again");
    let mut wait = RECONNECT_FIRST;
    loop {
        // Dropped jobs drop their reply channels: `WriterGone` for each.
        first.clear();
        bulk.clear();
        loop {
            match rx.try_recv() {
                Ok(_) => {}
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => return None,
            }
        }
        match PgConn::connect(url) {
            Ok(pg) => {
                tracing::warn!("PostgreSQL connection back: writing again");
                return Some(pg);
            }
            Err(e) => tracing::warn!("PostgreSQL still unreachable ({e}); next try in {wait:?}"),
        }
        thread::sleep(wait);
        wait = (wait * 2).min(RECONNECT_MAX);
    }
}

/// The first wait before connecting again, and the longest.
const RECONNECT_FIRST: std::time::Duration = std::time::Duration::from_millis(100);
const RECONNECT_MAX: std::time::Duration = std::time::Duration::from_secs(2);

/// How many jobs of each lane the next batch takes: answers first, at
/// least [`MIN_BULK`] and at most [`MAX_BULK`] joins, [`MAX_BATCH`] in all.
fn batch_shape(first: usize, bulk: usize) -> (usize, usize) {
    let min_bulk = bulk.min(MIN_BULK);
    let take_first = first.min(MAX_BATCH - min_bulk);
    let take_bulk = bulk.min(MAX_BULK).min(MAX_BATCH - take_first);
    (take_first, take_bulk)
}

/// Runs and commits one batch; whether the commit succeeded.
fn run_batch(db: Db<'_>, batch: Vec<Job>, stats: &WriterStats) -> bool {
    // IMMEDIATE (SQLite): the write lock is taken (waiting out the busy
    // timeout) when the batch begins. A deferred transaction whose first
    // statement reads (a chain's previous hash) could not upgrade to
    // writing while another connection writes, and would fail at once
    // instead of waiting.
    let begin = match db.dialect() {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => "BEGIN",
    };
    if let Err(e) = db.control(begin) {
        tracing::error!("cannot begin a transaction: {e}");
        // Dropping the jobs drops their reply channels: every caller
        // gets `WriterGone` instead of waiting forever.
        drop(batch);
        return false;
    }
    let completions: Vec<Completion> = batch.into_iter().map(|job| job(db)).collect();
    let committing = Instant::now();
    // The last job's RELEASE goes with it.
    let commit = db.commit();
    stats.commit.record(committing.elapsed());
    if let Err(e) = &commit {
        tracing::error!("database commit failed: {e}");
        // Whatever is left of the transaction goes: the next batch begins
        // from a clean connection.
        let _ = db.execute_batch("ROLLBACK");
    }
    for done in completions {
        done(commit.as_ref().map(|_| ()));
    }
    commit.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_go_first_and_joins_are_never_starved() {
        // Answers alone, joins alone.
        assert_eq!(batch_shape(10, 0), (10, 0));
        assert_eq!(batch_shape(0, 1000), (0, MAX_BULK));
        // A flood of joins behind a few answers: the answers all go.
        assert_eq!(batch_shape(40, 1000), (40, MAX_BULK));
        // A flood of answers: joins still get their share.
        assert_eq!(batch_shape(5000, 1000), (MAX_BATCH - MIN_BULK, MIN_BULK));
        assert_eq!(batch_shape(5000, 3), (MAX_BATCH - 3, 3));
        assert_eq!(batch_shape(500, 1000), (MAX_BATCH - MIN_BULK, MIN_BULK));
        // Room left after the answers: joins fill it, up to their cap.
        assert_eq!(batch_shape(400, 1000), (400, MAX_BATCH - 400));
        assert_eq!(batch_shape(100, 1000), (100, MAX_BULK));
    }
}
