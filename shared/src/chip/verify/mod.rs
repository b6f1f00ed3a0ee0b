//! Proof that what was read came from a genuine chip: passive
//! authentication of the data groups against EF.SOD and a trust list of
//! CSCAs, and active authentication of the chip's answer to a relay
//! challenge (chip-card.md, "Passive authentication", "Active
//! authentication"). Compiled only with the `verify` feature: the relay
//! decides, the browser only carries bytes.
//!
//! - [`passive_auth`] ([`pa`]): SOD parse, group hashes, signature, chain.
//! - [`active_auth`] ([`aa`]): ISO/IEC 9796-2 RSA or plain ECDSA.
//! - [`TrustList`] ([`trust`]): the CSCA certificates, from a folder.
//! - [`LdsSecurityObject`], [`ActiveAuthenticationInfo`]: the ASN.1 the
//!   card emulator also encodes.
//!
//! Cryptography and ASN.1 are RustCrypto's (`cms`, `x509-cert`, `der`,
//! `rsa`, `p256`, `p384`, `bp256`, `bp384`); this module only wires them to
//! the ICAO rules.

pub mod aa;
mod aa_failure;
mod certificate;
mod digest;
mod ec_curves;
mod ecdsa_verify;
mod iso9796;
mod lds_files;
pub mod lds_security_object;
pub mod oids;
pub mod pa;
mod pa_failure;
pub mod security_infos;
mod signature;
pub mod trust;
mod trust_error;

pub use aa::{AaAlgorithm, active_auth};
pub use aa_failure::AaFailure;
pub use digest::DigestAlgorithm;
pub use ec_curves::EcCurve;
pub use lds_files::LdsFiles;
pub use lds_security_object::{DataGroupHash, LdsSecurityObject};
pub use pa::{PassiveAuth, passive_auth};
pub use pa_failure::PaFailure;
pub use security_infos::ActiveAuthenticationInfo;
pub use trust::TrustList;
pub use trust_error::VerifyError;

#[cfg(test)]
mod openssl_sod_vector;
#[cfg(test)]
mod openssl_vectors;
