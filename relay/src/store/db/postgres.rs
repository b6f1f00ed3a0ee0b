//! PostgreSQL's side of [`super::Db`]: one connection used blocking, its
//! statements prepared once each, and values converted to and from the
//! types the server inferred.
//!
//! tokio-postgres splits a connection into a client and a task that does
//! the socket I/O. The task runs on a small runtime of its own thread, so a
//! caller may block on the client anywhere: on the writer thread, on a
//! blocking reader, or at start-up inside the relay's runtime (where the
//! `postgres` crate's own `block_on` would refuse to run).
//!
//! The portable schema keeps to BIGINT, DOUBLE PRECISION, TEXT and BYTEA,
//! the four types SQLite's integers, reals, text and blobs map to; a
//! parameter's type is whatever the server inferred from its place in the
//! statement, and a mismatch is a clear error, never a silent cast.

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error;

use bytes::{BufMut, BytesMut};
use futures_executor::block_on;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{Client, NoTls, Statement};

use super::placeholders::to_dollar;
use super::{Db, DbError, Param, ValueRef};

type BoxError = Box<dyn Error + Sync + Send>;

/// One connection to PostgreSQL, used from one thread at a time.
pub struct PgConn {
    client: Client,
    /// Prepared statements by their SQLite spelling.
    statements: RefCell<HashMap<String, Statement>>,
    /// Transaction-control statements not sent yet ([`PgConn::defer`]).
    deferred: RefCell<String>,
}

/// A server that vanished without closing the connection (its host died,
/// its address moved to the replica) is noticed in seconds, not after the
/// kernel's quarter of an hour of retransmissions: a connection attempt
/// gives up after 5 s, an idle connection is probed after 10 s, and data
/// left unacknowledged for 20 s ends it. What the URL sets itself stays.
fn watchful(mut config: tokio_postgres::Config) -> tokio_postgres::Config {
    use std::time::Duration;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(5));
    }
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(Duration::from_secs(20));
    }
    config
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(10));
    config
}

/// Most prepared statements a connection keeps: statements built with
/// their lists inline (the inspection package's `IN (…)`) would otherwise
/// pile up.
const MAX_STATEMENTS: usize = 512;

impl PgConn {
    /// Connects to `url` (`postgres://user@host:port/database`).
    pub fn connect(url: &str) -> Result<PgConn, DbError> {
        let (tx, rx) = std::sync::mpsc::channel();
        let url = url.to_owned();
        std::thread::Builder::new()
            .name("pg-connection".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = tx.send(Err(DbError::Conversion(format!(
                            "cannot start the PostgreSQL connection's runtime: {e}"
                        ))));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let config = match url.parse::<tokio_postgres::Config>() {
                        Ok(config) => watchful(config),
                        Err(e) => {
                            let _ = tx.send(Err(DbError::from(e)));
                            return;
                        }
                    };
                    match config.connect(NoTls).await {
                        Ok((client, connection)) => {
                            let _ = tx.send(Ok(client));
                            // Ends when the client is dropped or the server
                            // goes away; the client then reports errors.
                            if let Err(e) = connection.await {
                                tracing::warn!("PostgreSQL connection ended: {e}");
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Err(DbError::from(e)));
                        }
                    }
                });
            })
            .map_err(|e| DbError::Conversion(format!("cannot start a connection thread: {e}")))?;
        let client = rx.recv().map_err(|_| {
            DbError::Conversion("the PostgreSQL connection thread stopped".into())
        })??;
        Ok(PgConn {
            client,
            statements: RefCell::new(HashMap::new()),
            deferred: RefCell::new(String::new()),
        })
    }

    /// This connection as a [`Db`].
    pub fn db(&self) -> Db<'_> {
        Db::postgres(self)
    }

    /// Whether the server went away (restarted, failed over, ended this
    /// session): nothing more can be done on this connection.
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    fn statement(&self, sql: &str) -> Result<Statement, DbError> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        // Behind what was deferred: a `ROLLBACK TO` after a failed job must
        // reach the server before anything else is asked of it.
        let stmt = self.send(self.client.prepare(&to_dollar(sql)))?;
        let mut statements = self.statements.borrow_mut();
        if statements.len() >= MAX_STATEMENTS {
            statements.clear();
        }
        statements.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    /// Queues a statement without parameters or result (`SAVEPOINT`,
    /// `RELEASE`, `BEGIN`) to go out with the next one: the two travel in
    /// one round trip (tokio-postgres pipelines requests polled together),
    /// and in order. The writer's savepoint around every job costs no
    /// round trip of its own.
    pub(super) fn defer(&self, sql: &str) {
        let mut deferred = self.deferred.borrow_mut();
        deferred.push_str(sql);
        deferred.push(';');
    }

    fn take_deferred(&self) -> String {
        std::mem::take(&mut *self.deferred.borrow_mut())
    }

    /// Waits for `request`, sent right behind whatever was deferred; an
    /// error of the deferred statements comes first.
    fn send<T>(
        &self,
        request: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> Result<T, DbError> {
        let deferred = self.take_deferred();
        if deferred.is_empty() {
            return Ok(block_on(request)?);
        }
        let (before, result) = block_on(futures_util::future::join(
            self.client.batch_execute(&deferred),
            request,
        ));
        before?;
        Ok(result?)
    }

    pub(super) fn execute(&self, sql: &str, params: &[&dyn Param]) -> Result<usize, DbError> {
        let stmt = self.statement(sql)?;
        let values = values(params)?;
        let refs = refs(&values);
        let changed = self.send(self.client.execute(&stmt, &refs))?;
        Ok(changed as usize)
    }

    /// Commits the open transaction, and fails when it could not: a
    /// transaction some error left aborted answers `COMMIT` with a silent
    /// rollback, so a `SELECT 1` goes first (in the same round trip) and
    /// its error is the commit's.
    pub(super) fn commit(&self) -> Result<(), DbError> {
        let deferred = self.take_deferred();
        let (check, commit) = block_on(futures_util::future::join(
            self.client.batch_execute(&format!("{deferred}SELECT 1")),
            self.client.batch_execute("COMMIT"),
        ));
        check?;
        Ok(commit?)
    }

    pub(super) fn execute_batch(&self, sql: &str) -> Result<(), DbError> {
        let deferred = self.take_deferred();
        Ok(block_on(
            self.client.batch_execute(&format!("{deferred}{sql}")),
        )?)
    }

    pub(super) fn query(
        &self,
        sql: &str,
        params: &[&dyn Param],
    ) -> Result<Vec<tokio_postgres::Row>, DbError> {
        let stmt = self.statement(sql)?;
        let values = values(params)?;
        let refs = refs(&values);
        self.send(self.client.query(&stmt, &refs))
    }
}

