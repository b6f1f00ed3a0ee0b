//! One way to speak to either engine: SQLite, embedded (the default), or
//! PostgreSQL, for several relays sharing one store.
//!
//! The relay's statements are written once, in the SQL both engines
//! understand, with SQLite's `?N` placeholders (PostgreSQL's connection
//! renumbers them, [`placeholders`]). A [`Db`] is a borrowed connection of
//! either kind, already inside whatever transaction its owner opened; the
//! functions in `store::writes` and the rest take one and never learn which
//! engine they run on. Where the dialects truly differ (row locks, a few
//! functions) a statement asks [`Db::dialect`].
//!
//! - [`value`]: parameters in, columns out, through SQLite's five kinds.
//! - [`sqlite`], [`postgres`]: each engine's side.

pub mod placeholders;
pub mod postgres;
pub mod sqlite;
pub mod value;

pub use postgres::PgConn;
pub use value::{FromColumn, Param, ValueRef};

/// Which engine a [`Db`] speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// A condition true when `column` holds the text of parameter `n`
    /// (case and all, no wildcards).
    pub fn contains(self, column: &str, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("instr({column}, ?{n}) > 0"),
            Dialect::Postgres => format!("strpos({column}, ?{n}) > 0"),
        }
    }
}

/// A borrowed connection, inside its owner's transaction.
#[derive(Clone, Copy)]
pub struct Db<'a>(Engine<'a>);

#[derive(Clone, Copy)]
enum Engine<'a> {
    Sqlite(&'a rusqlite::Connection),
    Postgres(&'a PgConn),
}

/// An owned connection of either engine: the writer thread's, and tools'
/// and tests' that look at a store from outside the relay. One lives per
/// holder, so the size difference between the two does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(PgConn),
}

impl Conn {
    /// The database at `url` for PostgreSQL, or the SQLite file at `path`.
    pub fn open(path: &std::path::Path, url: Option<&str>) -> Result<Conn, DbError> {
        Ok(match url {
            Some(url) => Conn::Postgres(PgConn::connect(url)?),
            None => Conn::Sqlite(rusqlite::Connection::open(path)?),
        })
    }

    pub fn db(&self) -> Db<'_> {
        match self {
            Conn::Sqlite(conn) => Db::sqlite(conn),
            Conn::Postgres(conn) => conn.db(),
        }
    }

    /// [`Db::execute`] on this connection.
    pub fn execute(&self, sql: &str, params: &[&dyn Param]) -> Result<usize, DbError> {
        self.db().execute(sql, params)
    }

    /// [`Db::query_row`] on this connection.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        f: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.db().query_row(sql, params, f)
    }

    /// [`Db::query_map`] on this connection.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        f: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        self.db().query_map(sql, params, f)
    }
}

/// Why a statement failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {}", postgres::describe(.0))]
    Postgres(#[from] tokio_postgres::Error),
    #[error("the query returned no row")]
    NoRow,
    /// An event that is not the next of its attempt as stored: a
    /// duplicate (`seq <= head`) or a gap. The database decides this, so
    /// two relays writing one attempt cannot both store a number.
    #[error("attempt {attempt}: event {seq} does not follow the stored {head}")]
    OutOfSequence { attempt: u64, seq: u64, head: u64 },
    /// An attempt changed (by another relay) since this relay read the
    /// state it decided a control on.
    #[error("attempt {attempt} changed since it was read")]
    Stale { attempt: u64 },
    #[error("{0}")]
    Conversion(String),
}

impl DbError {
    /// A UNIQUE or PRIMARY KEY constraint refused the row.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ),
            DbError::Postgres(e) => {
                e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
            }
            _ => false,
        }
    }

    /// Another transaction got in the way (a deadlock, a serialization
    /// failure, a busy file): running the same work again may succeed.
    pub fn is_retryable(&self) -> bool {
        use tokio_postgres::error::SqlState;
        match self {
            DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            DbError::Postgres(e) => matches!(
                e.code(),
                Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED
            ),
            _ => false,
        }
    }
}

/// For the SQLite-only code of start-up (migrations of older files), which
/// speaks rusqlite's errors and calls the shared writes on the way.
impl From<DbError> for rusqlite::Error {
    fn from(e: DbError) -> rusqlite::Error {
        match e {
            DbError::Sqlite(e) => e,
            DbError::NoRow => rusqlite::Error::QueryReturnedNoRows,
            other => rusqlite::Error::ToSqlConversionFailure(Box::new(other)),
        }
    }
}

