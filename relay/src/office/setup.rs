//! The one-time set-up link of a relay started for a real exam: while no
//! account exists, start-up issues a token (only its SHA-256 is stored, in
//! `meta`) and prints `/office?setup=TOKEN`; the first exam-office account
//! is created with it, and the token is gone.

use crate::args;
use crate::store::db::{Db, DbError, OptionalRow};
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::office::api::{MIN_PASSWORD_CHARS, SetupRequest};
use examgate_shared::protocol::{LoginResponse, Role};

use crate::AppState;
use crate::attempts::internal;
use crate::auth::{SESSION_TTL_MS, Session, hash_token, new_token};
use crate::clock::now_ms;
use crate::model::{TokenHash, User};
use crate::store::writes;

const META_KEY: &str = "setup_token_sha256";

/// With no account in the database, stores a fresh set-up token's hash
/// (replacing an older one) and returns the token; otherwise `None`.
pub fn issue_if_nobody_can_sign_in(conn: Db<'_>) -> Result<Option<String>, DbError> {
    let users: i64 = conn.query_row("SELECT COUNT(*) FROM users", args![], |r| r.get(0))?;
    if users > 0 {
        conn.execute("DELETE FROM meta WHERE key = ?1", args![META_KEY])?;
        return Ok(None);
    }
    let token = new_token();
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        args![META_KEY, hex(&hash_token(&token))],
    )?;
    Ok(Some(token))
}

/// The stored set-up token hash, if a link is outstanding.
pub fn load_hash(conn: Db<'_>) -> Result<Option<TokenHash>, DbError> {
    let hex_text: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            args![META_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(hex_text.and_then(|h| unhex(&h)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<TokenHash> {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}

impl AppState {
    /// Creates the first exam-office account with the set-up token and
    /// signs it in. The token works once.
    pub async fn set_up(&self, req: SetupRequest) -> Result<LoginResponse, ErrorBody> {
        let _plan = self.plan_lock.lock().await;
        let hash = hash_token(req.token.trim());
        let outstanding = *self.setup.lock().expect("setup lock");
        if outstanding != Some(hash) {
            return Err(ErrorBody::new(
                ErrorCode::SetupInvalid,
                "unknown or used set-up link",
            ));
        }
        let username = super::accounts::valid_username(&req.username)?;
        if req.password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(ErrorBody::new(
                ErrorCode::Invalid,
                format!("password: at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        let display_name = examgate_shared::office::names::nfc(&req.display_name);
        let password_hash = super::accounts::hash_off_thread(req.password).await?;
        let user = User {
            username: username.clone(),
            password_hash,
            role: Role::ExamOffice,
            room_id: None,
            site_id: None,
            display_name: display_name.clone(),
            disabled: false,
            subject: String::new(),
        };
        let now = now_ms();
        let stored = user.clone();
        self.store
            .write(move |txn| {
                writes::insert_user(txn, &stored)?;
                txn.execute("DELETE FROM meta WHERE key = ?1", args![META_KEY])?;
                writes::audit(
                    txn,
                    now,
                    &format!("user:{}", stored.username),
                    "setup",
                    "first exam-office account created with the set-up link",
                )
            })
            .await
            .map_err(internal)?;
        *self.setup.lock().expect("setup lock") = None;
        self.users
            .write()
            .expect("users lock")
            .insert(username.clone(), user);
        let session = Session {
            username,
            role: Role::ExamOffice,
            room_id: None,
            site_id: None,
            expires_at: now + SESSION_TTL_MS,
        };
        let token = self
            .sessions
            .create(&self.store, session)
            .await
            .map_err(internal)?;
        Ok(LoginResponse {
            token,
            role: Role::ExamOffice,
            display_name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_while_nobody_can_sign_in_then_none() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::store::open(&dir.path().join("db.sqlite3")).unwrap();
        let first = issue_if_nobody_can_sign_in(crate::store::db::Db::sqlite(&conn))
            .unwrap()
            .unwrap();
        assert_eq!(
            load_hash(crate::store::db::Db::sqlite(&conn)).unwrap(),
            Some(hash_token(&first))
        );
        // A restart before set-up replaces the link.
        let second = issue_if_nobody_can_sign_in(crate::store::db::Db::sqlite(&conn))
            .unwrap()
            .unwrap();
        assert_ne!(first, second);
        assert_eq!(
            load_hash(crate::store::db::Db::sqlite(&conn)).unwrap(),
            Some(hash_token(&second))
        );
        conn.execute(
            "INSERT INTO users (username, password_hash, role, display_name)
             VALUES ('x', 'h', 'exam_office', 'X')",
            [],
        )
        .unwrap();
        assert_eq!(
            issue_if_nobody_can_sign_in(crate::store::db::Db::sqlite(&conn)).unwrap(),
            None
        );
        assert_eq!(
            load_hash(crate::store::db::Db::sqlite(&conn)).unwrap(),
            None
        );
    }
}
