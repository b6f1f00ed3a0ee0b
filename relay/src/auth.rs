//! Secrets: bearer tokens, password hashes, proctor sessions.
//!
//! Tokens are 256 random bits shown to the client once; the relay keeps only
//! their SHA-256, so a copy of the database does not let anyone resume a
//! student's attempt or a proctor's session. Passwords are Argon2id hashes.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use examgate_shared::Millis;
use examgate_shared::protocol::Role;
use sha2::{Digest, Sha256};

use crate::model::{RoomId, TokenHash};

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

/// A signed-in proctor or teacher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub username: String,
    pub role: Role,
    pub room_id: Option<RoomId>,
    pub expires_at: Millis,
}

impl Session {
    /// Which rooms this session may watch.
    pub fn may_watch(&self, room: RoomId) -> bool {
        match self.role {
            Role::CentralProctor | Role::Teacher => true,
            Role::RoomProctor => self.room_id == Some(room),
        }
    }
}

/// Live sessions by token hash. In memory: a relay restart signs everyone
/// out, which costs a proctor one sign-in and keeps no secrets on disk.
#[derive(Default)]
pub struct Sessions {
    by_token: Mutex<HashMap<TokenHash, Session>>,
}

impl Sessions {
    /// Creates a session and returns its token.
    pub fn create(&self, session: Session) -> String {
        let token = new_token();
        let mut map = self.by_token.lock().expect("sessions lock");
        let now = session.expires_at - SESSION_TTL_MS;
        map.retain(|_, s| s.expires_at > now);
        map.insert(hash_token(&token), session);
        token
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
    fn sessions_expire_and_scope_rooms() {
        let sessions = Sessions::default();
        let token = sessions.create(Session {
            username: "p1".into(),
            role: Role::RoomProctor,
            room_id: Some(7),
            expires_at: 1_000,
        });
        let s = sessions.get(&token, 999).unwrap();
        assert!(s.may_watch(7));
        assert!(!s.may_watch(8));
        assert_eq!(sessions.get(&token, 1_000), None);
        assert_eq!(sessions.get("nope", 0), None);
    }
}
