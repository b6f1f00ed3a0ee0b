//! The emulated chip: answers APDUs as a CCCD would.

/// A contact or contactless card as a bridge sees it: an answer to reset
/// when powered, then one response APDU (data ‖ SW1 SW2) per command APDU.
pub trait Card: Send {
    /// The ATR (or the ATS-derived ATR a PC/SC reader reports).
    fn atr(&self) -> Vec<u8>;
    /// Processes one command APDU and returns the response APDU.
    fn transmit(&mut self, apdu: &[u8]) -> Vec<u8>;
}