fn values<'p>(params: &'p [&'p dyn Param]) -> Result<Vec<Bind<'p>>, DbError> {
    params.iter().map(|p| p.value().map(Bind)).collect()
}

fn refs<'v>(values: &'v [Bind<'_>]) -> Vec<&'v (dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

/// A parameter, written as the type the server expects in its place.
#[derive(Debug)]
struct Bind<'a>(ValueRef<'a>);

impl ToSql for Bind<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match (self.0, ty) {
            (ValueRef::Null, _) => Ok(IsNull::Yes),
            (ValueRef::Int(i), &Type::INT8) => i.to_sql(ty, out),
            (ValueRef::Int(i), &Type::INT4) => i32::try_from(i)?.to_sql(ty, out),
            (ValueRef::Int(i), &Type::INT2) => i16::try_from(i)?.to_sql(ty, out),
            (ValueRef::Int(i), &Type::BOOL) => (i != 0).to_sql(ty, out),
            (ValueRef::Int(i), &Type::FLOAT8) => (i as f64).to_sql(ty, out),
            (ValueRef::Int(i), &Type::TEXT) => i.to_string().as_str().to_sql(ty, out),
            (ValueRef::Real(r), &Type::FLOAT8) => r.to_sql(ty, out),
            (ValueRef::Real(r), &Type::FLOAT4) => (r as f32).to_sql(ty, out),
            (ValueRef::Text(s), &Type::JSONB) => {
                // jsonb's binary form: a version byte, then the text.
                out.put_u8(1);
                out.put_slice(s.as_bytes());
                Ok(IsNull::No)
            }
            (ValueRef::Text(s), t) if is_text(t) => {
                out.put_slice(s.as_bytes());
                Ok(IsNull::No)
            }
            (ValueRef::Blob(b), &Type::BYTEA) => {
                out.put_slice(b);
                Ok(IsNull::No)
            }
            (v, ty) => Err(format!("cannot bind {v:?} where the statement wants {ty}").into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn is_text(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::JSON
    )
}

/// A column, read as whichever of the five kinds its type is.
struct Column<'a>(ValueRef<'a>);

impl<'a> FromSql<'a> for Column<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Column(match *ty {
            Type::INT8 => ValueRef::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => ValueRef::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => ValueRef::Int(i16::from_sql(ty, raw)?.into()),
            Type::OID => ValueRef::Int(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => ValueRef::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => ValueRef::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => ValueRef::Real(f32::from_sql(ty, raw)?.into()),
            Type::BYTEA => ValueRef::Blob(raw),
            Type::JSONB => match raw.split_first() {
                Some((1, text)) => ValueRef::Text(std::str::from_utf8(text)?),
                _ => return Err("jsonb of an unknown version".into()),
            },
            ref t if is_text(t) => ValueRef::Text(std::str::from_utf8(raw)?),
            ref t => {
                return Err(format!(
                    "a {t} column has no place in the portable schema (cast it in the query)"
                )
                .into());
            }
        }))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Column(ValueRef::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

pub(super) fn column(row: &tokio_postgres::Row, idx: usize) -> Result<ValueRef<'_>, DbError> {
    row.try_get::<_, Column<'_>>(idx)
        .map(|c| c.0)
        .map_err(DbError::from)
}

/// The server's own words for an error: severity, SQLSTATE, message and
/// detail (the client's `Display` says only "db error").
pub(super) fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = format!("{} {}: {}", db.severity(), db.code().code(), db.message());
            if let Some(detail) = db.detail() {
                s.push_str(" (");
                s.push_str(detail);
                s.push(')');
            }
            s
        }
        None => match e.source() {
            Some(source) => format!("{e}: {source}"),
            None => e.to_string(),
        },
    }
}
