//! DG14's Chip Authentication entries (ICAO 9303-11 §9.2.5–9.2.6):
//!
//! ```text
//! ChipAuthenticationInfo ::= SEQUENCE { protocol id-CA-ECDH-*,
//!     version INTEGER, keyId INTEGER OPTIONAL }
//! ChipAuthenticationPublicKeyInfo ::= SEQUENCE { protocol id-PK-ECDH,
//!     chipAuthenticationPublicKey SubjectPublicKeyInfo, keyId INTEGER OPTIONAL }
//! ```
//!
//! The relay reads them (from a DG14 that passive authentication will
//! check) to run Chip Authentication as the terminal. Only ECDH keys on the
//! curves [`StandardCurve`] knows are offered; DH (id-CA-DH) and P-224 are
//! refused by name.

use der::asn1::{Any, SetOfVec};
use der::{Decode, Tag, Tagged};
use spki::SubjectPublicKeyInfoOwned;

use super::ec_curves::EcCurve;
use super::security_infos::{DG14_TAG, SecurityInfo};
use crate::chip::chip_auth::{CA_ECDH, ChipAuthKey, PK_ECDH};
use crate::chip::pace::{Cipher, StandardCurve};
use crate::chip::tlv;

/// The Chip Authentication DG14 offers, if any.
pub fn chip_authentication_key(dg14: &[u8]) -> Result<Option<ChipAuthKey>, String> {
    let (file, _padding) = tlv::read(dg14).map_err(|error| error.to_string())?;
    if file.tag != DG14_TAG {
        return Err(format!("tag {:X} is not DG14 (6E)", file.tag));
    }
    let infos = SetOfVec::<Any>::from_der(file.value).map_err(|error| error.to_string())?;
    let mut protocols = Vec::new();
    let mut keys = Vec::new();
    for info in infos.iter() {
        let Ok(info) = info.decode_as::<SecurityInfo>() else {
            continue;
        };
        let oid = info.protocol.as_bytes();
        // keyId, for the two Chip Authentication infos only (others use
        // their optional field for other things).
        let key_id = || match &info.optional_data {
            Some(id) => small_integer(id).map(Some),
            None => Ok(None),
        };
        if let Some((&arc, prefix)) = oid.split_last()
            && prefix == CA_ECDH
        {
            let key_id = key_id()?;
            let cipher = Cipher::from_oid_arc(arc)
                .ok_or_else(|| format!("chip authentication cipher {arc}"))?;
            protocols.push((cipher, key_id));
        } else if oid == PK_ECDH {
            let key_id = key_id()?;
            let spki = info
                .required_data
                .decode_as::<SubjectPublicKeyInfoOwned>()
                .map_err(|error| format!("chip authentication key: {error}"))?;
            let parameters = spki.algorithm.parameters.as_ref().map(Into::into);
            let curve = EcCurve::from_parameters(parameters)
                .map_err(|error| format!("chip authentication key: {error:?}"))?;
            let curve = standard_curve(curve)?;
            let public = spki
                .subject_public_key
                .as_bytes()
                .ok_or("chip authentication key: unused bits")?
                .to_vec();
            keys.push((curve, public, key_id));
        }
    }
    let Some(&(cipher, wanted)) = protocols.first() else {
        return Ok(None);
    };
    let key = keys
        .into_iter()
        .find(|(_, _, key_id)| wanted.is_none() || *key_id == wanted)
        .ok_or("ChipAuthenticationInfo without its public key")?;
    Ok(Some(ChipAuthKey {
        cipher,
        curve: key.0,
        public: key.1,
        key_id: wanted.or(key.2),
    }))
}

fn small_integer(any: &Any) -> Result<u8, String> {
    if any.tag() != Tag::Integer || any.value().len() != 1 {
        return Err("keyId is not a small INTEGER".into());
    }
    Ok(any.value()[0])
}

/// The PACE/CA group of a verification curve.
fn standard_curve(curve: EcCurve) -> Result<StandardCurve, String> {
    Ok(match curve {
        EcCurve::NistP256 => StandardCurve::NistP256,
        EcCurve::NistP384 => StandardCurve::NistP384,
        EcCurve::NistP521 => StandardCurve::NistP521,
        EcCurve::BrainpoolP224r1 => StandardCurve::BrainpoolP224r1,
        EcCurve::BrainpoolP256r1 => StandardCurve::BrainpoolP256r1,
        EcCurve::BrainpoolP320r1 => StandardCurve::BrainpoolP320r1,
        EcCurve::BrainpoolP384r1 => StandardCurve::BrainpoolP384r1,
        EcCurve::BrainpoolP512r1 => StandardCurve::BrainpoolP512r1,
        EcCurve::NistP224 => return Err("chip authentication on P-224 is not supported".into()),
    })
}
