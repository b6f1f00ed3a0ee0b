//! The 10-byte frame header and the message type numbers.
//!
//! The layout is CCID's bulk message header (USB CCID 1.1, §6.1 and §6.2):
//! `bMessageType`, `dwLength` (little-endian), `bSlot`, `bSeq`, then three
//! bytes whose meaning depends on the type. Type numbers are CCID's where
//! CCID has the same message, so a USB trace reads familiarly.

use crate::HEADER_LEN;

/// Message type numbers (the header's first byte).
pub mod message_type {
    /// Host → bridge: power the card, answer with its ATR (CCID
    /// `PC_to_RDR_IccPowerOn`).
    pub const POWER_ON: u8 = 0x62;
    /// Host → bridge: power the card off (`PC_to_RDR_IccPowerOff`).
    pub const POWER_OFF: u8 = 0x63;
    /// Host → bridge: report the slot (`PC_to_RDR_GetSlotStatus`).
    pub const GET_SLOT_STATUS: u8 = 0x65;
    /// Host → bridge: describe yourself. CCID's `PC_to_RDR_Escape` number,
    /// where CCID puts vendor commands; the bridge has no other escape.
    pub const GET_INFO: u8 = 0x6B;
    /// Host → bridge: one command APDU (`PC_to_RDR_XfrBlock`).
    pub const XFR_BLOCK: u8 = 0x6F;
    /// Bridge → host: a response APDU or the ATR (`RDR_to_PC_DataBlock`).
    pub const DATA_BLOCK: u8 = 0x80;
    /// Bridge → host: the slot's status (`RDR_to_PC_SlotStatus`).
    pub const SLOT_STATUS: u8 = 0x81;
    /// Bridge → host: the GetInfo answer (`RDR_to_PC_Escape`).
    pub const INFO: u8 = 0x83;
    /// Bridge → host, unsolicited: a card arrived or left
    /// (`RDR_to_PC_NotifySlotChange`, carried on bulk IN instead of an
    /// interrupt endpoint).
    pub const SLOT_CHANGE: u8 = 0x50;
}

/// A frame header as it travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub message_type: u8,
    /// Payload bytes after the header.
    pub length: u32,
    pub slot: u8,
    /// Chosen by the host per request and echoed in the reply.
    pub seq: u8,
    /// Bytes 7..10: status and error for bridge replies, reserved (zero)
    /// for host requests.
    pub specific: [u8; 3],
}

impl Header {
    pub fn parse(bytes: &[u8; HEADER_LEN]) -> Header {
        Header {
            message_type: bytes[0],
            length: u32::from_le_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]),
            slot: bytes[5],
            seq: bytes[6],
            specific: [bytes[7], bytes[8], bytes[9]],
        }
    }

    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let length = self.length.to_le_bytes();
        [
            self.message_type,
            length[0],
            length[1],
            length[2],
            length[3],
            self.slot,
            self.seq,
            self.specific[0],
            self.specific[1],
            self.specific[2],
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_little_endian_and_round_trips() {
        let header = Header {
            message_type: message_type::XFR_BLOCK,
            length: 0x0001_0002,
            slot: 0,
            seq: 7,
            specific: [0, 0, 0],
        };
        let bytes = header.to_bytes();
        assert_eq!(bytes, [0x6F, 0x02, 0x00, 0x01, 0x00, 0x00, 0x07, 0, 0, 0]);
        assert_eq!(Header::parse(&bytes), header);
    }
}
