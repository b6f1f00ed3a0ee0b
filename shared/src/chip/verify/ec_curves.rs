//! Which elliptic curve a public key is on, whether its parameters are a
//! named curve or spelled out explicitly.
//!
//! eMRTD keys often carry explicit domain parameters (X9.62 ECParameters)
//! instead of a curve OID; the Vietnamese CSCA does so for brainpoolP512r1.
//! We recognise such parameters by comparing them with the published ones
//! (SEC 2, RFC 5639), never by trusting an arbitrary curve.

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, BitStringRef, OctetStringRef, UintRef};
use der::{Sequence, Tag, Tagged};

use super::oids;

/// A curve we can name, and verify ECDSA signatures on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EcCurve {
    NistP224,
    NistP256,
    NistP384,
    NistP521,
    BrainpoolP224r1,
    BrainpoolP256r1,
    BrainpoolP320r1,
    BrainpoolP384r1,
    BrainpoolP512r1,
}

/// Why a key's curve is not usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurveError {
    /// The parameters are not well-formed.
    Malformed(String),
    /// Well-formed, but not a curve we know.
    Unknown(String),
}

/// Published domain parameters, big-endian hex without leading zero bytes.
struct Domain {
    prime: &'static str,
    a: &'static str,
    b: &'static str,
    /// The generator, uncompressed (`04` ‖ x ‖ y).
    generator: &'static str,
    order: &'static str,
}

/// Every curve ICAO 9303-11 (§9.4, table of standardized domain
/// parameters) lists for prime fields.
pub const ALL_CURVES: [EcCurve; 9] = [
    EcCurve::NistP224,
    EcCurve::NistP256,
    EcCurve::NistP384,
    EcCurve::NistP521,
    EcCurve::BrainpoolP224r1,
    EcCurve::BrainpoolP256r1,
    EcCurve::BrainpoolP320r1,
    EcCurve::BrainpoolP384r1,
    EcCurve::BrainpoolP512r1,
];

