//! The emulated chip: answers APDUs as a CCCD would.
//!
//! It is the card's half of the same sans-IO pieces the reader uses
//! (`examgate_shared::chip::{bac, sm}`), so an emulated check-in exercises
//! exactly the encoding a real card expects. Behaviour modelled on what the
//! reference notes record for the CCCD: the eMRTD application must be
//! selected by AID (SELECT of the master file answers `6D00`), BAC guards
//! every file, a secure-messaging error ends the session, files are readable
//! by short file identifier, and extended length can be switched off to
//! model cards and readers that only speak short APDUs. With
//! [`EmulatedCard::with_pace`] it also offers PACE with the CAN (its
//! EF.CardAccess readable by short file identifier in the master file), as
//! CCCD chips do, keeping BAC as the fall-back.

use std::collections::BTreeMap;

use examgate_shared::chip::apdu::{Command, Response, sw};
use examgate_shared::chip::bac::{self, DocumentKeys};
use examgate_shared::chip::chip_auth::ChipAuthChip;
use examgate_shared::chip::mrz::BacInput;
use examgate_shared::chip::pace::chip::PaceChip;
use examgate_shared::chip::pace::{PaceInfo, Password, card_access};
use examgate_shared::chip::session::EMRTD_AID;
use examgate_shared::chip::sm::SecureChannel;

/// A contact or contactless card as a bridge sees it: an answer to reset
/// when powered, then one response APDU (data ‖ SW1 SW2) per command APDU.
pub trait Card: Send {
    /// The ATR (or the ATS-derived ATR a PC/SC reader reports).
    fn atr(&self) -> Vec<u8>;
    /// Processes one command APDU and returns the response APDU.
    fn transmit(&mut self, apdu: &[u8]) -> Vec<u8>;
    /// Power was cut and restored: forget every session state.
    fn reset(&mut self) {}
}

/// Signs an active-authentication challenge with the chip's private key.
pub type AaSigner = Box<dyn FnMut(&[u8]) -> Vec<u8> + Send>;

/// The files of one card: EF.COM, the data groups, EF.SOD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardFiles {
    pub com: Vec<u8>,
    /// Data group number → the whole file (tag, length, value).
    pub groups: BTreeMap<u8, Vec<u8>>,
    pub sod: Vec<u8>,
}

/// ATR of a contactless card as PC/SC readers report it (PC/SC part 3
/// pseudo-ATR for an ISO 14443-4 card: six historical bytes from the ATS,
/// then TCK, the XOR of every byte after 3B, which a bridge computes).
const ATR: [u8; 11] = [
    0x3B, 0x86, 0x80, 0x01, 0x80, 0x31, 0x80, 0x65, 0xB0, 0x85, 0x66,
];

const FID_COM: u16 = 0x011E;
const FID_SOD: u16 = 0x011D;

/// An emulated eMRTD chip.
pub struct EmulatedCard {
    keys: DocumentKeys,
    /// The MRZ information, PACE's other password.
    mrz_information: String,
    files: BTreeMap<u16, Vec<u8>>,
    active_auth: Option<AaSigner>,
    extended_length: bool,
    rng: u64,
    app_selected: bool,
    challenge: Option<[u8; 8]>,
    channel: Option<SecureChannel>,
    current: Option<u16>,
    /// EF.CardAccess and the chip's PACE, when it offers PACE.
    card_access: Option<Vec<u8>>,
    pace: Option<PaceChip>,
    /// Answer `6Cxx` (the bytes left) to a read past a file's end instead
    /// of the data and `6282`, as some chips do.
    strict_file_ends: bool,
    /// The chip's Chip Authentication key, and the channel it switches to
    /// once its answer under the old one is out.
    chip_auth: Option<ChipAuthChip>,
    next_channel: Option<SecureChannel>,
}

impl std::fmt::Debug for EmulatedCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatedCard")
            .field("files", &self.files.keys().collect::<Vec<_>>())
            .field("active_auth", &self.active_auth.is_some())
            .field("extended_length", &self.extended_length)
            .finish_non_exhaustive()
    }
}

impl EmulatedCard {
    /// A card whose BAC key comes from `bac` and which holds `files`.
    /// `seed` makes its nonces repeatable.
    pub fn new(bac: &BacInput, files: &CardFiles, seed: u64) -> Self {
        let mut by_fid = BTreeMap::new();
        by_fid.insert(FID_COM, files.com.clone());
        by_fid.insert(FID_SOD, files.sod.clone());
        for (&n, data) in &files.groups {
            by_fid.insert(0x0100 | u16::from(n), data.clone());
        }
        EmulatedCard {
            keys: DocumentKeys::from_mrz_information(&bac.mrz_information()),
            mrz_information: bac.mrz_information(),
            files: by_fid,
            active_auth: None,
            extended_length: true,
            rng: seed ^ 0x9E37_79B9_7F4A_7C15,
            app_selected: false,
            challenge: None,
            channel: None,
            current: None,
            card_access: None,
            pace: None,
            strict_file_ends: false,
            chip_auth: None,
            next_channel: None,
        }
    }

