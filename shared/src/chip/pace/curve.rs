//! The elliptic-curve groups PACE and Chip Authentication run on, named by
//! their ICAO standardized domain-parameter ids (ICAO 9303-11 §9.5.1), and
//! the few operations the protocols need, on SEC1-encoded points and
//! big-endian scalars so that the protocol code above stays free of
//! generics.
//!
//! The arithmetic is RustCrypto's (`p256`, `p384`, `p521`, `bp256`,
//! `bp384` 0.14, and brainpoolP224r1/P320r1/P512r1 from
//! `examgate-ec-curves`). P-224 (id 10) has no finished 0.14 crate and the
//! 192-bit curves (ids 8, 9) are below what any CCCD uses; they are refused
//! by name.

use examgate_ec_curves::elliptic_curve::ff::{Field, PrimeField};
use examgate_ec_curves::elliptic_curve::group::{Curve as _, Group};
use examgate_ec_curves::elliptic_curve::sec1::{
    FromSec1Point, ModulusSize, Sec1Point, ToSec1Point,
};
use examgate_ec_curves::elliptic_curve::{
    AffinePoint, CurveArithmetic, FieldBytes, FieldBytesSize, ProjectivePoint, Scalar,
};
use thiserror::Error;

/// A standardized elliptic-curve group for PACE / CA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandardCurve {
    BrainpoolP224r1,
    NistP256,
    BrainpoolP256r1,
    BrainpoolP320r1,
    NistP384,
    BrainpoolP384r1,
    BrainpoolP512r1,
    NistP521,
}

