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
//! check) to run Chip Authentication as the terminal. ECDH keys on the
//! curves [`StandardCurve`] knows and DH keys with explicit X9.42
//! (`dhpublicnumber`) or PKCS #3 (`dhKeyAgreement`) parameters are run;
//! anything else (P-224, an unknown cipher, curve or group, a keyId
//! without its key, a protocol whose key is of the other kind) is "no Chip
//! Authentication we can run", `Ok(None)`, so that such a chip is checked
//! with Active Authentication instead. Only a DG14 that is not a DER SET of
//! SecurityInfos is an error. A public key without a ChipAuthenticationInfo
//! means CA version 1 with 3DES (ICAO 9303-11 §9.2.5).
//!
//! A DH public key is the DER INTEGER `y` inside the key's BIT STRING
//! (RFC 3279 §2.3.3).

use der::asn1::{Any, ObjectIdentifier, SetOfVec, UintRef};
use der::{Decode, Encode, Sequence, Tag, Tagged};
use spki::SubjectPublicKeyInfoOwned;

use super::ec_curves::EcCurve;
use super::security_infos::{DG14_TAG, SecurityInfo};
use crate::chip::chip_auth::{CA_DH, CA_ECDH, ChipAuthKey, KeyAgreement, PK_DH, PK_ECDH};
use crate::chip::dh::DhGroup;
use crate::chip::pace::Cipher;
use crate::chip::tlv;

/// dhpublicnumber (ANSI X9.42): parameters `SEQUENCE { p, g, q, … }`.
pub const DH_PUBLIC_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10046.2.1");
/// dhKeyAgreement (PKCS #3): parameters `SEQUENCE { p, g, … }`.
pub const DH_KEY_AGREEMENT: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.3.1");

/// X9.42 DomainParameters (RFC 3279 §2.3.3), as DG14 spells out a DH
/// group; `j` and the validation parameters are read but not needed to
/// agree on a key.
#[derive(Sequence)]
pub struct X942Parameters<'a> {
    pub p: UintRef<'a>,
    pub g: UintRef<'a>,
    pub q: UintRef<'a>,
    #[asn1(optional = "true")]
    pub j: Option<UintRef<'a>>,
    #[asn1(optional = "true")]
    pub validation: Option<Any>,
}

impl<'a> X942Parameters<'a> {
    /// The parameters of `group` (which must know its `q`), for encoding.
    pub fn of(group: &'a DhGroup) -> der::Result<X942Parameters<'a>> {
        let q = group.q().ok_or_else(|| der::Tag::Integer.value_error())?;
        Ok(X942Parameters {
            p: UintRef::new(group.p())?,
            g: UintRef::new(group.g())?,
            q: UintRef::new(q)?,
            j: None,
            validation: None,
        })
    }
}

/// PKCS #3 DHParameter (privateValueLength read, not needed).
#[derive(Sequence)]
struct Pkcs3Parameters<'a> {
    p: UintRef<'a>,
    g: UintRef<'a>,
    #[asn1(optional = "true")]
    private_value_length: Option<UintRef<'a>>,
}

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
            && (prefix == CA_ECDH || prefix == CA_DH)
        {
            announced = true;
            let (Some(cipher), Ok(key_id)) = (Cipher::from_oid_arc(arc), key_id()) else {
                continue;
            };
            protocols.push((cipher, prefix == CA_DH, key_id));
        } else if oid == PK_ECDH || oid == PK_DH {
            let Ok(key_id) = key_id() else {
                continue;
            };
            let Ok(spki) = info.required_data.decode_as::<SubjectPublicKeyInfoOwned>() else {
                continue;
            };
            let Some(public) = spki.subject_public_key.as_bytes() else {
                continue;
            };
            let key = if oid == PK_ECDH {
                let parameters = spki.algorithm.parameters.as_ref().map(Into::into);
                EcCurve::from_parameters(parameters)
                    .ok()
                    .and_then(EcCurve::standard)
                    .map(|curve| (KeyAgreement::Ecdh(curve), public.to_vec()))
            } else {
                dh_key(&spki, public)
            };
            if let Some((agreement, public)) = key {
                keys.push((agreement, public, key_id));
            }
        }
    }
    // No ChipAuthenticationInfo at all but a key: version 1 with 3DES.
    let protocols = if !announced {
        keys.iter()
            .map(|(agreement, _, _)| (Cipher::Tdes, matches!(agreement, KeyAgreement::Dh(_)), None))
            .take(1)
            .collect()
    } else {
        protocols
    };
    for (cipher, dh, wanted) in protocols {
        let Some(key) = keys.iter().find(|(agreement, _, key_id)| {
            matches!(agreement, KeyAgreement::Dh(_)) == dh
                && (wanted.is_none() || *key_id == wanted)
        }) else {
            continue;
        };
        return Ok(Some(ChipAuthKey {
            cipher,
            agreement: key.0.clone(),
            public: key.1.clone(),
            key_id: wanted.or(key.2),
        }));
    }
    Ok(None)
}

