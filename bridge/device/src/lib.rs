//! The card-reader bridge's device side, sans-IO: everything the firmware
//! decides, with none of its I/O.
//!
//! The firmware in `bridge/rp2040/` is a thin shell that moves bytes
//! between USB, a UART and a timer; the emulated bridge in
//! `examgate-cardsim` drives the same [`BridgeDevice`] with a software card.
//! So the protocol a school's bridge speaks is the one the tests exercise.
//!
//! - [`device`]: the protocol state machine of `docs/bridge-protocol.md`
//!   from the bridge's side: requests decoded, card work handed out one job
//!   at a time, replies, time extensions, busy and slot-change frames.
//! - [`descriptors`]: the USB descriptors the document specifies byte for
//!   byte (device, configuration, BOS with WebUSB and Microsoft OS 2.0, the
//!   landing-page URL, strings).
//! - [`pn532`]: an NXP PN532 contactless front end: its frames, and the
//!   command sequences that detect, activate and exchange APDUs with an
//!   ISO 14443-4 card (chaining both ways), as steps the caller executes.
//! - [`atr`]: the PC/SC answer-to-reset a contactless card is reported
//!   with, built from its ATS or ATQB.
//!
//! `no_std` with `alloc`: the firmware gives it a heap.

#![cfg_attr(not(test), no_std)]

extern crate alloc;

pub mod atr;
pub mod descriptors;
pub mod device;
pub mod pn532;

pub use device::{BridgeDevice, CardFault, CardJob};
