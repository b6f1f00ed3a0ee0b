//! Personal data sealed at rest: what a copied database file must not give
//! away — the chip photo and the card's files kept as check-in evidence,
//! and every CCCD number (roster, check-ins) — is stored encrypted
//! (AES-256-GCM, a fresh 96-bit nonce per value) with a key kept beside the
//! database in `secret.key` (readable by the relay's user only), not in it.
//! A copy of `examgate.sqlite3` alone shows the verdicts and decisions, not
//! the photos or whose card it was.
//!
//! A sealed value cannot be looked up or kept unique (each sealing differs),
//! so a CCCD number is also stored as its [`AtRest::person_key`]: a keyed
//! hash (HMAC-SHA-256 under a key derived from the same secret). Without
//! the key the 10^12 possible numbers cannot be tried against it; with it
//! the relay finds a card holder's rows, and a card holder's candidate key
//! ([`AtRest::card_key`]) is built from it too.
//!
//! Sealed values are text: `enc1:` then base64 of nonce ‖ ciphertext, so
//! they stay in TEXT columns and the purge can tell them from its plain
//! "removed" notes. Values written before sealing existed read back as
//! they are.

use std::io::Write;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The key file's name in the data folder.
pub const KEY_FILE: &str = "secret.key";

/// How a card holder's candidate key begins (then the person key, or `•`
/// and the row id once the purge has removed the number).
pub const CARD_KEY_PREFIX: &str = "cccd:";

/// How a sealed value begins.
pub const SEALED_PREFIX: &str = "enc1:";
const NONCE_BYTES: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum AtRestError {
    #[error("the key file {0}: {1}")]
    KeyFile(String, std::io::Error),
    #[error(
        "the key file {0} is not 32 bytes: restore it from the backup that went with the database"
    )]
    KeyLength(String),
    #[error("a sealed value does not open with this key (another data folder's key, or altered)")]
    Open,
    #[error(
        "the key file {0} is missing, but the database holds values sealed with it: restore the key from the backup that went with the database"
    )]
    KeyMissing(String),
}

/// What the person key is derived under: a key of its own, so the sealing
/// key is never used for two purposes.
const PERSON_KEY_LABEL: &[u8] = b"examgate person key v1";
/// Derives the key seat codes are hashed with (a key of its own).
const SEAT_CODE_KEY_LABEL: &[u8] = b"examgate seat code key v1";

/// Hex digits of a person key (128 bits of the HMAC).
const PERSON_KEY_HEX: usize = 32;

/// The sealing key of one data folder.
pub struct AtRest {
    cipher: Aes256Gcm,
    /// HMAC-SHA-256 keyed for [`AtRest::person_key`], ready to clone.
    person_mac: Hmac<Sha256>,
    seat_code_mac: Hmac<Sha256>,
}

impl std::fmt::Debug for AtRest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AtRest(..)")
    }
}

