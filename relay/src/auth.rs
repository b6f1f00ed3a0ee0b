//! Secrets: bearer tokens, password hashes, proctor sessions.
//!
//! Tokens are 256 random bits shown to the client once; the relay keeps only
//! their SHA-256, so a copy of the database does not let anyone resume a
//! student's attempt or a proctor's session. Passwords are Argon2id hashes.
//! Staff sessions are stored (hashed, with expiry) so they survive a
//! restart, and can be revoked: logout, account disabled, password reset.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use examgate_shared::Millis;
use examgate_shared::protocol::Role;
use sha2::{Digest, Sha256};

use crate::model::{RoomId, SiteId, TokenHash};
use crate::store::{Store, StoreError, sessions, writes};

/// How long a proctor stays signed in.
pub const SESSION_TTL_MS: Millis = 12 * 3_600_000;

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the OS random source works");
    buf
}

/// A random number from the OS source (paper shuffle seeds).
pub fn random_u64() -> u64 {
    u64::from_le_bytes(random_bytes::<8>())
}

/// A fresh bearer token: 64 hex characters.
pub fn new_token() -> String {
    random_bytes::<32>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn hash_token(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}

/// A password people can read aloud and type: no 0/O, 1/l/I.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    random_bytes::<12>()
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters succeeds")
        .to_string()
}

/// Checks `password` against a stored hash. With no stored hash (unknown
/// user) it still does the same work, so timing does not reveal user names.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    // A valid hash of a random password, computed once.
    static DUMMY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash_password(&random_password()));
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (DUMMY.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && real
}

/// Failed sign-ins allowed per user name within [`THROTTLE_WINDOW_MS`].
pub const MAX_FAILED_LOGINS: u32 = 5;
pub const THROTTLE_WINDOW_MS: Millis = 15 * 60_000;

/// Slows password guessing: after [`MAX_FAILED_LOGINS`] failures for a user
/// name within the window, that name is refused (even with the right
/// password) until the window that began with the first failure ends.
/// Keyed by user name, not address: a whole school shares one address.
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, Millis)>>,
}

impl LoginThrottle {
    /// `Err(wait_ms)` while `username` is locked out.
    pub fn check(&self, username: &str, now: Millis) -> Result<(), Millis> {
        let map = self.failures.lock().expect("throttle lock");
        match map.get(username) {
            Some(&(count, first))
                if count >= MAX_FAILED_LOGINS && now < first + THROTTLE_WINDOW_MS =>
            {
                Err(first + THROTTLE_WINDOW_MS - now)
            }
            _ => Ok(()),
        }
    }

    pub fn failed(&self, username: &str, now: Millis) {
        let mut map = self.failures.lock().expect("throttle lock");
        map.retain(|_, (_, first)| now < *first + THROTTLE_WINDOW_MS);
        let entry = map.entry(username.to_owned()).or_insert((0, now));
        entry.0 += 1;
    }

    pub fn succeeded(&self, username: &str) {
        self.failures
            .lock()
            .expect("throttle lock")
            .remove(username);
    }
}

/// A signed-in proctor or teacher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub username: String,
    pub role: Role,
    /// A room proctor's room.
    pub room_id: Option<RoomId>,
    /// The site of a site's own staff; `None`: every site.
    pub site_id: Option<SiteId>,
    pub expires_at: Millis,
}

impl Session {
    /// How the audit trail names this staff member: `role:username`.
    pub fn actor(&self) -> String {
        format!("{}:{}", crate::model::role_name(self.role), self.username)
    }

    /// Whether this session may watch `room`; `site_of` tells the room's
    /// site, asked only for staff scoped to one site.
    pub fn may_watch(&self, room: RoomId, site_of: impl FnOnce(RoomId) -> Option<SiteId>) -> bool {
        match self.role {
            Role::RoomProctor => self.room_id == Some(room),
            Role::CentralProctor | Role::Teacher | Role::ExamOffice => {
                self.may_see_site(|| site_of(room))
            }
        }
    }

