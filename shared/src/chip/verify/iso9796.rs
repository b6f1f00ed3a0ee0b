//! ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery,
//! the verification side, as RSA active authentication uses it.
//!
//! The chip returns Σ; the relay computes J = Σ^e mod n, which must read
//! `6A ‖ M1 ‖ H ‖ trailer` with trailer `BC` (SHA-1, implicit) or
//! `hash-id CC` (explicit). The challenge is the non-recoverable part M2,
//! and H must equal hash(M1 ‖ M2). No crate implements 9796-2, so the layout
//! is read here; the RSA operation itself is the `rsa` crate's.

use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};

use super::aa_failure::AaFailure;
use super::digest::DigestAlgorithm;

/// Header of a message representative with partial recovery
/// (`01` start bits, `1` = more data follows, then padding `1010`).
const PARTIAL_RECOVERY_HEADER: u8 = 0x6A;
/// Trailer byte for SHA-1 named implicitly.
const TRAILER_IMPLICIT_SHA1: u8 = 0xBC;
/// Last byte of a two-byte explicit trailer `hash-id CC`.
const TRAILER_EXPLICIT: u8 = 0xCC;

/// Checks that `signature` is `key`'s 9796-2 signature with recovery over
/// `challenge`; returns the hash the trailer named.
pub fn verify_with_recovery(
    key: &RsaPublicKey,
    challenge: &[u8],
    signature: &[u8],
) -> Result<DigestAlgorithm, AaFailure> {
    let modulus_len = key.size();
    if signature.is_empty() || signature.len() > modulus_len {
        return Err(AaFailure::SignatureMalformed(format!(
            "{} bytes for a {}-byte modulus",
            signature.len(),
            modulus_len
        )));
    }
    let sigma = BigUint::from_bytes_be(signature);
    if &sigma >= key.n() {
        return Err(AaFailure::SignatureInvalid);
    }
    let representative =
        rsa::hazmat::rsa_encrypt(key, &sigma).map_err(|_| AaFailure::SignatureInvalid)?;
    let direct = left_pad(&representative.to_bytes_be(), modulus_len);
    // ISO/IEC 9796-2 lets a signer send min(J^d, n − J^d); then the verifier
    // finds n − J. Try J as is, then n − J.
    if let Ok(digest) = check_representative(&direct, challenge) {
        return Ok(digest);
    }
    let complement = left_pad(&(key.n() - &representative).to_bytes_be(), modulus_len);
    check_representative(&complement, challenge)
}

fn left_pad(bytes: &[u8], len: usize) -> Vec<u8> {
    let mut padded = vec![0u8; len.saturating_sub(bytes.len())];
    padded.extend_from_slice(bytes);
    padded
}

/// Reads `6A ‖ M1 ‖ H ‖ trailer` and checks H = hash(M1 ‖ challenge).
fn check_representative(
    representative: &[u8],
    challenge: &[u8],
) -> Result<DigestAlgorithm, AaFailure> {
    let (digest, trailer_len) = match representative {
        [.., TRAILER_IMPLICIT_SHA1] => (DigestAlgorithm::Sha1, 1),
        [.., hash_id, TRAILER_EXPLICIT] => (
            DigestAlgorithm::from_iso_hash_id(*hash_id).ok_or_else(|| {
                AaFailure::UnsupportedAlgorithm(format!("9796-2 hash identifier {hash_id:02X}"))
            })?,
            2,
        ),
        _ => return Err(AaFailure::SignatureInvalid),
    };
    let hash_len = digest.output_len();
    // Header, at least one byte of M1, the hash and the trailer.
    if representative.len() < 1 + 1 + hash_len + trailer_len
        || representative[0] != PARTIAL_RECOVERY_HEADER
    {
        return Err(AaFailure::SignatureInvalid);
    }
    let hash_start = representative.len() - trailer_len - hash_len;
    let recovered_m1 = &representative[1..hash_start];
    let hash = &representative[hash_start..hash_start + hash_len];
    if digest.hash_parts(&[recovered_m1, challenge]) == hash {
        Ok(digest)
    } else {
        Err(AaFailure::SignatureInvalid)
    }
}
