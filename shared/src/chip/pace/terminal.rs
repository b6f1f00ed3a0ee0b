//! PACE, the terminal's side (ICAO 9303-11 §4.4, generic mapping over an
//! elliptic curve), as a sans-IO exchange of plain APDUs:
//!
//! ```text
//! MSE:Set AT (protocol, password, curve)
//! GENERAL AUTHENTICATE 1  ← encrypted nonce z;  s = D(Kπ, z)
//! GENERAL AUTHENTICATE 2  → mapping key; ← chip's;  G' = s·G + H
//! GENERAL AUTHENTICATE 3  → ephemeral key on G'; ← chip's;  K = x(k·P)
//! GENERAL AUTHENTICATE 4  → token over the chip's key; ← token over ours
//! ```
//!
//! A wrong password shows only at the end, as the chip's refusal of our
//! token (`63xx`) or a chip token that does not verify; both are
//! [`PaceError::WrongPassword`], so the session can fall back to BAC.

use thiserror::Error;

use super::curve::CurveError;
use super::info::PaceInfo;
use super::keys::Password;
use crate::chip::apdu::{Command, Response, sw};
use crate::chip::crypto;
use crate::chip::sm::SecureChannel;
use crate::chip::tlv;

/// Why PACE did not establish a channel.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PaceError {
    #[error("the chip refused {step} ({sw:04X})")]
    Refused { step: &'static str, sw: u16 },
    #[error("the chip did not accept the access number (or it did not prove it knows it)")]
    WrongPassword,
    #[error("malformed PACE answer: {0}")]
    Malformed(String),
    #[error("{0}")]
    Curve(#[from] CurveError),
    #[error("PACE driven out of order")]
    OutOfOrder,
}

/// What to do next.
#[derive(Debug)]
pub enum PaceStep {
    Send(Command),
    Established(SecureChannel),
}

#[derive(Debug)]
enum Stage {
    SetAt,
    Nonce,
    Map {
        nonce: Vec<u8>,
        secret: Vec<u8>,
    },
    Agree {
        secret: Vec<u8>,
        public: Vec<u8>,
    },
    Confirm {
        channel: SecureChannel,
        expected_token: [u8; 8],
    },
    Done,
}

/// One PACE run from the terminal's side.
#[derive(Debug)]
pub struct PaceTerminal {
    info: PaceInfo,
    password: Password,
    stage: Stage,
}

impl PaceTerminal {
    pub fn new(info: PaceInfo, password: Password) -> Self {
        PaceTerminal {
            info,
            password,
            stage: Stage::SetAt,
        }
    }

    pub fn info(&self) -> PaceInfo {
        self.info
    }

    /// MSE:Set AT, the first command.
    pub fn start(&mut self) -> Command {
        self.stage = Stage::SetAt;
        set_at(&self.info, &self.password)
    }

    /// Feeds the chip's answer; `random` fills buffers with fresh random
    /// bytes (the ephemeral keys).
    pub fn on_response(
        &mut self,
        response: &Response,
        random: &mut dyn FnMut(&mut [u8]),
    ) -> Result<PaceStep, PaceError> {
        let curve = self.info.curve;
        let cipher = self.info.cipher;
        match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::SetAt => {
                expect_ok(response, "MSE:Set AT")?;
                self.stage = Stage::Nonce;
                Ok(PaceStep::Send(general_authenticate(true, &[])))
            }
            Stage::Nonce => {
                expect_ok(response, "GENERAL AUTHENTICATE (nonce)")?;
                let encrypted = dynamic_object(&response.data, 0x80)?;
                let nonce = cipher
                    .decrypt_nonce(&self.password.k_pi(cipher), &encrypted)
                    .ok_or_else(|| PaceError::Malformed("the nonce is not one block".into()))?;
                let secret = curve.random_scalar(&mut *random);
                let public = curve.public_key(&secret)?;
                self.stage = Stage::Map { nonce, secret };
                Ok(PaceStep::Send(general_authenticate(
                    true,
                    &tlv::encode(0x81, &public),
                )))
            }
            Stage::Map { nonce, secret } => {
                expect_ok(response, "GENERAL AUTHENTICATE (mapping)")?;
                let chip_public = dynamic_object(&response.data, 0x82)?;
                let shared = curve.multiply(&chip_public, &secret)?;
                let generator = curve.map_generator(&nonce, &shared)?;
                let secret = curve.random_scalar(&mut *random);
                let public = curve.multiply(&generator, &secret)?;
                let command = general_authenticate(true, &tlv::encode(0x83, &public));
                self.stage = Stage::Agree { secret, public };
                Ok(PaceStep::Send(command))
            }
            Stage::Agree { secret, public } => {
                expect_ok(response, "GENERAL AUTHENTICATE (key agreement)")?;
                let chip_public = dynamic_object(&response.data, 0x84)?;
                // A chip echoing our key would make K computable by anyone.
                if chip_public == public {
                    return Err(PaceError::Malformed("the chip returned our own key".into()));
                }
                let shared = curve.x_coordinate(&curve.multiply(&chip_public, &secret)?);
                let channel = cipher.channel(&shared);
                let oid = self.info.oid();
                let our_token = cipher.token(channel.k_mac(), &oid, &chip_public);
                let expected_token = cipher.token(channel.k_mac(), &oid, &public);
                self.stage = Stage::Confirm {
                    channel,
                    expected_token,
                };
                Ok(PaceStep::Send(general_authenticate(
                    false,
                    &tlv::encode(0x85, &our_token),
                )))
            }
            Stage::Confirm {
                channel,
                expected_token,
            } => {
                if response.sw & 0xFF00 == 0x6300 || response.sw == sw::SECURITY_NOT_SATISFIED {
                    return Err(PaceError::WrongPassword);
                }
                expect_ok(response, "GENERAL AUTHENTICATE (tokens)")?;
                let token = dynamic_object(&response.data, 0x86)?;
                if !crypto::mac_eq(&token, &expected_token) {
                    return Err(PaceError::WrongPassword);
                }
                Ok(PaceStep::Established(channel))
            }
            Stage::Done => Err(PaceError::OutOfOrder),
        }
    }
}

