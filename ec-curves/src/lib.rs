//! The brainpool curves RustCrypto has no crate for — brainpoolP224r1,
//! brainpoolP320r1 and brainpoolP512r1 (RFC 5639) — built on RustCrypto's
//! generic arithmetic: `primefield` (Montgomery field elements over
//! crypto-bigint) for the base and scalar fields, `primeorder` (complete
//! addition formulas for prime-order short-Weierstrass curves, a ≠ -3) for
//! the group. Each curve is only its published constants; no arithmetic is
//! written here.
//!
//! Why: ICAO 9303 allows every brainpool curve for CSCA, document-signer
//! and chip keys, and the only public Vietnamese CSCA signs with
//! brainpoolP512r1. `bp256` and `bp384` cover the other two sizes.
//!
//! What they are for: ECDSA *verification* of public data (certificates,
//! EF.SOD, Active Authentication answers). crypto-bigint's Montgomery
//! arithmetic is constant-time, but no secret key of these curves is ever
//! held by examgate, so timing is not what the design rests on.
//!
//! Tests check each curve's group law against its published order (n·G is
//! the identity), sign and verify round trips, and — in `examgate-shared` —
//! signatures made by OpenSSL.

#![forbid(unsafe_code)]

mod curve;

pub use curve::{BrainpoolP224r1, BrainpoolP320r1, BrainpoolP512r1};
#[cfg(feature = "ecdsa")]
pub use ecdsa;
pub use elliptic_curve;
