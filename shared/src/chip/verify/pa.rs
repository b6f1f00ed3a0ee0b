//! Passive authentication: EF.SOD proves the data groups were written by
//! the issuing state (ICAO 9303-11 §5.1, steps in chip-card.md).
//!
//! Checks run in the reference order (parse, group hashes, message digest,
//! signature, chain, revocation, validity, country) and stop at the first
//! failure, so the caller gets the most specific reason. Signatures are
//! checked over the bytes as the card encoded them ([`super::cms_encoded`]).

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use const_oid::ObjectIdentifier;
use der::{Decode, Tag, Tagged};
use x509_cert::Certificate;

use super::certificate::{
    country, name_text, names_match, valid_at, validity_text, verify_issued_by,
};
use super::cms_encoded::encoded_signed_data;
use super::digest::DigestAlgorithm;
use super::lds_files::LdsFiles;
use super::lds_security_object::LdsSecurityObject;
use super::oids;
use super::one_signer::{SignerError, verify_signer};
use super::pa_failure::PaFailure;
use super::signature::SignatureError;
use super::trust::TrustList;
use crate::chip::tlv;

/// EF.SOD's tag: application 23, constructed.
pub const SOD_TAG: u32 = 0x77;

/// What a successful passive authentication established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassiveAuth {
    /// The document signer certificate's subject (RFC 4514).
    pub signer: String,
    /// The subject of the trusted CSCA that issued it.
    pub csca: String,
    /// The hash the SOD uses for data groups, e.g. `"SHA-256"`.
    pub digest_algorithm: &'static str,
    /// Every data group number the SOD lists, ascending. Active
    /// authentication means "genuine chip" only if 15 (and 14 for ECDSA)
    /// is among them.
    pub signed_groups: Vec<u8>,
}

/// Checks `files` against their EF.SOD and the SOD against `trust`, with
/// certificate validity judged at `now_unix_secs`.
pub fn passive_auth(
    files: &LdsFiles,
    trust: &TrustList,
    now_unix_secs: i64,
) -> Result<PassiveAuth, PaFailure> {
    let signed_data = parse_signed_data(&files.sod)?;

    let content = &signed_data.encap_content_info;
    if content.econtent_type != oids::LDS_SECURITY_OBJECT {
        return Err(PaFailure::WrongContentType {
            found: content.econtent_type.to_string(),
        });
    }
    let econtent = content
        .econtent
        .as_ref()
        .ok_or_else(|| malformed("no encapsulated content"))?;
    if econtent.tag() != Tag::OctetString {
        return Err(malformed("eContent is not an OCTET STRING"));
    }
    let security_object_der = econtent.value();
    let security_object = LdsSecurityObject::from_der(security_object_der)
        .map_err(|error| malformed(format!("LDSSecurityObject: {error}")))?;

    let group_digest = digest_of(&security_object.hash_algorithm.oid)?;
    check_group_hashes(files, &security_object, group_digest)?;

    let encoded = encoded_signed_data(sod_content(&files.sod)?).map_err(malformed)?;
    let signer = verify_signer(
        &signed_data,
        &encoded,
        oids::LDS_SECURITY_OBJECT,
        security_object_der,
    )
    .map_err(|error| match error {
        SignerError::Malformed(detail) => malformed(detail),
        SignerError::WrongContentType { found } => PaFailure::WrongContentType { found },
        SignerError::UnsupportedHash(detail) => PaFailure::UnsupportedAlgorithm(detail),
        SignerError::MessageDigestMismatch => PaFailure::MessageDigestMismatch,
        SignerError::CertificateMissing => PaFailure::SignerCertificateMissing,
        SignerError::Signature(SignatureError::Invalid | SignatureError::Malformed(_)) => {
            PaFailure::SignatureInvalid
        }
        SignerError::Signature(SignatureError::Unsupported(detail)) => {
            PaFailure::UnsupportedAlgorithm(detail)
        }
        SignerError::Signature(SignatureError::KeyMalformed(detail)) => {
            malformed(format!("document signer key: {detail}"))
        }
    })?;
    let signer_encoded = signer.encoded;
    let signer = &signer.certificate;

    let csca = issuing_csca(signer, signer_encoded, trust)?;
    if let Some(revocation) = trust.revocation_of(signer) {
        return Err(PaFailure::SignerRevoked {
            serial: revocation.serial,
            date: revocation.date,
        });
    }
    if !valid_at(&signer.tbs_certificate.validity, now_unix_secs) {
        return Err(PaFailure::SignerExpired {
            validity: validity_text(&signer.tbs_certificate.validity),
        });
    }
    if !valid_at(&csca.tbs_certificate.validity, now_unix_secs) {
        return Err(PaFailure::CscaExpired {
            validity: validity_text(&csca.tbs_certificate.validity),
        });
    }
    check_country(signer, csca)?;

    let mut signed_groups: Vec<u8> = security_object
        .data_group_hash_values
        .iter()
        .map(|entry| entry.data_group_number)
        .collect();
    signed_groups.sort_unstable();
    signed_groups.dedup();
    Ok(PassiveAuth {
        signer: name_text(&signer.tbs_certificate.subject),
        csca: name_text(&csca.tbs_certificate.subject),
        digest_algorithm: group_digest.name(),
        signed_groups,
    })
}