/// MSE:Set AT for PACE: the protocol, the password's reference and the
/// curve's parameter id.
pub fn set_at(info: &PaceInfo, password: &Password) -> Command {
    let data = [
        tlv::encode(0x80, &info.oid()),
        tlv::encode(0x83, &[password.reference()]),
        tlv::encode(0x84, &[info.curve.parameter_id()]),
    ]
    .concat();
    Command::new(0x00, 0x22, 0xC1, 0xA4).with_data(data)
}

/// GENERAL AUTHENTICATE with dynamic authentication data `7C`; every step
/// but the last is chained (CLA `10`).
pub fn general_authenticate(chained: bool, inner: &[u8]) -> Command {
    let cla = if chained { 0x10 } else { 0x00 };
    Command::new(cla, 0x86, 0x00, 0x00)
        .with_data(tlv::encode(0x7C, inner))
        .with_le(256)
}

fn expect_ok(response: &Response, step: &'static str) -> Result<(), PaceError> {
    if response.sw == sw::OK {
        Ok(())
    } else {
        Err(PaceError::Refused {
            step,
            sw: response.sw,
        })
    }
}

/// The value of `tag` inside a `7C` dynamic authentication data object.
pub fn dynamic_object(data: &[u8], tag: u32) -> Result<Vec<u8>, PaceError> {
    let outer = tlv::read_only(data, 0x7C).map_err(|e| PaceError::Malformed(format!("7C: {e}")))?;
    outer
        .children()
        .find(tag)
        .map_err(|e| PaceError::Malformed(e.to_string()))?
        .map(|inner| inner.value.to_vec())
        .ok_or_else(|| PaceError::Malformed(format!("no {tag:02X} in the answer")))
}