    /// Whether this session reaches everything of `site` (a site-scoped
    /// account only its own; room proctors no site as a whole).
    pub fn may_see_site(&self, site: impl FnOnce() -> Option<SiteId>) -> bool {
        match (self.role, self.site_id) {
            (Role::RoomProctor, _) => false,
            (_, None) => true,
            (_, Some(own)) => site() == Some(own),
        }
    }
}

/// Marks every session of `username` revoked, with an audit entry: run it
/// in the transaction that disables the account or resets its password, so
/// the change and the end of its sessions stand or fall together.
pub fn revoke_user_sessions(
    txn: crate::store::db::Db<'_>,
    username: &str,
    now: Millis,
) -> Result<(), crate::store::db::DbError> {
    let n = sessions::revoke_user(txn, username, now)?;
    if n > 0 {
        let detail = format!("user {username}: {n} session(s) ended");
        writes::audit(txn, now, "relay", "session_revoke", &detail)?;
    }
    Ok(())
}

/// Live sessions by token hash, in memory for every request and kept in
/// the `sessions` table (token hashes only, with expiry and revocation), so
/// a relay restart does not sign proctors out mid-exam. Every change is
/// written through the store given to it; [`Sessions::restore`] starts
/// with the unexpired, unrevoked sessions the database holds.
#[derive(Default)]
pub struct Sessions {
    by_token: Mutex<HashMap<TokenHash, Session>>,
    /// When each session signed in on another relay was read from the
    /// database (those signed in here are not in it).
    read_at: Mutex<HashMap<TokenHash, Millis>>,
    /// Bearer tokens the database did not know (in a cluster): asked once.
    /// Safe to keep: a token is random and new when issued, so one that
    /// was unknown never becomes a session later.
    unknown: Mutex<HashSet<TokenHash>>,
}

/// Unknown tokens remembered at most; past it the set starts again (a
/// flood of invented tokens costs one read each, never memory).
const MAX_UNKNOWN: usize = 65_536;

impl Sessions {
    /// The sessions loaded at start-up.
    pub fn restore(loaded: Vec<(TokenHash, Session)>) -> Sessions {
        Sessions {
            by_token: Mutex::new(loaded.into_iter().collect()),
            read_at: Mutex::default(),
            unknown: Mutex::default(),
        }
    }

    /// Creates a session, stored before its token is handed out.
    pub async fn create(&self, store: &Store, session: Session) -> Result<String, StoreError> {
        let token = new_token();
        let hash = hash_token(&token);
        let created_at = session.expires_at - SESSION_TTL_MS;
        let row = session.clone();
        store
            .write(move |txn| sessions::insert(txn, &hash, &row, created_at))
            .await?;
        let mut map = self.by_token.lock().expect("sessions lock");
        map.retain(|_, s| s.expires_at > created_at);
        map.insert(hash, session);
        Ok(token)
    }

    /// Signs `token` out (logout): it stops working at once and stays
    /// revoked after a restart. `None` when no such session is live.
    pub async fn end(
        &self,
        store: &Store,
        token: &str,
        now: Millis,
    ) -> Result<Option<Session>, StoreError> {
        let hash = hash_token(token);
        let Some(session) = self
            .by_token
            .lock()
            .expect("sessions lock")
            .get(&hash)
            .cloned()
        else {
            return Ok(None);
        };
        let actor = format!("user:{}", session.username);
        // Stored first: a session that ends only in memory would come back
        // with the next restart.
        store
            .write(move |txn| {
                sessions::revoke(txn, &hash, now)?;
                writes::audit(txn, now, &actor, "logout", "")
            })
            .await?;
        self.by_token.lock().expect("sessions lock").remove(&hash);
        Ok(Some(session))
    }

    /// Ends every session of `username`: revoked on disk, then forgotten
    /// in memory. The exam office revokes in the account change's own
    /// transaction and calls this after the change, for a sign-in that
    /// raced it. A failure to record it is logged.
    pub async fn end_user(&self, store: &Store, username: &str, now: Millis) {
        let name = username.to_owned();
        let revoked = store
            .write(move |txn| revoke_user_sessions(txn, &name, now))
            .await;
        if let Err(e) = revoked {
            tracing::error!("revoking sessions failed: {e}");
        }
        self.forget_user(username);
    }

