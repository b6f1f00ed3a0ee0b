//! Verifying an X.509 or CMS signature with a SubjectPublicKeyInfo:
//! RSA PKCS #1 v1.5, RSASSA-PSS and ECDSA, the schemes eMRTD PKIs use.

use der::{Decode, Encode};
use rsa::pkcs1::RsaPssParams;
use rsa::{BigUint, RsaPublicKey};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::digest::DigestAlgorithm;
use super::ec_curves::{CurveError, EcCurve};
use super::ecdsa_verify::{EcdsaEncoding, verify_ecdsa};
use super::oids;

/// Largest RSA modulus accepted (some CSCAs use 4096 bits; leave room).
const MAX_RSA_BITS: usize = 8192;

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// An algorithm, hash or curve we do not implement.
    Unsupported(String),
    /// The public key cannot be decoded.
    KeyMalformed(String),
    /// The signature bytes are not even shaped like a signature.
    Malformed(String),
    /// Well-formed, but not a signature of this message by this key.
    Invalid,
}

impl From<CurveError> for SignatureError {
    fn from(error: CurveError) -> Self {
        match error {
            CurveError::Malformed(detail) => Self::KeyMalformed(detail),
            CurveError::Unknown(detail) => Self::Unsupported(detail),
        }
    }
}

/// The public key inside an SPKI, decoded.
pub enum PublicKey {
    Rsa(RsaPublicKey),
    Ec { curve: EcCurve, point: Vec<u8> },
}

impl PublicKey {
    /// Decodes an RSA or EC SubjectPublicKeyInfo.
    pub fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Result<Self, SignatureError> {
        let key_bytes = spki.subject_public_key.as_bytes().ok_or_else(|| {
            SignatureError::KeyMalformed("public key bit string has unused bits".into())
        })?;
        match spki.algorithm.oid {
            oids::RSA_ENCRYPTION | oids::ID_RSASSA_PSS => Ok(Self::Rsa(rsa_key(key_bytes)?)),
            oids::ID_EC_PUBLIC_KEY => {
                let parameters = spki.algorithm.parameters.as_ref().map(Into::into);
                let curve = EcCurve::from_parameters(parameters)?;
                Ok(Self::Ec {
                    curve,
                    point: key_bytes.to_vec(),
                })
            }
            other => Err(SignatureError::Unsupported(format!(
                "public key type {other}"
            ))),
        }
    }
}

/// Decodes a PKCS #1 RSAPublicKey, allowing moduli up to [`MAX_RSA_BITS`].
pub fn rsa_key(pkcs1_der: &[u8]) -> Result<RsaPublicKey, SignatureError> {
    let key = rsa::pkcs1::RsaPublicKey::from_der(pkcs1_der)
        .map_err(|error| SignatureError::KeyMalformed(format!("RSA key: {error}")))?;
    RsaPublicKey::new_with_max_size(
        BigUint::from_bytes_be(key.modulus.as_bytes()),
        BigUint::from_bytes_be(key.public_exponent.as_bytes()),
        MAX_RSA_BITS,
    )
    .map_err(|error| SignatureError::KeyMalformed(format!("RSA key: {error}")))
}

/// Verifies `signature` over `message` with `spki` under `algorithm`.
///
/// `cms_digest` is the SignerInfo's digestAlgorithm: CMS signers may name
/// plain `rsaEncryption` as the signature algorithm and leave the hash there.
pub fn verify_signature(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    cms_digest: Option<DigestAlgorithm>,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let scheme = Scheme::from_algorithm(algorithm, cms_digest)?;
    let key = PublicKey::from_spki(spki)?;
    match (scheme, key) {
        (Scheme::RsaPkcs1v15(digest), PublicKey::Rsa(key)) => key
            .verify(digest.pkcs1v15(), &digest.hash(message), signature)
            .map_err(|_| SignatureError::Invalid),
        (Scheme::RsaPss { digest, salt_len }, PublicKey::Rsa(key)) => key
            .verify(digest.pss(salt_len), &digest.hash(message), signature)
            .map_err(|_| SignatureError::Invalid),
        (Scheme::Ecdsa(digest), PublicKey::Ec { curve, point }) => verify_ecdsa(
            curve,
            &point,
            &digest.hash(message),
            signature,
            EcdsaEncoding::Der,
        ),
        _ => Err(SignatureError::Unsupported(format!(
            "signature algorithm {} with this key type",
            algorithm.oid
        ))),
    }
}

