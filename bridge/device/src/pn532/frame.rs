//! The PN532's frames (NXP UM0701-02, §6.2), both directions.
//!
//! ```text
//! normal      00 00 FF  LEN LCS          TFI data… DCS 00
//! extended    00 00 FF  FF FF LENM LENL LCS  TFI data… DCS 00
//! ACK         00 00 FF 00 FF 00
//! NACK        00 00 FF FF 00 00
//! error       00 00 FF 01 FF 7F 81 00
//! ```
//!
//! LEN counts TFI and data; LEN + LCS and TFI + data + DCS are 0 modulo
//! 256. TFI is D4 from the host, D5 from the PN532, whose response code is
//! the command code plus one. [`FrameReader`] finds frames in bytes that
//! arrive in any chunks (a UART gives a few at a time) and skips noise,
//! preambles and postambles between them.

use alloc::vec::Vec;

/// TFI of a frame from the host controller.
pub const HOST_TO_PN532: u8 = 0xD4;
/// TFI of a frame from the PN532.
pub const PN532_TO_HOST: u8 = 0xD5;
/// TFI of the PN532's "syntax error" frame.
const ERROR_TFI: u8 = 0x7F;

pub const ACK: [u8; 6] = [0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00];
pub const NACK: [u8; 6] = [0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00];

/// The longest TFI + data of a frame either way: an InDataExchange
/// response is TFI, code, status and up to 262 bytes.
pub const MAX_FRAME_DATA: usize = 265;

/// Command codes used here.
pub mod command {
    pub const DIAGNOSE: u8 = 0x00;
    pub const GET_FIRMWARE_VERSION: u8 = 0x02;
    pub const SAM_CONFIGURATION: u8 = 0x14;
    pub const RF_CONFIGURATION: u8 = 0x32;
    pub const IN_DATA_EXCHANGE: u8 = 0x40;
    pub const IN_LIST_PASSIVE_TARGET: u8 = 0x4A;
    pub const IN_RELEASE: u8 = 0x52;
}

/// One frame read off the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pn532Frame {
    Ack,
    Nack,
    /// The PN532 could not parse what it was sent.
    SyntaxError,
    /// A command (TFI D4) or response (TFI D5) with its code and data.
    Information {
        tfi: u8,
        code: u8,
        data: Vec<u8>,
    },
}

/// A frame whose checksum failed: it is dropped and reading goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChecksumError;

/// An information frame: `tfi`, `code`, then `data`.
pub fn encode(tfi: u8, code: u8, data: &[u8]) -> Vec<u8> {
    let len = 2 + data.len();
    let mut frame = Vec::with_capacity(len + 10);
    frame.extend_from_slice(&[0x00, 0x00, 0xFF]);
    if len <= 0xFF {
        frame.extend_from_slice(&[len as u8, (len as u8).wrapping_neg()]);
    } else {
        let [high, low] = (len as u16).to_be_bytes();
        frame.extend_from_slice(&[0xFF, 0xFF, high, low, high.wrapping_add(low).wrapping_neg()]);
    }
    frame.extend_from_slice(&[tfi, code]);
    frame.extend_from_slice(data);
    let sum = data
        .iter()
        .fold(tfi.wrapping_add(code), |sum, byte| sum.wrapping_add(*byte));
    frame.extend_from_slice(&[sum.wrapping_neg(), 0x00]);
    frame
}

/// Finds frames in a byte stream.
#[derive(Debug, Default)]
pub struct FrameReader {
    buffer: Vec<u8>,
}

/// What the bytes after a start code say, so far.
enum Parse {
    NeedMore,
    /// A frame (or a checksum error) that used `consumed` bytes.
    Frame(Result<Pn532Frame, ChecksumError>, usize),
}

