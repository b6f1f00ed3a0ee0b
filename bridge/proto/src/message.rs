//! The messages of each direction and how they map onto frames.
//!
//! A [`Frame`] is one message with the sequence number that ties a reply
//! to its request. [`WireMessage`] is what the encoder and the
//! [`FrameDecoder`](crate::FrameDecoder) need from a direction's message
//! type: its header fields and payload, and the checks a receiver makes
//! on a header before buffering the payload behind it.

use alloc::vec::Vec;

use crate::decoder::FrameError;
use crate::header::{Header, message_type};
use crate::info::BridgeInfo;
use crate::status::SlotStatus;
use crate::{HEADER_LEN, PROTOCOL_VERSION, SLOT};

/// Host → bridge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostMessage {
    /// Power the card; the reply is a DataBlock with the ATR.
    PowerOn,
    /// Power the card off; the reply is a SlotStatus.
    PowerOff,
    /// The reply is a SlotStatus.
    GetSlotStatus,
    /// One command APDU, short or extended (XfrBlock); the reply is a
    /// DataBlock with the response APDU (data ‖ SW1 SW2).
    Transmit(Vec<u8>),
    /// The reply is an Info.
    GetInfo,
}

/// Bridge → host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BridgeMessage {
    /// The reply to PowerOn (the ATR) or XfrBlock (the response APDU).
    /// `data` is empty unless the status is OK.
    DataBlock { status: SlotStatus, data: Vec<u8> },
    /// The reply to PowerOff and GetSlotStatus, and to any request the
    /// bridge refused before knowing its type (see [`FrameError`]).
    SlotStatus(SlotStatus),
    /// Unsolicited: a card arrived or left. Sequence number 0, ignored.
    SlotChange { present: bool },
    /// The reply to GetInfo.
    Info(BridgeInfo),
}

impl BridgeMessage {
    /// The slot status a reply carries (not SlotChange and Info).
    pub fn status(&self) -> Option<SlotStatus> {
        match self {
            BridgeMessage::DataBlock { status, .. } | BridgeMessage::SlotStatus(status) => {
                Some(*status)
            }
            BridgeMessage::SlotChange { .. } | BridgeMessage::Info(_) => None,
        }
    }
}

/// One message and its sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame<M> {
    /// Chosen by the host per request, echoed by the bridge in the reply.
    pub seq: u8,
    pub message: M,
}

impl<M: WireMessage> Frame<M> {
    pub fn new(seq: u8, message: M) -> Frame<M> {
        Frame { seq, message }
    }

    /// The frame's bytes: header, then payload.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode_into(&mut out);
        out
    }

    /// Appends the frame's bytes to `out`. A payload over
    /// [`MAX_PAYLOAD`](crate::MAX_PAYLOAD) is encoded as given and refused
    /// by the receiver: check lengths before sending.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&[0; HEADER_LEN]);
        self.message.write_payload(out);
        let payload_len = out.len() - start - HEADER_LEN;
        let header = Header {
            message_type: self.message.message_type(),
            // Past u32 the receiver refuses the frame as too long anyway.
            length: u32::try_from(payload_len).unwrap_or(u32::MAX),
            slot: SLOT,
            seq: self.seq,
            specific: self.message.specific(),
        };
        out[start..start + HEADER_LEN].copy_from_slice(&header.to_bytes());
    }
}

/// A direction's messages as frames.
pub trait WireMessage: Sized {
    /// The header's first byte.
    fn message_type(&self) -> u8;
    /// Header bytes 7..10.
    fn specific(&self) -> [u8; 3];
    fn write_payload(&self, out: &mut Vec<u8>);
    /// Checks a header before its payload is buffered: a known type whose
    /// length and type-specific bytes fit it. The decoder has already
    /// checked the slot and [`MAX_PAYLOAD`](crate::MAX_PAYLOAD).
    fn check_header(header: &Header) -> Result<(), FrameError>;
    /// The message, once the payload behind a checked header is complete.
    fn from_frame(header: &Header, payload: Vec<u8>) -> Result<Self, FrameError>;
}

