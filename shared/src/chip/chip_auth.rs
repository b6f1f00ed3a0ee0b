//! Chip Authentication (ICAO 9303-11 §6.2, ECDH and DH), sans-IO, both
//! sides.
//!
//! The terminal sends an ephemeral public key in the group of the chip's
//! static key (an elliptic curve or a DH group, published in DG14, signed
//! by EF.SOD). Each side derives the
//! shared secret. The chip from its static private key, which a copy of
//! the files does not have. The secure channel restarts with keys derived
//! from that secret. A command that the chip answers correctly under the
//! new keys proves the chip holds the key.
//!
//! In examgate the terminal is the relay. It makes the ephemeral key and
//! the commands and protects the proof read itself. The browser and the
//! bridge only carry bytes. So neither a dump of the files nor a
//! compromised browser can answer (docs/checkin-security.md).
//!
//! Both variants of the commands:
//! - 3DES (CA version 1): `MSE:Set KAT` with the key in `91`.
//! - AES (CA version 2): `MSE:Set AT` naming the protocol, then
//!   `GENERAL AUTHENTICATE` with the key in `7C { 80 }`.
//!
//! Either way the chip answers under the old channel. Everything after
//! uses the new one, with the counter at zero.

use super::apdu::{Command, Response, sw};
use super::dh::{DhError, DhGroup};
use super::pace::curve::{CurveError, StandardCurve};
use super::pace::keys::Cipher;
use super::pace::terminal::dynamic_object;
use super::sm::SecureChannel;
use super::tlv;

/// id-CA-ECDH (0.4.0.127.0.7.2.2.3.2) without its cipher arc.
pub const CA_ECDH: [u8; 9] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02];

/// id-PK-ECDH (0.4.0.127.0.7.2.2.1.2): ChipAuthenticationPublicKeyInfo.
pub const PK_ECDH: [u8; 9] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x01, 0x02];

/// id-CA-DH (0.4.0.127.0.7.2.2.3.1) without its cipher arc.
pub const CA_DH: [u8; 9] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x01];

/// id-PK-DH (0.4.0.127.0.7.2.2.1.1): ChipAuthenticationPublicKeyInfo.
pub const PK_DH: [u8; 9] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x01, 0x01];

/// The group a Chip Authentication key lives in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyAgreement {
    /// ECDH on a standardized curve; public keys are SEC1 points.
    Ecdh(StandardCurve),
    /// Finite-field DH; public keys are values as long as `p`.
    Dh(DhGroup),
}

/// Why a key agreement could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgreementError {
    #[error(transparent)]
    Curve(#[from] CurveError),
    #[error("{0}")]
    Dh(DhError),
}

impl KeyAgreement {
    /// For people: `brainpoolP256r1`, `DH-2048`.
    pub fn name(&self) -> String {
        match self {
            KeyAgreement::Ecdh(curve) => curve.name().to_owned(),
            KeyAgreement::Dh(group) => group.name(),
        }
    }

    /// The CA protocol OID's prefix (before its cipher arc).
    pub fn protocol_prefix(&self) -> [u8; 9] {
        match self {
            KeyAgreement::Ecdh(_) => CA_ECDH,
            KeyAgreement::Dh(_) => CA_DH,
        }
    }

    /// A fresh private key.
    pub fn random_secret(&self, random: &mut dyn FnMut(&mut [u8])) -> Vec<u8> {
        match self {
            KeyAgreement::Ecdh(curve) => curve.random_scalar(random),
            KeyAgreement::Dh(group) => group.random_exponent(random),
        }
    }

    /// The public key of `secret`, as the commands and DG14 carry it.
    pub fn public_key(&self, secret: &[u8]) -> Result<Vec<u8>, AgreementError> {
        match self {
            KeyAgreement::Ecdh(curve) => Ok(curve.public_key(secret)?),
            KeyAgreement::Dh(group) => Ok(group.public_value(secret)),
        }
    }

    /// The shared secret the session keys come from: the x-coordinate of
    /// the ECDH point, or the DH value as long as `p`.
    pub fn shared_secret(&self, public: &[u8], secret: &[u8]) -> Result<Vec<u8>, AgreementError> {
        match self {
            KeyAgreement::Ecdh(curve) => Ok(curve.x_coordinate(&curve.multiply(public, secret)?)),
            KeyAgreement::Dh(group) => group.agree(public, secret).map_err(AgreementError::Dh),
        }
    }
}

/// The short file identifier the proof reads (DG1), and how many bytes.
pub const PROOF_SFI: u8 = 0x01;
pub const PROOF_LEN: usize = 16;