impl EcCurve {
    /// The usual name, e.g. `"P-256"` or `"brainpoolP256r1"`.
    pub fn name(self) -> &'static str {
        match self {
            Self::NistP224 => "P-224",
            Self::NistP256 => "P-256",
            Self::NistP384 => "P-384",
            Self::NistP521 => "P-521",
            Self::BrainpoolP224r1 => "brainpoolP224r1",
            Self::BrainpoolP256r1 => "brainpoolP256r1",
            Self::BrainpoolP320r1 => "brainpoolP320r1",
            Self::BrainpoolP384r1 => "brainpoolP384r1",
            Self::BrainpoolP512r1 => "brainpoolP512r1",
        }
    }

    /// Bytes in a field element (and, for these curves, in a scalar).
    pub fn field_len(self) -> usize {
        match self {
            Self::NistP224 | Self::BrainpoolP224r1 => 28,
            Self::NistP256 | Self::BrainpoolP256r1 => 32,
            Self::BrainpoolP320r1 => 40,
            Self::NistP384 | Self::BrainpoolP384r1 => 48,
            Self::BrainpoolP512r1 => 64,
            Self::NistP521 => 66,
        }
    }

    /// The verification curve of a PACE/CA curve (every one has one).
    pub fn of(curve: crate::chip::pace::StandardCurve) -> EcCurve {
        use crate::chip::pace::StandardCurve;
        match curve {
            StandardCurve::NistP256 => Self::NistP256,
            StandardCurve::NistP384 => Self::NistP384,
            StandardCurve::NistP521 => Self::NistP521,
            StandardCurve::BrainpoolP224r1 => Self::BrainpoolP224r1,
            StandardCurve::BrainpoolP256r1 => Self::BrainpoolP256r1,
            StandardCurve::BrainpoolP320r1 => Self::BrainpoolP320r1,
            StandardCurve::BrainpoolP384r1 => Self::BrainpoolP384r1,
            StandardCurve::BrainpoolP512r1 => Self::BrainpoolP512r1,
        }
    }

    /// The PACE/CA curve of this verification curve (P-224 has none).
    pub fn standard(self) -> Option<crate::chip::pace::StandardCurve> {
        use crate::chip::pace::StandardCurve;
        Some(match self {
            Self::NistP256 => StandardCurve::NistP256,
            Self::NistP384 => StandardCurve::NistP384,
            Self::NistP521 => StandardCurve::NistP521,
            Self::BrainpoolP224r1 => StandardCurve::BrainpoolP224r1,
            Self::BrainpoolP256r1 => StandardCurve::BrainpoolP256r1,
            Self::BrainpoolP320r1 => StandardCurve::BrainpoolP320r1,
            Self::BrainpoolP384r1 => StandardCurve::BrainpoolP384r1,
            Self::BrainpoolP512r1 => StandardCurve::BrainpoolP512r1,
            Self::NistP224 => return None,
        })
    }

    /// The curve's named-curve OID.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::NistP224 => oids::SECP_224_R_1,
            Self::NistP256 => oids::SECP_256_R_1,
            Self::NistP384 => oids::SECP_384_R_1,
            Self::NistP521 => oids::SECP_521_R_1,
            Self::BrainpoolP224r1 => oids::BRAINPOOL_P224_R1,
            Self::BrainpoolP256r1 => oids::BRAINPOOL_P256_R1,
            Self::BrainpoolP320r1 => oids::BRAINPOOL_P320_R1,
            Self::BrainpoolP384r1 => oids::BRAINPOOL_P384_R1,
            Self::BrainpoolP512r1 => oids::BRAINPOOL_P512_R1,
        }
    }

    fn domain(self) -> Domain {
        match self {
            Self::NistP224 => Domain {
                prime: "ffffffffffffffffffffffffffffffff000000000000000000000001",
                a: "fffffffffffffffffffffffffffffffefffffffffffffffffffffffe",
                b: "b4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4",
                generator: "04b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21\
                            bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34",
                order: "ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d",
            },
            Self::NistP256 => Domain {
                prime: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
                a: "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
                b: "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
                generator: "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296\
                            4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
                order: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
            },
            Self::NistP384 => Domain {
                prime: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe\
                        ffffffff0000000000000000ffffffff",
                a: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe\
                    ffffffff0000000000000000fffffffc",
                b: "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875a\
                    c656398d8a2ed19d2a85c8edd3ec2aef",
                generator: "04aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38\
                            5502f25dbf55296c3a545e3872760ab73617de4a96262c6f5d9e98bf9292dc29f8\
                            f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
                order: "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf\
                        581a0db248b0a77aecec196accc52973",
            },
            Self::NistP521 => Domain {
                prime: "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\
                        ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\
                        ffff",
                a: "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\
                    ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\
                    fffc",
                b: "51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109\
                    e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f\
                    00",
                generator: "0400c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d\
                            3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd\
                            66011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e\
                            662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd166\
                            50",
                order: "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\
                        fffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e9138\
                        6409",
            },
            Self::BrainpoolP256r1 => Domain {
                prime: "a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377",
                a: "7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9",
                b: "26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6",
                generator: "048bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262\
                            547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997",
                order: "a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7",
            },
            Self::BrainpoolP224r1 => Domain {
                prime: "d7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff",
                a: "68a5e62ca9ce6c1c299803a6c1530b514e182ad8b0042a59cad29f43",
                b: "2580f63ccfe44138870713b1a92369e33e2135d266dbb372386c400b",
                generator: "040d9029ad2c7e5cf4340823b2a87dc68c9e4ce3174c1e6efdee12c07d\
                            58aa56f772c0726f24c6b89e4ecdac24354b9e99caa3f6d3761402cd",
                order: "d7c134aa264366862a18302575d0fb98d116bc4b6ddebca3a5a7939f",
            },
            Self::BrainpoolP320r1 => Domain {
                prime: "d35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28\
                        fcd412b1f1b32e27",
                a: "3ee30b568fbab0f883ccebd46d3f3bb8a2a73513f5eb79da66190eb085ffa9f4\
                    92f375a97d860eb4",
                b: "520883949dfdbc42d3ad198640688a6fe13f41349554b49acc31dccd88453981\
                    6f5eb4ac8fb1f1a6",
                generator: "0443bd7e9afb53d8b85289bcc48ee5bfe6f20137d10a087eb6e7871e2a10a599c7\
                            10af8d0d39e2061114fdd05545ec1cc8ab4093247f77275e0743ffed117182eaa9\
                            c77877aaac6ac7d35245d1692e8ee1",
                order: "d35e472036bc4fb7e13c785ed201e065f98fcfa5b68f12a32d482ec7ee8658e9\
                        8691555b44c59311",
            },
            Self::BrainpoolP384r1 => Domain {
                prime: "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123\
                        acd3a729901d1a71874700133107ec53",
                a: "7bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f\
                    8aa5814a503ad4eb04a8c7dd22ce2826",
                b: "04a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d5\
                    7cb4390295dbc9943ab78696fa504c11",
                generator: "041d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8\
                            e826e03436d646aaef87b2e247d4af1e8abe1d7520f9c2a45cb1eb8e95cfd55262\
                            b70b29feec5864e19c054ff99129280e4646217791811142820341263c5315",
                order: "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7\
                        cf3ab6af6b7fc3103b883202e9046565",
            },
            Self::BrainpoolP512r1 => Domain {
                prime: "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330871\
                        7d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3",
                a: "7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc\
                    2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca",
                b: "3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a7\
                    2bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723",
                generator: "0481aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098e\
                            ff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f822\
                            7dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111\
                            b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892",
                order: "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870\
                        553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069",
            },
        }
    }

    /// The curve named by the `parameters` of an id-ecPublicKey
    /// AlgorithmIdentifier: a curve OID or explicit ECParameters.
    pub fn from_parameters(parameters: Option<AnyRef<'_>>) -> Result<Self, CurveError> {
        let parameters = parameters
            .ok_or_else(|| CurveError::Malformed("EC key without curve parameters".into()))?;
        match parameters.tag() {
            Tag::ObjectIdentifier => {
                let oid = parameters
                    .decode_as::<ObjectIdentifier>()
                    .map_err(|error| CurveError::Malformed(error.to_string()))?;
                ALL_CURVES
                    .into_iter()
                    .find(|curve| curve.oid() == oid)
                    .ok_or_else(|| CurveError::Unknown(format!("curve {oid}")))
            }
            Tag::Sequence => {
                let explicit = parameters
                    .decode_as::<SpecifiedEcParameters<'_>>()
                    .map_err(|error| CurveError::Malformed(error.to_string()))?;
                Self::from_explicit(&explicit)
            }
            // implicitlyCA (NULL): the curve would come from the issuer.
            other => Err(CurveError::Unknown(format!(
                "curve parameters of type {other}"
            ))),
        }
    }

    fn from_explicit(explicit: &SpecifiedEcParameters<'_>) -> Result<Self, CurveError> {
        if explicit.field_id.field_type != oids::PRIME_FIELD {
            return Err(CurveError::Unknown(format!(
                "field type {}",
                explicit.field_id.field_type
            )));
        }
        let prime = explicit
            .field_id
            .parameters
            .decode_as::<UintRef<'_>>()
            .map_err(|error| CurveError::Malformed(format!("field prime: {error}")))?;
        ALL_CURVES
            .into_iter()
            .find(|curve| {
                let domain = curve.domain();
                same_integer(prime.as_bytes(), &hex(domain.prime))
                    && same_integer(explicit.curve.a.as_bytes(), &hex(domain.a))
                    && same_integer(explicit.curve.b.as_bytes(), &hex(domain.b))
                    && same_integer(explicit.order.as_bytes(), &hex(domain.order))
                    && same_generator(explicit.base.as_bytes(), &hex(domain.generator))
            })
            .ok_or_else(|| CurveError::Unknown("explicit parameters of an unknown curve".into()))
    }
}