/// A signature scheme with its parameters.
enum Scheme {
    RsaPkcs1v15(DigestAlgorithm),
    RsaPss {
        digest: DigestAlgorithm,
        salt_len: usize,
    },
    Ecdsa(DigestAlgorithm),
}

impl Scheme {
    fn from_algorithm(
        algorithm: &AlgorithmIdentifierOwned,
        cms_digest: Option<DigestAlgorithm>,
    ) -> Result<Self, SignatureError> {
        use DigestAlgorithm::*;
        Ok(match algorithm.oid {
            oids::SHA_1_WITH_RSA_ENCRYPTION => Self::RsaPkcs1v15(Sha1),
            oids::SHA_224_WITH_RSA_ENCRYPTION => Self::RsaPkcs1v15(Sha224),
            oids::SHA_256_WITH_RSA_ENCRYPTION => Self::RsaPkcs1v15(Sha256),
            oids::SHA_384_WITH_RSA_ENCRYPTION => Self::RsaPkcs1v15(Sha384),
            oids::SHA_512_WITH_RSA_ENCRYPTION => Self::RsaPkcs1v15(Sha512),
            oids::RSA_ENCRYPTION => Self::RsaPkcs1v15(cms_digest.ok_or_else(|| {
                SignatureError::Unsupported("rsaEncryption without a digest algorithm".into())
            })?),
            oids::ID_RSASSA_PSS => Self::pss(algorithm)?,
            oids::ECDSA_WITH_SHA_1 => Self::Ecdsa(Sha1),
            oids::ECDSA_WITH_SHA_224 => Self::Ecdsa(Sha224),
            oids::ECDSA_WITH_SHA_256 => Self::Ecdsa(Sha256),
            oids::ECDSA_WITH_SHA_384 => Self::Ecdsa(Sha384),
            oids::ECDSA_WITH_SHA_512 => Self::Ecdsa(Sha512),
            other => {
                return Err(SignatureError::Unsupported(format!(
                    "signature algorithm {other}"
                )));
            }
        })
    }

    /// RSASSA-PSS-params (RFC 4055); absent parameters mean SHA-1, MGF1
    /// with SHA-1 and a 20-byte salt, which `RsaPssParams` defaults to.
    fn pss(algorithm: &AlgorithmIdentifierOwned) -> Result<Self, SignatureError> {
        let parameters_der = match &algorithm.parameters {
            Some(parameters) => parameters
                .to_der()
                .map_err(|error| SignatureError::Malformed(error.to_string()))?,
            // An empty SEQUENCE: every field takes its default.
            None => vec![0x30, 0x00],
        };
        let parameters = RsaPssParams::from_der(&parameters_der)
            .map_err(|error| SignatureError::Malformed(format!("RSASSA-PSS params: {error}")))?;
        let digest = DigestAlgorithm::from_oid(&parameters.hash.oid).ok_or_else(|| {
            SignatureError::Unsupported(format!("PSS hash {}", parameters.hash.oid))
        })?;
        if parameters.mask_gen.oid != oids::ID_MGF_1 {
            return Err(SignatureError::Unsupported(format!(
                "PSS mask generation {}",
                parameters.mask_gen.oid
            )));
        }
        let mgf_hash = parameters
            .mask_gen
            .parameters
            .as_ref()
            .and_then(|hash| DigestAlgorithm::from_oid(&hash.oid));
        // The rsa crate runs MGF1 with the message hash; other pairings
        // exist in the standard but not in eMRTD practice.
        if mgf_hash != Some(digest) {
            return Err(SignatureError::Unsupported(
                "PSS with an MGF1 hash different from the message hash".into(),
            ));
        }
        Ok(Self::RsaPss {
            digest,
            salt_len: usize::from(parameters.salt_len),
        })
    }
}
