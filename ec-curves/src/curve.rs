//! One macro that turns a curve's published domain parameters into an
//! `elliptic_curve` curve with `primeorder` arithmetic and ECDSA support,
//! and its three uses. The constants are RFC 5639 §3 (checked against
//! `openssl ecparam -param_enc explicit`).
//!
//! `multiplicative_generator` is the smallest quadratic non-residue of the
//! modulus. `ff::PrimeField` asks for a generator of the whole
//! multiplicative group, which would need p − 1 factored; a non-residue is
//! what square roots (point decompression) rely on, and ECDSA verification
//! uses neither.

macro_rules! brainpool_curve {
    (
        module: $module:ident,
        curve: $curve:ident,
        doc: $doc:expr,
        oid: $oid:expr,
        uint: $uint:ident,
        bytes: $bytes:ident,
        p: $p:expr,
        p_generator: $p_generator:expr,
        n: $n:expr,
        n_generator: $n_generator:expr,
        a: $a:expr,
        b: $b:expr,
        gx: $gx:expr,
        gy: $gy:expr $(,)?
    ) => {
        // The primefield macros call crypto-bigint's `bits`, deprecated
        // upstream in favour of `bit_width`.
        #[allow(deprecated)]
        mod $module {
            use elliptic_curve::bigint::{Odd, $uint};
            use elliptic_curve::consts::$bytes;
            use elliptic_curve::ff::PrimeField;
            use elliptic_curve::scalar::{FromUintUnchecked, IsHigh};
            use elliptic_curve::subtle::{Choice, ConstantTimeGreater};
            use elliptic_curve::{CurveArithmetic, PrimeCurveArithmetic, hazmat::FieldArithmetic};
            use primeorder::{PrimeCurveParams, mul_backend, point_arithmetic};

            const P_HEX: &str = $p;
            const N_HEX: &str = $n;
            const ORDER: Odd<$uint> = Odd::<$uint>::from_be_hex(N_HEX);

            #[doc = $doc]
            #[derive(Copy, Clone, Debug, Default, Eq, PartialEq, PartialOrd, Ord)]
            pub struct $curve;

            impl $curve {
                /// The curve's object identifier (RFC 5639 §4.1).
                pub const OID: &'static str = $oid;
            }

            impl elliptic_curve::Curve for $curve {
                type FieldBytesSize = $bytes;
                type Uint = $uint;
                const ORDER: Odd<$uint> = ORDER;
            }

            impl elliptic_curve::PrimeCurve for $curve {}

            impl elliptic_curve::point::PointCompression for $curve {
                const COMPRESS_POINTS: bool = false;
            }

            mod field {
                use elliptic_curve::bigint::$uint;
                #[allow(unused_imports)]
                use elliptic_curve::ff::PrimeField;
                use elliptic_curve::subtle::{Choice, ConstantTimeEq, CtOption};

                primefield::monty_field_params! {
                    name: FieldParams,
                    modulus: super::P_HEX,
                    uint: $uint,
                    byte_order: primefield::ByteOrder::BigEndian,
                    multiplicative_generator: $p_generator,
                    doc: "Montgomery parameters of the base field"
                }

                primefield::monty_field_element! {
                    name: FieldElement,
                    params: FieldParams,
                    uint: $uint,
                    doc: "An element of the base field"
                }

                primefield::monty_field_arithmetic! {
                    name: FieldElement,
                    params: FieldParams,
                    uint: $uint
                }
            }

            mod scalar {
                use elliptic_curve::bigint::$uint;
                #[allow(unused_imports)]
                use elliptic_curve::ff::PrimeField;
                use elliptic_curve::subtle::{Choice, ConstantTimeEq, CtOption};

                primefield::monty_field_params! {
                    name: ScalarParams,
                    modulus: super::N_HEX,
                    uint: $uint,
                    byte_order: primefield::ByteOrder::BigEndian,
                    multiplicative_generator: $n_generator,
                    doc: "Montgomery parameters of the scalar field"
                }

                primefield::monty_field_element! {
                    name: Scalar,
                    params: ScalarParams,
                    uint: $uint,
                    doc: "An element of the scalar field (integers modulo the order)"
                }

                primefield::monty_field_arithmetic! {
                    name: Scalar,
                    params: ScalarParams,
                    uint: $uint
                }

                // primefield's `monty_field_reduce!` assumes the byte
                // encoding is as wide as the integer; with padded integers
                // (224 and 320 bits) it is not, so the bytes are padded here.
                type Inner = primefield::MontyFieldElement<ScalarParams, { ScalarParams::LIMBS }>;

                impl elliptic_curve::bigint::Reduce<$uint> for Scalar {
                    fn reduce(w: &$uint) -> Self {
                        Self(<Inner as elliptic_curve::bigint::Reduce<$uint>>::reduce(w))
                    }
                }

                impl
                    elliptic_curve::bigint::Reduce<
                        primefield::MontyFieldBytes<ScalarParams, { ScalarParams::LIMBS }>,
                    > for Scalar
                {
                    fn reduce(
                        bytes: &primefield::MontyFieldBytes<ScalarParams, { ScalarParams::LIMBS }>,
                    ) -> Self {
                        let mut padded = [0u8; <$uint>::BYTES];
                        padded[<$uint>::BYTES - bytes.len()..].copy_from_slice(bytes);
                        <Self as elliptic_curve::bigint::Reduce<$uint>>::reduce(
                            &<$uint>::from_be_slice(&padded),
                        )
                    }
                }

                impl Scalar {
                    pub(super) const fn from_uint_unchecked_pub(w: $uint) -> Self {
                        Self::from_uint_unchecked(w)
                    }
                }
            }

            pub use field::FieldElement;

            impl elliptic_curve::ops::BatchInvert for FieldElement {}
            pub use scalar::Scalar;

            elliptic_curve::scalar_impls!($curve, Scalar);
            primeorder::wnaf::impl_wnaf_size_for_scalar!(Scalar);

            impl AsRef<Scalar> for Scalar {
                fn as_ref(&self) -> &Scalar {
                    self
                }
            }

            impl FromUintUnchecked for Scalar {
                type Uint = $uint;

                fn from_uint_unchecked(uint: Self::Uint) -> Self {
                    Self::from_uint_unchecked_pub(uint)
                }
            }

            impl IsHigh for Scalar {
                fn is_high(&self) -> Choice {
                    const HALF_ORDER: $uint = ORDER.as_ref().shr_vartime(1);
                    self.to_canonical().ct_gt(&HALF_ORDER)
                }
            }

            impl CurveArithmetic for $curve {
                type AffinePoint = primeorder::AffinePoint<$curve>;
                type ProjectivePoint = primeorder::ProjectivePoint<$curve>;
                type Scalar = Scalar;
            }

            impl FieldArithmetic for $curve {
                type FieldElement = FieldElement;
            }

            impl PrimeCurveArithmetic for $curve {
                type CurveGroup = primeorder::ProjectivePoint<$curve>;
            }

            impl PrimeCurveParams for $curve {
                type PointArithmetic = point_arithmetic::EquationAIsGeneric;
                type Backend = mul_backend::VariableOnly;

                const EQUATION_A: FieldElement = FieldElement::from_hex_vartime($a);
                const EQUATION_B: FieldElement = FieldElement::from_hex_vartime($b);
                const GENERATOR: (FieldElement, FieldElement) = (
                    FieldElement::from_hex_vartime($gx),
                    FieldElement::from_hex_vartime($gy),
                );
            }

            #[cfg(feature = "ecdsa")]
            impl ecdsa::EcdsaCurve for $curve {
                const NORMALIZE_S: bool = false;
            }
        }

        pub use $module::$curve;
    };
}

