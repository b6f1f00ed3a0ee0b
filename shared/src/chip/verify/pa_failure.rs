//! Why passive authentication failed: one variant per distinct reason,
//! each with a stable code for logs, the audit table and the proctor view.

use thiserror::Error;

/// The first (most specific) reason the card's data is not authentic.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PaFailure {
    /// EF.SOD is not a well-formed SignedData with one signer.
    #[error("EF.SOD is malformed: {0}")]
    SodMalformed(String),
    /// The signed content is not an LDSSecurityObject.
    #[error("EF.SOD signs content of type {found}, not an LDS security object")]
    WrongContentType { found: String },
    /// A hash, signature algorithm or curve we do not implement.
    #[error("unsupported algorithm: {0}")]
    UnsupportedAlgorithm(String),
    /// A data group we read has no hash in the SOD.
    #[error("DG{0} is not listed in EF.SOD")]
    GroupNotInSod(u8),
    /// A data group's hash differs from the one in the SOD.
    #[error("DG{0} does not match its hash in EF.SOD")]
    GroupAltered(u8),
    /// The signed messageDigest attribute is not the hash of the content.
    #[error("the signed message digest does not match the security object")]
    MessageDigestMismatch,
    /// The SOD does not carry the document signer's certificate.
    #[error("EF.SOD does not contain the document signer certificate")]
    SignerCertificateMissing,
    /// The document signer's signature over the SOD does not verify.
    #[error("the document signer's signature does not verify")]
    SignatureInvalid,
    /// No CSCA in the trust list issued the document signer certificate.
    #[error("no trusted CSCA issued the document signer ({issuer})")]
    SignerUntrusted { issuer: String },
    /// A CRL of the issuing CSCA lists the document signer certificate.
    #[error("the document signer certificate (serial {serial}) was revoked on {date}")]
    SignerRevoked { serial: String, date: String },
    /// The document signer certificate is not valid at the given time.
    #[error("the document signer certificate is not valid now (valid {validity})")]
    SignerExpired { validity: String },
    /// The CSCA certificate is not valid at the given time.
    #[error("the CSCA certificate is not valid now (valid {validity})")]
    CscaExpired { validity: String },
    /// The document signer's country differs from its CSCA's.
    #[error("document signer country {signer:?} differs from CSCA country {csca:?}")]
    CountryMismatch { signer: String, csca: String },
}

impl PaFailure {
    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::SodMalformed(_) => "sod_malformed",
            Self::WrongContentType { .. } => "wrong_content_type",
            Self::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            Self::GroupNotInSod(_) => "group_not_in_sod",
            Self::GroupAltered(_) => "group_altered",
            Self::MessageDigestMismatch => "message_digest_mismatch",
            Self::SignerCertificateMissing => "signer_certificate_missing",
            Self::SignatureInvalid => "signature_invalid",
            Self::SignerUntrusted { .. } => "signer_untrusted",
            Self::SignerRevoked { .. } => "signer_revoked",
            Self::SignerExpired { .. } => "signer_expired",
            Self::CscaExpired { .. } => "csca_expired",
            Self::CountryMismatch { .. } => "country_mismatch",
        }
    }
}
