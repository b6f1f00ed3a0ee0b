//! The card-reader bridge over WebUSB: the check-in screen reads the
//! candidate's chip card through it.
//!
//! Chrome will not let a page use a standard smart-card reader (CCID is a
//! protected USB class), so the reader is a small bridge device with a
//! vendor-specific interface that carries APDUs in the framing of
//! `docs/bridge-protocol.md` (implemented in
//! [`examgate_shared::chip::bridge`]). This module opens it, checks its
//! protocol version and exchanges APDUs; what to send is the reading
//! session's business ([`examgate_shared::chip::session`]).
//!
//! # How the check-in screen uses it
//!
//! 1. On mount: [`Bridge::supported`] false → tell the proctor to use
//!    Chrome or Edge. Else [`Bridge::paired`]: a bridge this browser was
//!    allowed before opens without a prompt.
//! 2. `Ok(None)`: show a "connect the card reader" button whose click
//!    handler calls [`Bridge::request`] (Chrome only shows its chooser
//!    during a user gesture). [`BridgeError::Denied`] means the chooser
//!    was closed: leave the button there.
//! 3. With a bridge: register [`Bridge::on_disconnect`], then loop:
//!    [`Bridge::wait_for_card`] → [`Bridge::power_on`] → the reading
//!    session's APDUs with [`Bridge::transmit`]. [`BridgeError::CardRemoved`]
//!    or [`BridgeError::NoCard`] mid-read: ask for the card again and
//!    restart the read from `wait_for_card` (power on again: the card
//!    forgot the session).
//! 4. Unplugged ([`Bridge::on_disconnect`] fires, or any call returns
//!    [`BridgeError::Disconnected`]): drop the `Bridge`, say "plug the
//!    reader back in", and keep a [`Bridge::on_connect`] watch (or poll
//!    [`Bridge::paired`] every second or two). When it is back,
//!    `paired()` opens it again without a prompt: the permission survives
//!    unplugging, because the bridge has a serial number.
//!
//! Calls may overlap (a status poll during a read): they queue and run
//! one at a time. Dropping a call's future is safe; its reply is
//! discarded when it arrives.
//!
//! WebUSB needs `--cfg=web_sys_unstable_apis` (set for wasm32 in
//! `.cargo/config.toml`). Elsewhere, the host build included, [`Bridge`]
//! is a stand-in whose every call reports [`BridgeError::Unsupported`].

mod error;
// Used by the WebUSB shell only; compiled for tests everywhere.
#[cfg(any(test, all(target_arch = "wasm32", web_sys_unstable_apis)))]
mod reply;
#[cfg(any(test, all(target_arch = "wasm32", web_sys_unstable_apis)))]
mod turn;

#[cfg(all(target_arch = "wasm32", web_sys_unstable_apis))]
mod webusb;
#[cfg(all(target_arch = "wasm32", web_sys_unstable_apis))]
pub use webusb::{Bridge, ConnectWatch};

#[cfg(not(all(target_arch = "wasm32", web_sys_unstable_apis)))]
mod unsupported;
#[cfg(not(all(target_arch = "wasm32", web_sys_unstable_apis)))]
pub use unsupported::{Bridge, ConnectWatch};

pub use error::BridgeError;
pub use examgate_shared::chip::bridge::BridgeInfo;
