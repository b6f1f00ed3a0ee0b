//! The trust list: the CSCA certificates a document signer must chain to,
//! where each came from (a file or a master list), and the CSCAs' CRLs.
//!
//! Which countries' CSCAs to trust is configuration, not code (the relay
//! points at a folder), because whether Vietnamese CCCD signers chain to the
//! published "CSCA ePassport Vietnam" is unconfirmed.

use std::path::{Path, PathBuf};

use der::Decode;
use x509_cert::Certificate;

use super::master_list::read_master_list;
use super::revocation::{Revocation, RevocationList};
use super::trust_error::VerifyError;
use super::trust_report::{MasterListReport, TrustReport};

/// CSCA certificates trusted as roots for passive authentication, and the
/// revocation lists that withdraw document signers they issued.
#[derive(Debug, Clone, Default)]
pub struct TrustList {
    certificates: Vec<Certificate>,
    /// Where each certificate came from, index for index.
    origins: Vec<String>,
    revocation_lists: Vec<(RevocationList, String)>,
    master_lists: Vec<MasterListReport>,
}

/// File extensions [`TrustList::from_dir`] loads (compared case-insensitively).
const CERTIFICATE_EXTENSIONS: [&str; 4] = ["der", "cer", "crt", "pem"];
/// Master lists: the German list is published as `.ml`, the Dutch as `.mls`.
const MASTER_LIST_EXTENSIONS: [&str; 2] = ["ml", "mls"];
const CRL_EXTENSIONS: [&str; 1] = ["crl"];

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
        self.push(certificate, "added".into());
        Ok(())
    }

    fn push(&mut self, certificate: Certificate, origin: String) {
        self.certificates.push(certificate);
        self.origins.push(origin);
    }

    /// Adds every CSCA of a master list (ICAO 9303-12 §9) after checking
    /// its signature and signer; `origin` names it in the report.
    pub fn add_master_list(&mut self, bytes: &[u8], origin: &str) -> Result<usize, VerifyError> {
        let list = read_master_list(bytes, &self.certificates)
            .map_err(|detail| VerifyError::MasterListInvalid { path: None, detail })?;
        let count = list.certificates.len();
        for certificate in list.certificates {
            self.push(certificate, format!("master list {origin}"));
        }
        self.master_lists.push(MasterListReport {
            origin: origin.to_string(),
            signer: list.signer,
            signer_issuer: list.signer_issuer,
            signer_not_after: list.signer_not_after,
            self_vouched: list.self_vouched,
            certificates: count,
        });
        Ok(count)
    }

    /// Adds a CSCA's CRL (DER or PEM), which must be signed by a CSCA
    /// already in the list.
    pub fn add_crl(&mut self, bytes: &[u8], origin: &str) -> Result<(), VerifyError> {
        let list = RevocationList::read(bytes, &self.certificates)
            .map_err(|detail| VerifyError::CrlInvalid { path: None, detail })?;
        self.revocation_lists.push((list, origin.to_string()));
        Ok(())
    }

    /// Whether a loaded CRL revokes `certificate` (a document signer).
    pub fn revocation_of(&self, certificate: &Certificate) -> Option<Revocation> {
        self.revocation_lists
            .iter()
            .find_map(|(list, _)| list.revocation_of(certificate))
    }

    /// What is trusted, from where, until when, judged at `now_unix_secs`.
    pub fn report(&self, now_unix_secs: i64) -> TrustReport {
        TrustReport::new(
            self.certificates.iter().zip(&self.origins),
            self.revocation_lists
                .iter()
                .map(|(list, origin)| (list, origin.as_str())),
            &self.master_lists,
            now_unix_secs,
        )
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
            for certificate in chain {
                self.push(certificate, "added".into());
            }
            Ok(())
        } else {
            self.add_der(bytes)
        }
    }

    /// Loads every `*.der`, `*.cer`, `*.crt` and `*.pem` file of `dir`
    /// (CSCA certificates, DER or PEM), then every `*.ml`/`*.mls` (master
    /// lists), then every `*.crl` (CRLs, which need their CSCA loaded
    /// first). Anything unreadable, malformed or unverifiable fails the
    /// whole load: a silently skipped CSCA would show up later as
    /// "untrusted" cards, a skipped CRL as revoked signers accepted.
    pub fn from_dir(dir: &Path) -> Result<Self, VerifyError> {
        let io_error = |path: &Path, error: std::io::Error| VerifyError::Io {
            path: path.to_path_buf(),
            detail: error.to_string(),
        };
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|error| io_error(dir, error))? {
            let path = entry.map_err(|error| io_error(dir, error))?.path();
            if path.is_file() {
                paths.push(path);
            }
        }
        // Sorted so that the order (and so which of two equal CSCAs matches
        // first) does not depend on the file system.
        paths.sort();
        let of_kind = |extensions: &[&str]| -> Vec<PathBuf> {
            paths
                .iter()
                .filter(|path| has_extension(path, extensions))
                .cloned()
                .collect()
        };
        let mut list = Self::new();
        for path in of_kind(&CERTIFICATE_EXTENSIONS) {
            let bytes = std::fs::read(&path).map_err(|error| io_error(&path, error))?;
            let before = list.certificates.len();
            list.add_file_contents(&bytes)
                .map_err(|error| error.with_path(&path))?;
            for origin in &mut list.origins[before..] {
                *origin = format!("file {}", file_name(&path));
            }
        }
        for path in of_kind(&MASTER_LIST_EXTENSIONS) {
            let bytes = std::fs::read(&path).map_err(|error| io_error(&path, error))?;
            list.add_master_list(&bytes, &file_name(&path))
                .map_err(|error| error.with_path(&path))?;
        }
        for path in of_kind(&CRL_EXTENSIONS) {
            let bytes = std::fs::read(&path).map_err(|error| io_error(&path, error))?;
            list.add_crl(&bytes, &file_name(&path))
                .map_err(|error| error.with_path(&path))?;
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

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extensions
                .iter()
                .any(|known| extension.eq_ignore_ascii_case(known))
        })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn looks_like_pem(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes[start..].starts_with(b"-----BEGIN")
}
