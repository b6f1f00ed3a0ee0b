//! Object identifiers that passive and active authentication look for.
//!
//! Standard X.509/CMS identifiers come from `const_oid`'s database; the ICAO
//! (2.23.136), BSI (0.4.0.127.0.7) and brainpool (1.3.36) ones are not in it
//! and are spelled out here, once.

use const_oid::ObjectIdentifier;

pub use const_oid::db::rfc4519::COUNTRY_NAME;
pub use const_oid::db::rfc5911::{ID_CONTENT_TYPE, ID_MESSAGE_DIGEST, ID_SIGNED_DATA};
pub use const_oid::db::rfc5912::{
    ECDSA_WITH_SHA_224, ECDSA_WITH_SHA_256, ECDSA_WITH_SHA_384, ECDSA_WITH_SHA_512,
    ID_EC_PUBLIC_KEY, ID_MGF_1, ID_RSASSA_PSS, ID_SHA_1, ID_SHA_224, ID_SHA_256, ID_SHA_384,
    ID_SHA_512, RSA_ENCRYPTION, SECP_256_R_1, SECP_384_R_1, SECP_521_R_1,
    SHA_1_WITH_RSA_ENCRYPTION, SHA_224_WITH_RSA_ENCRYPTION, SHA_256_WITH_RSA_ENCRYPTION,
    SHA_384_WITH_RSA_ENCRYPTION, SHA_512_WITH_RSA_ENCRYPTION,
};

/// ecdsa-with-SHA1 (RFC 3279); older document signers still use it.
pub const ECDSA_WITH_SHA_1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");

/// prime-field, the field type of explicit elliptic-curve parameters (X9.62).
pub const PRIME_FIELD: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.1.1");

/// id-icao-mrtd-security-ldsSecurityObject: the eContentType of EF.SOD.
pub const LDS_SECURITY_OBJECT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.1");

/// id-icao-cscaMasterList (ICAO 9303-12 §9): the content of a master list.
pub const CSCA_MASTER_LIST: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.2");

/// id-icao-cscaMasterListSigningKey: the extended key usage a master list
/// signer's certificate carries (ICAO 9303-12 §7.1.1.5).
pub const CSCA_MASTER_LIST_SIGNING_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.23.136.1.1.3");

/// The extended key usage extension (RFC 5280 §4.2.1.12).
pub const EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");

/// id-icao-mrtd-security-aaProtocolObject: ActiveAuthenticationInfo in DG14.
pub const ACTIVE_AUTHENTICATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.5");

/// ecdsa-plain-SHA1 … ecdsa-plain-SHA512 (BSI TR-03111): ECDSA whose
/// signature is the plain concatenation r ‖ s.
pub const ECDSA_PLAIN_SHA_1: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.1");
pub const ECDSA_PLAIN_SHA_224: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.2");
pub const ECDSA_PLAIN_SHA_256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.3");
pub const ECDSA_PLAIN_SHA_384: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.4");
pub const ECDSA_PLAIN_SHA_512: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.5");

/// secp224r1 (NIST P-224, SEC 2).
pub const SECP_224_R_1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.33");

/// The brainpool r1 curves ICAO 9303 allows (RFC 5639).
pub const BRAINPOOL_P224_R1: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.5");
pub const BRAINPOOL_P320_R1: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.9");
pub const BRAINPOOL_P256_R1: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.7");
pub const BRAINPOOL_P384_R1: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.11");
pub const BRAINPOOL_P512_R1: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.13");
