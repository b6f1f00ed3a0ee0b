//! An NXP PN532 as the bridge's contactless front end.
//!
//! The PN532 is the cheapest common NFC reader chip (boards cost a few
//! dollars) and runs ISO 14443-4 itself: the bridge hands it APDUs, in
//! pieces of at most [`ops::CHUNK`] bytes, and it does the block protocol,
//! the card's waiting-time extensions and the retransmissions. It talks over
//! its HSU serial link (a UART at 115,200 baud); its I2C and SPI modes carry
//! the same frames.
//!
//! - [`frame`]: its frames (normal, extended, ACK, NACK, error).
//! - [`link`]: one command at a time: frame out, ACK, response, timeouts.
//! - [`ops`]: set-up, card activation (type A and B), APDU exchange with
//!   chaining, presence checks.
//! - [`bridge`]: [`Pn532Bridge`], the bridge protocol and the PN532 joined:
//!   the firmware's whole logic.

pub mod bridge;
pub mod frame;
pub mod link;
pub mod ops;

pub use bridge::Pn532Bridge;
