//! The slot status and error codes every bridge reply carries (CCID's
//! `bStatus` and `bError`).
//!
//! `bStatus` packs two fields: bits 0–1 say whether a card is present and
//! powered, bits 6–7 whether the command succeeded, failed or needs more
//! time. When it failed, `bError` says why. Error numbers are CCID's where
//! CCID defines the condition (including its convention that a bad header
//! field is reported as that field's offset: 1 for `dwLength`, 5 for
//! `bSlot`); conditions CCID lacks use its user-defined range 0x81–0xC0.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// Whether a card is in the slot and powered (`bmICCStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub enum IccState {
    /// Present and powered: APDUs can be exchanged.
    PresentActive,
    /// Present but not powered: PowerOn first.
    PresentInactive,
    Absent,
}

impl IccState {
    pub fn is_present(self) -> bool {
        self != IccState::Absent
    }

    fn bits(self) -> u8 {
        match self {
            IccState::PresentActive => 0,
            IccState::PresentInactive => 1,
            IccState::Absent => 2,
        }
    }
}

/// How the command went (`bmCommandStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub enum CommandStatus {
    Ok,
    Failed(ErrorCode),
    /// Not an answer: the bridge is still working on the request (the card
    /// is slow) and the host should keep waiting. The real reply follows
    /// with the same sequence number.
    TimeExtension,
}

/// Why a command failed (`bError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub enum ErrorCode {
    /// 0x00: the message type is unknown to this bridge (CCID
    /// `CMD_NOT_SUPPORTED`).
    CommandNotSupported,
    /// 0x01: the payload length is wrong for the type, above
    /// [`MAX_PAYLOAD`](crate::MAX_PAYLOAD), or above the bridge's
    /// `max_apdu_len` (CCID: offset of `dwLength`).
    BadLength,
    /// 0x05: a slot other than 0 (CCID: offset of `bSlot`).
    BadSlot,
    /// 0x81: the card left the field or was pulled out during the exchange.
    CardRemoved,
    /// 0xE0: a request arrived while the previous one was still being
    /// processed (CCID `CMD_SLOT_BUSY`).
    Busy,
    /// 0xFB: the reader chip or its link failed (CCID `HW_ERROR`).
    HardwareError,
    /// 0xFE: the card did not answer: none present, not powered, or mute
    /// (CCID `ICC_MUTE`).
    IccMute,
    /// A code this version does not know (a newer bridge); kept, not refused.
    Other(u8),
}

impl ErrorCode {
    pub fn to_byte(self) -> u8 {
        match self {
            ErrorCode::CommandNotSupported => 0x00,
            ErrorCode::BadLength => 0x01,
            ErrorCode::BadSlot => 0x05,
            ErrorCode::CardRemoved => 0x81,
            ErrorCode::Busy => 0xE0,
            ErrorCode::HardwareError => 0xFB,
            ErrorCode::IccMute => 0xFE,
            ErrorCode::Other(byte) => byte,
        }
    }

    pub fn from_byte(byte: u8) -> ErrorCode {
        match byte {
            0x00 => ErrorCode::CommandNotSupported,
            0x01 => ErrorCode::BadLength,
            0x05 => ErrorCode::BadSlot,
            0x81 => ErrorCode::CardRemoved,
            0xE0 => ErrorCode::Busy,
            0xFB => ErrorCode::HardwareError,
            0xFE => ErrorCode::IccMute,
            other => ErrorCode::Other(other),
        }
    }
}

/// `bStatus` and `bError` of one reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct SlotStatus {
    pub icc: IccState,
    pub command: CommandStatus,
}

impl SlotStatus {
    pub fn ok(icc: IccState) -> SlotStatus {
        SlotStatus {
            icc,
            command: CommandStatus::Ok,
        }
    }

    pub fn failed(icc: IccState, error: ErrorCode) -> SlotStatus {
        SlotStatus {
            icc,
            command: CommandStatus::Failed(error),
        }
    }

    pub fn time_extension(icc: IccState) -> SlotStatus {
        SlotStatus {
            icc,
            command: CommandStatus::TimeExtension,
        }
    }

    pub fn is_ok(&self) -> bool {
        self.command == CommandStatus::Ok
    }

    /// `(bStatus, bError)`. `bError` is zero unless the command failed.
    pub fn to_bytes(self) -> (u8, u8) {
        let (command_bits, error) = match self.command {
            CommandStatus::Ok => (0, 0),
            CommandStatus::Failed(code) => (1, code.to_byte()),
            CommandStatus::TimeExtension => (2, 0),
        };
        (command_bits << 6 | self.icc.bits(), error)
    }

    /// Reads `bStatus` and `bError`. Bits 2–5 are reserved and ignored;
    /// the reserved value 3 in either field makes the byte invalid
    /// (`None`).
    pub fn from_bytes(status: u8, error: u8) -> Option<SlotStatus> {
        let icc = match status & 0b11 {
            0 => IccState::PresentActive,
            1 => IccState::PresentInactive,
            2 => IccState::Absent,
            _ => return None,
        };
        let command = match status >> 6 {
            0 => CommandStatus::Ok,
            1 => CommandStatus::Failed(ErrorCode::from_byte(error)),
            2 => CommandStatus::TimeExtension,
            _ => return None,
        };
        Some(SlotStatus { icc, command })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_bytes_follow_ccid() {
        assert_eq!(
            SlotStatus::ok(IccState::PresentActive).to_bytes(),
            (0x00, 0)
        );
        assert_eq!(
            SlotStatus::ok(IccState::PresentInactive).to_bytes(),
            (0x01, 0)
        );
        assert_eq!(
            SlotStatus::failed(IccState::Absent, ErrorCode::IccMute).to_bytes(),
            (0x42, 0xFE)
        );
        assert_eq!(
            SlotStatus::time_extension(IccState::PresentActive).to_bytes(),
            (0x80, 0)
        );
    }

    #[test]
    fn every_valid_status_round_trips() {
        for status in 0..=u8::MAX {
            for error in [0x00, 0x01, 0x05, 0x81, 0xE0, 0xFB, 0xFE, 0x42] {
                if let Some(read) = SlotStatus::from_bytes(status, error) {
                    let (s, e) = read.to_bytes();
                    // Reserved bits 2–5 are dropped; bError only matters
                    // on failure.
                    assert_eq!(s, status & 0b1100_0011);
                    if matches!(read.command, CommandStatus::Failed(_)) {
                        assert_eq!(e, error);
                    }
                }
            }
        }
    }

    #[test]
    fn reserved_values_are_invalid() {
        assert_eq!(SlotStatus::from_bytes(0x03, 0), None);
        assert_eq!(SlotStatus::from_bytes(0xC0, 0), None);
    }

    #[test]
    fn unknown_error_codes_are_kept() {
        assert_eq!(ErrorCode::from_byte(0x99), ErrorCode::Other(0x99));
        assert_eq!(ErrorCode::Other(0x99).to_byte(), 0x99);
        for byte in 0..=u8::MAX {
            assert_eq!(ErrorCode::from_byte(byte).to_byte(), byte);
        }
    }
}