brainpool_curve! {
    module: p224,
    curve: BrainpoolP224r1,
    doc: "brainpoolP224r1 (RFC 5639 §3.3)",
    oid: "1.3.36.3.3.2.8.1.1.5",
    // U224 exists only on 32-bit targets; U256 with zero-padded moduli
    // works on every target (the 28-byte encoding comes from the modulus).
    uint: U256,
    bytes: U28,
    p: "00000000d7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff",
    p_generator: 3,
    n: "00000000d7c134aa264366862a18302575d0fb98d116bc4b6ddebca3a5a7939f",
    n_generator: 3,
    a: "68a5e62ca9ce6c1c299803a6c1530b514e182ad8b0042a59cad29f43",
    b: "2580f63ccfe44138870713b1a92369e33e2135d266dbb372386c400b",
    gx: "0d9029ad2c7e5cf4340823b2a87dc68c9e4ce3174c1e6efdee12c07d",
    gy: "58aa56f772c0726f24c6b89e4ecdac24354b9e99caa3f6d3761402cd",
}

brainpool_curve! {
    module: p320,
    curve: BrainpoolP320r1,
    doc: "brainpoolP320r1 (RFC 5639 §3.5)",
    oid: "1.3.36.3.3.2.8.1.1.9",
    // No U320 has the byte-array encoding elliptic-curve needs: U384 with
    // zero-padded moduli, as for brainpoolP224r1.
    uint: U384,
    bytes: U40,
    p: "0000000000000000d35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28fcd412b1f1b32e27",
    p_generator: 5,
    n: "0000000000000000d35e472036bc4fb7e13c785ed201e065f98fcfa5b68f12a32d482ec7ee8658e98691555b44c59311",
    n_generator: 3,
    a: "3ee30b568fbab0f883ccebd46d3f3bb8a2a73513f5eb79da66190eb085ffa9f492f375a97d860eb4",
    b: "520883949dfdbc42d3ad198640688a6fe13f41349554b49acc31dccd884539816f5eb4ac8fb1f1a6",
    gx: "43bd7e9afb53d8b85289bcc48ee5bfe6f20137d10a087eb6e7871e2a10a599c710af8d0d39e20611",
    gy: "14fdd05545ec1cc8ab4093247f77275e0743ffed117182eaa9c77877aaac6ac7d35245d1692e8ee1",
}

brainpool_curve! {
    module: p512,
    curve: BrainpoolP512r1,
    doc: "brainpoolP512r1 (RFC 5639 §3.7)",
    oid: "1.3.36.3.3.2.8.1.1.13",
    uint: U512,
    bytes: U64,
    p: "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca703308717d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3",
    p_generator: 2,
    n: "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069",
    n_generator: 7,
    a: "7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca",
    b: "3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723",
    gx: "81aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098eff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f822",
    gy: "7dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892",
}