impl FrameReader {
    pub fn new() -> FrameReader {
        FrameReader::default()
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Forgets everything buffered (after a timeout the rest of a frame
    /// will not come).
    pub fn clear(&mut self) {
        self.buffer.clear();
    }

    /// The next complete frame, or a checksum error, in stream order.
    pub fn next_frame(&mut self) -> Option<Result<Pn532Frame, ChecksumError>> {
        let start = self.buffer.windows(2).position(|w| w == [0x00, 0xFF]);
        let Some(start) = start else {
            // Keep a trailing 00: it may be the start code's first byte.
            let keep = usize::from(self.buffer.last() == Some(&0x00));
            self.buffer.drain(..self.buffer.len() - keep);
            return None;
        };
        self.buffer.drain(..start);
        match parse(&self.buffer[2..]) {
            Parse::NeedMore => None,
            Parse::Frame(Err(ChecksumError), _) => {
                // Not a frame after all: the next call looks for the next
                // start code.
                self.buffer.drain(..2);
                Some(Err(ChecksumError))
            }
            Parse::Frame(frame, consumed) => {
                self.buffer.drain(..2 + consumed);
                Some(frame)
            }
        }
    }
}

/// Parses what follows a start code `00 FF`.
fn parse(bytes: &[u8]) -> Parse {
    let (Some(&first), Some(&second)) = (bytes.first(), bytes.get(1)) else {
        return Parse::NeedMore;
    };
    match (first, second) {
        (0x00, 0xFF) => return Parse::Frame(Ok(Pn532Frame::Ack), 2),
        (0xFF, 0x00) => return Parse::Frame(Ok(Pn532Frame::Nack), 2),
        _ => {}
    }
    let (len, header) = if (first, second) == (0xFF, 0xFF) {
        let Some(&[high, low, check]) = bytes.get(2..5).map(|b| <&[u8; 3]>::try_from(b).unwrap())
        else {
            return Parse::NeedMore;
        };
        if high.wrapping_add(low).wrapping_add(check) != 0 {
            return Parse::Frame(Err(ChecksumError), 0);
        }
        (u16::from_be_bytes([high, low]) as usize, 5)
    } else {
        if first.wrapping_add(second) != 0 {
            return Parse::Frame(Err(ChecksumError), 0);
        }
        (first as usize, 2)
    };
    if len == 0 || len > MAX_FRAME_DATA {
        return Parse::Frame(Err(ChecksumError), 0);
    }
    // TFI and data, then DCS.
    let Some(body) = bytes.get(header..header + len + 1) else {
        return Parse::NeedMore;
    };
    if body.iter().fold(0u8, |sum, byte| sum.wrapping_add(*byte)) != 0 {
        return Parse::Frame(Err(ChecksumError), 0);
    }
    let consumed = header + len + 1;
    let frame = match body[..len] {
        [ERROR_TFI] => Pn532Frame::SyntaxError,
        [tfi, code, ref data @ ..] => Pn532Frame::Information {
            tfi,
            code,
            data: data.to_vec(),
        },
        _ => return Parse::Frame(Err(ChecksumError), consumed),
    };
    Parse::Frame(Ok(frame), consumed)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn read_all(reader: &mut FrameReader) -> Vec<Result<Pn532Frame, ChecksumError>> {
        core::iter::from_fn(|| reader.next_frame()).collect()
    }

    #[test]
    fn get_firmware_version_is_the_manuals_example() {
        // UM0701-02 §7.2.2.
        assert_eq!(
            encode(HOST_TO_PN532, command::GET_FIRMWARE_VERSION, &[]),
            [0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD4, 0x02, 0x2A, 0x00]
        );
    }

    #[test]
    fn ack_error_and_responses_are_read_between_noise() {
        let mut reader = FrameReader::new();
        let response = encode(PN532_TO_HOST, 0x03, &[0x32, 0x01, 0x06, 0x07]);
        let mut stream = vec![0x55, 0x00];
        stream.extend_from_slice(&ACK);
        stream.extend_from_slice(&[0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00]);
        stream.extend_from_slice(&response);
        stream.extend_from_slice(&NACK);
        for byte in &stream {
            reader.push(&[*byte]);
        }
        assert_eq!(
            read_all(&mut reader),
            [
                Ok(Pn532Frame::Ack),
                Ok(Pn532Frame::SyntaxError),
                Ok(Pn532Frame::Information {
                    tfi: PN532_TO_HOST,
                    code: 0x03,
                    data: vec![0x32, 0x01, 0x06, 0x07]
                }),
                Ok(Pn532Frame::Nack),
            ]
        );
    }

    #[test]
    fn long_frames_use_the_extended_form() {
        let data = vec![0xA5; 262];
        let frame = encode(HOST_TO_PN532, command::IN_DATA_EXCHANGE, &data);
        assert_eq!(frame[3..8], [0xFF, 0xFF, 0x01, 0x08, 0xF7]);
        let mut reader = FrameReader::new();
        reader.push(&frame);
        assert_eq!(
            read_all(&mut reader),
            [Ok(Pn532Frame::Information {
                tfi: HOST_TO_PN532,
                code: command::IN_DATA_EXCHANGE,
                data
            })]
        );
    }

    #[test]
    fn a_damaged_frame_is_reported_and_the_next_one_read() {
        let mut damaged = encode(PN532_TO_HOST, 0x41, &[0x00, 0x90, 0x00]);
        damaged[7] ^= 0x01;
        let good = encode(PN532_TO_HOST, 0x41, &[0x00, 0x6A, 0x82]);
        let mut reader = FrameReader::new();
        reader.push(&damaged);
        reader.push(&good);
        let frames = read_all(&mut reader);
        assert_eq!(frames.first(), Some(&Err(ChecksumError)));
        assert_eq!(
            frames.last(),
            Some(&Ok(Pn532Frame::Information {
                tfi: PN532_TO_HOST,
                code: 0x41,
                data: vec![0x00, 0x6A, 0x82]
            }))
        );
    }

    proptest! {
        #[test]
        fn frames_survive_any_chunking(
            payloads in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..264), 1..5),
            cut in 1usize..40,
        ) {
            let stream: Vec<u8> = payloads
                .iter()
                .flat_map(|data| encode(PN532_TO_HOST, 0x41, data))
                .collect();
            let mut reader = FrameReader::new();
            let mut frames = Vec::new();
            for chunk in stream.chunks(cut) {
                reader.push(chunk);
                frames.extend(read_all(&mut reader));
            }
            let expected: Vec<_> = payloads
                .into_iter()
                .map(|data| Ok(Pn532Frame::Information { tfi: PN532_TO_HOST, code: 0x41, data }))
                .collect();
            prop_assert_eq!(frames, expected);
        }

        #[test]
        fn noise_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let mut reader = FrameReader::new();
            reader.push(&bytes);
            let _ = read_all(&mut reader);
        }
    }
}
