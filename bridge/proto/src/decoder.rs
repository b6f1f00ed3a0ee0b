//! Incremental frame decoding, for either direction.
//!
//! USB delivers bytes in transfers of any size: a frame may arrive split
//! across transfers, several frames in one. [`FrameDecoder::push`] takes
//! whatever arrived and [`FrameDecoder::next_frame`] hands out each frame
//! once it is complete. Each header is checked as soon as its ten bytes are
//! in, so a bad one is refused before any of its payload is buffered.
//!
//! Two kinds of refusal:
//! - most (unknown type, wrong length for the type, bad slot, bad status)
//!   leave the stream readable: the header says where the frame ends, and
//!   its payload is skipped as it arrives;
//! - a length over [`MAX_PAYLOAD`] cannot be trusted to say where the next
//!   frame starts. The decoder drops everything until [`FrameDecoder::reset`],
//!   which the caller calls at a transfer boundary (see the resynchronisation
//!   rules in `docs/bridge-protocol.md`).

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::marker::PhantomData;

use thiserror::Error;

use crate::header::Header;
use crate::message::{Frame, WireMessage};
use crate::status::ErrorCode;
use crate::{HEADER_LEN, MAX_PAYLOAD, SLOT};

/// Why a frame was refused. Each carries the header's sequence number so
/// a bridge can answer the request it could not read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FrameError {
    /// Fatal: the stream position is lost until [`FrameDecoder::reset`].
    #[error("frame announces {length} payload bytes, more than the {MAX_PAYLOAD} allowed")]
    TooLong { seq: u8, length: u32 },
    #[error("unknown message type 0x{message_type:02X}")]
    UnknownType { seq: u8, message_type: u8 },
    #[error("message type 0x{message_type:02X} cannot carry {length} payload bytes")]
    BadLength {
        seq: u8,
        message_type: u8,
        length: u32,
    },
    #[error("slot {slot} does not exist (the bridge has slot {SLOT} only)")]
    BadSlot { seq: u8, slot: u8 },
    #[error("status byte 0x{status:02X} is not a valid slot status")]
    BadStatus { seq: u8, status: u8 },
}

impl FrameError {
    pub(super) fn unknown_type(header: &Header) -> FrameError {
        FrameError::UnknownType {
            seq: header.seq,
            message_type: header.message_type,
        }
    }

    pub(super) fn bad_length(header: &Header) -> FrameError {
        FrameError::BadLength {
            seq: header.seq,
            message_type: header.message_type,
            length: header.length,
        }
    }

    /// The refused frame's sequence number.
    pub fn seq(&self) -> u8 {
        match *self {
            FrameError::TooLong { seq, .. }
            | FrameError::UnknownType { seq, .. }
            | FrameError::BadLength { seq, .. }
            | FrameError::BadSlot { seq, .. }
            | FrameError::BadStatus { seq, .. } => seq,
        }
    }

    /// Whether the stream position is lost (the decoder waits for a reset).
    pub fn is_fatal(&self) -> bool {
        matches!(self, FrameError::TooLong { .. })
    }

    /// The `bError` a bridge answers this refusal with.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            FrameError::TooLong { .. } | FrameError::BadLength { .. } => ErrorCode::BadLength,
            FrameError::UnknownType { .. } => ErrorCode::CommandNotSupported,
            FrameError::BadSlot { .. } => ErrorCode::BadSlot,
            // Only a bridge sends status bytes; a host never has to answer.
            FrameError::BadStatus { .. } => ErrorCode::CommandNotSupported,
        }
    }
}

/// Where the decoder is in the stream.
#[derive(Debug)]
enum State {
    /// Collecting a header: `have` bytes of it so far.
    Header {
        bytes: [u8; HEADER_LEN],
        have: usize,
    },
    /// Collecting the payload behind a checked header.
    Payload { header: Header, payload: Vec<u8> },
    /// Discarding the payload of a refused frame.
    Skip { remaining: usize },
    /// After a fatal refusal: dropping everything until `reset`.
    Desynchronised,
}

impl State {
    fn new_header() -> State {
        State::Header {
            bytes: [0; HEADER_LEN],
            have: 0,
        }
    }
}

