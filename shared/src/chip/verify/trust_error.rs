//! Why a trust list (the CSCA certificates) could not be loaded.

use std::path::PathBuf;

use thiserror::Error;

/// A CSCA certificate or folder that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VerifyError {
    /// The bytes are not an X.509 certificate (DER or PEM).
    #[error("not a certificate{}: {detail}", path_suffix(.path))]
    CertificateMalformed {
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
            Self::Io { .. } => "trust_list_unreadable",
        }
    }
}

fn path_suffix(path: &Option<PathBuf>) -> String {
    match path {
        Some(path) => format!(" ({})", path.display()),
        None => String::new(),
    }
}
