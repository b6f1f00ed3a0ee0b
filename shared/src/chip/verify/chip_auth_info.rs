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
//! curves [`StandardCurve`] knows are run; anything else (DH, P-224, an
//! unknown cipher or curve, a keyId without its key) is "no Chip
//! Authentication we can run", `Ok(None)`, so that such a chip is checked
//! with Active Authentication instead. Only a DG14 that is not a DER SET of
//! SecurityInfos is an error. A public key without a ChipAuthenticationInfo
//! means CA version 1 with 3DES (ICAO 9303-11 §9.2.5).

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
    let mut announced = false;
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
            announced = true;
            let (Some(cipher), Ok(key_id)) = (Cipher::from_oid_arc(arc), key_id()) else {
                continue;
            };
            protocols.push((cipher, key_id));
        } else if oid == PK_ECDH {
            let Ok(key_id) = key_id() else {
                continue;
            };
            let Ok(spki) = info.required_data.decode_as::<SubjectPublicKeyInfoOwned>() else {
                continue;
            };
            let parameters = spki.algorithm.parameters.as_ref().map(Into::into);
            let Some(curve) = EcCurve::from_parameters(parameters)
                .ok()
                .and_then(standard_curve)
            else {
                continue;
            };
            let Some(public) = spki.subject_public_key.as_bytes() else {
                continue;
            };
            keys.push((curve, public.to_vec(), key_id));
        }
    }
    // No ChipAuthenticationInfo at all but a key: version 1 with 3DES.
    let protocols = if !announced && !keys.is_empty() {
        vec![(Cipher::Tdes, None)]
    } else {
        protocols
    };
    for (cipher, wanted) in protocols {
        let Some(key) = keys
            .iter()
            .find(|(_, _, key_id)| wanted.is_none() || *key_id == wanted)
        else {
            continue;
        };
        return Ok(Some(ChipAuthKey {
            cipher,
            curve: key.0,
            public: key.1.clone(),
            key_id: wanted.or(key.2),
        }));
    }
    Ok(None)
}

fn small_integer(any: &Any) -> Result<u8, String> {
    if any.tag() != Tag::Integer || any.value().len() != 1 {
        return Err("keyId is not a small INTEGER".into());
    }
    Ok(any.value()[0])
}

/// The PACE/CA group of a verification curve (P-224 has none).
fn standard_curve(curve: EcCurve) -> Option<StandardCurve> {
    Some(match curve {
        EcCurve::NistP256 => StandardCurve::NistP256,
        EcCurve::NistP384 => StandardCurve::NistP384,
        EcCurve::NistP521 => StandardCurve::NistP521,
        EcCurve::BrainpoolP224r1 => StandardCurve::BrainpoolP224r1,
        EcCurve::BrainpoolP256r1 => StandardCurve::BrainpoolP256r1,
        EcCurve::BrainpoolP320r1 => StandardCurve::BrainpoolP320r1,
        EcCurve::BrainpoolP384r1 => StandardCurve::BrainpoolP384r1,
        EcCurve::BrainpoolP512r1 => StandardCurve::BrainpoolP512r1,
        EcCurve::NistP224 => return None,
    })
}

#[cfg(test)]
mod tests {
    use der::Encode;
    use der::asn1::{BitString, ObjectIdentifier};
    use spki::AlgorithmIdentifierOwned;

    use super::*;
    use crate::chip::verify::oids;

    fn info(oid: &[u8], required: Any, optional: Option<u8>) -> Any {
        let info = SecurityInfo {
            protocol: ObjectIdentifier::from_bytes(oid).unwrap(),
            required_data: required,
            optional_data: optional.map(|n| Any::encode_from(&n).unwrap()),
        };
        Any::from_der(&info.to_der().unwrap()).unwrap()
    }

    fn public_key(curve_oid: &str) -> Any {
        let curve = StandardCurve::BrainpoolP256r1;
        let point = curve.public_key(&[7; 32]).unwrap();
        let spki = SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: oids::ID_EC_PUBLIC_KEY,
                parameters: Some(
                    Any::encode_from(&ObjectIdentifier::new_unwrap(curve_oid)).unwrap(),
                ),
            },
            subject_public_key: BitString::from_bytes(&point).unwrap(),
        };
        Any::encode_from(&spki).unwrap()
    }

    fn dg14(infos: Vec<Any>) -> Vec<u8> {
        let mut set = SetOfVec::new();
        for info in infos {
            set.insert(info).unwrap();
        }
        tlv::encode(0x6E, &set.to_der().unwrap())
    }

    const BP256: &str = "1.3.36.3.3.2.8.1.1.7";
    const P224: &str = "1.3.132.0.33";

    fn ca(arc: u8) -> Vec<u8> {
        [&CA_ECDH[..], &[arc]].concat()
    }

    #[test]
    fn what_the_relay_cannot_run_is_no_chip_authentication_not_an_error() {
        let two = Any::encode_from(&2u8).unwrap();
        // The usual: AES-128, key 1.
        let usual = dg14(vec![
            info(&ca(2), two.clone(), Some(1)),
            info(&PK_ECDH, public_key(BP256), Some(1)),
        ]);
        let key = chip_authentication_key(&usual).unwrap().unwrap();
        assert_eq!(
            (key.cipher, key.curve, key.key_id),
            (Cipher::Aes128, StandardCurve::BrainpoolP256r1, Some(1))
        );
        // A key without ChipAuthenticationInfo: version 1, 3DES.
        let implied = dg14(vec![info(&PK_ECDH, public_key(BP256), None)]);
        assert_eq!(
            chip_authentication_key(&implied).unwrap().unwrap().cipher,
            Cipher::Tdes
        );
        // An unknown cipher arc, a P-224 key, a keyId without its key: none.
        for unusable in [
            dg14(vec![
                info(&ca(9), two.clone(), None),
                info(&PK_ECDH, public_key(BP256), None),
            ]),
            dg14(vec![
                info(&ca(2), two.clone(), None),
                info(&PK_ECDH, public_key(P224), None),
            ]),
            dg14(vec![
                info(&ca(2), two.clone(), Some(2)),
                info(&PK_ECDH, public_key(BP256), Some(1)),
            ]),
        ] {
            assert_eq!(chip_authentication_key(&unusable), Ok(None));
        }
        // Not a DG14 at all: an error.
        assert!(chip_authentication_key(&[0x6F, 0x00]).is_err());
        assert!(chip_authentication_key(&tlv::encode(0x6E, &[0x30, 0x01])).is_err());
    }
}
