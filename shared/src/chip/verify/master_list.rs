//! CSCA master lists (ICAO 9303-12 §9): a CMS SignedData whose content is
//! `CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF
//! Certificate }`, signed by a master list signer that a CSCA of the
//! publishing state issued. Germany and the Netherlands publish theirs;
//! they carry the one public Vietnamese CSCA.
//!
//! A list is accepted only when its signature verifies over the signed
//! attributes as encoded, its content hash matches, its signer's
//! certificate is for signing master lists (extended key usage
//! id-icao-cscaMasterListSigningKey, ICAO 9303-12 §7.1.1.5: a document
//! signer or another certificate of the same CSCA cannot sign one), and
//! its signer was issued (signature checked) by a CSCA of its own named
//! country, already trusted or found in the list itself. In the second case the list only
//! proves it is whole, not who published it (anyone can make such a list),
//! and the report says so: which lists to load stays the operator's
//! decision, made by where the file came from.

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::SetOfVec;
use der::{Decode, Sequence, Tag, Tagged};
use x509_cert::Certificate;
use x509_cert::ext::pkix::ExtendedKeyUsage;

use super::certificate::{country, name_text, names_match, unix_time, verify_issued_by};
use super::cms_encoded::{encoded_signed_data, encoded_tbs};
use super::oids;
use super::one_signer::{SignerError, verify_signer};

/// `CscaMasterList` (ICAO 9303-12 §9).
#[derive(Sequence)]
struct CscaMasterList {
    version: u8,
    cert_list: SetOfVec<Certificate>,
}

/// A master list whose signature and signer were checked.
#[derive(Debug, Clone)]
pub struct MasterList {
    /// The master list signer's subject (RFC 4514).
    pub signer: String,
    /// The CSCA that issued the signer.
    pub signer_issuer: String,
    /// The signer certificate's validity end, Unix seconds.
    pub signer_not_after: i64,
    /// Whether the signer's issuer is a CSCA inside the list itself (not
    /// one already trusted): then the list proves only that it is whole,
    /// not who published it, and loading it is the operator's trust.
    pub self_vouched: bool,
    /// The CSCA certificates the list holds.
    pub certificates: Vec<Certificate>,
}

/// Reads and verifies a master list; `already_trusted` may have issued its
/// signer as well as the CSCAs inside it.
pub fn read_master_list(
    bytes: &[u8],
    already_trusted: &[Certificate],
) -> Result<MasterList, String> {
    let content_info =
        ContentInfo::from_der(bytes).map_err(|error| format!("not a CMS ContentInfo: {error}"))?;
    if content_info.content_type != oids::ID_SIGNED_DATA {
        return Err(format!(
            "content type {} is not signedData",
            content_info.content_type
        ));
    }
    let signed_data = content_info
        .content
        .decode_as::<SignedData>()
        .map_err(|error| format!("SignedData: {error}"))?;
    let content = &signed_data.encap_content_info;
    if content.econtent_type != oids::CSCA_MASTER_LIST {
        return Err(format!(
            "signed content of type {}, not a CSCA master list ({})",
            content.econtent_type,
            oids::CSCA_MASTER_LIST
        ));
    }
    let econtent = content
        .econtent
        .as_ref()
        .filter(|econtent| econtent.tag() == Tag::OctetString)
        .ok_or("no master list content")?
        .value();
    let master_list =
        CscaMasterList::from_der(econtent).map_err(|error| format!("CscaMasterList: {error}"))?;
    if master_list.version != 0 {
        return Err(format!("CscaMasterList version {}", master_list.version));
    }
    let certificates: Vec<Certificate> = master_list.cert_list.into_vec();

    let encoded = encoded_signed_data(bytes)?;
    let signer = verify_signer(&signed_data, &encoded, oids::CSCA_MASTER_LIST, econtent).map_err(
        |error| match error {
            SignerError::Malformed(detail) => detail,
            SignerError::WrongContentType { found } => {
                format!("signed contentType {found} is not a CSCA master list")
            }
            SignerError::UnsupportedHash(detail) => detail,
            SignerError::MessageDigestMismatch => {
                "the signed message digest does not match the list (altered)".into()
            }
            SignerError::CertificateMissing => "the signer's certificate is not in the list".into(),
            SignerError::Signature(error) => format!("the list's signature: {error:?}"),
        },
    )?;
    // Its TBS as encoded must parse: the issuer check reads it.
    encoded_tbs(signer.encoded)?;

    let signer_certificate = &signer.certificate;
    if !signs_master_lists(signer_certificate) {
        return Err(format!(
            "the list's signer ({}) is not a master list signer: its certificate lacks the \
             extended key usage {}",
            name_text(&signer_certificate.tbs_certificate.subject),
            oids::CSCA_MASTER_LIST_SIGNING_KEY
        ));
    }
    let signer_name = &signer_certificate.tbs_certificate.issuer;
    let signer_country = country(&signer_certificate.tbs_certificate.subject)
        .or_else(|| country(signer_name))
        .ok_or("the list's signer names no country")?;
    let issued_by = |csca: &&Certificate| {
        names_match(signer_name, &csca.tbs_certificate.subject)
            && country(&csca.tbs_certificate.subject).as_deref() == Some(signer_country.as_str())
            && verify_issued_by(signer_certificate, signer.encoded, csca).is_ok()
    };
    // A CSCA already trusted vouches for the list; one inside it only
    // proves the list is whole.
    let (issuer, self_vouched) = match already_trusted.iter().find(issued_by) {
        Some(csca) => (csca, false),
        None => (
            certificates.iter().find(issued_by).ok_or_else(|| {
                format!(
                    "no CSCA of its country in the list or the trust list issued its signer ({})",
                    name_text(signer_name)
                )
            })?,
            true,
        ),
    };
    Ok(MasterList {
        signer: name_text(&signer_certificate.tbs_certificate.subject),
        signer_issuer: name_text(&issuer.tbs_certificate.subject),
        signer_not_after: unix_time(&signer_certificate.tbs_certificate.validity.not_after),
        self_vouched,
        certificates,
    })
}

/// Whether `certificate` carries id-icao-cscaMasterListSigningKey in its
/// extended key usage.
fn signs_master_lists(certificate: &Certificate) -> bool {
    let extensions = certificate.tbs_certificate.extensions.iter().flatten();
    extensions
        .filter(|extension| extension.extn_id == oids::EXTENDED_KEY_USAGE)
        .filter_map(|extension| ExtendedKeyUsage::from_der(extension.extn_value.as_bytes()).ok())
        .any(|usage| usage.0.contains(&oids::CSCA_MASTER_LIST_SIGNING_KEY))
}
