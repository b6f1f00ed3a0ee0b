//! A software stand-in for the card-reader bridge and the chip card behind it.
//!
//! Real check-ins read a Vietnamese CCCD through a USB bridge. Tests,
//! benchmarks and the demo need the same bytes without hardware, and never
//! real people's data, so this crate makes synthetic students, issues their
//! cards from a test PKI (CSCA → document signer → signed EF.SOD, an AA key
//! in the chip), and answers APDUs exactly as a card would, behind a bridge
//! that speaks the USB framing of `docs/bridge-protocol.md`.
//!
//! - [`person`]: synthetic students and the LDS files of their card.
//! - [`pki`]: the test CSCA and document signer; [`sod`]: signing EF.SOD.
//! - [`aa`]: the chip's active-authentication key.
//! - [`chip_auth`]: the chip's Chip Authentication key (DG14).
//! - [`card`]: the emulated chip: SELECT, BAC, secure messaging, READ
//!   BINARY (short and extended), INTERNAL AUTHENTICATE.
//! - [`issue`]: issuing a student's card (and the forgeries tests need).
//! - [`folder`]: a card loaded from a folder of LDS files (recorded cards).
//! - [`bridge`]: the bridge device: framing, power, insert/remove events.
//! - `http` (feature `http`): the bridge over HTTP for a fake
//!   `navigator.usb` (`web/fake_usb.js`): browser tests, the demo reader.
//! - [`latency`]: how long an exchange takes at a given bit rate.

pub mod aa;
pub mod bridge;
pub mod card;
pub mod chip_auth;
pub mod folder;
#[cfg(feature = "http")]
pub mod http;
pub mod issue;
pub mod latency;
pub mod person;
pub mod pki;
pub mod sod;
