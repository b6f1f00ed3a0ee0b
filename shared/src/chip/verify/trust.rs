//! The trust list: the CSCA certificates a document signer must chain to.
//!
//! Which countries' CSCAs to trust is configuration, not code (the relay
//! points at a folder), because whether Vietnamese CCCD signers chain to the
//! published "CSCA ePassport Vietnam" is unconfirmed.

use std::path::Path;

use der::Decode;
use x509_cert::Certificate;

use super::trust_error::VerifyError;

/// CSCA certificates trusted as roots for passive authentication.
#[derive(Debug, Clone, Default)]
pub struct TrustList {
    certificates: Vec<Certificate>,
}

/// File extensions [`TrustList::from_dir`] loads (compared case-insensitively).
const CERTIFICATE_EXTENSIONS: [&str; 4] = ["der", "cer", "crt", "pem"];

impl TrustList {
    /// An empty list: every document signer is untrusted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one DER-encoded CSCA certificate.
    pub fn add_der(&mut self, der: &[u8]) -> Result<(), VerifyError> {
        let certificate =
            Certificate::from_der(der).map_err(|error| VerifyError::CertificateMalformed {
                path: None,
                detail: error.to_string(),
            })?;
        self.certificates.push(certificate);
        Ok(())
    }

    /// Adds the certificates of one file, DER or PEM (a PEM file may hold
    /// several).
    pub fn add_file_contents(&mut self, bytes: &[u8]) -> Result<(), VerifyError> {
        if looks_like_pem(bytes) {
            let chain = Certificate::load_pem_chain(bytes).map_err(|error| {
                VerifyError::CertificateMalformed {
                    path: None,
                    detail: error.to_string(),
                }
            })?;
            if chain.is_empty() {
                return Err(VerifyError::CertificateMalformed {
                    path: None,
                    detail: "no certificate in PEM".into(),
                });
            }
            self.certificates.extend(chain);
            Ok(())
        } else {
            self.add_der(bytes)
        }
    }

    /// Loads every `*.der`, `*.cer`, `*.crt` and `*.pem` file of `dir`, DER
    /// or PEM. Any unreadable or malformed certificate fails the whole load:
    /// a silently skipped CSCA would show up later as "untrusted" cards.
    pub fn from_dir(dir: &Path) -> Result<Self, VerifyError> {
        let io_error = |path: &Path, error: std::io::Error| VerifyError::Io {
            path: path.to_path_buf(),
            detail: error.to_string(),
        };
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|error| io_error(dir, error))? {
            let path = entry.map_err(|error| io_error(dir, error))?.path();
            if path.is_file() && has_certificate_extension(&path) {
                paths.push(path);
            }
        }
        // Sorted so that the order (and so which of two equal CSCAs matches
        // first) does not depend on the file system.
        paths.sort();
        let mut list = Self::new();
        for path in paths {
            let bytes = std::fs::read(&path).map_err(|error| io_error(&path, error))?;
            list.add_file_contents(&bytes)
                .map_err(|error| match error {
                    VerifyError::CertificateMalformed { detail, .. } => {
                        VerifyError::CertificateMalformed {
                            path: Some(path.clone()),
                            detail,
                        }
                    }
                    other => other,
                })?;
        }
        Ok(list)
    }

    /// How many certificates are trusted.
    pub fn len(&self) -> usize {
        self.certificates.len()
    }

    /// Whether no certificate is trusted.
    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
    }

    /// The trusted certificates, in the order added.
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }
}

fn has_certificate_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            CERTIFICATE_EXTENSIONS
                .iter()
                .any(|known| extension.eq_ignore_ascii_case(known))
        })
}

fn looks_like_pem(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes[start..].starts_with(b"-----BEGIN")
}