/// The shortest command APDU: CLA INS P1 P2.
const MIN_APDU: u32 = 4;

impl WireMessage for HostMessage {
    fn message_type(&self) -> u8 {
        match self {
            HostMessage::PowerOn => message_type::POWER_ON,
            HostMessage::PowerOff => message_type::POWER_OFF,
            HostMessage::GetSlotStatus => message_type::GET_SLOT_STATUS,
            HostMessage::Transmit(_) => message_type::XFR_BLOCK,
            HostMessage::GetInfo => message_type::GET_INFO,
        }
    }

    /// Reserved, zero. (CCID's PowerOn voltage selection and XfrBlock
    /// block-waiting and chaining parameters: the bridge chooses the
    /// voltage itself and takes whole APDUs only.)
    fn specific(&self) -> [u8; 3] {
        [0; 3]
    }

    fn write_payload(&self, out: &mut Vec<u8>) {
        if let HostMessage::Transmit(apdu) = self {
            out.extend_from_slice(apdu);
        }
    }

    fn check_header(header: &Header) -> Result<(), FrameError> {
        let fits = match header.message_type {
            message_type::POWER_ON
            | message_type::POWER_OFF
            | message_type::GET_SLOT_STATUS
            | message_type::GET_INFO => header.length == 0,
            message_type::XFR_BLOCK => header.length >= MIN_APDU,
            _ => return Err(FrameError::unknown_type(header)),
        };
        if fits {
            Ok(())
        } else {
            Err(FrameError::bad_length(header))
        }
    }

    fn from_frame(header: &Header, payload: Vec<u8>) -> Result<HostMessage, FrameError> {
        Ok(match header.message_type {
            message_type::POWER_ON => HostMessage::PowerOn,
            message_type::POWER_OFF => HostMessage::PowerOff,
            message_type::GET_SLOT_STATUS => HostMessage::GetSlotStatus,
            message_type::GET_INFO => HostMessage::GetInfo,
            message_type::XFR_BLOCK => HostMessage::Transmit(payload),
            _ => return Err(FrameError::unknown_type(header)),
        })
    }
}

/// SlotChange's `bmSlotICCState`: bit 0 present, bit 1 changed.
const SLOT_PRESENT: u8 = 0b01;
const SLOT_CHANGED: u8 = 0b10;

impl WireMessage for BridgeMessage {
    fn message_type(&self) -> u8 {
        match self {
            BridgeMessage::DataBlock { .. } => message_type::DATA_BLOCK,
            BridgeMessage::SlotStatus(_) => message_type::SLOT_STATUS,
            BridgeMessage::SlotChange { .. } => message_type::SLOT_CHANGE,
            BridgeMessage::Info(_) => message_type::INFO,
        }
    }

    /// `[bStatus, bError, 0]` for replies (the last byte is CCID's chain
    /// or clock status, always 0 here), `[bmSlotICCState, 0, 0]` for
    /// SlotChange, zeros for Info.
    fn specific(&self) -> [u8; 3] {
        match self {
            BridgeMessage::DataBlock { status, .. } | BridgeMessage::SlotStatus(status) => {
                let (status, error) = status.to_bytes();
                [status, error, 0]
            }
            BridgeMessage::SlotChange { present } => {
                let present = if *present { SLOT_PRESENT } else { 0 };
                [SLOT_CHANGED | present, 0, 0]
            }
            BridgeMessage::Info(_) => [0; 3],
        }
    }

    fn write_payload(&self, out: &mut Vec<u8>) {
        match self {
            BridgeMessage::DataBlock { data, .. } => out.extend_from_slice(data),
            BridgeMessage::Info(info) => out.extend_from_slice(&info.to_bytes()),
            BridgeMessage::SlotStatus(_) | BridgeMessage::SlotChange { .. } => {}
        }
    }

