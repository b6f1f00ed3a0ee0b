//! The hash functions an eMRTD uses, named by their object identifiers.

use const_oid::ObjectIdentifier;
use sha2::Digest;

use super::oids;

/// A hash function found in an SOD, a certificate or DG14.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlgorithm {
    /// The algorithm an AlgorithmIdentifier names, if we support it.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Some(match *oid {
            oids::ID_SHA_1 => Self::Sha1,
            oids::ID_SHA_224 => Self::Sha224,
            oids::ID_SHA_256 => Self::Sha256,
            oids::ID_SHA_384 => Self::Sha384,
            oids::ID_SHA_512 => Self::Sha512,
            _ => return None,
        })
    }

    /// The ISO/IEC 10118-3 hash identifier used in an ISO/IEC 9796-2
    /// explicit trailer (`xx CC`).
    pub fn from_iso_hash_id(id: u8) -> Option<Self> {
        Some(match id {
            0x33 => Self::Sha1,
            0x34 => Self::Sha256,
            0x35 => Self::Sha512,
            0x36 => Self::Sha384,
            0x38 => Self::Sha224,
            _ => return None,
        })
    }

    /// A human-readable name, e.g. `"SHA-256"`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA-1",
            Self::Sha224 => "SHA-224",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }

    /// The digest length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// Hashes the concatenation of `parts`.
    pub fn hash_parts(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut hasher = D::new();
            for part in parts {
                hasher.update(part);
            }
            hasher.finalize().to_vec()
        }
        match self {
            Self::Sha1 => run::<sha1::Sha1>(parts),
            Self::Sha224 => run::<sha2::Sha224>(parts),
            Self::Sha256 => run::<sha2::Sha256>(parts),
            Self::Sha384 => run::<sha2::Sha384>(parts),
            Self::Sha512 => run::<sha2::Sha512>(parts),
        }
    }

    /// Hashes `data`.
    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        self.hash_parts(&[data])
    }

    /// PKCS #1 v1.5 signature padding for this hash (its DigestInfo prefix).
    pub fn pkcs1v15(self) -> rsa::Pkcs1v15Sign {
        match self {
            Self::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
            Self::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
            Self::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            Self::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
            Self::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        }
    }

    /// RSASSA-PSS padding with this hash (also for MGF1) and `salt_len`.
    pub fn pss(self, salt_len: usize) -> rsa::Pss {
        match self {
            Self::Sha1 => rsa::Pss::new_with_salt::<sha1::Sha1>(salt_len),
            Self::Sha224 => rsa::Pss::new_with_salt::<sha2::Sha224>(salt_len),
            Self::Sha256 => rsa::Pss::new_with_salt::<sha2::Sha256>(salt_len),
            Self::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(salt_len),
            Self::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(salt_len),
        }
    }
}