    /// Drops `username`'s sessions from memory, once their revocation is
    /// stored.
    fn forget_user(&self, username: &str) {
        self.by_token
            .lock()
            .expect("sessions lock")
            .retain(|_, s| s.username != username);
    }

    /// Keeps a session read from the database at `now` (signed in on
    /// another relay).
    pub fn remember(&self, token_hash: TokenHash, session: Session, now: Millis) {
        self.by_token
            .lock()
            .expect("sessions lock")
            .insert(token_hash, session);
        self.read_at
            .lock()
            .expect("sessions lock")
            .insert(token_hash, now);
    }

    /// Whether the session was read from the database before `before`
    /// (and so is read again before it is trusted).
    pub fn remembered_before(&self, token_hash: &TokenHash, before: Millis) -> bool {
        self.read_at
            .lock()
            .expect("sessions lock")
            .get(token_hash)
            .is_some_and(|at| *at < before)
    }

    /// Forgets one session held in memory (the database no longer has it).
    pub fn forget(&self, token_hash: &TokenHash) {
        self.by_token
            .lock()
            .expect("sessions lock")
            .remove(token_hash);
        self.read_at
            .lock()
            .expect("sessions lock")
            .remove(token_hash);
    }

    /// Whether the database was asked about this token and did not know it.
    pub fn known_unknown(&self, token_hash: &TokenHash) -> bool {
        self.unknown
            .lock()
            .expect("sessions lock")
            .contains(token_hash)
    }

    pub fn note_unknown(&self, token_hash: TokenHash) {
        let mut unknown = self.unknown.lock().expect("sessions lock");
        if unknown.len() >= MAX_UNKNOWN {
            unknown.clear();
        }
        unknown.insert(token_hash);
    }

    /// Forgets every session held in memory: another relay ended one, and
    /// the database says which are still valid when they are next used.
    pub fn forget_all(&self) {
        self.by_token.lock().expect("sessions lock").clear();
        self.read_at.lock().expect("sessions lock").clear();
    }

