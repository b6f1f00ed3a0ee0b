//! Carrying the relay's Chip Authentication: its commands under the
//! current secure channel, then its proof read as it is.

use std::collections::VecDeque;

use super::{ReadError, ReadSession, State, Step};
use crate::chip::apdu::Command;
use crate::chip::sm::SecureChannel;

impl ReadSession {
    /// Carries the relay's Chip Authentication (after [`Step::Read`]):
    /// `commands` (plain APDUs the relay made, with its ephemeral key) go
    /// under the current secure channel; then `proof`, a READ BINARY the
    /// relay protected under the keys the chip will have switched to, goes
    /// as it is. The chip's answer to it comes back in
    /// [`Step::ChipAuthenticated`] for the relay to open: this session never
    /// holds those keys.
    pub fn chip_authenticate(&mut self, commands: &[Vec<u8>], proof: Vec<u8>) -> Step {
        let State::Ready(channel) = std::mem::replace(&mut self.state, State::Done) else {
            return self.fail(ReadError::OutOfOrder(
                "chip authentication before the files are read",
            ));
        };
        let mut parsed = VecDeque::new();
        for apdu in commands {
            match Command::parse(apdu) {
                Ok((command, _)) => parsed.push_back(command),
                Err(_) => {
                    return self.fail(ReadError::Malformed {
                        file: "CHIP AUTHENTICATION",
                        detail: "the relay's command is not an APDU".into(),
                    });
                }
            }
        }
        self.next_chip_auth(channel, parsed, proof)
    }

    pub(super) fn next_chip_auth(
        &mut self,
        mut channel: SecureChannel,
        mut commands: VecDeque<Command>,
        proof: Vec<u8>,
    ) -> Step {
        let Some(command) = commands.pop_front() else {
            self.state = State::ChipAuthProof;
            return self.send(proof);
        };
        match channel.protect(&command) {
            Ok(apdu) => {
                self.state = State::ChipAuth {
                    channel,
                    commands,
                    proof,
                };
                self.send(apdu)
            }
            Err(e) => self.fail(ReadError::SecureMessaging(e)),
        }
    }
}