/// A chip's Chip Authentication, as DG14 announces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChipAuthKey {
    pub cipher: Cipher,
    pub agreement: KeyAgreement,
    /// The chip's static public key (SEC1, uncompressed; or the DH value).
    pub public: Vec<u8>,
    /// Names the key when the chip has several.
    pub key_id: Option<u8>,
}

impl ChipAuthKey {
    /// The protocol OID (DER content bytes).
    pub fn oid(&self) -> Vec<u8> {
        let mut oid = self.agreement.protocol_prefix().to_vec();
        oid.push(self.cipher.oid_arc());
        oid
    }
}

/// What the terminal sends and the channel it will then share.
#[derive(Debug)]
pub struct TerminalExchange {
    /// Plain commands, to be sent under the current secure channel.
    pub commands: Vec<Command>,
    /// The new channel, the counter already past the proof command.
    pub channel: SecureChannel,
    /// The proof read (READ BINARY DG1, 16 bytes), protected under the new
    /// channel: sent as it is, after the commands.
    pub proof: Vec<u8>,
}

/// The terminal's side: an ephemeral key from `random`, the commands, the
/// channel and the protected proof read.
pub fn terminal_exchange(
    key: &ChipAuthKey,
    random: &mut dyn FnMut(&mut [u8]),
) -> Result<TerminalExchange, AgreementError> {
    let secret = key.agreement.random_secret(&mut *random);
    let public = key.agreement.public_key(&secret)?;
    let shared = key.agreement.shared_secret(&key.public, &secret)?;
    let mut channel = key.cipher.channel(&shared);
    let key_reference = key
        .key_id
        .map(|id| tlv::encode(0x84, &[id]))
        .unwrap_or_default();
    let commands = match key.cipher {
        Cipher::Tdes => vec![
            Command::new(0x00, 0x22, 0x41, 0xA6)
                .with_data([tlv::encode(0x91, &public), key_reference].concat()),
        ],
        _ => vec![
            Command::new(0x00, 0x22, 0x41, 0xA4)
                .with_data([tlv::encode(0x80, &key.oid()), key_reference].concat()),
            Command::new(0x00, 0x86, 0x00, 0x00)
                .with_data(tlv::encode(0x7C, &tlv::encode(0x80, &public)))
                .with_le(256),
        ],
    };
    let proof = channel
        .protect(&proof_command())
        .expect("a fixed short command protects");
    Ok(TerminalExchange {
        commands,
        channel,
        proof,
    })
}

/// READ BINARY of DG1's first bytes, by short file identifier.
pub fn proof_command() -> Command {
    Command::new(0x00, 0xB0, 0x80 | PROOF_SFI, 0x00).with_le(PROOF_LEN)
}

/// The chip's side, for the emulator: its static key pair.
#[derive(Debug, Clone)]
pub struct ChipAuthChip {
    cipher: Cipher,
    agreement: KeyAgreement,
    secret: Vec<u8>,
    key_id: Option<u8>,
    /// The protocol named by MSE:Set AT, waiting for GENERAL AUTHENTICATE.
    armed: bool,
}

/// The chip's answer, and the channel to switch to after sending it.
pub struct ChipAuthAnswer {
    pub response: Response,
    pub next_channel: Option<SecureChannel>,
}

impl ChipAuthChip {
    pub fn new(
        cipher: Cipher,
        agreement: KeyAgreement,
        secret: Vec<u8>,
        key_id: Option<u8>,
    ) -> Self {
        ChipAuthChip {
            cipher,
            agreement,
            secret,
            key_id,
            armed: false,
        }
    }

    /// The public half, or `None` when the private key is not one of its
    /// group (a key file that is not what it claims).
    pub fn try_key(&self) -> Option<ChipAuthKey> {
        let public = self.agreement.public_key(&self.secret).ok()?;
        Some(ChipAuthKey {
            cipher: self.cipher,
            agreement: self.agreement.clone(),
            public,
            key_id: self.key_id,
        })
    }

    /// The private key (for the emulator's card folders).
    pub fn secret(&self) -> &[u8] {
        &self.secret
    }

    /// The public half, as DG14 publishes it.
    pub fn key(&self) -> ChipAuthKey {
        self.try_key().expect("the chip's own key is valid")
    }

    /// Whether `command` is one of Chip Authentication's (MSE:Set KAT,
    /// MSE:Set AT for CA, GENERAL AUTHENTICATE after it).
    pub fn handles(&self, command: &Command) -> bool {
        matches!(
            (command.ins, command.p1, command.p2),
            (0x22, 0x41, 0xA6) | (0x22, 0x41, 0xA4)
        ) || (command.ins == 0x86 && self.armed)
    }

