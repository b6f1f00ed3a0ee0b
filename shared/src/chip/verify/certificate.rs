//! What passive authentication asks of an X.509 certificate: its names,
//! country, validity at a given time, and whether another key issued it.

use x509_cert::Certificate;
use x509_cert::name::Name;
use x509_cert::time::Validity;

use super::cms_encoded::encoded_tbs;
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

/// Verifies that `issuer`'s key signed `certificate`, whose encoding is
/// `encoded`.
pub fn verify_issued_by(
    certificate: &Certificate,
    encoded: &[u8],
    issuer: &Certificate,
) -> Result<(), SignatureError> {
    // The TBS part as encoded: `der` would re-sort a name's SET that the
    // issuer wrote out of order, and the signature covers what it wrote.
    let tbs = encoded_tbs(encoded).map_err(SignatureError::Malformed)?;
    let signature = signature_bytes(&certificate.signature)?;
    verify_issued_by_key(tbs, &certificate.signature_algorithm, signature, issuer)
}

/// Verifies that `issuer`'s key made `signature` over `tbs` (a
/// certificate's or a CRL's to-be-signed part, as encoded).
pub fn verify_issued_by_key(
    tbs: &[u8],
    algorithm: &spki::AlgorithmIdentifierOwned,
    signature: &[u8],
    issuer: &Certificate,
) -> Result<(), SignatureError> {
    verify_signature(
        &issuer.tbs_certificate.subject_public_key_info,
        algorithm,
        None,
        tbs,
        signature,
    )
}

fn signature_bytes(signature: &der::asn1::BitString) -> Result<&[u8], SignatureError> {
    signature
        .as_bytes()
        .ok_or_else(|| SignatureError::Malformed("signature bit string has unused bits".into()))
}

/// A time as Unix seconds.
pub fn unix_time(time: &x509_cert::time::Time) -> i64 {
    unix_secs(time.to_unix_duration())
}

fn unix_secs(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}
