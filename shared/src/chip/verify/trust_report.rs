//! What the relay trusts, in a form an operator (and an auditor) can read:
//! every CSCA with its origin, key and validity, every CRL with its issuer
//! and freshness, every master list with its signer, and warnings for what
//! will soon stop cards from passing.

use serde::{Deserialize, Serialize};
use x509_cert::Certificate;

use super::certificate::{country, name_text, unix_time};
use super::revocation::{RevocationList, hex};
use super::signature::PublicKey;

/// A CSCA expiring within this many days is warned about: document signers
/// it issued stop verifying when it expires.
pub const EXPIRY_WARNING_DAYS: i64 = 90;

/// The whole trust list, judged at one moment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TrustReport {
    pub cscas: Vec<CscaReport>,
    pub revocation_lists: Vec<CrlReport>,
    pub master_lists: Vec<MasterListReport>,
    /// Sentences for the operator (expired or expiring CSCAs, CRLs past
    /// their next update, an empty list).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CscaReport {
    pub subject: String,
    pub country: String,
    /// Serial number, hex.
    pub serial: String,
    /// e.g. `ECDSA brainpoolP512r1`, `RSA 4096`.
    pub key: String,
    pub not_before: String,
    pub not_after: String,
    /// Unix seconds of `not_after`.
    pub not_after_unix: i64,
    /// `file csca.der` or `master list DE.ml`.
    pub origin: String,
    pub expired: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CrlReport {
    pub issuer: String,
    pub signed_by: String,
    pub this_update_unix: i64,
    pub next_update_unix: Option<i64>,
    pub revoked: usize,
    pub origin: String,
    /// Past its next update: a newer CRL exists and may revoke more.
    pub stale: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MasterListReport {
    pub origin: String,
    pub signer: String,
    pub signer_issuer: String,
    pub signer_not_after: i64,
    /// The signer's issuer is inside the list, not already trusted.
    pub self_vouched: bool,
    pub certificates: usize,
}

impl TrustReport {
    pub(super) fn new<'a>(
        cscas: impl Iterator<Item = (&'a Certificate, &'a String)>,
        crls: impl Iterator<Item = (&'a RevocationList, &'a str)>,
        master_lists: &[MasterListReport],
        now: i64,
    ) -> Self {
        let mut warnings = Vec::new();
        let cscas: Vec<CscaReport> = cscas
            .map(|(certificate, origin)| csca_report(certificate, origin, now))
            .collect();
        if cscas.is_empty() {
            warnings.push("no CSCA is trusted: every card is refused".to_string());
        }
        for csca in &cscas {
            if csca.expired {
                warnings.push(format!(
                    "CSCA {} ({}) expired on {}",
                    csca.subject, csca.origin, csca.not_after
                ));
            } else if csca.not_after_unix - now < EXPIRY_WARNING_DAYS * 86_400 {
                warnings.push(format!(
                    "CSCA {} ({}) expires on {}",
                    csca.subject, csca.origin, csca.not_after
                ));
            }
        }
        let revocation_lists: Vec<CrlReport> = crls
            .map(|(list, origin)| {
                let (this_update, next_update) = list.updates();
                CrlReport {
                    issuer: list.issuer(),
                    signed_by: list.signed_by.clone(),
                    this_update_unix: this_update,
                    next_update_unix: next_update,
                    revoked: list.revoked_count(),
                    origin: origin.to_string(),
                    stale: next_update.is_some_and(|next| next < now),
                }
            })
            .collect();
        for crl in revocation_lists.iter().filter(|crl| crl.stale) {
            warnings.push(format!(
                "the CRL of {} ({}) is past its next update: load the current one",
                crl.issuer, crl.origin
            ));
        }
        for list in master_lists
            .iter()
            .filter(|list| list.signer_not_after < now)
        {
            warnings.push(format!(
                "master list {} was signed by a certificate that has since expired: a newer list may exist",
                list.origin
            ));
        }
        Self {
            cscas,
            revocation_lists,
            master_lists: master_lists.to_vec(),
            warnings,
        }
    }
}

fn csca_report(certificate: &Certificate, origin: &str, now: i64) -> CscaReport {
    let tbs = &certificate.tbs_certificate;
    let not_after_unix = unix_time(&tbs.validity.not_after);
    let key = match PublicKey::from_spki(&tbs.subject_public_key_info) {
        Ok(PublicKey::Rsa(key)) => {
            format!("RSA {}", rsa::traits::PublicKeyParts::n(&key).bits())
        }
        Ok(PublicKey::Ec { curve, .. }) => format!("ECDSA {}", curve.name()),
        Err(error) => format!("unusable: {error:?}"),
    };
    CscaReport {
        subject: name_text(&tbs.subject),
        country: country(&tbs.subject).unwrap_or_default(),
        serial: hex(tbs.serial_number.as_bytes()),
        key,
        not_before: tbs.validity.not_before.to_string(),
        not_after: tbs.validity.not_after.to_string(),
        not_after_unix,
        origin: origin.to_string(),
        expired: not_after_unix < now,
    }
}