/// X9.62 SpecifiedECDomain (the explicit form of ECParameters).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SpecifiedEcParameters<'a> {
    version: u8,
    field_id: FieldId<'a>,
    curve: CurveCoefficients<'a>,
    base: OctetStringRef<'a>,
    order: UintRef<'a>,
    #[asn1(optional = "true")]
    cofactor: Option<UintRef<'a>>,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct FieldId<'a> {
    field_type: ObjectIdentifier,
    parameters: AnyRef<'a>,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct CurveCoefficients<'a> {
    a: OctetStringRef<'a>,
    b: OctetStringRef<'a>,
    #[asn1(optional = "true")]
    seed: Option<BitStringRef<'a>>,
}

/// Whether two big-endian integers are equal, ignoring leading zero bytes
/// (field elements are fixed-width octet strings, INTEGERs are minimal).
fn same_integer(left: &[u8], right: &[u8]) -> bool {
    strip_leading_zeros(left) == strip_leading_zeros(right)
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&byte| byte != 0)
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// Whether an encoded generator (uncompressed, or compressed `02`/`03` ‖ x)
/// is the published one.
fn same_generator(encoded: &[u8], published_uncompressed: &[u8]) -> bool {
    let coordinate_len = (published_uncompressed.len() - 1) / 2;
    let x = &published_uncompressed[1..1 + coordinate_len];
    let y = &published_uncompressed[1 + coordinate_len..];
    match encoded.first() {
        Some(0x04) => encoded == published_uncompressed,
        Some(&prefix @ (0x02 | 0x03)) => {
            let y_is_odd = y.last().is_some_and(|byte| byte & 1 == 1);
            encoded[1..] == *x && (prefix == 0x03) == y_is_odd
        }
        _ => false,
    }
}

/// Decodes the hex constants above (they are fixed, so a bad digit is a
/// programming error caught by the unit tests, and maps to no match).
fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|byte| !byte.is_ascii_whitespace())
        .collect();
    digits
        .chunks(2)
        .map(|pair| {
            let high = (pair[0] as char).to_digit(16).unwrap_or(0);
            let low = pair
                .get(1)
                .and_then(|&d| (d as char).to_digit(16))
                .unwrap_or(0);
            (high * 16 + low) as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use elliptic_curve::group::prime::PrimeCurveAffine;
    use elliptic_curve::sec1::ToEncodedPoint;
    use elliptic_curve::{Curve, CurveArithmetic};

    fn generator_of<C>() -> Vec<u8>
    where
        C: CurveArithmetic,
        C::AffinePoint: ToEncodedPoint<C> + PrimeCurveAffine,
        elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
    {
        C::AffinePoint::generator()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec()
    }

    fn order_of<C: Curve>() -> Vec<u8>
    where
        C::Uint: elliptic_curve::bigint::ArrayEncoding,
    {
        use elliptic_curve::bigint::ArrayEncoding;
        C::ORDER.to_be_byte_array().to_vec()
    }

    /// A generator through the 0.14 line's API (brainpool, P-521).
    fn brainpool_generator_of<C>() -> Vec<u8>
    where
        C: brainpool_ecdsa::elliptic_curve::CurveArithmetic,
        C::AffinePoint: brainpool_ecdsa::elliptic_curve::sec1::ToSec1Point<C>,
        brainpool_ecdsa::elliptic_curve::FieldBytesSize<C>:
            brainpool_ecdsa::elliptic_curve::sec1::ModulusSize,
    {
        use brainpool_ecdsa::elliptic_curve::group::{Curve, Group};
        use brainpool_ecdsa::elliptic_curve::sec1::ToSec1Point;
        C::ProjectivePoint::generator()
            .to_affine()
            .to_sec1_point(false)
            .as_bytes()
            .to_vec()
    }

    /// The hand-kept table agrees with the curve crates that do the
    /// arithmetic, so explicit parameters map to the right implementation.
    #[test]
    fn domain_table_matches_curve_crates() {
        use examgate_ec_curves as extra;
        let cases: [(EcCurve, Vec<u8>); 9] = [
            (EcCurve::NistP224, generator_of::<p224::NistP224>()),
            (
                EcCurve::NistP256,
                brainpool_generator_of::<p256::NistP256>(),
            ),
            (
                EcCurve::NistP384,
                brainpool_generator_of::<p384::NistP384>(),
            ),
            (
                EcCurve::NistP521,
                brainpool_generator_of::<p521::NistP521>(),
            ),
            (
                EcCurve::BrainpoolP224r1,
                brainpool_generator_of::<extra::BrainpoolP224r1>(),
            ),
            (
                EcCurve::BrainpoolP256r1,
                brainpool_generator_of::<bp256::BrainpoolP256r1>(),
            ),
            (
                EcCurve::BrainpoolP320r1,
                brainpool_generator_of::<extra::BrainpoolP320r1>(),
            ),
            (
                EcCurve::BrainpoolP384r1,
                brainpool_generator_of::<bp384::BrainpoolP384r1>(),
            ),
            (
                EcCurve::BrainpoolP512r1,
                brainpool_generator_of::<extra::BrainpoolP512r1>(),
            ),
        ];
        assert_eq!(cases.len(), ALL_CURVES.len());
        for (curve, generator) in cases {
            let domain = curve.domain();
            assert_eq!(hex(domain.generator), generator, "{}", curve.name());
            assert_eq!(hex(domain.prime).len(), curve.field_len());
        }
        assert!(same_integer(
            &hex(EcCurve::NistP224.domain().order),
            &order_of::<p224::NistP224>()
        ));
    }

    #[test]
    fn every_table_entry_is_well_formed() {
        for curve in ALL_CURVES {
            let domain = curve.domain();
            let field = hex(domain.prime).len();
            assert_eq!(
                hex(domain.generator).len(),
                1 + 2 * field,
                "{}",
                curve.name()
            );
            assert_eq!(hex(domain.generator)[0], 4);
            assert!(hex(domain.order).len() <= field);
        }
    }

    #[test]
    fn compressed_generator_matches_with_the_right_parity() {
        let published = hex(EcCurve::NistP256.domain().generator);
        let mut compressed = vec![0x02];
        compressed.extend_from_slice(&published[1..33]);
        // P-256's generator y ends in 0xf5: odd, so the prefix must be 03.
        assert!(!same_generator(&compressed, &published));
        compressed[0] = 0x03;
        assert!(same_generator(&compressed, &published));
    }
}