/// A DH key's group and public value, when its parameters are explicit and
/// sound.
fn dh_key(spki: &SubjectPublicKeyInfoOwned, public: &[u8]) -> Option<(KeyAgreement, Vec<u8>)> {
    let parameters = spki.algorithm.parameters.as_ref()?.to_der().ok()?;
    let group = if spki.algorithm.oid == DH_PUBLIC_NUMBER {
        let x942 = X942Parameters::from_der(&parameters).ok()?;
        DhGroup::new(
            x942.p.as_bytes(),
            x942.g.as_bytes(),
            Some(x942.q.as_bytes()),
        )
        .ok()?
    } else if spki.algorithm.oid == DH_KEY_AGREEMENT {
        let pkcs3 = Pkcs3Parameters::from_der(&parameters).ok()?;
        DhGroup::new(pkcs3.p.as_bytes(), pkcs3.g.as_bytes(), None).ok()?
    } else {
        return None;
    };
    let y = UintRef::from_der(public).ok()?;
    // One form for every public value: as long as p (the chip's side and
    // the commands use it), whatever leading zeros the INTEGER dropped.
    let y = group.padded_value(y.as_bytes())?;
    Some((KeyAgreement::Dh(group), y))
}

fn small_integer(any: &Any) -> Result<u8, String> {
    if any.tag() != Tag::Integer || any.value().len() != 1 {
        return Err("keyId is not a small INTEGER".into());
    }
    Ok(any.value()[0])
}

#[cfg(test)]
mod tests {
    use der::Encode;
    use der::asn1::{BitString, ObjectIdentifier};
    use spki::AlgorithmIdentifierOwned;

    use super::*;
    use crate::chip::pace::StandardCurve;
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
            (key.cipher, key.agreement, key.key_id),
            (
                Cipher::Aes128,
                KeyAgreement::Ecdh(StandardCurve::BrainpoolP256r1),
                Some(1)
            )
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

    /// A DH key with explicit X9.42 parameters (RFC 5114's 2048-bit group).
    fn dh_public_key(p: &[u8], g: &[u8], q: &[u8], y: &[u8]) -> Any {
        let parameters = X942Parameters {
            p: UintRef::new(p).unwrap(),
            g: UintRef::new(g).unwrap(),
            q: UintRef::new(q).unwrap(),
            j: None,
            validation: None,
        };
        let spki = SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: DH_PUBLIC_NUMBER,
                parameters: Some(Any::encode_from(&parameters).unwrap()),
            },
            subject_public_key: BitString::from_bytes(&UintRef::new(y).unwrap().to_der().unwrap())
                .unwrap(),
        };
        Any::encode_from(&spki).unwrap()
    }

    #[test]
    fn a_dh_key_is_run_with_its_explicit_group() {
        let group = DhGroup::standardized(2).unwrap();
        let y = group.public_value(&[5; 32]);
        let two = Any::encode_from(&2u8).unwrap();
        let dh = dg14(vec![
            info(&[&CA_DH[..], &[2]].concat(), two.clone(), Some(1)),
            info(
                &PK_DH,
                dh_public_key(group.p(), group.g(), group.q().unwrap(), &y),
                Some(1),
            ),
        ]);
        let key = chip_authentication_key(&dh).unwrap().unwrap();
        assert_eq!(key.cipher, Cipher::Aes128);
        assert_eq!(key.agreement, KeyAgreement::Dh(group.clone()));
        assert_eq!(key.agreement.name(), "DH-2048");
        assert_eq!(key.public, y);
        assert_eq!(key.oid(), [&CA_DH[..], &[2]].concat());

        // A DH protocol with only an ECDH key (and the reverse): nothing to run.
        let crossed = dg14(vec![
            info(&[&CA_DH[..], &[2]].concat(), two.clone(), None),
            info(&PK_ECDH, public_key(BP256), None),
        ]);
        assert_eq!(chip_authentication_key(&crossed), Ok(None));
        // A DH key in a 512-bit group: refused, so not run.
        let mut small = group.p()[..64].to_vec();
        small[63] |= 1;
        let weak = dg14(vec![info(
            &PK_DH,
            dh_public_key(&small, &[2], &group.q().unwrap()[..20], &y[..64]),
            None,
        )]);
        assert_eq!(chip_authentication_key(&weak), Ok(None));
    }
}
