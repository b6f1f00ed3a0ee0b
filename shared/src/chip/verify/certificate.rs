//! What passive authentication asks of an X.509 certificate: its names,
//! country, validity at a given time, and whether another key issued it.

use der::Encode;
use x509_cert::Certificate;
use x509_cert::name::Name;
use x509_cert::time::Validity;

use super::oids;
use super::signature::{SignatureError, verify_signature};

/// A name as RFC 4514 text, e.g. `CN=examgate test DS,C=VN`.
pub fn name_text(name: &Name) -> String {
    name.to_string()
}

/// The country (C) attribute of a name, if it has one.
pub fn country(name: &Name) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|attribute| attribute.oid == oids::COUNTRY_NAME)
        .and_then(|attribute| std::str::from_utf8(attribute.value.value()).ok())
        .map(|text| text.trim().to_ascii_uppercase())
}

/// Whether `issuer` (from a certificate) names `subject` (of a CSCA).
///
/// Exact DER equality first; then RFC 4514 text compared without regard to
/// ASCII case, because issuers re-encode names (PrintableString vs.
/// UTF8String, case) and RFC 5280 name matching tolerates that.
pub fn names_match(issuer: &Name, subject: &Name) -> bool {
    issuer == subject || name_text(issuer).eq_ignore_ascii_case(&name_text(subject))
}

/// Whether `now` (Unix seconds) is within the validity period, inclusive.
pub fn valid_at(validity: &Validity, now_unix_secs: i64) -> bool {
    let not_before = unix_secs(validity.not_before.to_unix_duration());
    let not_after = unix_secs(validity.not_after.to_unix_duration());
    not_before <= now_unix_secs && now_unix_secs <= not_after
}

/// The validity period as text for messages.
pub fn validity_text(validity: &Validity) -> String {
    format!("{} to {}", validity.not_before, validity.not_after)
}

/// Verifies that `issuer`'s key signed `certificate`.
pub fn verify_issued_by(
    certificate: &Certificate,
    issuer: &Certificate,
) -> Result<(), SignatureError> {
    // The TBS part as DER: x509-cert decodes strictly, so this is the byte
    // string the issuer signed for any certificate it accepted.
    let tbs = certificate
        .tbs_certificate
        .to_der()
        .map_err(|error| SignatureError::Malformed(error.to_string()))?;
    let signature = certificate
        .signature
        .as_bytes()
        .ok_or_else(|| SignatureError::Malformed("signature bit string has unused bits".into()))?;
    verify_signature(
        &issuer.tbs_certificate.subject_public_key_info,
        &certificate.signature_algorithm,
        None,
        &tbs,
        signature,
    )
}

fn unix_secs(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}
