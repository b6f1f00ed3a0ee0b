//! DG14's SecurityInfos, read for the active-authentication signature
//! algorithm (ICAO 9303-11 §9.2).
//!
//! ```text
//! SecurityInfos ::= SET OF SecurityInfo
//! SecurityInfo ::= SEQUENCE { protocol OBJECT IDENTIFIER,
//!                             requiredData ANY, optionalData ANY OPTIONAL }
//! ActiveAuthenticationInfo ::= SEQUENCE { protocol id-AA,
//!                             version INTEGER, signatureAlgorithm OBJECT IDENTIFIER }
//! ```

use const_oid::ObjectIdentifier;
use der::asn1::{Any, SetOfVec};
use der::{Decode, Sequence};

use super::oids;
use crate::chip::tlv;

/// DG14's tag: application 14, constructed.
pub const DG14_TAG: u32 = 0x6E;

/// One SecurityInfo of any protocol (chip authentication, PACE, AA, …).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SecurityInfo {
    pub protocol: ObjectIdentifier,
    pub required_data: Any,
    #[asn1(optional = "true")]
    pub optional_data: Option<Any>,
}

/// The SecurityInfo that names the hash of ECDSA active authentication.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct ActiveAuthenticationInfo {
    /// Always [`oids::ACTIVE_AUTHENTICATION`].
    pub protocol: ObjectIdentifier,
    /// 1.
    pub version: u8,
    /// An ecdsa-plain-* identifier, e.g. [`oids::ECDSA_PLAIN_SHA_256`].
    pub signature_algorithm: ObjectIdentifier,
}

impl ActiveAuthenticationInfo {
    /// The info a chip with ECDSA active authentication over `signature_algorithm` carries.
    pub fn new(signature_algorithm: ObjectIdentifier) -> Self {
        Self {
            protocol: oids::ACTIVE_AUTHENTICATION,
            version: 1,
            signature_algorithm,
        }
    }
}

/// The active-authentication signature algorithm DG14 announces, if any.
///
/// `dg14` is the whole file (tag `6E`). Errors say why the file could not be
/// read; SecurityInfos of other protocols are skipped.
pub fn active_authentication_algorithm(dg14: &[u8]) -> Result<Option<ObjectIdentifier>, String> {
    let (file, _padding) = tlv::read(dg14).map_err(|error| error.to_string())?;
    if file.tag != DG14_TAG {
        return Err(format!("tag {:X} is not DG14 (6E)", file.tag));
    }
    let infos = SetOfVec::<Any>::from_der(file.value).map_err(|error| error.to_string())?;
    for info in infos.iter() {
        let Ok(info) = info.decode_as::<SecurityInfo>() else {
            continue;
        };
        if info.protocol != oids::ACTIVE_AUTHENTICATION {
            continue;
        }
        let algorithm = info
            .optional_data
            .ok_or("ActiveAuthenticationInfo without signatureAlgorithm")?
            .decode_as::<ObjectIdentifier>()
            .map_err(|error| format!("ActiveAuthenticationInfo: {error}"))?;
        return Ok(Some(algorithm));
    }
    Ok(None)
}
