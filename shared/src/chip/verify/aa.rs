//! Active authentication: the chip proves it holds the private key whose
//! public key is in DG15 by signing the relay's fresh 8-byte challenge
//! (ICAO 9303-11 §6.1). A copied data dump cannot do this.

use der::Decode;
use spki::SubjectPublicKeyInfoOwned;

use super::aa_failure::AaFailure;
use super::digest::DigestAlgorithm;
use super::ecdsa_verify::{EcdsaEncoding, verify_ecdsa};
use super::iso9796::verify_with_recovery;
use super::oids;
use super::security_infos::active_authentication_algorithm;
use super::signature::{PublicKey, SignatureError};
use crate::chip::tlv;

/// DG15's tag: application 15, constructed.
pub const DG15_TAG: u32 = 0x6F;

/// The scheme a successful active authentication used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AaAlgorithm {
    /// ISO/IEC 9796-2 scheme 1 with an RSA key of `bits` bits.
    Rsa9796 { bits: usize },
    /// Plain ECDSA on `curve` (e.g. `"P-256"`).
    Ecdsa { curve: &'static str },
}

/// Checks the chip's answer `signature` to `challenge`.
///
/// `dg15` is the whole DG15 file (tag `6F` wrapping a
/// SubjectPublicKeyInfo); `dg14`, when read, names the ECDSA hash
/// (SHA-256 when DG14 or its ActiveAuthenticationInfo is absent).
/// This proves possession of DG15's key only: call the chip genuine only if
/// passive authentication also passed with DG15 (and DG14) in the SOD.
pub fn active_auth(
    dg15: &[u8],
    dg14: Option<&[u8]>,
    challenge: &[u8; 8],
    signature: &[u8],
) -> Result<AaAlgorithm, AaFailure> {
    let spki = read_dg15(dg15)?;
    let key = PublicKey::from_spki(&spki).map_err(|error| match error {
        SignatureError::Unsupported(detail) => AaFailure::UnsupportedKey(detail),
        SignatureError::KeyMalformed(detail) | SignatureError::Malformed(detail) => {
            AaFailure::KeyMalformed(detail)
        }
        SignatureError::Invalid => AaFailure::KeyMalformed("unusable public key".into()),
    })?;
    match key {
        PublicKey::Rsa(key) => {
            verify_with_recovery(&key, challenge, signature)?;
            Ok(AaAlgorithm::Rsa9796 {
                bits: rsa::traits::PublicKeyParts::n(&key).bits(),
            })
        }
        PublicKey::Ec { curve, point } => {
            let digest = ecdsa_digest(dg14)?;
            verify_ecdsa(
                curve,
                &point,
                &digest.hash(challenge),
                signature,
                EcdsaEncoding::Plain,
            )
            .map_err(|error| match error {
                SignatureError::Invalid => AaFailure::SignatureInvalid,
                SignatureError::Malformed(detail) => AaFailure::SignatureMalformed(detail),
                SignatureError::KeyMalformed(detail) => AaFailure::KeyMalformed(detail),
                SignatureError::Unsupported(detail) => AaFailure::UnsupportedKey(detail),
            })?;
            Ok(AaAlgorithm::Ecdsa {
                curve: curve.name(),
            })
        }
    }
}

fn read_dg15(dg15: &[u8]) -> Result<SubjectPublicKeyInfoOwned, AaFailure> {
    let (file, _rest) =
        tlv::read(dg15).map_err(|error| AaFailure::KeyMalformed(error.to_string()))?;
    if file.tag != DG15_TAG {
        return Err(AaFailure::KeyMalformed(format!(
            "tag {:X} is not DG15 (6F)",
            file.tag
        )));
    }
    SubjectPublicKeyInfoOwned::from_der(file.value)
        .map_err(|error| AaFailure::KeyMalformed(format!("SubjectPublicKeyInfo: {error}")))
}

/// The hash DG14's ActiveAuthenticationInfo names; SHA-256 by default.
fn ecdsa_digest(dg14: Option<&[u8]>) -> Result<DigestAlgorithm, AaFailure> {
    let Some(dg14) = dg14 else {
        return Ok(DigestAlgorithm::Sha256);
    };
    let Some(algorithm) =
        active_authentication_algorithm(dg14).map_err(AaFailure::Dg14Malformed)?
    else {
        return Ok(DigestAlgorithm::Sha256);
    };
    Ok(match algorithm {
        oids::ECDSA_PLAIN_SHA_1 => DigestAlgorithm::Sha1,
        oids::ECDSA_PLAIN_SHA_224 => DigestAlgorithm::Sha224,
        oids::ECDSA_PLAIN_SHA_256 => DigestAlgorithm::Sha256,
        oids::ECDSA_PLAIN_SHA_384 => DigestAlgorithm::Sha384,
        oids::ECDSA_PLAIN_SHA_512 => DigestAlgorithm::Sha512,
        other => {
            return Err(AaFailure::UnsupportedAlgorithm(format!(
                "AA signature algorithm {other}"
            )));
        }
    })
}