/// `Result::optional`: a missing row as `None`, other errors kept.
pub trait OptionalRow<T> {
    fn optional(self) -> Result<Option<T>, DbError>;
}

impl<T> OptionalRow<T> for Result<T, DbError> {
    fn optional(self) -> Result<Option<T>, DbError> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(DbError::NoRow) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// One row of a result, of either engine.
pub struct Row<'r>(RowRef<'r>);

enum RowRef<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r tokio_postgres::Row),
}

impl Row<'_> {
    /// Column `idx` (from 0) as `T`.
    pub fn get<T: FromColumn>(&self, idx: usize) -> Result<T, DbError> {
        match self.0 {
            RowRef::Sqlite(row) => T::from_column(sqlite::column(row, idx)?),
            RowRef::Postgres(row) => T::from_column(postgres::column(row, idx)?),
        }
    }
}

impl<'a> Db<'a> {
    /// A SQLite connection (or a transaction, which derefs to one).
    pub fn sqlite(conn: &'a rusqlite::Connection) -> Db<'a> {
        Db(Engine::Sqlite(conn))
    }

    pub fn postgres(conn: &'a PgConn) -> Db<'a> {
        Db(Engine::Postgres(conn))
    }

    pub fn dialect(&self) -> Dialect {
        match self.0 {
            Engine::Sqlite(_) => Dialect::Sqlite,
            Engine::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[&dyn Param]) -> Result<usize, DbError> {
        match self.0 {
            Engine::Sqlite(conn) => sqlite::execute(conn, sql, params),
            Engine::Postgres(conn) => conn.execute(sql, params),
        }
    }

    /// A statement without parameters or result (`BEGIN`, `SAVEPOINT`,
    /// `RELEASE`, `ROLLBACK TO`, a row lock) that may wait to travel with
    /// the next statement: PostgreSQL sends it then, in order (no round
    /// trip of its own); SQLite runs it at once, cached.
    pub fn control(&self, sql: &str) -> Result<(), DbError> {
        match self.0 {
            Engine::Sqlite(conn) => sqlite::execute(conn, sql, &[]).map(drop),
            Engine::Postgres(conn) => {
                conn.defer(sql);
                Ok(())
            }
        }
    }

    /// Commits the transaction its owner opened; an error means nothing of
    /// it was kept.
    pub fn commit(&self) -> Result<(), DbError> {
        match self.0 {
            Engine::Sqlite(conn) => Ok(conn.execute_batch("COMMIT")?),
            Engine::Postgres(conn) => conn.commit(),
        }
    }

    /// Runs statements without parameters (schema, transaction control).
    pub fn execute_batch(&self, sql: &str) -> Result<(), DbError> {
        match self.0 {
            Engine::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Engine::Postgres(conn) => conn.execute_batch(sql),
        }
    }

    /// The first row through `f`; [`DbError::NoRow`] when there is none.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        f: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut f = Some(f);
        let mut out = None;
        self.each(sql, params, |row| {
            if let Some(f) = f.take() {
                out = Some(f(row)?);
            }
            Ok(false)
        })?;
        out.ok_or(DbError::NoRow)
    }

    /// Every row through `f`, in order.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        mut f: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        let mut out = Vec::new();
        self.each(sql, params, |row| {
            out.push(f(row)?);
            Ok(true)
        })?;
        Ok(out)
    }

    /// Calls `f` on each row until it returns `false`.
    pub fn each(
        &self,
        sql: &str,
        params: &[&dyn Param],
        f: impl FnMut(&Row<'_>) -> Result<bool, DbError>,
    ) -> Result<(), DbError> {
        self.try_each(sql, params, f)
    }

    /// Like [`Db::each`], with an error of the caller's own kind: a finding,
    /// say, ends the walk like a failure does.
    pub fn try_each<E: From<DbError>>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        mut f: impl FnMut(&Row<'_>) -> Result<bool, E>,
    ) -> Result<(), E> {
        let mut failed = None;
        let mut step = |row: &Row<'_>| match f(row) {
            Ok(go_on) => Ok(go_on),
            Err(e) => {
                failed = Some(e);
                Ok(false)
            }
        };
        match self.0 {
            Engine::Sqlite(conn) => {
                sqlite::each(conn, sql, params, |row| step(&Row(RowRef::Sqlite(row))))?
            }
            Engine::Postgres(conn) => {
                for row in conn.query(sql, params)? {
                    if !step(&Row(RowRef::Postgres(&row)))? {
                        break;
                    }
                }
            }
        }
        failed.map_or(Ok(()), Err)
    }
}
