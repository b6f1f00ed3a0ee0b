//! Why active authentication failed, with stable codes.

use thiserror::Error;

/// The reason a chip's answer to the relay's challenge was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AaFailure {
    /// DG15 is not a well-formed public key.
    #[error("DG15 public key is malformed: {0}")]
    KeyMalformed(String),
    /// A key type or curve we cannot verify with.
    #[error("unsupported AA key: {0}")]
    UnsupportedKey(String),
    /// DG14 could not be read for the AA signature algorithm.
    #[error("DG14 is malformed: {0}")]
    Dg14Malformed(String),
    /// DG14 names a signature algorithm (or the RSA trailer a hash) we do
    /// not implement.
    #[error("unsupported AA algorithm: {0}")]
    UnsupportedAlgorithm(String),
    /// The answer is not shaped like a signature for this key.
    #[error("AA signature is malformed: {0}")]
    SignatureMalformed(String),
    /// Not a signature of this challenge by this key.
    #[error("AA signature does not verify")]
    SignatureInvalid,
}

impl AaFailure {
    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::KeyMalformed(_) => "key_malformed",
            Self::UnsupportedKey(_) => "unsupported_key",
            Self::Dg14Malformed(_) => "dg14_malformed",
            Self::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            Self::SignatureMalformed(_) => "signature_malformed",
            Self::SignatureInvalid => "signature_invalid",
        }
    }
}
