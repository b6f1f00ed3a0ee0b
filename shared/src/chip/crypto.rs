//! The symmetric primitives of BAC, PACE and secure messaging (ICAO 9303
//! Part 11 §9.7–9.8): two-key 3DES in CBC mode with a zero IV, the ISO/IEC
//! 9797-1 MAC algorithm 3 ("retail MAC") with DES, AES-CBC and AES-CMAC
//! (128, 192, 256), and padding method 2.
//!
//! Thin wrappers over RustCrypto (`des`, `aes`, `cbc`, `retail-mac`,
//! `cmac`): the eMRTD specifics here are only the IVs, the key sizes and the
//! padding.

use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use retail_mac::{KeyInit, Mac, RetailMac};
use thiserror::Error;

/// A two-key 3DES key (Ka ‖ Kb), also the retail-MAC key.
pub type Key16 = [u8; 16];

/// DES block size.
pub const BLOCK: usize = 8;

/// AES block size.
pub const AES_BLOCK: usize = 16;

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

/// Gives each byte of a DES key odd parity (its lowest bit), as ICAO 9303
/// key derivation does; DES itself ignores the bit.
pub fn adjust_parity(key: &mut [u8]) {
    for byte in key {
        *byte = (*byte & 0xFE) | u8::from((*byte >> 1).count_ones() % 2 == 0);
    }
}

/// Padding method 2 (ISO/IEC 9797-1) to 8-byte blocks: `80`, then zeros
/// to a block boundary. Always adds at least one byte.
pub fn pad(data: &[u8]) -> Vec<u8> {
    pad_to(data, BLOCK)
}

/// Padding method 2 to blocks of `block` bytes (8 for DES, 16 for AES).
pub fn pad_to(data: &[u8], block: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + block);
    out.extend_from_slice(data);
    out.push(0x80);
    while out.len() % block != 0 {
        out.push(0);
    }
    out
}

/// Removes padding method 2 (8-byte blocks).
pub fn unpad(data: &[u8]) -> Result<&[u8], CryptoError> {
    unpad_from(data, BLOCK)
}

/// Removes padding method 2 from blocks of `block` bytes.
pub fn unpad_from(data: &[u8], block: usize) -> Result<&[u8], CryptoError> {
    let end = data
        .iter()
        .rposition(|&b| b != 0)
        .ok_or(CryptoError::BadPadding)?;
    if data[end] != 0x80 || data.len() - end > block {
        return Err(CryptoError::BadPadding);
    }
    Ok(&data[..end])
}

/// An AES key of 16, 24 or 32 bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct AesKey(Vec<u8>);

impl AesKey {
    /// `None` unless `bytes` is 16, 24 or 32 bytes long.
    pub fn new(bytes: &[u8]) -> Option<Self> {
        matches!(bytes.len(), 16 | 24 | 32).then(|| AesKey(bytes.to_vec()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// AES-CBC over whole blocks with the given IV (the caller pads).
pub fn aes_encrypt(
    key: &AesKey,
    iv: &[u8; AES_BLOCK],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    if !data.len().is_multiple_of(AES_BLOCK) {
        return Err(CryptoError::NotBlockAligned);
    }
    let key = key.as_bytes();
    Ok(match key.len() {
        16 => cbc::Encryptor::<aes::Aes128>::new_from_slices(key, iv)
            .expect("key and IV lengths checked")
            .encrypt_padded_vec::<NoPadding>(data),
        24 => cbc::Encryptor::<aes::Aes192>::new_from_slices(key, iv)
            .expect("key and IV lengths checked")
            .encrypt_padded_vec::<NoPadding>(data),
        _ => cbc::Encryptor::<aes::Aes256>::new_from_slices(key, iv)
            .expect("key and IV lengths checked")
            .encrypt_padded_vec::<NoPadding>(data),
    })
}

/// The inverse of [`aes_encrypt`].
pub fn aes_decrypt(
    key: &AesKey,
    iv: &[u8; AES_BLOCK],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    if !data.len().is_multiple_of(AES_BLOCK) {
        return Err(CryptoError::NotBlockAligned);
    }
    let key = key.as_bytes();
    let result = match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .expect("key and IV lengths checked")
            .decrypt_padded_vec::<NoPadding>(data),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
            .expect("key and IV lengths checked")
            .decrypt_padded_vec::<NoPadding>(data),
        _ => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .expect("key and IV lengths checked")
            .decrypt_padded_vec::<NoPadding>(data),
    };
    result.map_err(|_| CryptoError::NotBlockAligned)
}

/// AES-CMAC of `data` (any length), truncated to 8 bytes as ICAO 9303
/// uses it (secure messaging, PACE tokens).
pub fn cmac8(key: &AesKey, data: &[u8]) -> [u8; 8] {
    fn run<C>(key: &[u8], data: &[u8]) -> [u8; 8]
    where
        cmac::Cmac<C>: cmac::KeyInit + cmac::Mac,
        C: cmac::block_api::CmacCipher,
    {
        let mut mac =
            <cmac::Cmac<C> as cmac::KeyInit>::new_from_slice(key).expect("AES key length checked");
        cmac::Mac::update(&mut mac, data);
        let full = cmac::Mac::finalize(mac).into_bytes();
        full[..8].try_into().expect("CMAC is 16 bytes")
    }
    let key = key.as_bytes();
    match key.len() {
        16 => run::<aes::Aes128>(key, data),
        24 => run::<aes::Aes192>(key, data),
        _ => run::<aes::Aes256>(key, data),
    }
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
    fn aes_cbc_and_cmac_against_published_vectors() {
        // NIST SP 800-38A F.2.1 (CBC-AES128.Encrypt), first block.
        let key = AesKey::new(&hex("2b7e151628aed2a6abf7158809cf4f3c")).unwrap();
        let iv: [u8; 16] = hex("000102030405060708090a0b0c0d0e0f").try_into().unwrap();
        let plain = hex("6bc1bee22e409f96e93d7e117393172a");
        let cipher = aes_encrypt(&key, &iv, &plain).unwrap();
        assert_eq!(cipher, hex("7649abac8119b246cee98e9b12e9197d"));
        assert_eq!(aes_decrypt(&key, &iv, &cipher).unwrap(), plain);
        // NIST SP 800-38B D.1 (AES-128 CMAC), example 2, truncated.
        assert_eq!(cmac8(&key, &plain).to_vec(), hex("070a16b46b4d4144"));
        // D.3 (AES-256), example 1 (empty message).
        let key256 = AesKey::new(&hex(
            "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
        ))
        .unwrap();
        assert_eq!(cmac8(&key256, &[]).to_vec(), hex("028962f61b7bf89e"));
        assert!(AesKey::new(&[0; 15]).is_none());
        assert_eq!(pad_to(&[1], 16).len(), 16);
        assert_eq!(unpad_from(&pad_to(&[1, 2], 16), 16).unwrap(), &[1, 2]);
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
