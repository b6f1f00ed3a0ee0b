//! Why a trust list (CSCA certificates, master lists, CRLs) could not be
//! loaded.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// A CSCA certificate, master list, CRL or folder that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VerifyError {
    /// The bytes are not an X.509 certificate (DER or PEM).
    #[error("not a certificate{}: {detail}", path_suffix(.path))]
    CertificateMalformed {
        path: Option<PathBuf>,
        detail: String,
    },
    /// A master list whose signature, signer or content does not hold.
    #[error("master list refused{}: {detail}", path_suffix(.path))]
    MasterListInvalid {
        path: Option<PathBuf>,
        detail: String,
    },
    /// A CRL that is malformed or not signed by a trusted CSCA.
    #[error("CRL refused{}: {detail}", path_suffix(.path))]
    CrlInvalid {
        path: Option<PathBuf>,
        detail: String,
    },
    /// A file or the folder could not be read.
    #[error("cannot read {}: {detail}", .path.display())]
    Io { path: PathBuf, detail: String },
}

impl VerifyError {
    /// A stable snake_case code for logs and API bodies.
    pub fn code(&self) -> &'static str {
        match self {
            Self::CertificateMalformed { .. } => "certificate_malformed",
            Self::MasterListInvalid { .. } => "master_list_invalid",
            Self::CrlInvalid { .. } => "crl_invalid",
            Self::Io { .. } => "trust_list_unreadable",
        }
    }

    /// The same error, naming the file it came from.
    pub fn with_path(self, file: &Path) -> Self {
        let path = Some(file.to_path_buf());
        match self {
            Self::CertificateMalformed { detail, .. } => {
                Self::CertificateMalformed { path, detail }
            }
            Self::MasterListInvalid { detail, .. } => Self::MasterListInvalid { path, detail },
            Self::CrlInvalid { detail, .. } => Self::CrlInvalid { path, detail },
            io @ Self::Io { .. } => io,
        }
    }
}

fn path_suffix(path: &Option<PathBuf>) -> String {
    match path {
        Some(path) => format!(" ({})", path.display()),
        None => String::new(),
    }
}
