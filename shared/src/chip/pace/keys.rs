//! PACE's symmetric side (ICAO 9303-11 §4.4, §9.7): the password and the
//! key derived from it, the encrypted nonce, the session keys derived from
//! the shared secret, and the authentication tokens. Both the terminal and
//! the chip use these, so the two sides cannot disagree.

use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::chip::crypto::{self, AesKey, Key16};
use crate::chip::sm::{SecureChannel, SmKeys};
use crate::chip::tlv;

/// The block cipher (and MAC) of a PACE variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cipher {
    /// id-PACE-*-3DES-CBC-CBC: two-key 3DES, retail MAC.
    Tdes,
    /// id-PACE-*-AES-CBC-CMAC-128/192/256.
    Aes128,
    Aes192,
    Aes256,
}

impl Cipher {
    /// The last arc of the protocol OID (1 = 3DES … 4 = AES-256).
    pub fn oid_arc(self) -> u8 {
        match self {
            Self::Tdes => 1,
            Self::Aes128 => 2,
            Self::Aes192 => 3,
            Self::Aes256 => 4,
        }
    }

    /// For people: `3DES`, `AES-128`, …
    pub fn name(self) -> &'static str {
        match self {
            Self::Tdes => "3DES",
            Self::Aes128 => "AES-128",
            Self::Aes192 => "AES-192",
            Self::Aes256 => "AES-256",
        }
    }

    pub fn from_oid_arc(arc: u8) -> Option<Self> {
        Some(match arc {
            1 => Self::Tdes,
            2 => Self::Aes128,
            3 => Self::Aes192,
            4 => Self::Aes256,
            _ => return None,
        })
    }

    /// Bytes of the nonce: one block.
    pub fn nonce_len(self) -> usize {
        match self {
            Self::Tdes => crypto::BLOCK,
            _ => crypto::AES_BLOCK,
        }
    }

    fn key_len(self) -> usize {
        match self {
            Self::Tdes | Self::Aes128 => 16,
            Self::Aes192 => 24,
            Self::Aes256 => 32,
        }
    }

    /// KDF(K, c) (ICAO 9303-11 §9.7.1): SHA-1 for 3DES and AES-128,
    /// SHA-256 for AES-192/256, truncated to the key length. 3DES keys get
    /// odd parity as BAC's do (DES ignores the bit; the emulator and a
    /// real chip then hold the same bytes).
    pub fn kdf(self, shared: &[u8], counter: u32) -> Vec<u8> {
        let digest = match self {
            Self::Tdes | Self::Aes128 => {
                let mut hasher = Sha1::new();
                hasher.update(shared);
                hasher.update(counter.to_be_bytes());
                hasher.finalize().to_vec()
            }
            Self::Aes192 | Self::Aes256 => {
                let mut hasher = Sha256::new();
                hasher.update(shared);
                hasher.update(counter.to_be_bytes());
                hasher.finalize().to_vec()
            }
        };
        let mut key = digest[..self.key_len()].to_vec();
        if self == Self::Tdes {
            crypto::adjust_parity(&mut key);
        }
        key
    }

    /// Encrypts the chip's nonce under Kπ (CBC, zero IV, one block).
    pub fn encrypt_nonce(self, k_pi: &[u8], nonce: &[u8]) -> Vec<u8> {
        match self {
            Self::Tdes => crypto::encrypt(&tdes_key(k_pi), nonce),
            _ => crypto::aes_encrypt(&aes_key(k_pi), &[0; 16], nonce),
        }
        .expect("a nonce is one block")
    }

    /// Decrypts the nonce the chip sent; `None` if it is not one block.
    pub fn decrypt_nonce(self, k_pi: &[u8], encrypted: &[u8]) -> Option<Vec<u8>> {
        if encrypted.len() != self.nonce_len() {
            return None;
        }
        match self {
            Self::Tdes => crypto::decrypt(&tdes_key(k_pi), encrypted),
            _ => crypto::aes_decrypt(&aes_key(k_pi), &[0; 16], encrypted),
        }
        .ok()
    }

    /// The secure channel keyed from the shared secret `K` (KDF counters 1
    /// and 2), its counter at zero. Chip Authentication uses the same.
    pub fn channel(self, shared_secret: &[u8]) -> SecureChannel {
        let k_enc = self.kdf(shared_secret, 1);
        let k_mac = self.kdf(shared_secret, 2);
        SecureChannel::with_keys(match self {
            Self::Tdes => SmKeys::Tdes {
                k_enc: tdes_key(&k_enc),
                k_mac: tdes_key(&k_mac),
            },
            _ => SmKeys::Aes {
                k_enc: aes_key(&k_enc),
                k_mac: aes_key(&k_mac),
            },
        })
    }

    /// The authentication token over the other side's ephemeral public key
    /// (§4.4.3.4): MAC(K_MAC, `7F49 { 06 oid, 86 point }`), 8 bytes. 3DES
    /// pads for the retail MAC; CMAC takes the object as it is.
    pub fn token(self, k_mac: &[u8], protocol_oid: &[u8], public_point: &[u8]) -> [u8; 8] {
        let object = tlv::encode(
            0x7F49,
            &[
                tlv::encode(0x06, protocol_oid),
                tlv::encode(0x86, public_point),
            ]
            .concat(),
        );
        match self {
            Self::Tdes => crypto::mac(&tdes_key(k_mac), &crypto::pad(&object)),
            _ => crypto::cmac8(&aes_key(k_mac), &object),
        }
    }
}

fn tdes_key(bytes: &[u8]) -> Key16 {
    bytes.try_into().expect("3DES keys are 16 bytes")
}

fn aes_key(bytes: &[u8]) -> AesKey {
    AesKey::new(bytes).expect("AES keys are 16, 24 or 32 bytes")
}

/// The shared password PACE starts from.
#[derive(Clone, PartialEq, Eq)]
pub enum Password {
    /// The card access number printed on the card (for a CCCD, the last 6
    /// digits of the 12-digit ID).
    Can(String),
    /// The MRZ information (document number, birth, expiry with check
    /// digits), as BAC uses it.
    Mrz(String),
}

// Passwords stay out of logs.
impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Can(_) => "Password::Can(..)",
            Self::Mrz(_) => "Password::Mrz(..)",
        })
    }
}

impl Password {
    /// The reference MSE:Set AT names it by (§4.4.4.1: 01 MRZ, 02 CAN).
    pub fn reference(&self) -> u8 {
        match self {
            Self::Mrz(_) => 0x01,
            Self::Can(_) => 0x02,
        }
    }

    /// K = f(π): SHA-1 of the MRZ information, or the CAN's characters.
    fn key_seed(&self) -> Vec<u8> {
        match self {
            Self::Mrz(information) => Sha1::digest(information.as_bytes()).to_vec(),
            Self::Can(can) => can.as_bytes().to_vec(),
        }
    }

    /// Kπ = KDF(f(π), 3).
    pub fn k_pi(&self, cipher: Cipher) -> Vec<u8> {
        cipher.kdf(&self.key_seed(), 3)
    }
}
