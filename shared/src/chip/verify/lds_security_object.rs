//! The LDSSecurityObject, the content EF.SOD signs (ICAO 9303-10 §4.6.2).
//!
//! ```text
//! LDSSecurityObject ::= SEQUENCE {
//!   version LDSSecurityObjectVersion,            -- v0 or v1
//!   hashAlgorithm DigestAlgorithmIdentifier,
//!   dataGroupHashValues SEQUENCE SIZE (2..ub-DataGroups) OF DataGroupHash,
//!   ldsVersionInfo LDSVersionInfo OPTIONAL }     -- v1 only
//! DataGroupHash ::= SEQUENCE {
//!   dataGroupNumber DataGroupNumber,
//!   dataGroupHashValue OCTET STRING }
//! ```
//!
//! Public so that the card emulator encodes exactly what the relay decodes.

use der::Sequence;
use der::asn1::{Any, OctetString};
use spki::AlgorithmIdentifierOwned;

/// The signed list of data-group hashes.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct LdsSecurityObject {
    /// 0 (v0) or 1 (v1, with `lds_version_info`).
    pub version: u8,
    /// The hash used for every data group.
    pub hash_algorithm: AlgorithmIdentifierOwned,
    /// One hash per data group present on the chip.
    pub data_group_hash_values: Vec<DataGroupHash>,
    /// LDS and Unicode versions (v1); not needed for verification, so
    /// kept undecoded.
    #[asn1(optional = "true")]
    pub lds_version_info: Option<Any>,
}

/// The hash of one data group.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct DataGroupHash {
    /// 1 to 16.
    pub data_group_number: u8,
    /// The hash of the whole data group file (tag, length, value).
    pub data_group_hash_value: OctetString,
}