fn malformed(detail: impl Into<String>) -> PaFailure {
    PaFailure::SodMalformed(detail.into())
}

fn digest_of(oid: &ObjectIdentifier) -> Result<DigestAlgorithm, PaFailure> {
    DigestAlgorithm::from_oid(oid)
        .ok_or_else(|| PaFailure::UnsupportedAlgorithm(format!("hash algorithm {oid}")))
}

/// The ContentInfo inside EF.SOD's tag `77`.
fn sod_content(sod: &[u8]) -> Result<&[u8], PaFailure> {
    // Bytes after the element (a file read past its end) are ignored: only
    // the element itself is signed.
    let (file, _rest) = tlv::read(sod).map_err(|error| malformed(error.to_string()))?;
    if file.tag != SOD_TAG {
        return Err(malformed(format!("tag {:X} is not EF.SOD (77)", file.tag)));
    }
    Ok(file.value)
}

/// Unwraps tag `77` and decodes the CMS ContentInfo → SignedData.
fn parse_signed_data(sod: &[u8]) -> Result<SignedData, PaFailure> {
    let content_info = ContentInfo::from_der(sod_content(sod)?)
        .map_err(|error| malformed(format!("ContentInfo: {error}")))?;
    if content_info.content_type != oids::ID_SIGNED_DATA {
        return Err(malformed(format!(
            "content type {} is not signedData",
            content_info.content_type
        )));
    }
    content_info
        .content
        .decode_as::<SignedData>()
        .map_err(|error| malformed(format!("SignedData: {error}")))
}

/// Step 2: every group we read must be listed with the same hash.
fn check_group_hashes(
    files: &LdsFiles,
    security_object: &LdsSecurityObject,
    digest: DigestAlgorithm,
) -> Result<(), PaFailure> {
    for (&number, contents) in &files.groups {
        let listed = security_object
            .data_group_hash_values
            .iter()
            .find(|entry| entry.data_group_number == number)
            .ok_or(PaFailure::GroupNotInSod(number))?;
        if listed.data_group_hash_value.as_bytes() != digest.hash(contents).as_slice() {
            return Err(PaFailure::GroupAltered(number));
        }
    }
    Ok(())
}

/// Step 5: a trusted CSCA named as the signer's issuer whose key verifies
/// the signer certificate. Several may share the name (key rollover).
fn issuing_csca<'a>(
    signer: &Certificate,
    signer_encoded: &[u8],
    trust: &'a TrustList,
) -> Result<&'a Certificate, PaFailure> {
    let issuer = &signer.tbs_certificate.issuer;
    let mut unsupported = None;
    for csca in trust.certificates() {
        if !names_match(issuer, &csca.tbs_certificate.subject) {
            continue;
        }
        match verify_issued_by(signer, signer_encoded, csca) {
            Ok(()) => return Ok(csca),
            Err(SignatureError::Unsupported(detail)) => unsupported = Some(detail),
            Err(_) => {}
        }
    }
    // If the only CSCA that could have issued it uses an algorithm we cannot
    // check (e.g. brainpoolP512r1), say so rather than "untrusted".
    Err(match unsupported {
        Some(detail) => PaFailure::UnsupportedAlgorithm(format!("CSCA signature: {detail}")),
        None => PaFailure::SignerUntrusted {
            issuer: name_text(issuer),
        },
    })
}

/// ICAO 9303-12: a document signer belongs to its CSCA's country.
fn check_country(signer: &Certificate, csca: &Certificate) -> Result<(), PaFailure> {
    let signer_country = country(&signer.tbs_certificate.subject)
        .or_else(|| country(&signer.tbs_certificate.issuer))
        .unwrap_or_default();
    let csca_country = country(&csca.tbs_certificate.subject).unwrap_or_default();
    if signer_country.is_empty() || signer_country != csca_country {
        return Err(PaFailure::CountryMismatch {
            signer: signer_country,
            csca: csca_country,
        });
    }
    Ok(())
}