/// Decodes frames of one direction (`M` is [`HostMessage`] on the bridge,
/// [`BridgeMessage`] on the host) from bytes pushed in arbitrary chunks.
///
/// [`HostMessage`]: crate::HostMessage
/// [`BridgeMessage`]: crate::BridgeMessage
#[derive(Debug)]
pub struct FrameDecoder<M> {
    state: State,
    /// The largest payload this receiver buffers (at most [`MAX_PAYLOAD`]).
    max_payload: usize,
    decoded: VecDeque<Result<Frame<M>, FrameError>>,
    _messages: PhantomData<fn() -> M>,
}

impl<M: WireMessage> Default for FrameDecoder<M> {
    fn default() -> Self {
        FrameDecoder::new()
    }
}

impl<M: WireMessage> FrameDecoder<M> {
    pub fn new() -> FrameDecoder<M> {
        FrameDecoder::with_max_payload(MAX_PAYLOAD)
    }

    /// A decoder for a receiver that accepts less than the protocol's
    /// [`MAX_PAYLOAD`] (a bridge with little memory: `max_apdu_len` in its
    /// Info). A longer frame within [`MAX_PAYLOAD`] is refused as a bad
    /// length and its payload skipped, never buffered; the stream stays in
    /// step because the length is still one the protocol allows.
    pub fn with_max_payload(max_payload: usize) -> FrameDecoder<M> {
        FrameDecoder {
            state: State::new_header(),
            max_payload: max_payload.min(MAX_PAYLOAD),
            decoded: VecDeque::new(),
            _messages: PhantomData,
        }
    }

    /// Feeds received bytes. Complete frames and refusals queue up for
    /// [`FrameDecoder::next_frame`] in stream order.
    pub fn push(&mut self, mut input: &[u8]) {
        while !input.is_empty() {
            match &mut self.state {
                State::Header { bytes, have } => {
                    let take = (HEADER_LEN - *have).min(input.len());
                    bytes[*have..*have + take].copy_from_slice(&input[..take]);
                    *have += take;
                    input = &input[take..];
                    if *have == HEADER_LEN {
                        let header = Header::parse(bytes);
                        self.start_frame(header);
                    }
                }
                State::Payload { header, payload } => {
                    let take = (header.length as usize - payload.len()).min(input.len());
                    payload.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    if payload.len() == header.length as usize {
                        let header = *header;
                        let payload = core::mem::take(payload);
                        self.finish_frame(header, payload);
                    }
                }
                State::Skip { remaining } => {
                    let take = (*remaining).min(input.len());
                    *remaining -= take;
                    input = &input[take..];
                    if *remaining == 0 {
                        self.state = State::new_header();
                    }
                }
                State::Desynchronised => return,
            }
        }
    }

    /// The next complete frame or refusal, in stream order.
    pub fn next_frame(&mut self) -> Option<Result<Frame<M>, FrameError>> {
        self.decoded.pop_front()
    }

    /// Forgets any partial frame and any fatal refusal: the next byte
    /// pushed starts a header. Frames already decoded stay queued.
    pub fn reset(&mut self) {
        self.state = State::new_header();
    }

    /// Whether a fatal refusal has stopped decoding until a reset.
    pub fn is_desynchronised(&self) -> bool {
        matches!(self.state, State::Desynchronised)
    }

    /// Whether the decoder is between frames (nothing partial held).
    pub fn is_between_frames(&self) -> bool {
        matches!(self.state, State::Header { have: 0, .. })
    }

    fn start_frame(&mut self, header: Header) {
        let length = header.length as usize;
        if length > MAX_PAYLOAD {
            self.refuse(FrameError::TooLong {
                seq: header.seq,
                length: header.length,
            });
            self.state = State::Desynchronised;
            return;
        }
        // An unknown type is "not supported" whatever its length (a newer
        // minor version's message); only then is the length this receiver
        // buffers checked.
        let checked = if header.slot != SLOT {
            Err(FrameError::BadSlot {
                seq: header.seq,
                slot: header.slot,
            })
        } else {
            M::check_header(&header).and_then(|()| {
                if length > self.max_payload {
                    Err(FrameError::bad_length(&header))
                } else {
                    Ok(())
                }
            })
        };
        match checked {
            Err(refusal) => {
                self.refuse(refusal);
                self.state = if length == 0 {
                    State::new_header()
                } else {
                    State::Skip { remaining: length }
                };
            }
            Ok(()) if length == 0 => {
                self.state = State::new_header();
                self.finish_frame(header, Vec::new());
            }
            Ok(()) => {
                self.state = State::Payload {
                    header,
                    payload: Vec::new(),
                };
            }
        }
    }