/// Why a point or scalar was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CurveError {
    #[error("domain parameter id {0} is not supported")]
    UnsupportedParameters(u8),
    #[error("not a point on {0}")]
    NotOnCurve(&'static str),
    #[error("the point at infinity on {0}")]
    Identity(&'static str),
    #[error("a scalar out of range for {0}")]
    BadScalar(&'static str),
}

impl StandardCurve {
    /// Every group here, for tests.
    pub const ALL: [StandardCurve; 8] = [
        StandardCurve::BrainpoolP224r1,
        StandardCurve::NistP256,
        StandardCurve::BrainpoolP256r1,
        StandardCurve::BrainpoolP320r1,
        StandardCurve::NistP384,
        StandardCurve::BrainpoolP384r1,
        StandardCurve::BrainpoolP512r1,
        StandardCurve::NistP521,
    ];

    /// The group of a standardized domain-parameter id (ICAO 9303-11
    /// table 10).
    pub fn from_parameter_id(id: u8) -> Result<Self, CurveError> {
        Ok(match id {
            11 => Self::BrainpoolP224r1,
            12 => Self::NistP256,
            13 => Self::BrainpoolP256r1,
            14 => Self::BrainpoolP320r1,
            15 => Self::NistP384,
            16 => Self::BrainpoolP384r1,
            17 => Self::BrainpoolP512r1,
            18 => Self::NistP521,
            other => return Err(CurveError::UnsupportedParameters(other)),
        })
    }

    pub fn parameter_id(self) -> u8 {
        match self {
            Self::BrainpoolP224r1 => 11,
            Self::NistP256 => 12,
            Self::BrainpoolP256r1 => 13,
            Self::BrainpoolP320r1 => 14,
            Self::NistP384 => 15,
            Self::BrainpoolP384r1 => 16,
            Self::BrainpoolP512r1 => 17,
            Self::NistP521 => 18,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::BrainpoolP224r1 => "brainpoolP224r1",
            Self::NistP256 => "P-256",
            Self::BrainpoolP256r1 => "brainpoolP256r1",
            Self::BrainpoolP320r1 => "brainpoolP320r1",
            Self::NistP384 => "P-384",
            Self::BrainpoolP384r1 => "brainpoolP384r1",
            Self::BrainpoolP512r1 => "brainpoolP512r1",
            Self::NistP521 => "P-521",
        }
    }

    /// Bytes of a field element and of a scalar.
    pub fn field_len(self) -> usize {
        match self {
            Self::BrainpoolP224r1 => 28,
            Self::NistP256 | Self::BrainpoolP256r1 => 32,
            Self::BrainpoolP320r1 => 40,
            Self::NistP384 | Self::BrainpoolP384r1 => 48,
            Self::BrainpoolP512r1 => 64,
            Self::NistP521 => 66,
        }
    }

    /// A secret scalar in `[1, n)` from a stream of random bytes (rejection
    /// sampling: no bias, whatever the order's size).
    pub fn random_scalar(self, mut random: impl FnMut(&mut [u8])) -> Vec<u8> {
        let mut bytes = vec![0u8; self.field_len()];
        loop {
            random(&mut bytes);
            if self == Self::NistP521 {
                // 521 bits in 66 bytes: keep the top byte's lowest bit only.
                bytes[0] &= 0x01;
            }
            if self.is_scalar(&bytes) {
                return bytes;
            }
        }
    }

    /// Whether `bytes` (big-endian, field length) is a scalar in `[1, n)`.
    pub fn is_scalar(self, bytes: &[u8]) -> bool {
        dispatch!(self, is_scalar_on(bytes))
    }

    /// `k·G` with the curve's own generator.
    pub fn public_key(self, secret: &[u8]) -> Result<Vec<u8>, CurveError> {
        dispatch!(self, mul_generator_on(secret, self.name()))
    }

    /// `k·P` for a point from the other side, which must be on the curve
    /// and not the identity (a small-subgroup or invalid-curve point would
    /// leak the secret).
    pub fn multiply(self, point: &[u8], secret: &[u8]) -> Result<Vec<u8>, CurveError> {
        dispatch!(self, mul_on(point, secret, self.name()))
    }

    /// `s·G + H`: PACE's generic mapping of the nonce `s` (any length up to
    /// the field's, big-endian) with the shared point `H`.
    pub fn map_generator(self, nonce: &[u8], shared: &[u8]) -> Result<Vec<u8>, CurveError> {
        dispatch!(self, map_on(nonce, shared, self.name()))
    }

    /// The x-coordinate of an encoded point (ECDH's shared secret).
    pub fn x_coordinate(self, point: &[u8]) -> Vec<u8> {
        point[1..1 + self.field_len()].to_vec()
    }
}

/// Calls `$function::<Curve>($args)` for the curve `$curve` names.
macro_rules! dispatch {
    ($curve:expr, $function:ident($($arg:expr),*)) => {
        match $curve {
            StandardCurve::BrainpoolP224r1 => {
                $function::<examgate_ec_curves::BrainpoolP224r1>($($arg),*)
            }
            StandardCurve::NistP256 => $function::<p256::NistP256>($($arg),*),
            StandardCurve::BrainpoolP256r1 => $function::<bp256::BrainpoolP256r1>($($arg),*),
            StandardCurve::BrainpoolP320r1 => {
                $function::<examgate_ec_curves::BrainpoolP320r1>($($arg),*)
            }
            StandardCurve::NistP384 => $function::<p384::NistP384>($($arg),*),
            StandardCurve::BrainpoolP384r1 => $function::<bp384::BrainpoolP384r1>($($arg),*),
            StandardCurve::BrainpoolP512r1 => {
                $function::<examgate_ec_curves::BrainpoolP512r1>($($arg),*)
            }
            StandardCurve::NistP521 => $function::<p521::NistP521>($($arg),*),
        }
    };
}
use dispatch;

fn scalar<C: CurveArithmetic>(bytes: &[u8], name: &'static str) -> Result<Scalar<C>, CurveError> {
    let mut repr = FieldBytes::<C>::default();
    if bytes.len() > repr.len() {
        return Err(CurveError::BadScalar(name));
    }
    let at = repr.len() - bytes.len();
    repr[at..].copy_from_slice(bytes);
    Option::from(Scalar::<C>::from_repr(repr)).ok_or(CurveError::BadScalar(name))
}

fn is_scalar_on<C: CurveArithmetic>(bytes: &[u8]) -> bool {
    scalar::<C>(bytes, "").is_ok_and(|k| !bool::from(k.is_zero()))
}

fn point<C>(bytes: &[u8], name: &'static str) -> Result<ProjectivePoint<C>, CurveError>
where
    C: CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let encoded = Sec1Point::<C>::from_bytes(bytes).map_err(|_| CurveError::NotOnCurve(name))?;
    let affine: Option<AffinePoint<C>> = AffinePoint::<C>::from_sec1_point(&encoded).into();
    let point = ProjectivePoint::<C>::from(affine.ok_or(CurveError::NotOnCurve(name))?);
    if bool::from(point.is_identity()) {
        return Err(CurveError::Identity(name));
    }
    Ok(point)
}

fn encode<C>(point: ProjectivePoint<C>, name: &'static str) -> Result<Vec<u8>, CurveError>
where
    C: CurveArithmetic,
    AffinePoint<C>: ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    if bool::from(point.is_identity()) {
        return Err(CurveError::Identity(name));
    }
    Ok(point.to_affine().to_sec1_point(false).as_bytes().to_vec())
}

fn mul_generator_on<C>(secret: &[u8], name: &'static str) -> Result<Vec<u8>, CurveError>
where
    C: CurveArithmetic,
    AffinePoint<C>: ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    encode::<C>(
        ProjectivePoint::<C>::generator() * scalar::<C>(secret, name)?,
        name,
    )
}

fn mul_on<C>(peer: &[u8], secret: &[u8], name: &'static str) -> Result<Vec<u8>, CurveError>
where
    C: CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    encode::<C>(point::<C>(peer, name)? * scalar::<C>(secret, name)?, name)
}

fn map_on<C>(nonce: &[u8], shared: &[u8], name: &'static str) -> Result<Vec<u8>, CurveError>
where
    C: CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let mapped =
        ProjectivePoint::<C>::generator() * scalar::<C>(nonce, name)? + point::<C>(shared, name)?;
    encode::<C>(mapped, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffie_hellman_agrees_on_every_curve() {
        let mut counter = 0u8;
        let mut random = |out: &mut [u8]| {
            for byte in out.iter_mut() {
                counter = counter.wrapping_mul(31).wrapping_add(7);
                *byte = counter;
            }
        };
        for curve in StandardCurve::ALL {
            let a = curve.random_scalar(&mut random);
            let b = curve.random_scalar(&mut random);
            let (big_a, big_b) = (curve.public_key(&a).unwrap(), curve.public_key(&b).unwrap());
            assert_eq!(big_a.len(), 1 + 2 * curve.field_len(), "{}", curve.name());
            assert_eq!(
                curve.multiply(&big_b, &a).unwrap(),
                curve.multiply(&big_a, &b).unwrap(),
                "{}",
                curve.name()
            );
            assert_eq!(
                StandardCurve::from_parameter_id(curve.parameter_id()),
                Ok(curve)
            );
            // A point off the curve is refused, not multiplied.
            let mut off = big_a.clone();
            *off.last_mut().unwrap() ^= 1;
            assert_eq!(
                curve.multiply(&off, &a),
                Err(CurveError::NotOnCurve(curve.name()))
            );
        }
        assert_eq!(
            StandardCurve::from_parameter_id(10),
            Err(CurveError::UnsupportedParameters(10))
        );
    }
}
