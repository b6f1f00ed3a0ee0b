//! PACE, Password Authenticated Connection Establishment (ICAO 9303-11
//! §4.4), with generic mapping over the standardized elliptic curves and
//! 3DES or AES secure messaging, sans-IO: the terminal side drives the
//! reading session ([`crate::chip::session`]), the chip side the card
//! emulator. Vietnamese CCCD chips offer PACE with the CAN (the last six
//! digits of the ID); BAC stays the fall-back.
//!
//! - [`info`]: EF.CardAccess, the PACE variants a chip offers.
//! - [`keys`]: passwords, KDF, nonce encryption, session keys, tokens.
//! - [`curve`]: the groups by parameter id and their point operations.
//! - [`terminal`], [`chip`]: the two sides of the exchange.

pub mod chip;
pub mod curve;
pub mod info;
pub mod keys;
pub mod terminal;

pub use curve::StandardCurve;
pub use info::{PaceInfo, card_access, supported_pace_infos};
pub use keys::{Cipher, Password};
pub use terminal::{PaceError, PaceStep, PaceTerminal};

#[cfg(test)]
mod worked_example;
