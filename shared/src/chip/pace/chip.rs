//! PACE, the chip's side, for the card emulator: the same steps as
//! [`super::terminal`], answering instead of asking, so that the emulator
//! and the reader share every formula. A real chip counts wrong passwords
//! and suspends the CAN; the emulator only refuses (`6300`) and starts over.

use super::info::PaceInfo;
use super::keys::Password;
use super::terminal::dynamic_object;
use crate::chip::apdu::{Command, Response, sw};
use crate::chip::crypto;
use crate::chip::sm::SecureChannel;
use crate::chip::tlv;

#[derive(Debug)]
enum Stage {
    Idle,
    Selected(PaceInfo, Password),
    NonceSent {
        info: PaceInfo,
        nonce: Vec<u8>,
    },
    Mapped {
        info: PaceInfo,
        generator: Vec<u8>,
    },
    Agreed {
        info: PaceInfo,
        channel: SecureChannel,
        terminal_public: Vec<u8>,
        chip_public: Vec<u8>,
    },
}

/// A chip's PACE: the variants it offers and the passwords it knows (its
/// CAN and its MRZ; the terminal names which one it uses).
#[derive(Debug)]
pub struct PaceChip {
    offers: Vec<PaceInfo>,
    passwords: Vec<Password>,
    stage: Stage,
}

/// What the chip answers, and the channel when PACE has just succeeded.
pub struct ChipAnswer {
    pub response: Response,
    pub established: Option<SecureChannel>,
}

impl ChipAnswer {
    fn status(sw: u16) -> Self {
        ChipAnswer {
            response: Response::status(sw),
            established: None,
        }
    }

    fn data(inner: Vec<u8>) -> Self {
        ChipAnswer {
            response: Response::new(tlv::encode(0x7C, &inner), sw::OK),
            established: None,
        }
    }
}

impl PaceChip {
    pub fn new(offers: Vec<PaceInfo>, passwords: Vec<Password>) -> Self {
        PaceChip {
            offers,
            passwords,
            stage: Stage::Idle,
        }
    }

    /// MSE:Set AT (`22 C1 A4`) or GENERAL AUTHENTICATE (`86`); `random`
    /// fills the nonce and the chip's ephemeral keys.
    pub fn on_command(
        &mut self,
        command: &Command,
        random: &mut dyn FnMut(&mut [u8]),
    ) -> ChipAnswer {
        match (command.ins, command.p1, command.p2) {
            (0x22, 0xC1, 0xA4) => self.set_at(command),
            (0x86, 0x00, 0x00) => {
                let answer = self.authenticate(command, random);
                if answer.response.sw != sw::OK {
                    self.stage = Stage::Idle;
                }
                answer
            }
            _ => ChipAnswer::status(sw::INS_NOT_SUPPORTED),
        }
    }

    fn set_at(&mut self, command: &Command) -> ChipAnswer {
        let objects: Result<Vec<_>, _> = tlv::Reader::new(&command.data).collect();
        let Ok(objects) = objects else {
            return ChipAnswer::status(sw::WRONG_DATA);
        };
        let value = |tag: u32| objects.iter().find(|o| o.tag == tag).map(|o| o.value);
        let offered = self.offers.iter().copied().find(|info| {
            value(0x80) == Some(info.oid().as_slice())
                && value(0x84).is_none_or(|id| id == [info.curve.parameter_id()])
        });
        let password = match value(0x83) {
            Some(&[reference]) => self
                .passwords
                .iter()
                .find(|p| p.reference() == reference)
                .cloned(),
            _ => None,
        };
        match (offered, password) {
            (Some(info), Some(password)) => {
                self.stage = Stage::Selected(info, password);
                ChipAnswer::status(sw::OK)
            }
            _ => {
                self.stage = Stage::Idle;
                ChipAnswer::status(sw::WRONG_DATA)
            }
        }
    }

    fn authenticate(&mut self, command: &Command, random: &mut dyn FnMut(&mut [u8])) -> ChipAnswer {
        let chained = command.cla & 0x10 != 0;
        match std::mem::replace(&mut self.stage, Stage::Idle) {
            Stage::Selected(info, password) if chained => {
                let mut nonce = vec![0u8; info.cipher.nonce_len()];
                random(&mut nonce);
                let encrypted = info
                    .cipher
                    .encrypt_nonce(&password.k_pi(info.cipher), &nonce);
                self.stage = Stage::NonceSent { info, nonce };
                ChipAnswer::data(tlv::encode(0x80, &encrypted))
            }
            Stage::NonceSent { info, nonce } if chained => {
                let Ok(terminal_public) = dynamic_object(&command.data, 0x81) else {
                    return ChipAnswer::status(sw::WRONG_DATA);
                };
                let curve = info.curve;
                let secret = curve.random_scalar(&mut *random);
                let mapped = curve
                    .multiply(&terminal_public, &secret)
                    .and_then(|shared| curve.map_generator(&nonce, &shared))
                    .and_then(|generator| Ok((generator, curve.public_key(&secret)?)));
                match mapped {
                    Ok((generator, public)) => {
                        self.stage = Stage::Mapped { info, generator };
                        ChipAnswer::data(tlv::encode(0x82, &public))
                    }
                    Err(_) => ChipAnswer::status(sw::WRONG_DATA),
                }
            }
            Stage::Mapped { info, generator } if chained => {
                let Ok(terminal_public) = dynamic_object(&command.data, 0x83) else {
                    return ChipAnswer::status(sw::WRONG_DATA);
                };
                let curve = info.curve;
                let secret = curve.random_scalar(&mut *random);
                let agreed = curve.multiply(&generator, &secret).and_then(|chip_public| {
                    let shared = curve.multiply(&terminal_public, &secret)?;
                    Ok((chip_public, curve.x_coordinate(&shared)))
                });
                match agreed {
                    Ok((chip_public, shared)) if chip_public != terminal_public => {
                        self.stage = Stage::Agreed {
                            info,
                            channel: info.cipher.channel(&shared),
                            terminal_public,
                            chip_public: chip_public.clone(),
                        };
                        ChipAnswer::data(tlv::encode(0x84, &chip_public))
                    }
                    _ => ChipAnswer::status(sw::WRONG_DATA),
                }
            }
            Stage::Agreed {
                info,
                channel,
                terminal_public,
                chip_public,
            } if !chained => {
                let Ok(token) = dynamic_object(&command.data, 0x85) else {
                    return ChipAnswer::status(sw::WRONG_DATA);
                };
                let oid = info.oid();
                let expected = info.cipher.token(channel.k_mac(), &oid, &chip_public);
                if !crypto::mac_eq(&token, &expected) {
                    // The terminal derived other keys: a wrong password.
                    return ChipAnswer::status(sw::AUTH_FAILED);
                }
                let ours = info.cipher.token(channel.k_mac(), &oid, &terminal_public);
                ChipAnswer {
                    response: Response::new(tlv::encode(0x7C, &tlv::encode(0x86, &ours)), sw::OK),
                    established: Some(channel),
                }
            }
            _ => ChipAnswer::status(sw::CONDITIONS_NOT_SATISFIED),
        }
    }
}