    pub fn get(&self, token: &str, now: Millis) -> Option<Session> {
        let map = self.by_token.lock().expect("sessions lock");
        map.get(&hash_token(token))
            .filter(|s| s.expires_at > now)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_tokens_are_remembered_within_a_bound() {
        let sessions = Sessions::restore(Vec::new());
        let (a, b) = (hash_token("invented"), hash_token("also invented"));
        assert!(!sessions.known_unknown(&a));
        sessions.note_unknown(a);
        assert!(sessions.known_unknown(&a) && !sessions.known_unknown(&b));
        for i in 0..MAX_UNKNOWN {
            sessions.note_unknown(hash_token(&i.to_string()));
        }
        // Full: the set started again rather than grow.
        assert!(sessions.unknown.lock().unwrap().len() <= MAX_UNKNOWN);
        assert!(!sessions.known_unknown(&a));
    }

    #[test]
    fn passwords_verify_and_unknown_users_fail() {
        let hash = hash_password("đúng-mật-khẩu");
        assert!(verify_password("đúng-mật-khẩu", Some(&hash)));
        assert!(!verify_password("sai", Some(&hash)));
        assert!(!verify_password("đúng-mật-khẩu", None));
        assert!(!verify_password("x", Some("not a hash")));
    }

    #[test]
    fn tokens_are_distinct_and_hashed() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token());
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), hash_token(&new_token()));
    }

    #[test]
    fn throttle_locks_a_name_after_repeated_failures_then_forgets() {
        let t = LoginThrottle::default();
        for i in 0..MAX_FAILED_LOGINS {
            assert_eq!(t.check("central", 1_000 + i64::from(i)), Ok(()));
            t.failed("central", 1_000 + i64::from(i));
        }
        assert_eq!(t.check("central", 2_000), Err(THROTTLE_WINDOW_MS - 1_000));
        assert_eq!(
            t.check("phong01", 2_000),
            Ok(()),
            "other names are not affected"
        );
        assert_eq!(t.check("central", 1_000 + THROTTLE_WINDOW_MS), Ok(()));
        t.failed("phong01", 0);
        t.succeeded("phong01");
        assert_eq!(t.check("phong01", 1), Ok(()));
    }

    /// A store on a fresh database file, and the connection's path for
    /// reading it back as a restart would.
    fn store() -> (tempfile::TempDir, Store, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let conn = crate::store::open(&path).unwrap();
        // The accounts the sessions belong to (a disabled one is never
        // loaded again).
        for name in ["p1", "truong2"] {
            conn.execute(
                "INSERT INTO users (username, password_hash, role, display_name)
                 VALUES (?1, 'h', 'central_proctor', ?1)",
                [name],
            )
            .unwrap();
        }
        (dir, Store::spawn(conn), path)
    }

    #[tokio::test]
    async fn sessions_expire_and_scope_rooms() {
        let (_dir, store, _) = store();
        let sessions = Sessions::default();
        let token = sessions
            .create(
                &store,
                Session {
                    username: "p1".into(),
                    role: Role::RoomProctor,
                    room_id: Some(7),
                    site_id: None,
                    expires_at: 1_000,
                },
            )
            .await
            .unwrap();
        let s = sessions.get(&token, 999).unwrap();
        let site_of = |room: RoomId| Some(if room < 10 { 1 } else { 2 });
        assert!(s.may_watch(7, site_of));
        assert!(!s.may_watch(8, site_of));
        assert!(!s.may_see_site(|| Some(1)), "a room is not its site");
        assert_eq!(sessions.get(&token, 1_000), None);
        assert_eq!(sessions.get("nope", 0), None);

        // A site's own central proctor sees that site's rooms only.
        let site_staff = Session {
            username: "truong2".into(),
            role: Role::CentralProctor,
            room_id: None,
            site_id: Some(2),
            expires_at: 1_000,
        };
        assert!(site_staff.may_watch(12, site_of));
        assert!(!site_staff.may_watch(7, site_of));
        let department = Session {
            site_id: None,
            ..site_staff.clone()
        };
        assert!(department.may_watch(7, site_of) && department.may_watch(12, site_of));
        let token = sessions
            .create(
                &store,
                Session {
                    expires_at: 5_000,
                    ..site_staff
                },
            )
            .await
            .unwrap();
        sessions.end_user(&store, "truong2", 10).await;
        assert_eq!(sessions.get(&token, 0), None, "ended with its account");
    }

    #[tokio::test]
    async fn live_sessions_are_loaded_again_and_ended_ones_are_not() {
        let (_dir, store, path) = store();
        let sessions = Sessions::default();
        let session = |username: &str| Session {
            username: username.into(),
            role: Role::CentralProctor,
            room_id: None,
            site_id: Some(2),
            expires_at: 10_000_000,
        };
        let kept = sessions.create(&store, session("p1")).await.unwrap();
        let logged_out = sessions.create(&store, session("p1")).await.unwrap();
        let revoked = sessions.create(&store, session("truong2")).await.unwrap();
        assert!(
            sessions
                .end(&store, &logged_out, 100)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(sessions.end(&store, &logged_out, 101).await.unwrap(), None);
        sessions.end_user(&store, "truong2", 102).await;

        let conn = rusqlite::Connection::open(&path).unwrap();
        let again = Sessions::restore(
            crate::store::load::load_sessions(crate::store::db::Db::sqlite(&conn), 200).unwrap(),
        );
        assert_eq!(again.get(&kept, 200), Some(session("p1")));
        assert_eq!(again.get(&logged_out, 200), None);
        assert_eq!(again.get(&revoked, 200), None);
        // Expired ones are not loaded either.
        let later =
            crate::store::load::load_sessions(crate::store::db::Db::sqlite(&conn), 10_000_000)
                .unwrap();
        assert!(later.is_empty());
        // Only hashes are stored.
        let stored: Vec<u8> = conn
            .query_row("SELECT token_hash FROM sessions LIMIT 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stored.len(), 32);
        let actions: Vec<String> = conn
            .prepare("SELECT action FROM audit ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(actions, ["logout", "session_revoke"]);
    }
}
