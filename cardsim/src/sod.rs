//! Signing EF.SOD for an emulated card: the LDSSecurityObject with the
//! SHA-256 hash of every data group, in a CMS SignedData by the test
//! document signer, wrapped in tag `77`.
//!
//! Signed attributes are contentType and messageDigest only (no
//! signingTime), so the same PKI and groups always give the same bytes.

use std::collections::BTreeMap;

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::asn1::{Any, OctetString};
use der::{Encode, Tag};
use examgate_shared::chip::tlv;
use examgate_shared::chip::verify::oids;
use examgate_shared::chip::verify::{DataGroupHash, LdsSecurityObject};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;

use crate::pki::{SignerKey, TestPki};

/// The whole EF.SOD (tag `77`) over `groups` (number → whole file).
///
/// # Panics
/// Only on a bug in building the structures (every input is our own).
pub fn sign_sod(pki: &TestPki, groups: &BTreeMap<u8, Vec<u8>>) -> Vec<u8> {
    let security_object = LdsSecurityObject {
        version: 0,
        hash_algorithm: sha256_identifier(),
        data_group_hash_values: groups
            .iter()
            .map(|(&number, contents)| DataGroupHash {
                data_group_number: number,
                data_group_hash_value: OctetString::new(Sha256::digest(contents).to_vec())
                    .expect("hash fits an OCTET STRING"),
            })
            .collect(),
        lds_version_info: None,
    };
    let security_object_der = security_object.to_der().expect("LDSSecurityObject encodes");
    let content = EncapsulatedContentInfo {
        econtent_type: oids::LDS_SECURITY_OBJECT,
        econtent: Some(Any::new(Tag::OctetString, security_object_der).expect("eContent encodes")),
    };

    let certificate = pki.signer_certificate().clone();
    let signer_id = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: certificate.tbs_certificate.issuer.clone(),
        serial_number: certificate.tbs_certificate.serial_number.clone(),
    });
    let mut builder = SignedDataBuilder::new(&content);
    builder
        .add_digest_algorithm(sha256_identifier())
        .expect("digest algorithm")
        .add_certificate(CertificateChoices::Certificate(certificate))
        .expect("certificate");
    match &pki.signer_key {
        SignerKey::Rsa(key) => {
            let signer_info = SignerInfoBuilder::new(
                key.as_ref(),
                signer_id,
                sha256_identifier(),
                &content,
                None,
            )
            .expect("signer info");
            builder
                .add_signer_info::<_, rsa::pkcs1v15::Signature>(signer_info)
                .expect("RSA signature");
        }
        SignerKey::EcdsaP256(key) => {
            let signer_info =
                SignerInfoBuilder::new(key, signer_id, sha256_identifier(), &content, None)
                    .expect("signer info");
            builder
                .add_signer_info::<_, p256::ecdsa::DerSignature>(signer_info)
                .expect("ECDSA signature");
        }
    }
    let content_info = builder.build().expect("SignedData builds");
    let content_info_der = content_info.to_der().expect("ContentInfo encodes");
    tlv::encode(0x77, &content_info_der)
}

/// id-sha256 with absent parameters (RFC 5754 recommends omitting NULL).
fn sha256_identifier() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: oids::ID_SHA_256,
        parameters: None,
    }
}