    /// Answers a command [`ChipAuthChip::handles`].
    pub fn on_command(&mut self, command: &Command) -> ChipAuthAnswer {
        let refuse = |sw| ChipAuthAnswer {
            response: Response::status(sw),
            next_channel: None,
        };
        let objects: Vec<_> = match tlv::Reader::new(&command.data).collect::<Result<_, _>>() {
            Ok(objects) => objects,
            Err(_) => return refuse(sw::WRONG_DATA),
        };
        let value = |tag: u32| {
            objects
                .iter()
                .find(|o| o.tag == tag)
                .map(|o| o.value.to_vec())
        };
        let key_matches = value(0x84).is_none_or(|id| self.key_id.is_some_and(|k| id == [k]));
        match (command.ins, command.p2) {
            (0x22, 0xA6) if self.cipher == Cipher::Tdes && key_matches => match value(0x91) {
                Some(public) => self.agree(&public, Response::status(sw::OK)),
                None => refuse(sw::WRONG_DATA),
            },
            (0x22, 0xA4) if value(0x80) == Some(self.key().oid()) && key_matches => {
                self.armed = true;
                refuse(sw::OK)
            }
            (0x86, _) if self.armed => {
                self.armed = false;
                match dynamic_object(&command.data, 0x80) {
                    Ok(public) => self.agree(&public, Response::new(vec![0x7C, 0x00], sw::OK)),
                    Err(_) => refuse(sw::WRONG_DATA),
                }
            }
            _ => {
                self.armed = false;
                refuse(sw::WRONG_DATA)
            }
        }
    }

    fn agree(&self, terminal_public: &[u8], ok: Response) -> ChipAuthAnswer {
        match self.agreement.shared_secret(terminal_public, &self.secret) {
            Ok(shared) => ChipAuthAnswer {
                response: ok,
                next_channel: Some(self.cipher.channel(&shared)),
            },
            Err(_) => ChipAuthAnswer {
                response: Response::status(sw::WRONG_DATA),
                next_channel: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chip::dh::tests::counter;

    /// The relay's exchange against the chip, for both command variants:
    /// the chip switches keys after answering, and the proof read opens
    /// under the relay's channel. A chip with another key cannot answer.
    #[test]
    fn the_terminal_and_the_chip_agree_and_a_copy_cannot() {
        let groups = [
            KeyAgreement::Ecdh(StandardCurve::BrainpoolP256r1),
            KeyAgreement::Dh(DhGroup::standardized(2).unwrap()),
        ];
        for (cipher, agreement) in [Cipher::Tdes, Cipher::Aes128, Cipher::Aes256]
            .into_iter()
            .flat_map(|cipher| groups.iter().map(move |group| (cipher, group.clone())))
        {
            let mut random = counter(3);
            let secret = agreement.random_secret(&mut random);
            let mut chip = ChipAuthChip::new(cipher, agreement.clone(), secret, Some(1));
            let exchange = terminal_exchange(&chip.key(), &mut random).unwrap();
            let mut switched = None;
            for command in &exchange.commands {
                assert!(chip.handles(command));
                let answer = chip.on_command(command);
                assert_eq!(answer.response.sw, sw::OK, "{cipher:?}");
                switched = answer.next_channel.or(switched);
            }
            let mut chip_channel = switched.expect("the chip switched keys");
            let (read, _) = chip_channel.card_unprotect(&exchange.proof).unwrap();
            assert_eq!(read, proof_command());
            let answer = chip_channel.card_protect(&Response::new(vec![0x61; PROOF_LEN], sw::OK));
            let mut relay = exchange.channel;
            assert_eq!(
                relay.unprotect(&answer).unwrap().data,
                vec![0x61; PROOF_LEN]
            );

            // The same public key (copied from DG14) on a chip without its
            // private key: the keys differ, the proof does not open.
            let other = agreement.random_secret(&mut random);
            let mut copy = ChipAuthChip::new(cipher, agreement.clone(), other, Some(1));
            let exchange = terminal_exchange(&chip.key(), &mut random).unwrap();
            let mut copy_channel = None;
            for command in &exchange.commands {
                copy_channel = copy.on_command(command).next_channel.or(copy_channel);
            }
            let mut copy_channel = copy_channel.unwrap();
            assert!(copy_channel.card_unprotect(&exchange.proof).is_err());
            let forged = copy_channel.card_protect(&Response::new(vec![0x61; PROOF_LEN], sw::OK));
            let mut relay = exchange.channel;
            assert!(relay.unprotect(&forged).is_err());
        }
    }
}
