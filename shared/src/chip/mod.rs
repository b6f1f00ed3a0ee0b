//! Reading a chip identity card (Vietnamese CCCD, an ICAO 9303 eMRTD),
//! sans-IO.
//!
//! The browser client drives [`session::ReadSession`] with APDUs it carries
//! through the bridge ([`bridge`] framing); the relay checks what was read
//! with [`verify`] (feature `verify`). Nothing here does IO or reads a clock:
//! randomness and time are arguments.
//!
//! - [`tlv`]: BER-TLV reading and writing (the LDS encoding).
//! - [`apdu`]: command and response APDUs, short and extended length.
//! - [`crypto`]: 3DES-CBC, ISO 9797-1 retail MAC, AES-CBC, AES-CMAC,
//!   padding method 2.
//! - [`mrz`]: check digits and the BAC input (document number, birth, expiry).
//! - [`id_card`]: Vietnamese ID rules: birth year in the ID, the renewal
//!   rule that gives the expiry, the QR text on the card.
//! - [`bac`]: Basic Access Control key derivation and mutual authentication.
//! - [`pace`]: PACE with the CAN (generic mapping, ECDH, 3DES or AES).
//! - [`chip_auth`]: Chip Authentication with the relay as the terminal
//!   (ECDH, or DH in the groups of [`dh`]).
//! - [`sm`]: secure messaging (protect commands, unprotect responses, and
//!   the card's side of both, for the emulator).
//! - [`session`]: the reading session: select, BAC, read files, AA.
//! - [`lds`]: the files read: EF.COM, DG1 (MRZ), DG2 (face), DG13
//!   (Vietnamese personal data), DG15 (AA key).
//! - [`bridge`]: the USB bridge framing (modelled on CCID XfrBlock).
//! - [`verify`]: passive authentication against a trust list, active
//!   authentication against a relay challenge.

pub mod apdu;
pub mod bac;
pub use examgate_bridge_proto as bridge;
pub mod chip_auth;
pub mod crypto;
pub mod dh;
pub mod id_card;
pub mod lds;
pub mod mrz;
pub mod pace;
pub mod session;
pub mod sm;
pub mod tlv;
#[cfg(feature = "verify")]
pub mod verify;