    fn check_header(header: &Header) -> Result<(), FrameError> {
        let fits = match header.message_type {
            message_type::DATA_BLOCK => true,
            message_type::SLOT_STATUS | message_type::SLOT_CHANGE => header.length == 0,
            // The version bytes at least; the rest depends on the version.
            message_type::INFO => header.length >= 2,
            _ => return Err(FrameError::unknown_type(header)),
        };
        if !fits {
            return Err(FrameError::bad_length(header));
        }
        if matches!(
            header.message_type,
            message_type::DATA_BLOCK | message_type::SLOT_STATUS
        ) {
            read_status(header)?;
        }
        Ok(())
    }

    fn from_frame(header: &Header, payload: Vec<u8>) -> Result<BridgeMessage, FrameError> {
        Ok(match header.message_type {
            message_type::DATA_BLOCK => BridgeMessage::DataBlock {
                status: read_status(header)?,
                data: payload,
            },
            message_type::SLOT_STATUS => BridgeMessage::SlotStatus(read_status(header)?),
            message_type::SLOT_CHANGE => BridgeMessage::SlotChange {
                present: header.specific[0] & SLOT_PRESENT != 0,
            },
            message_type::INFO => BridgeMessage::Info(
                BridgeInfo::parse(&payload, PROTOCOL_VERSION)
                    .ok_or_else(|| FrameError::bad_length(header))?,
            ),
            _ => return Err(FrameError::unknown_type(header)),
        })
    }
}

fn read_status(header: &Header) -> Result<SlotStatus, FrameError> {
    SlotStatus::from_bytes(header.specific[0], header.specific[1]).ok_or(FrameError::BadStatus {
        seq: header.seq,
        status: header.specific[0],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{ErrorCode, IccState};

    #[test]
    fn host_requests_match_the_documented_bytes() {
        assert_eq!(
            Frame::new(1, HostMessage::GetInfo).encode(),
            [0x6B, 0, 0, 0, 0, 0, 0x01, 0, 0, 0]
        );
        assert_eq!(
            Frame::new(2, HostMessage::PowerOn).encode(),
            [0x62, 0, 0, 0, 0, 0, 0x02, 0, 0, 0]
        );
        let select = vec![0x00, 0xA4, 0x04, 0x0C, 0x02, 0x3F, 0x00];
        let mut expected = vec![0x6F, 0x07, 0, 0, 0, 0, 0x03, 0, 0, 0];
        expected.extend_from_slice(&select);
        assert_eq!(
            Frame::new(3, HostMessage::Transmit(select)).encode(),
            expected
        );
    }

    #[test]
    fn bridge_replies_match_the_documented_bytes() {
        let reply = Frame::new(
            3,
            BridgeMessage::DataBlock {
                status: SlotStatus::ok(IccState::PresentActive),
                data: vec![0x90, 0x00],
            },
        );
        assert_eq!(
            reply.encode(),
            [0x80, 0x02, 0, 0, 0, 0, 0x03, 0x00, 0x00, 0x00, 0x90, 0x00]
        );
        let removed = Frame::new(
            4,
            BridgeMessage::DataBlock {
                status: SlotStatus::failed(IccState::Absent, ErrorCode::CardRemoved),
                data: vec![],
            },
        );
        assert_eq!(
            removed.encode(),
            [0x80, 0, 0, 0, 0, 0, 0x04, 0x42, 0x81, 0x00]
        );
        assert_eq!(
            Frame::new(0, BridgeMessage::SlotChange { present: true }).encode(),
            [0x50, 0, 0, 0, 0, 0, 0x00, 0x03, 0, 0]
        );
        assert_eq!(
            Frame::new(0, BridgeMessage::SlotChange { present: false }).encode(),
            [0x50, 0, 0, 0, 0, 0, 0x00, 0x02, 0, 0]
        );
    }

    #[test]
    fn status_of_replies_only() {
        let status = SlotStatus::ok(IccState::PresentInactive);
        assert_eq!(BridgeMessage::SlotStatus(status).status(), Some(status));
        assert_eq!(BridgeMessage::SlotChange { present: true }.status(), None);
    }
}