    /// Gives the chip a Chip Authentication key (its public half in DG14).
    pub fn with_chip_auth(mut self, chip: ChipAuthChip) -> Self {
        self.chip_auth = Some(chip);
        self
    }

    /// Models a chip that refuses to read past a file's end (`6Cxx`).
    pub fn strict_file_ends(mut self) -> Self {
        self.strict_file_ends = true;
        self
    }

    /// Offers PACE (`offers`, in EF.CardAccess) with the card access number
    /// `can` or the MRZ; BAC keeps working.
    pub fn with_pace(mut self, offers: Vec<PaceInfo>, can: &str) -> Self {
        self.card_access = Some(card_access(&offers));
        let passwords = vec![
            Password::Can(can.to_string()),
            Password::Mrz(self.mrz_information.clone()),
        ];
        self.pace = Some(PaceChip::new(offers, passwords));
        self
    }

    /// Runs one PACE command on the chip's side.
    fn pace_command(&mut self, cmd: &Command) -> Response {
        let Some(mut pace) = self.pace.take() else {
            return Response::status(sw::INS_NOT_SUPPORTED);
        };
        let mut random = |out: &mut [u8]| {
            for chunk in out.chunks_mut(8) {
                chunk.copy_from_slice(&self.next_random().to_be_bytes()[..chunk.len()]);
            }
        };
        let answer = pace.on_command(cmd, &mut random);
        self.pace = Some(pace);
        if let Some(channel) = answer.established {
            // PACE leaves the chip in the master file: the application is
            // selected next, under the new channel.
            self.channel = Some(channel);
            self.app_selected = false;
            self.current = None;
        }
        answer.response
    }

    /// Gives the chip an active-authentication key.
    pub fn with_active_auth(mut self, signer: AaSigner) -> Self {
        self.active_auth = Some(signer);
        self
    }

    /// Models a card (or reader) that refuses extended-length APDUs.
    pub fn short_apdus_only(mut self) -> Self {
        self.extended_length = false;
        self
    }

