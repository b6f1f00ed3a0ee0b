//! Values between Rust and either engine: parameters in ([`Param`]),
//! columns out ([`FromColumn`]), both through one borrowed [`ValueRef`].
//!
//! The five kinds are SQLite's storage classes. PostgreSQL columns of the
//! portable schema use only the matching types (BIGINT, DOUBLE PRECISION,
//! TEXT, BYTEA), so one conversion serves both engines, and flags stay the
//! integers 0 and 1 they have always been in SQLite.

use super::DbError;

/// One value, borrowed from a parameter or a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl ValueRef<'_> {
    fn kind(&self) -> &'static str {
        match self {
            ValueRef::Null => "NULL",
            ValueRef::Int(_) => "an integer",
            ValueRef::Real(_) => "a real",
            ValueRef::Text(_) => "text",
            ValueRef::Blob(_) => "a blob",
        }
    }
}

/// A statement parameter: anything that is one [`ValueRef`].
pub trait Param {
    fn value(&self) -> Result<ValueRef<'_>, DbError>;
}

/// Builds a parameter slice: `args![id, name]`.
#[macro_export]
macro_rules! args {
    () => { &[] as &[&dyn $crate::store::db::Param] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::db::Param),+] as &[&dyn $crate::store::db::Param] };
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl Param for $t {
            fn value(&self) -> Result<ValueRef<'_>, DbError> {
                i64::try_from(*self)
                    .map(ValueRef::Int)
                    .map_err(|_| DbError::Conversion(format!("{self} does not fit a 64-bit integer")))
            }
        }
    )*};
}
int_param!(i64, i32, u32, u64, usize, u16, u8, i16);

impl Param for bool {
    fn value(&self) -> Result<ValueRef<'_>, DbError> {
        Ok(ValueRef::Int(i64::from(*self)))
    }
}

impl Param for f64 {
    fn value(&self) -> Result<ValueRef<'_>, DbError> {
        Ok(ValueRef::Real(*self))
    }
}

impl Param for str {
    fn value(&self) -> Result<ValueRef<'_>, DbError> {
        Ok(ValueRef::Text(self))
    }
}

impl Param for String {
    fn value(&self) -> Result<ValueRef<'_>, DbError> {
        Ok(ValueRef::Text(self))
    }
}

impl Param for [u8] {
    fn value(&self) -> Result<ValueRef<'_>, DbError> {
        Ok(ValueRef::Blob(self))
    }
}

impl Param for Vec<u8> {
    fn value(&self) -> Result<ValueRef<'_>, DbError> {
        Ok(ValueRef::Blob(self))
    }
}

impl<const N: usize> Param for [u8; N] {
    fn value(&self) -> Result<ValueRef<'_>, DbError> {
        Ok(ValueRef::Blob(self))
    }
}

impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Result<ValueRef<'_>, DbError> {
        (**self).value()
    }
}

impl<T: Param> Param for Option<T> {
    fn value(&self) -> Result<ValueRef<'_>, DbError> {
        match self {
            Some(v) => v.value(),
            None => Ok(ValueRef::Null),
        }
    }
}

/// A column's value turned into a Rust value.
pub trait FromColumn: Sized {
    fn from_column(v: ValueRef<'_>) -> Result<Self, DbError>;
}

fn wrong(v: ValueRef<'_>, wanted: &str) -> DbError {
    DbError::Conversion(format!("wanted {wanted}, the column holds {}", v.kind()))
}

macro_rules! int_column {
    ($($t:ty),*) => {$(
        impl FromColumn for $t {
            fn from_column(v: ValueRef<'_>) -> Result<Self, DbError> {
                match v {
                    ValueRef::Int(i) => <$t>::try_from(i).map_err(|_| {
                        DbError::Conversion(format!("{i} does not fit {}", stringify!($t)))
                    }),
                    other => Err(wrong(other, "an integer")),
                }
            }
        }
    )*};
}
int_column!(i64, i32, u32, u64, usize, u16, u8, i16);

impl FromColumn for bool {
    fn from_column(v: ValueRef<'_>) -> Result<Self, DbError> {
        match v {
            ValueRef::Int(i) => Ok(i != 0),
            other => Err(wrong(other, "a flag")),
        }
    }
}

impl FromColumn for f64 {
    fn from_column(v: ValueRef<'_>) -> Result<Self, DbError> {
        match v {
            ValueRef::Real(r) => Ok(r),
            // SQLite keeps a whole REAL as an integer in some expressions.
            ValueRef::Int(i) => Ok(i as f64),
            other => Err(wrong(other, "a number")),
        }
    }
}

impl FromColumn for String {
    fn from_column(v: ValueRef<'_>) -> Result<Self, DbError> {
        match v {
            ValueRef::Text(s) => Ok(s.to_owned()),
            other => Err(wrong(other, "text")),
        }
    }
}

impl FromColumn for Vec<u8> {
    fn from_column(v: ValueRef<'_>) -> Result<Self, DbError> {
        match v {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            other => Err(wrong(other, "a blob")),
        }
    }
}

impl<const N: usize> FromColumn for [u8; N] {
    fn from_column(v: ValueRef<'_>) -> Result<Self, DbError> {
        match v {
            ValueRef::Blob(b) => b.try_into().map_err(|_| {
                DbError::Conversion(format!("wanted {N} bytes, the column holds {}", b.len()))
            }),
            other => Err(wrong(other, "a blob")),
        }
    }
}

impl<T: FromColumn> FromColumn for Option<T> {
    fn from_column(v: ValueRef<'_>) -> Result<Self, DbError> {
        match v {
            ValueRef::Null => Ok(None),
            v => T::from_column(v).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_too_large_for_the_engines_are_refused_not_wrapped() {
        assert_eq!(7u64.value().unwrap(), ValueRef::Int(7));
        assert!(matches!(u64::MAX.value(), Err(DbError::Conversion(_))));
        assert!(matches!(
            u32::from_column(ValueRef::Int(-1)),
            Err(DbError::Conversion(_))
        ));
    }

    #[test]
    fn a_column_of_another_kind_is_an_error_that_names_both() {
        let err = String::from_column(ValueRef::Int(3))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("wanted text") && err.contains("integer"),
            "{err}"
        );
        assert_eq!(Option::<String>::from_column(ValueRef::Null).unwrap(), None);
        assert!(bool::from_column(ValueRef::Int(1)).unwrap());
        assert_eq!(
            <[u8; 2]>::from_column(ValueRef::Blob(&[1, 2])).unwrap(),
            [1, 2]
        );
        assert!(<[u8; 32]>::from_column(ValueRef::Blob(&[1, 2])).is_err());
    }
}
