//! ECDSA verification on the curves eMRTDs use, over a precomputed hash.
//!
//! Two lines of RustCrypto's curve stack serve, each with its own `ecdsa`:
//! - 0.17 (elliptic-curve 0.14), the first line whose brainpool arithmetic
//!   is finished: `p256`, `p384`, `p521`, `bp256`, `bp384`, and
//!   brainpoolP224r1/P320r1/P512r1 from `examgate-ec-curves` (the generic
//!   `primeorder` arithmetic with the RFC 5639 constants);
//! - 0.16 (elliptic-curve 0.13) for `p224` only, whose 0.14 release is not
//!   final yet.
//!
//! Both receive the same fixed-width hash from [`digest_to_width`], so they
//! cannot drift apart on how a hash becomes a scalar.

use brainpool_ecdsa::signature::hazmat::PrehashVerifier;
use der::Decode;
use der::Sequence;
use der::asn1::UintRef;
use ecdsa::SignatureSize;
use elliptic_curve::generic_array::ArrayLength;
use elliptic_curve::sec1::{FromEncodedPoint, ModulusSize, ToEncodedPoint};
use elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytes, FieldBytesSize, PrimeCurve};

use super::ec_curves::EcCurve;
use super::signature::SignatureError;

/// How the signature bytes are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EcdsaEncoding {
    /// `SEQUENCE { r INTEGER, s INTEGER }` (X.509, CMS).
    Der,
    /// `r ‖ s`, each the width of the curve's field (BSI TR-03111; AA).
    Plain,
}

/// ECDSA-Sig-Value (RFC 3279).
#[derive(Sequence)]
struct EcdsaSigValue<'a> {
    r: UintRef<'a>,
    s: UintRef<'a>,
}

/// Verifies `signature` over `digest` with the SEC1-encoded `public_point`.
pub fn verify_ecdsa(
    curve: EcCurve,
    public_point: &[u8],
    digest: &[u8],
    signature: &[u8],
    encoding: EcdsaEncoding,
) -> Result<(), SignatureError> {
    let field_len = curve.field_len();
    let plain = match encoding {
        EcdsaEncoding::Plain => {
            if signature.len() != 2 * field_len {
                return Err(SignatureError::Malformed(format!(
                    "{} bytes, expected {} for {}",
                    signature.len(),
                    2 * field_len,
                    curve.name()
                )));
            }
            signature.to_vec()
        }
        EcdsaEncoding::Der => der_to_plain(signature, field_len)?,
    };
    use examgate_ec_curves as extra;
    match curve {
        EcCurve::NistP224 => verify_on::<p224::NistP224>(public_point, digest, &plain),
        EcCurve::NistP256 => verify_on_017::<p256::NistP256>(public_point, digest, &plain),
        EcCurve::NistP384 => verify_on_017::<p384::NistP384>(public_point, digest, &plain),
        EcCurve::NistP521 => verify_on_017::<p521::NistP521>(public_point, digest, &plain),
        EcCurve::BrainpoolP224r1 => {
            verify_on_017::<extra::BrainpoolP224r1>(public_point, digest, &plain)
        }
        EcCurve::BrainpoolP256r1 => {
            verify_on_017::<bp256::BrainpoolP256r1>(public_point, digest, &plain)
        }
        EcCurve::BrainpoolP320r1 => {
            verify_on_017::<extra::BrainpoolP320r1>(public_point, digest, &plain)
        }
        EcCurve::BrainpoolP384r1 => {
            verify_on_017::<bp384::BrainpoolP384r1>(public_point, digest, &plain)
        }
        EcCurve::BrainpoolP512r1 => {
            verify_on_017::<extra::BrainpoolP512r1>(public_point, digest, &plain)
        }
    }
}

/// Re-lays a DER ECDSA-Sig-Value as fixed-width `r ‖ s`.
fn der_to_plain(signature: &[u8], field_len: usize) -> Result<Vec<u8>, SignatureError> {
    let value = EcdsaSigValue::from_der(signature)
        .map_err(|error| SignatureError::Malformed(format!("ECDSA signature: {error}")))?;
    let mut plain = vec![0u8; 2 * field_len];
    for (half, integer) in [value.r, value.s].iter().enumerate() {
        let bytes = integer.as_bytes();
        if bytes.len() > field_len {
            // Larger than any scalar of the curve: cannot verify.
            return Err(SignatureError::Invalid);
        }
        let end = (half + 1) * field_len;
        plain[end - bytes.len()..end].copy_from_slice(bytes);
    }
    Ok(plain)
}

fn verify_on<C>(public_point: &[u8], digest: &[u8], plain: &[u8]) -> Result<(), SignatureError>
where
    C: PrimeCurve + CurveArithmetic,
    AffinePoint<C>: FromEncodedPoint<C> + ToEncodedPoint<C>,
    FieldBytesSize<C>: ModulusSize,
    SignatureSize<C>: ArrayLength<u8>,
{
    let key = elliptic_curve::PublicKey::<C>::from_sec1_bytes(public_point)
        .map_err(|_| SignatureError::KeyMalformed("EC point not on the curve".into()))?;
    // r or s zero or not below the order: no valid signature looks like that.
    let signature =
        ecdsa::Signature::<C>::from_slice(plain).map_err(|_| SignatureError::Invalid)?;
    let field = FieldBytes::<C>::clone_from_slice(&digest_to_width(digest, plain.len() / 2));
    ecdsa::hazmat::verify_prehashed::<C>(&key.to_projective(), &field, &signature)
        .map_err(|_| SignatureError::Invalid)
}

fn verify_on_017<C>(public_point: &[u8], digest: &[u8], plain: &[u8]) -> Result<(), SignatureError>
where
    C: brainpool_ecdsa::EcdsaCurve + brainpool_ecdsa::elliptic_curve::CurveArithmetic,
    brainpool_ecdsa::VerifyingKey<C>: PrehashVerifier<brainpool_ecdsa::Signature<C>>,
    brainpool_ecdsa::elliptic_curve::AffinePoint<C>:
        brainpool_ecdsa::elliptic_curve::sec1::FromSec1Point<C>
            + brainpool_ecdsa::elliptic_curve::sec1::ToSec1Point<C>,
    brainpool_ecdsa::elliptic_curve::FieldBytesSize<C>:
        brainpool_ecdsa::elliptic_curve::sec1::ModulusSize,
    brainpool_ecdsa::SignatureSize<C>: brainpool_ecdsa::elliptic_curve::array::ArraySize,
{
    let key = brainpool_ecdsa::VerifyingKey::<C>::from_sec1_bytes(public_point)
        .map_err(|_| SignatureError::KeyMalformed("EC point not on the curve".into()))?;
    let signature =
        brainpool_ecdsa::Signature::<C>::from_slice(plain).map_err(|_| SignatureError::Invalid)?;
    key.verify_prehash(&digest_to_width(digest, plain.len() / 2), &signature)
        .map_err(|_| SignatureError::Invalid)
}

/// The hash as ECDSA uses it: its leftmost bytes when longer than the
/// field (every supported curve's order fills whole bytes), left-padded with
/// zeros when shorter (e.g. SHA-1 on P-384).
fn digest_to_width(digest: &[u8], width: usize) -> Vec<u8> {
    let mut field = vec![0u8; width];
    if digest.len() >= width {
        field.copy_from_slice(&digest[..width]);
    } else {
        field[width - digest.len()..].copy_from_slice(digest);
    }
    field
}
