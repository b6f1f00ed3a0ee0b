//! Opening the chip: EF.CardAccess by short file identifier, PACE with
//! the CAN (or a passport's MRZ) when the chip offers a variant we speak,
//! BAC otherwise or when PACE fails.

use super::{Access, CARD_ACCESS_SFI, EMRTD_AID, ReadError, ReadSession, State, Step};
use crate::chip::apdu::{Command, Response, sw};
use crate::chip::mrz::BacInput;
use crate::chip::pace::{PaceStep, PaceTerminal, Password, supported_pace_infos};

impl ReadSession {
    /// PACE when it may work, BAC otherwise.
    pub(super) fn begin(&mut self) -> Step {
        if self.options.pace && self.pace_password.is_some() && !self.pace_failed {
            self.state = State::ReadingCardAccess;
            let cmd = Command::new(0x00, 0xB0, 0x80 | CARD_ACCESS_SFI, 0x00).with_le(256);
            return self.send(cmd.encode(false).expect("a fixed short command"));
        }
        self.select_app()
    }

    /// PACE is not possible or failed: BAC from the start.
    pub(super) fn pace_unavailable(&mut self) -> Step {
        self.pace_failed = true;
        self.access = Access::Bac;
        self.select_app()
    }

    pub(super) fn on_card_access(&mut self, bytes: &[u8]) -> Step {
        let offered = Response::parse(bytes)
            .ok()
            .filter(|r| r.sw == sw::OK || r.sw == sw::END_OF_FILE)
            .and_then(|r| supported_pace_infos(&r.data).ok())
            .and_then(|infos| infos.first().copied());
        let (Some(info), Some(password)) = (offered, self.pace_password.clone()) else {
            return self.pace_unavailable();
        };
        let by_can = matches!(password, Password::Can(_));
        let mut terminal = PaceTerminal::new(info, password);
        let cmd = terminal.start();
        self.state = State::Pace(terminal);
        self.access = Access::Pace { info, by_can };
        self.send(cmd.encode(false).expect("MSE:Set AT is short"))
    }

    pub(super) fn on_pace(&mut self, mut terminal: PaceTerminal, bytes: &[u8]) -> Step {
        let Ok(response) = Response::parse(bytes) else {
            return self.pace_unavailable();
        };
        let step = terminal.on_response(&response, &mut |out| self.fill_random(out));
        match step {
            Ok(PaceStep::Send(cmd)) => {
                self.state = State::Pace(terminal);
                match cmd.encode(false) {
                    Ok(apdu) => self.send(apdu),
                    Err(_) => self.pace_unavailable(),
                }
            }
            Ok(PaceStep::Established(mut channel)) => {
                let select = Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(EMRTD_AID.to_vec());
                match channel.protect(&select) {
                    Ok(apdu) => {
                        self.state = State::SelectingAppProtected(channel);
                        self.send(apdu)
                    }
                    Err(e) => self.fail(ReadError::SecureMessaging(e)),
                }
            }
            // A chip that refuses the CAN, or any PACE trouble: BAC still
            // opens the same files.
            Err(_) => self.pace_unavailable(),
        }
    }
}

/// PACE's password from the first BAC input: a CCCD's CAN (the last six
/// digits of a nine-digit document number, which is the last nine of the
/// 12-digit ID: no date needed), else the MRZ information (a passport,
/// whose dates the reader was given).
pub(super) fn pace_password(inputs: &[BacInput]) -> Option<Password> {
    let input = inputs.first()?;
    let number = &input.document_number;
    Some(
        if number.len() == 9 && number.bytes().all(|b| b.is_ascii_digit()) {
            Password::Can(number[3..].to_string())
        } else {
            Password::Mrz(input.mrz_information())
        },
    )
}
