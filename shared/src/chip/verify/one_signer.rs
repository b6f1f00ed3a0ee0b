//! A CMS SignedData with exactly one signer, checked the way ICAO 9303
//! documents use it (EF.SOD, CSCA master lists): the signed attributes name
//! the content type and carry its hash, and the signer's signature covers
//! those attributes as they were encoded ([`super::cms_encoded`]).

use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::ObjectIdentifier;
use der::{Decode, Tag, Tagged};
use x509_cert::Certificate;
use x509_cert::ext::pkix::SubjectKeyIdentifier;

use super::certificate::names_match;
use super::cms_encoded::EncodedSignedData;
use super::digest::DigestAlgorithm;
use super::oids;
use super::signature::{SignatureError, verify_signature};

/// Why the signer's part of a SignedData does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerError {
    Malformed(String),
    /// The contentType attribute names another type than expected.
    WrongContentType {
        found: String,
    },
    UnsupportedHash(String),
    MessageDigestMismatch,
    CertificateMissing,
    Signature(SignatureError),
}

/// The signer whose signature verified, with its certificate as encoded.
pub struct Signer<'a> {
    pub certificate: Certificate,
    pub encoded: &'a [u8],
}

/// ICAO 9303-10 (and -12 for master lists) require exactly one SignerInfo.
pub fn only_signer(signed_data: &SignedData) -> Result<&SignerInfo, SignerError> {
    let mut signers = signed_data.signer_infos.0.iter();
    match (signers.next(), signers.next()) {
        (Some(signer), None) => Ok(signer),
        (None, _) => Err(SignerError::Malformed("no SignerInfo".into())),
        (Some(_), Some(_)) => Err(SignerError::Malformed("more than one SignerInfo".into())),
    }
}

/// The hash the signer used, if we implement it.
pub fn signer_digest(signer_info: &SignerInfo) -> Result<DigestAlgorithm, SignerError> {
    let oid = &signer_info.digest_alg.oid;
    DigestAlgorithm::from_oid(oid)
        .ok_or_else(|| SignerError::UnsupportedHash(format!("hash algorithm {oid}")))
}

/// Checks the signed attributes against `content_type` and the hash of
/// `econtent`, finds the signer's certificate and verifies the signature
/// over the attributes as encoded.
pub fn verify_signer<'a>(
    signed_data: &SignedData,
    encoded: &EncodedSignedData<'a>,
    content_type: ObjectIdentifier,
    econtent: &[u8],
) -> Result<Signer<'a>, SignerError> {
    let signer_info = only_signer(signed_data)?;
    let digest = signer_digest(signer_info)?;
    check_signed_attributes(signer_info, digest, content_type, econtent)?;
    let message = encoded
        .signed_attributes
        .as_deref()
        .ok_or_else(|| SignerError::Malformed("no signed attributes".into()))?;
    let signer = signer_certificate(encoded, &signer_info.sid)?;
    verify_signature(
        &signer.certificate.tbs_certificate.subject_public_key_info,
        &signer_info.signature_algorithm,
        Some(digest),
        message,
        signer_info.signature.as_bytes(),
    )
    .map_err(SignerError::Signature)?;
    Ok(signer)
}

/// The signed attributes name the content type and carry the hash of the
/// content (RFC 5652 §5.3, §11).
fn check_signed_attributes(
    signer_info: &SignerInfo,
    digest: DigestAlgorithm,
    expected_type: ObjectIdentifier,
    econtent: &[u8],
) -> Result<(), SignerError> {
    let attributes = signer_info
        .signed_attrs
        .as_ref()
        .ok_or_else(|| SignerError::Malformed("no signed attributes".into()))?;
    let single_value = |oid: ObjectIdentifier| {
        attributes
            .iter()
            .find(|attribute| attribute.oid == oid)
            .and_then(|attribute| attribute.values.iter().next())
    };

    if let Some(content_type) = single_value(oids::ID_CONTENT_TYPE) {
        let content_type = content_type
            .decode_as::<ObjectIdentifier>()
            .map_err(|error| SignerError::Malformed(format!("contentType attribute: {error}")))?;
        if content_type != expected_type {
            return Err(SignerError::WrongContentType {
                found: content_type.to_string(),
            });
        }
    }

    let message_digest = single_value(oids::ID_MESSAGE_DIGEST)
        .ok_or_else(|| SignerError::Malformed("no messageDigest attribute".into()))?;
    if message_digest.tag() != Tag::OctetString {
        return Err(SignerError::Malformed(
            "messageDigest is not an OCTET STRING".into(),
        ));
    }
    if message_digest.value() != digest.hash(econtent).as_slice() {
        return Err(SignerError::MessageDigestMismatch);
    }
    Ok(())
}

/// The certificate the SignerInfo's identifier names, decoded from its
/// encoding so that its TBS part can be checked as encoded too.
fn signer_certificate<'a>(
    encoded: &EncodedSignedData<'a>,
    sid: &SignerIdentifier,
) -> Result<Signer<'a>, SignerError> {
    for &bytes in &encoded.certificates {
        // Other certificate formats (attribute certificates) are skipped.
        let Ok(certificate) = Certificate::from_der(bytes) else {
            continue;
        };
        let tbs = &certificate.tbs_certificate;
        let matches = match sid {
            SignerIdentifier::IssuerAndSerialNumber(id) => {
                id.serial_number == tbs.serial_number && names_match(&id.issuer, &tbs.issuer)
            }
            SignerIdentifier::SubjectKeyIdentifier(wanted) => matches!(
                tbs.get::<SubjectKeyIdentifier>(),
                Ok(Some((_, found))) if found == *wanted
            ),
        };
        if matches {
            return Ok(Signer {
                certificate,
                encoded: bytes,
            });
        }
    }
    Err(SignerError::CertificateMissing)
}
