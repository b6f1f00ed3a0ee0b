//! The USB framing between the browser and the card-reader bridge, sans-IO.
//!
//! `docs/bridge-protocol.md` is the specification; this crate implements
//! it for both ends. The browser (the host) encodes [`HostMessage`]s and
//! decodes [`BridgeMessage`]s; the bridge's device side
//! (`examgate-bridge-device`, run by the RP2040 firmware in
//! `bridge/rp2040/` and by the emulated bridge in `examgate-cardsim`) does
//! the reverse. It is `no_std` with `alloc` so that the firmware links the
//! very code the page uses; `examgate-shared` re-exports it as
//! `chip::bridge`. Every frame is a
//! 10-byte header modelled on CCID's bulk messages followed by a payload:
//!
//! ```text
//! offset 0     1..5               5     6     7..10
//!        type  payload length LE  slot  seq   three type-specific bytes
//! ```
//!
//! - [`header`]: the header and the message type numbers.
//! - [`message`]: the messages of each direction and their frames.
//! - [`status`]: the CCID-style slot status and error codes of replies.
//! - [`info`]: the GetInfo payload (versions, limits, bit rate).
//! - [`decoder`]: incremental decoding of bytes that arrive in arbitrary
//!   chunks, with the refusals a receiver answers.
//! - [`host`]: the host's side of exchanges: sequence numbers, matching
//!   replies to requests, time extensions and card-removal events.
//!
//! Nothing here touches USB or a clock: callers feed received bytes in and
//! send the bytes they are given.

#![cfg_attr(not(test), no_std)]

extern crate alloc;

use core::time::Duration;

pub mod decoder;
pub mod header;
pub mod host;
pub mod info;
pub mod message;
pub mod status;

pub use decoder::{FrameDecoder, FrameError};
pub use header::{Header, message_type};
pub use host::{HostLink, LinkEvent};
pub use info::{BridgeInfo, FirmwareVersion, ProtocolVersion};
pub use message::{BridgeMessage, Frame, HostMessage, WireMessage};
pub use status::{CommandStatus, ErrorCode, IccState, SlotStatus};

/// The protocol this code speaks. A bridge whose major version differs is
/// refused; a different minor version is compatible (additions only).
pub const PROTOCOL_VERSION: ProtocolVersion = ProtocolVersion { major: 1, minor: 0 };

/// Bytes in every frame header.
pub const HEADER_LEN: usize = 10;

/// The largest payload either side accepts. The largest extended-length
/// response APDU is 65,536 data bytes plus SW1 SW2 (65,538 bytes) and the
/// largest command APDU 65,544 bytes (4 header, 3 Lc, 65,535 data, 2 Le);
/// the rest is margin. A header announcing more is refused before any of
/// its payload is buffered.
pub const MAX_PAYLOAD: usize = 65_600;

/// The largest whole frame, and so the length a host asks for in one
/// bulk IN transfer.
pub const MAX_FRAME: usize = HEADER_LEN + MAX_PAYLOAD;

/// The bridge has one card slot; every frame carries slot 0.
pub const SLOT: u8 = 0;

/// How long a host waits for the reply to a request, counted again from
/// every time-extension frame. Past it the host resynchronises.
pub const REPLY_TIMEOUT: Duration = Duration::from_millis(3_000);

/// A bridge still waiting for the card sends a time-extension frame at
/// least this often, so a slow card is never mistaken for a dead link.
pub const TIME_EXTENSION_INTERVAL: Duration = Duration::from_millis(1_000);

/// USB identity of the bridge (placeholders: see `docs/bridge-protocol.md`).
pub mod usb_ids {
    /// pid.codes' VID, for open-source hardware. A product needs its own
    /// VID/PID; the host also matches on the interface triple below.
    pub const VENDOR_ID: u16 = 0x1209;
    /// A PID from pid.codes' testing range: development only.
    pub const PRODUCT_ID: u16 = 0x0001;
    /// Vendor-specific: Chrome refuses to claim CCID (0x0B) interfaces.
    pub const INTERFACE_CLASS: u8 = 0xFF;
    /// "EC", examgate card: tells this bridge's interface from other
    /// vendor-specific ones.
    pub const INTERFACE_SUBCLASS: u8 = 0xEC;
    /// The framing family of `docs/bridge-protocol.md`; versions within it
    /// are negotiated with GetInfo.
    pub const INTERFACE_PROTOCOL: u8 = 0x01;
    /// The only configuration.
    pub const CONFIGURATION: u8 = 1;
}
