//! Each curve's constants agree with each other: the generator is on the
//! curve, its order is the published n (so (n − 1)·G + G is the identity
//! and (n − 1)·G = −G), and ECDSA signatures verify under the right key
//! and message only. Signatures made by OpenSSL are checked in
//! `examgate-shared` (`chip::verify`).

use ecdsa::hazmat::{sign_prehashed, verify_prehashed};
use elliptic_curve::group::{Curve as _, Group};
use elliptic_curve::sec1::{FromSec1Point, ToSec1Point};
use elliptic_curve::{CurveArithmetic, Field, NonZeroScalar, ProjectivePoint, Scalar};
use examgate_ec_curves::{BrainpoolP224r1, BrainpoolP320r1, BrainpoolP512r1};

fn group_order_is_the_published_one<C>()
where
    C: CurveArithmetic,
{
    let generator = ProjectivePoint::<C>::generator();
    let n_minus_one = Scalar::<C>::ZERO - Scalar::<C>::ONE;
    let almost = generator * n_minus_one;
    assert!(bool::from((almost + generator).is_identity()));
    assert_eq!(almost, -generator);
    assert!(!bool::from(almost.is_identity()));
}

fn signatures_verify_only_for_their_key_and_message<C>(digest_len: usize)
where
    C: ecdsa::EcdsaCurve + CurveArithmetic,
    C::AffinePoint: FromSec1Point<C> + ToSec1Point<C>,
    elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
{
    let secret = NonZeroScalar::<C>::new(Scalar::<C>::from(0x5EC2E7u64)).unwrap();
    let nonce = NonZeroScalar::<C>::new(Scalar::<C>::from(0xC0FFEEu64)).unwrap();
    let digest: Vec<u8> = (0..digest_len).map(|i| i as u8 ^ 0xA5).collect();
    let (signature, _) = sign_prehashed::<C>(&secret, &nonce, &digest).unwrap();
    let public = ProjectivePoint::<C>::generator() * *secret;

    // Through the SEC1 encoding, as keys arrive from certificates.
    let encoded = public.to_affine().to_sec1_point(false);
    let decoded = C::AffinePoint::from_sec1_point(&encoded).unwrap();
    let public = ProjectivePoint::<C>::from(decoded);

    assert!(verify_prehashed::<C>(&public, &digest, &signature).is_ok());
    let mut other = digest.clone();
    other[0] ^= 1;
    assert!(verify_prehashed::<C>(&public, &other, &signature).is_err());
    let other_key = public + ProjectivePoint::<C>::generator();
    assert!(verify_prehashed::<C>(&other_key, &digest, &signature).is_err());
}

#[test]
fn brainpool_p224r1() {
    group_order_is_the_published_one::<BrainpoolP224r1>();
    signatures_verify_only_for_their_key_and_message::<BrainpoolP224r1>(28);
}

#[test]
fn brainpool_p320r1() {
    group_order_is_the_published_one::<BrainpoolP320r1>();
    signatures_verify_only_for_their_key_and_message::<BrainpoolP320r1>(48);
}

#[test]
fn brainpool_p512r1() {
    group_order_is_the_published_one::<BrainpoolP512r1>();
    signatures_verify_only_for_their_key_and_message::<BrainpoolP512r1>(64);
}

#[test]
fn a_point_off_the_curve_is_refused() {
    let generator = ProjectivePoint::<BrainpoolP512r1>::generator().to_affine();
    let mut encoded = generator.to_sec1_point(false).as_bytes().to_vec();
    *encoded.last_mut().unwrap() ^= 1;
    assert!(elliptic_curve::PublicKey::<BrainpoolP512r1>::from_sec1_bytes(&encoded).is_err());
}
