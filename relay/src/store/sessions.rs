//! Staff sessions on disk: only the SHA-256 of each token, with who, what
//! scope, and when it expires or was revoked. Revoked rows stay for the
//! record; loading them back is [`super::load::load_sessions`].

use examgate_shared::Millis;

use super::db::{Db, DbError};
use crate::args;
use crate::auth::Session;
use crate::model::{TokenHash, role_name};

pub fn insert(
    conn: Db<'_>,
    token_hash: &TokenHash,
    s: &Session,
    created_at: Millis,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO sessions (token_hash, username, role, room_id, site_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        args![
            &token_hash[..],
            s.username,
            role_name(s.role),
            s.room_id,
            s.site_id,
            created_at,
            s.expires_at
        ],
    )?;
    Ok(())
}

/// Revokes one session (logout).
pub fn revoke(conn: Db<'_>, token_hash: &TokenHash, at: Millis) -> Result<(), DbError> {
    conn.execute(
        "UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL",
        args![&token_hash[..], at],
    )?;
    Ok(())
}

/// Revokes every live session of `username`; how many there were.
pub fn revoke_user(conn: Db<'_>, username: &str, at: Millis) -> Result<usize, DbError> {
    conn.execute(
        "UPDATE sessions SET revoked_at = ?2
         WHERE username = ?1 AND revoked_at IS NULL AND expires_at > ?2",
        args![username, at],
    )
}
