//! One command at a time over the PN532's serial link (UM0701-02 §6.2.1):
//! send the frame, wait for the ACK, wait for the response.
//!
//! [`Link`] owns the bytes both ways and the deadlines; the shell writes
//! what [`Link::poll_write`] gives to the UART, pushes what the UART
//! received into [`Link::received`] and calls [`Link::handle_timeout`] at
//! [`Link::deadline`]. After a response timeout it sends an ACK, which
//! tells the PN532 to abandon the command, so the next one starts clean.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::time::Duration;

use super::frame::{ACK, FrameReader, HOST_TO_PN532, PN532_TO_HOST, Pn532Frame, encode};
use super::ops::{Command, LinkFault, Reply};

/// Wakes a PN532 in HSU mode from its power-down state: 0x55 0x55, then
/// a long enough run of zeros (UM0701-02 §7.2.11).
pub const WAKE_UP: [u8; 16] = [0x55, 0x55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// Time for the PN532 to acknowledge a frame once it has all of it.
const ACK_TIMEOUT: Duration = Duration::from_millis(50);

#[derive(Debug)]
enum State {
    Idle,
    AwaitAck {
        code: u8,
        response_timeout: Duration,
        deadline: Duration,
    },
    AwaitResponse {
        code: u8,
        deadline: Duration,
    },
}

/// The host controller's side of the PN532 link.
#[derive(Debug)]
pub struct Link {
    reader: FrameReader,
    state: State,
    writes: VecDeque<Vec<u8>>,
    reply: Option<Reply>,
    /// Time to move one byte over the link, for the ACK deadline.
    byte_time: Duration,
}

impl Link {
    /// A link at `baud` (8N1: ten bit times per byte).
    pub fn new(baud: u32) -> Link {
        Link {
            reader: FrameReader::new(),
            state: State::Idle,
            writes: VecDeque::new(),
            reply: None,
            byte_time: Duration::from_nanos(10_000_000_000 / u64::from(baud.max(1))),
        }
    }

    /// Whether a command is on its way (no new one may be sent).
    pub fn is_busy(&self) -> bool {
        !matches!(self.state, State::Idle) || self.reply.is_some()
    }

    /// Sends `command` at `now`.
    pub fn send(&mut self, command: &Command, now: Duration) {
        let mut bytes = Vec::new();
        if command.wake {
            bytes.extend_from_slice(&WAKE_UP);
        }
        bytes.extend_from_slice(&encode(HOST_TO_PN532, command.code, &command.params));
        let transfer = self.byte_time * bytes.len() as u32;
        self.writes.push_back(bytes);
        self.reader.clear();
        self.reply = None;
        self.state = State::AwaitAck {
            code: command.code,
            response_timeout: command.timeout,
            deadline: now + transfer + ACK_TIMEOUT,
        };
    }

    /// Bytes for the UART, in order.
    pub fn poll_write(&mut self) -> Option<Vec<u8>> {
        self.writes.pop_front()
    }

    /// Bytes the UART received.
    pub fn received(&mut self, bytes: &[u8], now: Duration) {
        self.reader.push(bytes);
        while let Some(frame) = self.reader.next_frame() {
            self.state = match (core::mem::replace(&mut self.state, State::Idle), frame) {
                (
                    State::AwaitAck {
                        code,
                        response_timeout,
                        ..
                    },
                    Ok(Pn532Frame::Ack),
                ) => State::AwaitResponse {
                    code,
                    deadline: now + response_timeout,
                },
                (
                    State::AwaitResponse { code, .. },
                    Ok(Pn532Frame::Information {
                        tfi: PN532_TO_HOST,
                        code: response,
                        data,
                    }),
                ) if response == code.wrapping_add(1) => self.finish(Ok(data)),
                (State::AwaitAck { .. } | State::AwaitResponse { .. }, Ok(Pn532Frame::Nack))
                | (
                    State::AwaitAck { .. } | State::AwaitResponse { .. },
                    Ok(Pn532Frame::SyntaxError),
                ) => self.finish(Err(LinkFault::Refused)),
                (State::AwaitResponse { .. }, Err(_)) => self.finish(Err(LinkFault::Damaged)),
                // Anything else is stale (a late answer to an abandoned
                // command) or noise: keep waiting.
                (state, _) => state,
            };
        }
    }

    /// When [`Link::handle_timeout`] is due.
    pub fn deadline(&self) -> Option<Duration> {
        match self.state {
            State::Idle => None,
            State::AwaitAck { deadline, .. } | State::AwaitResponse { deadline, .. } => {
                Some(deadline)
            }
        }
    }

    pub fn handle_timeout(&mut self, now: Duration) {
        match self.state {
            State::AwaitAck { deadline, .. } if now >= deadline => {
                self.state = self.finish(Err(LinkFault::NoAck));
            }
            State::AwaitResponse { deadline, .. } if now >= deadline => {
                // An ACK from the host aborts the PN532's current command.
                self.writes.push_back(ACK.to_vec());
                self.state = self.finish(Err(LinkFault::NoResponse));
            }
            _ => {}
        }
    }

    /// The reply to the command sent, once there is one.
    pub fn take_reply(&mut self) -> Option<Reply> {
        self.reply.take()
    }

    fn finish(&mut self, reply: Reply) -> State {
        self.reply = Some(reply);
        State::Idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pn532::frame::command;

    fn command(code: u8) -> Command {
        Command {
            code,
            params: vec![],
            timeout: Duration::from_millis(500),
            wake: false,
        }
    }

    #[test]
    fn ack_then_response_completes_the_command() {
        let mut link = Link::new(115_200);
        link.send(&command(command::GET_FIRMWARE_VERSION), Duration::ZERO);
        assert_eq!(link.poll_write().unwrap(), encode(HOST_TO_PN532, 0x02, &[]));
        // A stale response before the ACK is ignored.
        link.received(&encode(PN532_TO_HOST, 0x41, &[0]), Duration::ZERO);
        link.received(&ACK, Duration::ZERO);
        assert!(link.is_busy());
        assert_eq!(link.deadline(), Some(Duration::from_millis(500)));
        let response = encode(PN532_TO_HOST, 0x03, &[0x32, 1, 6, 7]);
        link.received(&response[..5], Duration::ZERO);
        assert_eq!(link.take_reply(), None);
        link.received(&response[5..], Duration::ZERO);
        assert_eq!(link.take_reply(), Some(Ok(vec![0x32, 1, 6, 7])));
        assert!(!link.is_busy());
    }

    #[test]
    fn a_silent_pn532_fails_the_command_and_is_told_to_abandon_it() {
        let mut link = Link::new(115_200);
        link.send(
            &Command {
                wake: true,
                ..command(command::SAM_CONFIGURATION)
            },
            Duration::ZERO,
        );
        assert_eq!(link.poll_write().unwrap()[..16], WAKE_UP);
        let ack_deadline = link.deadline().unwrap();
        assert!(
            ack_deadline > ACK_TIMEOUT,
            "the frame's own transfer time counts"
        );
        link.handle_timeout(ack_deadline);
        assert_eq!(link.take_reply(), Some(Err(LinkFault::NoAck)));

        link.send(&command(command::DIAGNOSE), Duration::ZERO);
        link.poll_write();
        link.received(&ACK, Duration::from_millis(1));
        link.handle_timeout(Duration::from_millis(400));
        assert_eq!(link.take_reply(), None, "not yet");
        link.handle_timeout(Duration::from_millis(501));
        assert_eq!(link.take_reply(), Some(Err(LinkFault::NoResponse)));
        assert_eq!(link.poll_write(), Some(ACK.to_vec()), "abort");
    }

    #[test]
    fn nack_and_syntax_errors_fail_the_command() {
        let mut link = Link::new(115_200);
        link.send(&command(command::DIAGNOSE), Duration::ZERO);
        link.received(
            &[0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00],
            Duration::ZERO,
        );
        assert_eq!(link.take_reply(), Some(Err(LinkFault::Refused)));
    }
}