impl AtRest {
    /// Reads `DATA/secret.key`, or makes one (32 random bytes, mode 0600)
    /// when the folder has none.
    pub fn load_or_create(data_dir: &Path) -> Result<AtRest, AtRestError> {
        let path = data_dir.join(KEY_FILE);
        let name = path.display().to_string();
        let key = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = vec![0u8; 32];
                getrandom::fill(&mut key).expect("the OS random source works");
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                let mut file = options
                    .open(&path)
                    .map_err(|e| AtRestError::KeyFile(name.clone(), e))?;
                file.write_all(&key)
                    .and_then(|()| file.sync_all())
                    .map_err(|e| AtRestError::KeyFile(name.clone(), e))?;
                key
            }
            Err(e) => return Err(AtRestError::KeyFile(name, e)),
        };
        let key: [u8; 32] = key.try_into().map_err(|_| AtRestError::KeyLength(name))?;
        Ok(AtRest::with_key(&key))
    }

    pub fn with_key(key: &[u8; 32]) -> AtRest {
        let mac_for = |label: &[u8]| {
            let derived = <Hmac<Sha256> as Mac>::new_from_slice(key)
                .expect("HMAC takes any key length")
                .chain_update(label)
                .finalize()
                .into_bytes();
            <Hmac<Sha256> as Mac>::new_from_slice(&derived).expect("HMAC takes any key length")
        };
        AtRest {
            cipher: Aes256Gcm::new(key.into()),
            person_mac: mac_for(PERSON_KEY_LABEL),
            seat_code_mac: mac_for(SEAT_CODE_KEY_LABEL),
        }
    }

    /// Reads `DATA/secret.key` for a tool that works on an existing data
    /// folder (the purge): a missing key is an error, never a new key that
    /// would open nothing.
    pub fn load(data_dir: &Path) -> Result<AtRest, AtRestError> {
        let path = data_dir.join(KEY_FILE);
        let name = path.display().to_string();
        let key = std::fs::read(&path).map_err(|e| AtRestError::KeyFile(name.clone(), e))?;
        let key: [u8; 32] = key.try_into().map_err(|_| AtRestError::KeyLength(name))?;
        Ok(AtRest::with_key(&key))
    }

    /// The keyed hash a CCCD number is found by: equal numbers give equal
    /// keys in one data folder, and nothing without its key.
    pub fn person_key(&self, person_id: &str) -> String {
        let digest = self
            .person_mac
            .clone()
            .chain_update(person_id.as_bytes())
            .finalize()
            .into_bytes();
        let mut hex = examgate_shared::audit_chain::to_hex(&digest.into());
        hex.truncate(PERSON_KEY_HEX);
        hex
    }

    /// The keyed hash a seat code is stored by: six characters of a
    /// 31-letter alphabet are too few to hide behind a plain hash from
    /// whoever holds a copy of the database.
    pub fn seat_code_key(&self, code: &str) -> crate::model::TokenHash {
        self.seat_code_mac
            .clone()
            .chain_update(code.as_bytes())
            .finalize()
            .into_bytes()
            .into()
    }

    /// A card holder's candidate key (unique per room, like a name key).
    pub fn card_key(&self, person_id: &str) -> String {
        format!("{CARD_KEY_PREFIX}{}", self.person_key(person_id))
    }

    /// `plain` sealed, as text.
    pub fn seal(&self, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).expect("the OS random source works");
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .expect("AES-GCM encrypts any length this relay stores");
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{SEALED_PREFIX}{}", BASE64.encode(bytes))
    }

    /// A stored value opened: sealed ones decrypted, others as they are.
    pub fn open(&self, stored: &str) -> Result<String, AtRestError> {
        let Some(body) = stored.strip_prefix(SEALED_PREFIX) else {
            return Ok(stored.to_owned());
        };
        let bytes = BASE64.decode(body).map_err(|_| AtRestError::Open)?;
        if bytes.len() < NONCE_BYTES {
            return Err(AtRestError::Open);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| AtRestError::Open)?;
        String::from_utf8(plain).map_err(|_| AtRestError::Open)
    }

    /// Whether a stored value is sealed.
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(SEALED_PREFIX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_open_and_refuse_another_key_or_a_changed_byte() {
        let a = AtRest::with_key(&[7; 32]);
        let text = r#"{"groups":{"2":"/9j/4AAQ…"}}"#;
        let sealed = a.seal(text);
        assert!(AtRest::is_sealed(&sealed));
        assert!(!sealed.contains("groups"));
        assert_ne!(a.seal(text), sealed, "a fresh nonce every time");
        assert_eq!(a.open(&sealed).unwrap(), text);
        let b = AtRest::with_key(&[8; 32]);
        assert!(matches!(b.open(&sealed), Err(AtRestError::Open)));
        let mut bytes = BASE64.decode(&sealed[SEALED_PREFIX.len()..]).unwrap();
        bytes[20] ^= 1;
        let altered = format!("{SEALED_PREFIX}{}", BASE64.encode(bytes));
        assert!(matches!(a.open(&altered), Err(AtRestError::Open)));
        // Older plain values and the purge's notes read as they are.
        assert_eq!(a.open("{\"purged_at\":1}").unwrap(), "{\"purged_at\":1}");
    }

    #[test]
    fn person_keys_match_equal_numbers_under_one_key_only() {
        let a = AtRest::with_key(&[7; 32]);
        let key = a.person_key("001206012345");
        assert_eq!(key.len(), PERSON_KEY_HEX);
        assert!(key.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(a.person_key("001206012345"), key);
        assert_ne!(a.person_key("001206012346"), key);
        assert_ne!(AtRest::with_key(&[8; 32]).person_key("001206012345"), key);
        assert_eq!(a.card_key("001206012345"), format!("cccd:{key}"));
        // Not a plain hash of the number, nor keyed by the sealing key
        // itself.
        let plain = examgate_shared::audit_chain::to_hex(
            &<Sha256 as sha2::Digest>::digest(b"001206012345").into(),
        );
        assert!(!plain.starts_with(&key));
        let direct = <Hmac<Sha256> as Mac>::new_from_slice(&[7; 32])
            .unwrap()
            .chain_update(b"001206012345")
            .finalize()
            .into_bytes();
        assert!(!examgate_shared::audit_chain::to_hex(&direct.into()).starts_with(&key));
    }

    #[test]
    fn the_key_file_is_made_once_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = AtRest::load_or_create(dir.path()).unwrap();
        let sealed = first.seal("ảnh");
        let again = AtRest::load_or_create(dir.path()).unwrap();
        assert_eq!(again.open(&sealed).unwrap(), "ảnh");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            AtRest::load(dir.path()).unwrap().person_key("1"),
            first.person_key("1")
        );
        assert!(matches!(
            AtRest::load(tempfile::tempdir().unwrap().path()),
            Err(AtRestError::KeyFile(..))
        ));
        std::fs::write(dir.path().join(KEY_FILE), b"short").unwrap();
        assert!(matches!(
            AtRest::load_or_create(dir.path()),
            Err(AtRestError::KeyLength(_))
        ));
    }
}
