//! Proof that what was read came from a genuine chip: passive
//! authentication of the data groups against EF.SOD and a trust list of
//! CSCAs, and active authentication of the chip's answer to a relay
//! challenge (chip-card.md, "Passive authentication", "Active
//! authentication"). Compiled only with the `verify` feature: the relay
//! decides, the browser only carries bytes.
//!
//! - [`passive_auth`] ([`pa`]): SOD parse, group hashes, signature, chain.
//! - [`active_auth`] ([`aa`]): ISO/IEC 9796-2 RSA or plain ECDSA.
//! - [`TrustList`] ([`trust`]): the CSCA certificates, from a folder of
//!   certificates, master lists ([`master_list`]) and CRLs
//!   ([`revocation`]); [`TrustReport`] says what it holds.
//! - Signatures are checked over the bytes as encoded ([`cms_encoded`]),
//!   one CMS signer at a time ([`one_signer`]).
//! - [`LdsSecurityObject`], [`ActiveAuthenticationInfo`]: the ASN.1 the
//!   card emulator also encodes.
//!
//! Cryptography and ASN.1 are RustCrypto's (`cms`, `x509-cert`, `der`,
//! `rsa`, `p224`, `p256`, `p384`, `p521`, `bp256`, `bp384`, and the other
//! brainpool curves from `examgate-ec-curves`); this module only wires them
//! to the ICAO rules.

pub mod aa;
mod aa_failure;
mod certificate;
pub mod chip_auth_info;
mod cms_encoded;
mod digest;
mod ec_curves;
mod ecdsa_verify;
mod iso9796;
mod lds_files;
pub mod lds_security_object;
mod master_list;
pub mod oids;
mod one_signer;
pub mod pa;
mod pa_failure;
mod revocation;
pub mod security_infos;
mod signature;
pub mod trust;
mod trust_error;
pub mod trust_report;

pub use aa::{AaAlgorithm, active_auth};
pub use aa_failure::AaFailure;
pub use chip_auth_info::{
    DH_KEY_AGREEMENT, DH_PUBLIC_NUMBER, X942Parameters, chip_authentication_key,
};
pub use digest::DigestAlgorithm;
pub use ec_curves::EcCurve;
pub use lds_files::LdsFiles;
pub use lds_security_object::{DataGroupHash, LdsSecurityObject};
pub use pa::{PassiveAuth, passive_auth};
pub use pa_failure::PaFailure;
pub use revocation::Revocation;
pub use security_infos::ActiveAuthenticationInfo;
pub use trust::TrustList;
pub use trust_error::VerifyError;
pub use trust_report::TrustReport;

#[cfg(test)]
mod openssl_curves;
#[cfg(test)]
mod openssl_sod_vector;
#[cfg(test)]
mod openssl_vectors;
