//! Certificate revocation lists of CSCAs (ICAO 9303-12 §7.1.4): which
//! document signers their issuer withdrew. A CRL counts only when a trusted
//! CSCA of the same name signed it (checked over the TBS part as encoded).

use der::Decode;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;

use super::certificate::{name_text, names_match, unix_time, verify_issued_by_key};
use super::cms_encoded::encoded_tbs;

/// A CRL whose signature a trusted CSCA verified.
#[derive(Debug, Clone)]
pub struct RevocationList {
    pub(super) list: CertificateList,
    /// The CSCA whose key verified it (RFC 4514).
    pub signed_by: String,
}

/// A revoked certificate as the CRL states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// The serial number, hex.
    pub serial: String,
    /// When it was revoked, as the CRL states it.
    pub date: String,
}

impl RevocationList {
    /// Reads a CRL (DER or PEM) and checks its signature against `cscas`.
    pub fn read(bytes: &[u8], cscas: &[Certificate]) -> Result<Self, String> {
        let der_bytes;
        let bytes = if bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
            let (label, decoded) =
                der::pem::decode_vec(bytes).map_err(|error| format!("PEM: {error}"))?;
            if label != "X509 CRL" {
                return Err(format!("PEM label {label:?} is not X509 CRL"));
            }
            der_bytes = decoded;
            der_bytes.as_slice()
        } else {
            bytes
        };
        let list =
            CertificateList::from_der(bytes).map_err(|error| format!("not a CRL: {error}"))?;
        let tbs = encoded_tbs(bytes)?;
        let signature = list
            .signature
            .as_bytes()
            .ok_or("CRL signature bit string has unused bits")?;
        let issuer = &list.tbs_cert_list.issuer;
        let signed_by = cscas
            .iter()
            .filter(|csca| names_match(issuer, &csca.tbs_certificate.subject))
            .find(|csca| {
                verify_issued_by_key(tbs, &list.signature_algorithm, signature, csca).is_ok()
            })
            .ok_or_else(|| {
                format!(
                    "no trusted CSCA named {} signed this CRL",
                    name_text(issuer)
                )
            })?;
        Ok(Self {
            signed_by: name_text(&signed_by.tbs_certificate.subject),
            list,
        })
    }

    /// The issuer's name (RFC 4514).
    pub fn issuer(&self) -> String {
        name_text(&self.list.tbs_cert_list.issuer)
    }

    /// thisUpdate and nextUpdate, Unix seconds.
    pub fn updates(&self) -> (i64, Option<i64>) {
        let tbs = &self.list.tbs_cert_list;
        (
            unix_time(&tbs.this_update),
            tbs.next_update.as_ref().map(unix_time),
        )
    }

    /// How many certificates it revokes.
    pub fn revoked_count(&self) -> usize {
        self.list
            .tbs_cert_list
            .revoked_certificates
            .as_ref()
            .map_or(0, Vec::len)
    }

    /// Whether it revokes `certificate` (same issuer name, same serial).
    pub fn revocation_of(&self, certificate: &Certificate) -> Option<Revocation> {
        let tbs = &certificate.tbs_certificate;
        if !names_match(&tbs.issuer, &self.list.tbs_cert_list.issuer) {
            return None;
        }
        self.list
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .find(|revoked| revoked.serial_number == tbs.serial_number)
            .map(|revoked| Revocation {
                serial: hex(revoked.serial_number.as_bytes()),
                date: revoked.revocation_date.to_string(),
            })
    }
}

/// A serial number as upper-case hex, as certificate tools print it.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02X}")).collect()
}
