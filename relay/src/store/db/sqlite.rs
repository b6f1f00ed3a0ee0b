//! SQLite's side of [`super::Db`]: cached statements, parameters bound
//! without copying, columns read as they are stored.

use rusqlite::types::{ToSqlOutput, ValueRef as SqliteValue};
use rusqlite::{Connection, ToSql};

use super::{DbError, Param, ValueRef};

/// A [`Param`] as rusqlite binds it.
struct Bind<'p>(&'p dyn Param);

impl ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        let value = self
            .0
            .value()
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(ToSqlOutput::Borrowed(match value {
            ValueRef::Null => SqliteValue::Null,
            ValueRef::Int(i) => SqliteValue::Integer(i),
            ValueRef::Real(r) => SqliteValue::Real(r),
            ValueRef::Text(s) => SqliteValue::Text(s.as_bytes()),
            ValueRef::Blob(b) => SqliteValue::Blob(b),
        }))
    }
}

fn binds<'p>(params: &'p [&'p dyn Param]) -> impl Iterator<Item = Bind<'p>> {
    params.iter().map(|p| Bind(*p))
}

pub(super) fn execute(
    conn: &Connection,
    sql: &str,
    params: &[&dyn Param],
) -> Result<usize, DbError> {
    let mut stmt = conn.prepare_cached(sql)?;
    Ok(stmt.execute(rusqlite::params_from_iter(binds(params)))?)
}

pub(super) fn each(
    conn: &Connection,
    sql: &str,
    params: &[&dyn Param],
    mut f: impl FnMut(&rusqlite::Row<'_>) -> Result<bool, DbError>,
) -> Result<(), DbError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(binds(params)))?;
    while let Some(row) = rows.next()? {
        if !f(row)? {
            break;
        }
    }
    Ok(())
}

pub(super) fn column<'r>(row: &'r rusqlite::Row<'_>, idx: usize) -> Result<ValueRef<'r>, DbError> {
    Ok(match row.get_ref(idx)? {
        SqliteValue::Null => ValueRef::Null,
        SqliteValue::Integer(i) => ValueRef::Int(i),
        SqliteValue::Real(r) => ValueRef::Real(r),
        SqliteValue::Text(t) => ValueRef::Text(
            std::str::from_utf8(t)
                .map_err(|e| DbError::Conversion(format!("column {idx} is not UTF-8: {e}")))?,
        ),
        SqliteValue::Blob(b) => ValueRef::Blob(b),
    })
}