    fn finish_frame(&mut self, header: Header, payload: Vec<u8>) {
        self.state = State::new_header();
        let decoded = M::from_frame(&header, payload).map(|message| Frame {
            seq: header.seq,
            message,
        });
        self.decoded.push_back(decoded);
    }

    fn refuse(&mut self, refusal: FrameError) {
        self.decoded.push_back(Err(refusal));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::message_type;
    use crate::info::{BridgeInfo, FirmwareVersion, ProtocolVersion};
    use crate::message::{BridgeMessage, HostMessage};
    use crate::status::{IccState, SlotStatus};
    use crate::{MAX_FRAME, PROTOCOL_VERSION};
    use proptest::prelude::*;

    fn decode_all<M: WireMessage>(
        decoder: &mut FrameDecoder<M>,
    ) -> Vec<Result<Frame<M>, FrameError>> {
        std::iter::from_fn(|| decoder.next_frame()).collect()
    }

    fn raw(message_type: u8, length: u32, slot: u8, seq: u8, specific: [u8; 3]) -> Vec<u8> {
        Header {
            message_type,
            length,
            slot,
            seq,
            specific,
        }
        .to_bytes()
        .to_vec()
    }

    #[test]
    fn a_frame_split_byte_by_byte_decodes_once_complete() {
        let bytes = Frame::new(9, HostMessage::Transmit(vec![0, 0xB0, 0, 0, 4])).encode();
        let mut decoder = FrameDecoder::<HostMessage>::new();
        for (i, byte) in bytes.iter().enumerate() {
            assert!(decoder.next_frame().is_none(), "early frame at byte {i}");
            decoder.push(&[*byte]);
        }
        assert_eq!(
            decode_all(&mut decoder),
            [Ok(Frame::new(
                9,
                HostMessage::Transmit(vec![0, 0xB0, 0, 0, 4])
            ))]
        );
        assert!(decoder.is_between_frames());
    }

    #[test]
    fn an_oversized_length_is_refused_from_the_header_alone() {
        let mut decoder = FrameDecoder::<HostMessage>::new();
        decoder.push(&raw(message_type::XFR_BLOCK, 0x00FF_FFFF, 0, 5, [0; 3]));
        assert_eq!(
            decode_all(&mut decoder),
            [Err(FrameError::TooLong {
                seq: 5,
                length: 0x00FF_FFFF
            })]
        );
        assert!(decoder.is_desynchronised());
        // Nothing is decoded, however much follows, until a reset.
        decoder.push(&Frame::new(6, HostMessage::GetInfo).encode());
        assert!(decoder.next_frame().is_none());
        decoder.reset();
        decoder.push(&Frame::new(7, HostMessage::GetInfo).encode());
        assert_eq!(
            decode_all(&mut decoder),
            [Ok(Frame::new(7, HostMessage::GetInfo))]
        );
    }

    #[test]
    fn the_largest_payload_is_accepted() {
        let apdu = vec![0x5A; MAX_PAYLOAD];
        let bytes = Frame::new(1, HostMessage::Transmit(apdu.clone())).encode();
        assert_eq!(bytes.len(), MAX_FRAME);
        let mut decoder = FrameDecoder::<HostMessage>::new();
        decoder.push(&bytes);
        assert_eq!(
            decode_all(&mut decoder),
            [Ok(Frame::new(1, HostMessage::Transmit(apdu)))]
        );
    }

    #[test]
    fn an_unknown_type_is_skipped_and_the_stream_continues() {
        let mut bytes = raw(0x99, 3, 0, 4, [0; 3]);
        bytes.extend_from_slice(&[1, 2, 3]);
        bytes.extend(Frame::new(5, HostMessage::PowerOff).encode());
        let mut decoder = FrameDecoder::<HostMessage>::new();
        decoder.push(&bytes);
        assert_eq!(
            decode_all(&mut decoder),
            [
                Err(FrameError::UnknownType {
                    seq: 4,
                    message_type: 0x99
                }),
                Ok(Frame::new(5, HostMessage::PowerOff)),
            ]
        );
    }

    #[test]
    fn lengths_wrong_for_the_type_and_bad_slots_are_refused() {
        let mut bytes = raw(message_type::POWER_ON, 2, 0, 1, [0; 3]);
        bytes.extend_from_slice(&[0xAA, 0xBB]);
        bytes.extend(raw(message_type::XFR_BLOCK, 3, 0, 2, [0; 3]));
        bytes.extend_from_slice(&[0, 0xA4, 0]);
        bytes.extend(raw(message_type::GET_SLOT_STATUS, 0, 1, 3, [0; 3]));
        let mut decoder = FrameDecoder::<HostMessage>::new();
        decoder.push(&bytes);
        assert_eq!(
            decode_all(&mut decoder),
            [
                Err(FrameError::BadLength {
                    seq: 1,
                    message_type: message_type::POWER_ON,
                    length: 2
                }),
                Err(FrameError::BadLength {
                    seq: 2,
                    message_type: message_type::XFR_BLOCK,
                    length: 3
                }),
                Err(FrameError::BadSlot { seq: 3, slot: 1 }),
            ]
        );
        assert!(decoder.is_between_frames());
    }

    #[test]
    fn bridge_frames_with_invalid_status_bytes_are_refused() {
        let mut decoder = FrameDecoder::<BridgeMessage>::new();
        decoder.push(&raw(message_type::SLOT_STATUS, 0, 0, 8, [0x03, 0, 0]));
        assert_eq!(
            decode_all(&mut decoder),
            [Err(FrameError::BadStatus {
                seq: 8,
                status: 0x03
            })]
        );
    }

    #[test]
    fn refusals_map_to_ccid_error_codes() {
        assert_eq!(
            FrameError::TooLong { seq: 0, length: 0 }.error_code(),
            ErrorCode::BadLength
        );
        assert_eq!(
            FrameError::UnknownType {
                seq: 0,
                message_type: 0
            }
            .error_code(),
            ErrorCode::CommandNotSupported
        );
        assert_eq!(
            FrameError::BadSlot { seq: 0, slot: 2 }.error_code(),
            ErrorCode::BadSlot
        );
    }

    fn icc_state() -> impl Strategy<Value = IccState> {
        prop_oneof![
            Just(IccState::PresentActive),
            Just(IccState::PresentInactive),
            Just(IccState::Absent),
        ]
    }

    fn slot_status() -> impl Strategy<Value = SlotStatus> {
        (icc_state(), 0u8..3, any::<u8>()).prop_map(|(icc, kind, error)| match kind {
            0 => SlotStatus::ok(icc),
            1 => SlotStatus::failed(icc, ErrorCode::from_byte(error)),
            _ => SlotStatus::time_extension(icc),
        })
    }

    fn bridge_message() -> impl Strategy<Value = BridgeMessage> {
        prop_oneof![
            (
                slot_status(),
                proptest::collection::vec(any::<u8>(), 0..300)
            )
                .prop_map(|(status, data)| BridgeMessage::DataBlock { status, data }),
            slot_status().prop_map(BridgeMessage::SlotStatus),
            any::<bool>().prop_map(|present| BridgeMessage::SlotChange { present }),
            (any::<[u8; 4]>(), any::<bool>(), any::<u32>(), any::<u32>()).prop_map(
                |([minor, fw_major, fw_minor, patch], extended_length, max_apdu_len, bit_rate)| {
                    BridgeMessage::Info(BridgeInfo {
                        protocol: ProtocolVersion {
                            major: PROTOCOL_VERSION.major,
                            minor,
                        },
                        firmware: FirmwareVersion {
                            major: fw_major,
                            minor: fw_minor,
                            patch,
                        },
                        max_apdu_len,
                        extended_length,
                        bit_rate,
                    })
                }
            ),
        ]
    }

    fn host_message() -> impl Strategy<Value = HostMessage> {
        prop_oneof![
            Just(HostMessage::PowerOn),
            Just(HostMessage::PowerOff),
            Just(HostMessage::GetSlotStatus),
            Just(HostMessage::GetInfo),
            proptest::collection::vec(any::<u8>(), 4..300).prop_map(HostMessage::Transmit),
        ]
    }

    /// Splits `bytes` at the (sorted, deduplicated) `cuts`.
    fn chunks(bytes: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        cuts.sort_unstable();
        cuts.dedup();
        let mut out = Vec::new();
        let mut from = 0;
        for cut in cuts.into_iter().chain([bytes.len()]) {
            out.push(bytes[from..cut].to_vec());
            from = cut;
        }
        out
    }

    #[test]
    fn a_small_receiver_skips_a_frame_longer_than_it_accepts() {
        let mut decoder = FrameDecoder::<HostMessage>::with_max_payload(16);
        let long = Frame::new(4, HostMessage::Transmit(vec![0x11; 17])).encode();
        let fits = Frame::new(5, HostMessage::Transmit(vec![0x22; 16])).encode();
        decoder.push(&long[..12]);
        assert!(
            matches!(decoder.state, State::Skip { remaining: 15 }),
            "refused from the header, before its payload is buffered"
        );
        decoder.push(&long[12..]);
        decoder.push(&fits);
        assert_eq!(
            decode_all(&mut decoder),
            [
                Err(FrameError::BadLength {
                    seq: 4,
                    message_type: message_type::XFR_BLOCK,
                    length: 17
                }),
                Ok(Frame::new(5, HostMessage::Transmit(vec![0x22; 16])))
            ]
        );
    }

    proptest! {
        #[test]
        fn any_chunking_of_bridge_frames_decodes_to_the_same_frames(
            messages in proptest::collection::vec((any::<u8>(), bridge_message()), 0..12),
            cuts in proptest::collection::vec(any::<usize>(), 0..40),
        ) {
            let frames: Vec<Frame<BridgeMessage>> =
                messages.into_iter().map(|(seq, m)| Frame::new(seq, m)).collect();
            let stream: Vec<u8> = frames.iter().flat_map(Frame::encode).collect();
            let mut decoder = FrameDecoder::<BridgeMessage>::new();
            for chunk in chunks(&stream, &cuts) {
                decoder.push(&chunk);
            }
            let decoded: Vec<_> = decode_all(&mut decoder);
            prop_assert_eq!(decoded, frames.into_iter().map(Ok).collect::<Vec<_>>());
            prop_assert!(decoder.is_between_frames());
        }

        #[test]
        fn any_chunking_of_host_frames_decodes_to_the_same_frames(
            messages in proptest::collection::vec((any::<u8>(), host_message()), 0..12),
            cuts in proptest::collection::vec(any::<usize>(), 0..40),
        ) {
            let frames: Vec<Frame<HostMessage>> =
                messages.into_iter().map(|(seq, m)| Frame::new(seq, m)).collect();
            let stream: Vec<u8> = frames.iter().flat_map(Frame::encode).collect();
            let mut decoder = FrameDecoder::<HostMessage>::new();
            for chunk in chunks(&stream, &cuts) {
                decoder.push(&chunk);
            }
            prop_assert_eq!(
                decode_all(&mut decoder),
                frames.into_iter().map(Ok).collect::<Vec<_>>()
            );
        }

        #[test]
        fn arbitrary_bytes_never_panic(
            pushes in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 0..20),
            resets in any::<u32>(),
        ) {
            let mut host = FrameDecoder::<HostMessage>::new();
            let mut bridge = FrameDecoder::<BridgeMessage>::new();
            for (i, bytes) in pushes.iter().enumerate() {
                host.push(bytes);
                bridge.push(bytes);
                if resets & (1 << (i % 32)) != 0 {
                    host.reset();
                    bridge.reset();
                }
                while host.next_frame().is_some() {}
                while bridge.next_frame().is_some() {}
            }
        }

        #[test]
        fn arbitrary_headers_never_panic(
            message_type in prop_oneof![Just(0x50u8), Just(0x62), Just(0x63), Just(0x65),
                Just(0x6B), Just(0x6F), Just(0x80), Just(0x81), Just(0x83), any::<u8>()],
            length in 0u32..40,
            slot in 0u8..2,
            specific in any::<[u8; 3]>(),
            payload in proptest::collection::vec(any::<u8>(), 0..40),
        ) {
            let mut bytes = raw(message_type, length, slot, 1, specific);
            bytes.extend_from_slice(&payload);
            let mut host = FrameDecoder::<HostMessage>::new();
            let mut bridge = FrameDecoder::<BridgeMessage>::new();
            host.push(&bytes);
            bridge.push(&bytes);
            while host.next_frame().is_some() {}
            while bridge.next_frame().is_some() {}
        }
    }
}
