//! What can go wrong with the bridge, as the check-in screen needs to tell
//! it apart. `Display` is English for logs; the UI maps each variant to its
//! own Vietnamese instruction.

use std::fmt;

/// Why a bridge operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BridgeError {
    /// This browser has no WebUSB (`navigator.usb`): not Chrome or Edge,
    /// not a secure context, or a host build.
    Unsupported,
    /// No bridge has been paired with this browser yet: the UI shows the
    /// button that calls [`Bridge::request`](super::Bridge::request).
    NotPaired,
    /// The user closed the device chooser without picking a bridge.
    Denied,
    /// No card in the reader.
    NoCard,
    /// The card was taken out (or reset) during the read: start again.
    CardRemoved,
    /// The bridge was unplugged; find it again with
    /// [`Bridge::paired`](super::Bridge::paired) once it is back.
    Disconnected,
    /// The bridge answered something this client cannot use.
    Protocol(String),
    /// The bridge speaks another major protocol version.
    Incompatible { version: u8 },
    /// WebUSB itself failed (access refused, interface busy, transfer
    /// error, no answer).
    Usb(String),
}

impl fmt::Display for BridgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BridgeError::Unsupported => write!(f, "this browser does not support WebUSB"),
            BridgeError::NotPaired => write!(f, "no card reader has been paired yet"),
            BridgeError::Denied => write!(f, "no card reader was chosen"),
            BridgeError::NoCard => write!(f, "there is no card in the reader"),
            BridgeError::CardRemoved => write!(f, "the card was removed during the read"),
            BridgeError::Disconnected => write!(f, "the card reader was unplugged"),
            BridgeError::Protocol(detail) => write!(f, "card reader protocol error: {detail}"),
            BridgeError::Incompatible { version } => write!(
                f,
                "the card reader speaks protocol version {version}, this page speaks {}",
                examgate_shared::chip::bridge::PROTOCOL_VERSION.major
            ),
            BridgeError::Usb(detail) => write!(f, "USB error: {detail}"),
        }
    }
}

impl std::error::Error for BridgeError {}

#[cfg(test)]
mod tests {
    use super::BridgeError;

    #[test]
    fn messages_are_english_sentences() {
        assert_eq!(
            BridgeError::Incompatible { version: 2 }.to_string(),
            "the card reader speaks protocol version 2, this page speaks 1"
        );
        assert_eq!(
            BridgeError::Protocol("unexpected reply".into()).to_string(),
            "card reader protocol error: unexpected reply"
        );
    }
}
