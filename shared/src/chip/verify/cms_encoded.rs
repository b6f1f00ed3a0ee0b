//! The bytes of a CMS SignedData that signatures cover, exactly as they
//! were encoded — not as `der` would encode the decoded values again.
//!
//! Why: `der` decodes a SET OF in any order and sorts it, so re-encoding
//! signed attributes that a document signer wrote out of DER order gives
//! different bytes, and a genuine signature no longer verifies. Real EF.SODs
//! do this (chip-card.md, "Real cards"). RFC 5652 §5.4 says the signature
//! covers the DER encoding of the attributes "as they appear", with the
//! `[0] IMPLICIT` tag replaced by SET; a verifier that re-encodes checks a
//! different message. The same holds for a certificate's TBS part.
//!
//! This walks the encoding with the BER-TLV reader the chip code uses, next
//! to (not instead of) the typed decoding: the typed values say what the
//! fields mean, these bytes are what was signed.

use crate::chip::tlv::{self, Tlv};

/// The encoded parts of a SignedData with one signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedSignedData<'a> {
    /// The signer's signed attributes with tag `31` (SET) in place of
    /// `A0`: the message the signature covers.
    pub signed_attributes: Option<Vec<u8>>,
    /// Every entry of the `certificates` field, as encoded.
    pub certificates: Vec<&'a [u8]>,
}

/// Walks a ContentInfo (SEQUENCE { contentType, [0] SignedData }) to the
/// first SignerInfo's signed attributes and the certificates.
pub fn encoded_signed_data(content_info: &[u8]) -> Result<EncodedSignedData<'_>, String> {
    let outer = only(content_info, 0x30, "ContentInfo")?;
    let explicit = outer
        .children()
        .nth(1)
        .ok_or("ContentInfo without content")?
        .map_err(|error| error.to_string())?;
    let signed_data = only(explicit.value, 0x30, "SignedData")?;
    let mut certificates = Vec::new();
    let mut signer_infos = None;
    for field in signed_data.children() {
        let field = field.map_err(|error| error.to_string())?;
        match field.tag {
            0xA0 => {
                for certificate in field.children() {
                    certificates.push(certificate.map_err(|error| error.to_string())?.raw);
                }
            }
            0x31 => signer_infos = Some(field),
            _ => {}
        }
    }
    // The last SET is signerInfos (digestAlgorithms is the first).
    let signer_infos = signer_infos.ok_or("SignedData without signerInfos")?;
    let signer_info = signer_infos
        .children()
        .next()
        .ok_or("no SignerInfo")?
        .map_err(|error| error.to_string())?;
    let signed_attributes = signer_info
        .children()
        .find(0xA0)
        .map_err(|error| error.to_string())?
        .map(|attributes| {
            let mut message = attributes.raw.to_vec();
            message[0] = 0x31;
            message
        });
    Ok(EncodedSignedData {
        signed_attributes,
        certificates,
    })
}

/// The `tbsCertificate` (or `tbsCertList`) of a certificate (or CRL) as
/// encoded: the first element of the outer SEQUENCE.
pub fn encoded_tbs(signed: &[u8]) -> Result<&[u8], String> {
    let outer = only(signed, 0x30, "certificate")?;
    let tbs = outer
        .children()
        .next()
        .ok_or("empty certificate")?
        .map_err(|error| error.to_string())?;
    Ok(tbs.raw)
}

/// One element with `tag` filling `bytes` (trailing bytes are allowed: a
/// file read past its end).
fn only<'a>(bytes: &'a [u8], tag: u32, what: &str) -> Result<Tlv<'a>, String> {
    let (element, _rest) = tlv::read(bytes).map_err(|error| format!("{what}: {error}"))?;
    if element.tag != tag {
        return Err(format!("{what}: tag {:X}, expected {tag:X}", element.tag));
    }
    Ok(element)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chip::tlv::encode;

    #[test]
    fn signed_attributes_come_back_as_encoded_with_a_set_tag() {
        // Two attributes in non-DER order (the longer one first).
        let attributes = [
            encode(0x30, &[0x06, 0x01, 0x2A, 0x31, 0x01, 0x00]),
            encode(0x30, &[0x05, 0x00]),
        ]
        .concat();
        let signer_info = encode(
            0x30,
            &[
                encode(0x02, &[1]),
                encode(0x30, &[]),
                encode(0x30, &[]),
                encode(0xA0, &attributes),
            ]
            .concat(),
        );
        let certificate = encode(
            0x30,
            &[encode(0x30, b"tbs"), encode(0x30, &[]), encode(0x03, &[0])].concat(),
        );
        let signed_data = encode(
            0x30,
            &[
                encode(0x02, &[3]),
                encode(0x31, &[]),
                encode(0x30, &[]),
                encode(0xA0, &certificate),
                encode(0x31, &signer_info),
            ]
            .concat(),
        );
        let content_info = encode(
            0x30,
            &[encode(0x06, &[0x2A]), encode(0xA0, &signed_data)].concat(),
        );

        let parts = encoded_signed_data(&content_info).unwrap();
        assert_eq!(parts.signed_attributes, Some(encode(0x31, &attributes)));
        assert_eq!(parts.certificates, vec![certificate.as_slice()]);
        assert_eq!(encoded_tbs(&certificate).unwrap(), encode(0x30, b"tbs"));
    }

    #[test]
    fn a_truncated_structure_is_an_error_not_a_panic() {
        let content_info = encode(
            0x30,
            &[encode(0x06, &[0x2A]), encode(0xA0, &[0x30, 0x05, 0x02])].concat(),
        );
        assert!(encoded_signed_data(&content_info).is_err());
        assert!(encoded_tbs(&[0x30, 0x00]).is_err());
        assert!(encoded_tbs(&[0x31, 0x00]).is_err());
    }
}
