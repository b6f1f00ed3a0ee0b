//! The symmetric primitives of BAC and secure messaging (ICAO 9303 Part 11
//! §9.7–9.8): two-key 3DES in CBC mode with a zero IV, the ISO/IEC 9797-1
//! MAC algorithm 3 ("retail MAC") with DES, and padding method 2.
//!
//! Thin wrappers over RustCrypto (`des`, `cbc`, `retail-mac`): the eMRTD
//! specifics here are only the fixed zero IV, the key sizes and the padding.

use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use retail_mac::{KeyInit, Mac, RetailMac};
use thiserror::Error;

/// A two-key 3DES key (Ka ‖ Kb), also the retail-MAC key.
pub type Key16 = [u8; 16];

/// DES block size.
pub const BLOCK: usize = 8;

/// Why a cryptogram cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CryptoError {
    #[error("ciphertext is not a whole number of 8-byte blocks")]
    NotBlockAligned,
    #[error("padding method 2 missing or malformed")]
    BadPadding,
}

/// 3DES-CBC with a zero IV over whole blocks (the caller pads).
pub fn encrypt(key: &Key16, data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if !data.len().is_multiple_of(BLOCK) {
        return Err(CryptoError::NotBlockAligned);
    }
    let enc = cbc::Encryptor::<des::TdesEde2>::new(key.into(), &[0u8; BLOCK].into());
    Ok(enc.encrypt_padded_vec::<NoPadding>(data))
}

/// The inverse of [`encrypt`].
pub fn decrypt(key: &Key16, data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if !data.len().is_multiple_of(BLOCK) {
        return Err(CryptoError::NotBlockAligned);
    }
    let dec = cbc::Decryptor::<des::TdesEde2>::new(key.into(), &[0u8; BLOCK].into());
    dec.decrypt_padded_vec::<NoPadding>(data)
        .map_err(|_| CryptoError::NotBlockAligned)
}

/// Padding method 2 (ISO/IEC 9797-1): `80`, then zeros to a block boundary.
/// Always adds at least one byte.
pub fn pad(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + BLOCK);
    out.extend_from_slice(data);
    out.push(0x80);
    while out.len() % BLOCK != 0 {
        out.push(0);
    }
    out
}

/// Removes padding method 2.
pub fn unpad(data: &[u8]) -> Result<&[u8], CryptoError> {
    let end = data
        .iter()
        .rposition(|&b| b != 0)
        .ok_or(CryptoError::BadPadding)?;
    if data[end] != 0x80 || data.len() - end > BLOCK {
        return Err(CryptoError::BadPadding);
    }
    Ok(&data[..end])
}

/// The retail MAC of already padded `data` (whole blocks).
pub fn mac(key: &Key16, data: &[u8]) -> [u8; 8] {
    let mut m = <RetailMac<des::Des> as KeyInit>::new_from_slice(key)
        .expect("a retail MAC key is 16 bytes");
    m.update(data);
    m.finalize().into_bytes().into()
}

/// Constant-time comparison of two MACs: a forged response must not learn
/// how many leading bytes it got right.
pub fn mac_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hex to bytes, for tests and vectors.
#[cfg(test)]
pub(crate) fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_round_trip_and_refusals() {
        assert_eq!(pad(&[]), vec![0x80, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(pad(&[1; 8]).len(), 16);
        assert_eq!(unpad(&pad(&[1, 2, 3])).unwrap(), &[1, 2, 3]);
        assert_eq!(unpad(&[1, 2, 0, 0]), Err(CryptoError::BadPadding));
        assert_eq!(unpad(&[0; 8]), Err(CryptoError::BadPadding));
        assert_eq!(
            unpad(&[0x80, 0, 0, 0, 0, 0, 0, 0, 0]),
            Err(CryptoError::BadPadding)
        );
    }

    #[test]
    fn cbc_round_trip() {
        let key: Key16 = hex("AB94FDECF2674FDFB9B391F85D7F76F2").try_into().unwrap();
        let data = pad(b"examgate");
        let c = encrypt(&key, &data).unwrap();
        assert_ne!(c, data);
        assert_eq!(decrypt(&key, &c).unwrap(), data);
        assert_eq!(encrypt(&key, &[1, 2, 3]), Err(CryptoError::NotBlockAligned));
    }

    #[test]
    fn retail_mac_appendix_d() {
        // M_IFD of ICAO 9303 Part 11 Appendix D: MAC(Kmac, pad(E_IFD)).
        let kmac: Key16 = hex("7962D9ECE03D1ACD4C76089DCE131543").try_into().unwrap();
        let e_ifd = hex("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2");
        assert_eq!(mac(&kmac, &pad(&e_ifd)).to_vec(), hex("5F1448EEA8AD90A7"));
        assert!(mac_eq(&[1, 2], &[1, 2]));
        assert!(!mac_eq(&[1, 2], &[1, 3]));
        assert!(!mac_eq(&[1], &[1, 2]));
    }
}