    fn next_random(&mut self) -> u64 {
        // SplitMix64: repeatable nonces for repeatable tests.
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn plain(&mut self, cmd: &Command) -> Response {
        match (cmd.ins, cmd.p1) {
            (0xA4, 0x04) if cmd.data == EMRTD_AID => {
                self.app_selected = true;
                self.channel = None;
                self.challenge = None;
                Response::status(sw::OK)
            }
            (0xA4, _) => Response::status(sw::INS_NOT_SUPPORTED),
            (0x84, _) if self.app_selected => {
                let challenge = self.next_random().to_be_bytes();
                self.challenge = Some(challenge);
                Response::new(challenge.to_vec(), sw::OK)
            }
            (0x82, _) if self.app_selected => {
                let Some(rnd_ic) = self.challenge.take() else {
                    return Response::status(sw::CONDITIONS_NOT_SATISFIED);
                };
                let k_ic = [
                    self.next_random().to_be_bytes(),
                    self.next_random().to_be_bytes(),
                ]
                .concat()
                .try_into()
                .expect("16 bytes");
                match bac::card_answer(&self.keys, &rnd_ic, &k_ic, &cmd.data) {
                    Ok((answer, channel)) => {
                        self.channel = Some(channel);
                        self.current = None;
                        Response::new(answer, sw::OK)
                    }
                    Err(_) => Response::status(sw::SECURITY_NOT_SATISFIED),
                }
            }
            // EF.CardAccess: free to read, in the master file.
            (0xB0, 0x9C) if !self.app_selected => match &self.card_access {
                Some(file) => {
                    let le = cmd.le.unwrap_or(256);
                    let end = le.min(file.len());
                    let status = if end < le { sw::END_OF_FILE } else { sw::OK };
                    Response::new(file[..end].to_vec(), status)
                }
                None => Response::status(sw::FILE_NOT_FOUND),
            },
            (0x22, _) | (0x86, _) => self.pace_command(cmd),
            // Files need BAC or PACE first.
            (0xB0, _) | (0x88, _) => Response::status(sw::SECURITY_NOT_SATISFIED),
            _ => Response::status(sw::INS_NOT_SUPPORTED),
        }
    }

    fn protected(&mut self, cmd: &Command) -> Response {
        match cmd.ins {
            0xA4 if cmd.p1 == 0x04 => {
                if cmd.data == EMRTD_AID {
                    self.app_selected = true;
                    Response::status(sw::OK)
                } else {
                    Response::status(sw::FILE_NOT_FOUND)
                }
            }
            // After PACE the chip is in the master file until the
            // application is selected.
            0xB0 | 0x88 if !self.app_selected => Response::status(sw::FILE_NOT_FOUND),
            0xA4 if cmd.p1 == 0x02 && cmd.data.len() == 2 => {
                let fid = u16::from_be_bytes([cmd.data[0], cmd.data[1]]);
                if self.files.contains_key(&fid) {
                    self.current = Some(fid);
                    Response::status(sw::OK)
                } else {
                    Response::status(sw::FILE_NOT_FOUND)
                }
            }
            0xB0 => self.read_binary(cmd),
            _ if self.chip_auth.as_ref().is_some_and(|ca| ca.handles(cmd)) => {
                let ca = self.chip_auth.as_mut().expect("checked");
                let answer = ca.on_command(cmd);
                self.next_channel = answer.next_channel;
                answer.response
            }
            0x88 => match (&mut self.active_auth, cmd.data.len()) {
                (Some(sign), 8) => Response::new(sign(&cmd.data), sw::OK),
                (Some(_), _) => Response::status(sw::WRONG_DATA),
                (None, _) => Response::status(sw::INS_NOT_SUPPORTED),
            },
            _ => Response::status(sw::INS_NOT_SUPPORTED),
        }
    }

    fn read_binary(&mut self, cmd: &Command) -> Response {
        let offset = if cmd.p1 & 0x80 != 0 {
            // Short file identifier in P1: select and read at once.
            let sfi = cmd.p1 & 0x1F;
            let fid = match sfi {
                0x1E => FID_COM,
                0x1D => FID_SOD,
                n => 0x0100 | u16::from(n),
            };
            if !self.files.contains_key(&fid) {
                return Response::status(sw::FILE_NOT_FOUND);
            }
            self.current = Some(fid);
            usize::from(cmd.p2)
        } else {
            usize::from(u16::from_be_bytes([cmd.p1, cmd.p2]))
        };
        let Some(file) = self.current.and_then(|fid| self.files.get(&fid)) else {
            return Response::status(sw::CONDITIONS_NOT_SATISFIED);
        };
        if offset >= file.len() {
            return Response::status(sw::WRONG_P1P2);
        }
        let le = cmd.le.unwrap_or(256);
        let end = (offset + le).min(file.len());
        if self.strict_file_ends && end - offset < le {
            let left = (end - offset).min(0xFF) as u16;
            return Response::status(0x6C00 | left);
        }
        let status = if end - offset < le {
            sw::END_OF_FILE
        } else {
            sw::OK
        };
        Response::new(file[offset..end].to_vec(), status)
    }
}

impl Card for EmulatedCard {
    fn atr(&self) -> Vec<u8> {
        ATR.to_vec()
    }

    fn reset(&mut self) {
        self.app_selected = false;
        self.challenge = None;
        self.channel = None;
        self.next_channel = None;
        self.current = None;
    }

    fn transmit(&mut self, apdu: &[u8]) -> Vec<u8> {
        let is_protected = apdu.first().is_some_and(|cla| cla & 0x0C == 0x0C);
        if !is_protected {
            let Ok((cmd, _)) = Command::parse(apdu) else {
                return Response::status(sw::WRONG_LENGTH).encode();
            };
            // A plain command ends any secure-messaging session (PACE's own
            // commands open one).
            self.channel = None;
            return self.plain(&cmd).encode();
        }
        let Some(mut channel) = self.channel.take() else {
            return Response::status(sw::SECURITY_NOT_SATISFIED).encode();
        };
        match channel.card_unprotect(apdu) {
            Ok((_, true)) if !self.extended_length => {
                // The session ends, as on a card that cannot parse the APDU.
                Response::status(sw::WRONG_LENGTH).encode()
            }
            Ok((cmd, _)) => {
                let response = self.protected(&cmd);
                let out = channel.card_protect(&response);
                // After Chip Authentication the answer goes under the old
                // keys and everything after under the new ones.
                self.channel = Some(self.next_channel.take().unwrap_or(channel));
                out
            }
            // A wrong MAC ends the session; the answer is in plain.
            Err(_) => Response::status(sw::SM_DATA_INCORRECT).encode(),
        }
    }
}
