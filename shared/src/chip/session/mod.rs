//! The card-reading session as a sans-IO state machine.
//!
//! The shell (the browser client, the benchmark) asks for the next command
//! APDU, carries it to the card, and feeds the response back:
//!
//! ```text
//! READ BINARY EF.CardAccess (short file identifier 1C, no SELECT: CCCD
//!   chips refuse SELECT of the master file)
//!   → PACE with the CAN (MSE:Set AT, 4 × GENERAL AUTHENTICATE)
//!     → SELECT eMRTD application under PACE's secure messaging
//!   or, when the chip offers no PACE we speak or refuses the CAN:
//!   SELECT eMRTD application → GET CHALLENGE → EXTERNAL AUTHENTICATE (BAC)
//!   → for each file: READ BINARY by short file identifier, asking for as
//!                    much as the link carries (a whole file when it can)
//!                    → READ BINARY the rest, as few reads as the link allows
//!   → Read(CardRead)   … the relay hands out a challenge …
//!   → INTERNAL AUTHENTICATE (AA) → Authenticated(signature)
//! ```
//!
//! The CAN of a CCCD is the last six digits of its ID, which are the last
//! six of the BAC document number: the session derives it from the first
//! BAC input, so the shells need no new input.
//!
//! Choices that keep round trips low (the benchmark counts them): files are
//! selected by short file identifier inside the first READ BINARY (no
//! separate SELECT), EF.COM decides which optional groups exist, and the body
//! of a file comes in one extended-length read when the bridge offers it.
//! If the card refuses an extended read, the session runs BAC again and
//! carries on with short reads, keeping what it already has.
//!
//! The opening (EF.CardAccess, PACE, the BAC fall-back) is in [`opening`];
//! carrying the relay's Chip Authentication in [`chip_auth_steps`].
//!
//! BAC is tried with each candidate input in turn (the client derives several
//! expiry dates from the renewal rule); a wrong key costs a GET CHALLENGE and
//! an EXTERNAL AUTHENTICATE.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use thiserror::Error;

mod chip_auth_steps;
mod opening;

use super::apdu::{Command, Response, sw};
use super::bac::{DocumentKeys, TerminalAuth};
use super::mrz::BacInput;
use super::pace::{PaceInfo, PaceTerminal, Password};
use super::sm::{SecureChannel, SmError};
use super::tlv;

/// The eMRTD application identifier.
pub const EMRTD_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

/// Plain bytes per READ BINARY when only short APDUs are available. 224 is
/// the largest multiple of 8 that fits a protected short response (231).
pub const SHORT_READ: usize = 224;

/// The first read again, for a chip that refuses to read past a file's end
/// (`6700`, `6Cxx`, `6B00`): enough for any LDS tag and length.
const HEADER_READ: usize = 8;

/// READ BINARY with an even instruction byte takes a 15-bit offset.
const MAX_OFFSET: usize = 0x7FFF;

/// A file the session reads: its short file identifier and, for data
/// groups, the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileSpec {
    pub name: &'static str,
    pub sfi: u8,
    /// `None` for EF.COM and EF.SOD.
    pub group: Option<u8>,
    /// The LDS tag of the file (what EF.COM lists for groups).
    pub tag: u8,
    /// Whether the check-in can go on without it.
    pub optional: bool,
}

pub const EF_COM: FileSpec = FileSpec {
    name: "EF.COM",
    sfi: 0x1E,
    group: None,
    tag: 0x60,
    optional: false,
};
pub const EF_SOD: FileSpec = FileSpec {
    name: "EF.SOD",
    sfi: 0x1D,
    group: None,
    tag: 0x77,
    optional: false,
};
/// The data groups a check-in needs, in reading order. DG14 only exists on
/// chips with an ECDSA AA key or chip authentication.
pub const GROUPS: [FileSpec; 5] = [
    FileSpec {
        name: "DG1",
        sfi: 0x01,
        group: Some(1),
        tag: 0x61,
        optional: false,
    },
    FileSpec {
        name: "DG2",
        sfi: 0x02,
        group: Some(2),
        tag: 0x75,
        optional: false,
    },
    FileSpec {
        name: "DG13",
        sfi: 0x0D,
        group: Some(13),
        tag: 0x6D,
        optional: true,
    },
    FileSpec {
        name: "DG14",
        sfi: 0x0E,
        group: Some(14),
        tag: 0x6E,
        optional: true,
    },
    FileSpec {
        name: "DG15",
        sfi: 0x0F,
        group: Some(15),
        tag: 0x6F,
        optional: true,
    },
];

/// EF.CardAccess's short file identifier (read in the master file).
const CARD_ACCESS_SFI: u8 = 0x1C;

/// How the session reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Largest plain READ BINARY answer the bridge and reader carry. Above
    /// [`SHORT_READ`] the session uses extended-length APDUs.
    pub max_read: usize,
    /// Whether to try PACE (when the chip offers it) before BAC.
    pub pace: bool,
}

impl ReadOptions {
    pub fn short_only() -> Self {
        ReadOptions {
            max_read: SHORT_READ,
            pace: true,
        }
    }

    pub fn extended(max_read: usize) -> Self {
        ReadOptions {
            max_read: max_read.clamp(SHORT_READ, 65_536),
            pace: true,
        }
    }

    /// The same options with BAC only (benchmarks compare the two).
    pub fn bac_only(self) -> Self {
        ReadOptions {
            pace: false,
            ..self
        }
    }
}

/// How the session got access to the chip's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// PACE, with the card access number or else the MRZ.
    Pace { info: PaceInfo, by_can: bool },
    /// Basic Access Control with the MRZ.
    Bac,
}

impl Access {
    /// For the check-in record, e.g. `PACE-CAN AES-128 brainpoolP256r1`.
    pub fn describe(&self) -> String {
        match self {
            Access::Pace { info, by_can } => format!(
                "PACE-{} {} {}",
                if *by_can { "CAN" } else { "MRZ" },
                info.cipher.name(),
                info.curve.name()
            ),
            Access::Bac => "BAC".to_string(),
        }
    }
}

/// Why a reading session stopped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReadError {
    #[error("not an ID card chip (SELECT answered {sw:04X})")]
    NotAnIdCard { sw: u16 },
    #[error("the card refused every access key tried ({tried}); check the ID number and dates")]
    AccessDenied { tried: usize },
    #[error("secure messaging failed: {0}")]
    SecureMessaging(SmError),
    #[error("{file}: the card answered {sw:04X}")]
    CardError { file: &'static str, sw: u16 },
    #[error("{0} is missing on the card")]
    FileMissing(&'static str),
    #[error("{file} is malformed: {detail}")]
    Malformed { file: &'static str, detail: String },
    #[error("{0} is larger than a READ BINARY offset can reach")]
    FileTooLarge(&'static str),
    #[error("the card was removed while it was being read")]
    CardRemoved,
    #[error("the session was driven out of order: {0}")]
    OutOfOrder(&'static str),
}

/// Everything read from the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRead {
    pub com: Vec<u8>,
    /// Data group number → the whole file as read.
    pub groups: BTreeMap<u8, Vec<u8>>,
    pub sod: Vec<u8>,
    /// The BAC input the card accepted (after PACE: the first one, whose
    /// document number gave the CAN; its dates were not needed).
    pub bac_input: BacInput,
    /// Whether the files came in extended-length reads.
    pub extended_length: bool,
    /// PACE or BAC.
    pub access: Access,
    /// Whether the chip has an Active Authentication key (DG15 was read).
    /// Without one, [`ReadSession::authenticate`] answers at once with an
    /// empty signature and the relay judges the card unsupported.
    pub active_authentication: bool,
}

/// What the shell should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send this command APDU to the card and feed the answer back.
    Transmit(Vec<u8>),
    /// Every file is read; call [`ReadSession::authenticate`] with the
    /// relay's challenge.
    Read(Box<CardRead>),
    /// The card's active-authentication answer to the challenge.
    Authenticated(Vec<u8>),
    /// The card's answer to the relay's proof read after Chip
    /// Authentication, as it came (protected under keys only the relay and
    /// the genuine chip hold).
    ChipAuthenticated(Vec<u8>),
    /// The chip refused a Chip Authentication command (status `sw`), under
    /// a secure channel still intact: the session is back where
    /// [`Step::Read`] left it, so [`ReadSession::authenticate`] (AA) can
    /// still prove the chip.
    ChipAuthRefused {
        sw: u16,
    },
    Failed(ReadError),
}

/// Counters for the screen and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub apdus: u32,
    pub bytes_read: usize,
    pub files_done: usize,
    pub files_planned: usize,
}

#[derive(Debug)]
enum State {
    Idle,
    ReadingCardAccess,
    Pace(PaceTerminal),
    SelectingAppProtected(SecureChannel),
    SelectingApp,
    GettingChallenge,
    Authenticating(TerminalAuth),
    Reading(Reader),
    Ready(SecureChannel),
    ActiveAuth(SecureChannel),
    ChipAuth {
        channel: SecureChannel,
        commands: std::collections::VecDeque<Command>,
        proof: Vec<u8>,
    },
    ChipAuthProof,
    Done,
}

#[derive(Debug)]
struct Reader {
    channel: SecureChannel,
    buffer: Vec<u8>,
    total: Option<usize>,
    last_le: usize,
}

/// One card read, from SELECT to the AA answer.
#[derive(Debug)]
pub struct ReadSession {
    inputs: Vec<BacInput>,
    next_input: usize,
    entropy: [u8; 32],
    draws: u32,
    options: ReadOptions,
    extended: bool,
    state: State,
    plan: Vec<FileSpec>,
    current: usize,
    files: BTreeMap<&'static str, Vec<u8>>,
    progress: Progress,
    /// Set when the files are read: whether DG15 was among them.
    active_authentication: bool,
    /// PACE's password: the CAN derived from the first BAC input when it
    /// looks like a CCCD's (nine digits), otherwise that input's MRZ
    /// information (a passport), when there is an input at all.
    pace_password: Option<Password>,
    /// Set once PACE failed, so a restart goes straight to BAC.
    pace_failed: bool,
    access: Access,
}

impl ReadSession {
    /// `inputs`: BAC inputs to try in order. `entropy`: 32 fresh random bytes
    /// (the terminal's nonces and key halves are derived from them).
    pub fn new(inputs: Vec<BacInput>, entropy: [u8; 32], options: ReadOptions) -> Self {
        let inputs_for_can = inputs.clone();
        ReadSession {
            inputs,
            next_input: 0,
            entropy,
            draws: 0,
            extended: options.max_read > SHORT_READ,
            options,
            state: State::Idle,
            plan: vec![EF_COM],
            current: 0,
            files: BTreeMap::new(),
            progress: Progress {
                files_planned: 1,
                ..Progress::default()
            },
            active_authentication: false,
            pace_password: opening::pace_password(&inputs_for_can),
            pace_failed: false,
            access: Access::Bac,
        }
    }

    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// The first command.
    pub fn start(&mut self) -> Step {
        if !matches!(self.state, State::Idle) {
            return self.fail(ReadError::OutOfOrder("start twice"));
        }
        self.begin()
    }

    /// How the files are being (or were) reached.
    pub fn access(&self) -> Access {
        self.access
    }

    /// The bridge reported the card gone (or any transport failure that
    /// ends the session).
    pub fn card_removed(&mut self) -> Step {
        self.fail(ReadError::CardRemoved)
    }

    fn fail(&mut self, e: ReadError) -> Step {
        self.state = State::Done;
        Step::Failed(e)
    }

    fn send(&mut self, apdu: Vec<u8>) -> Step {
        self.progress.apdus += 1;
        Step::Transmit(apdu)
    }

    fn select_app(&mut self) -> Step {
        self.state = State::SelectingApp;
        let cmd = Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(EMRTD_AID.to_vec());
        self.send(cmd.encode(false).expect("a fixed short command"))
    }

    fn get_challenge(&mut self) -> Step {
        self.state = State::GettingChallenge;
        let cmd = Command::new(0x00, 0x84, 0x00, 0x00).with_le(8);
        self.send(cmd.encode(false).expect("a fixed short command"))
    }

    fn random<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        self.fill_random(&mut out);
        out
    }

    /// Fills `out` from the entropy: SHA-256(entropy ‖ draw counter), one
    /// draw per 32 bytes.
    fn fill_random(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(32) {
            self.draws += 1;
            let mut hasher = Sha256::new();
            hasher.update(self.entropy);
            hasher.update(self.draws.to_be_bytes());
            chunk.copy_from_slice(&hasher.finalize()[..chunk.len()]);
        }
    }

    /// Feeds the card's answer to the last command.
    pub fn on_response(&mut self, bytes: &[u8]) -> Step {
        let state = std::mem::replace(&mut self.state, State::Done);
        match state {
            State::ReadingCardAccess => self.on_card_access(bytes),
            State::Pace(terminal) => self.on_pace(terminal, bytes),
            State::SelectingAppProtected(mut channel) => match channel.unprotect(bytes) {
                Ok(r) if r.sw == sw::OK => self.read_next(channel),
                Ok(r) => self.fail(ReadError::NotAnIdCard { sw: r.sw }),
                Err(e) => self.fail(ReadError::SecureMessaging(e)),
            },
            State::SelectingApp => match Response::parse(bytes) {
                Ok(r) if r.sw == sw::OK => self.get_challenge(),
                Ok(r) => self.fail(ReadError::NotAnIdCard { sw: r.sw }),
                Err(_) => self.fail(ReadError::NotAnIdCard { sw: 0 }),
            },
            State::GettingChallenge => match Response::parse(bytes) {
                Ok(r) if r.sw == sw::OK && r.data.len() == 8 => {
                    let Some(input) = self.inputs.get(self.next_input).cloned() else {
                        return self.fail(ReadError::AccessDenied {
                            tried: self.inputs.len(),
                        });
                    };
                    let rnd_ic: [u8; 8] = r.data.try_into().expect("8 bytes");
                    let rnd_ifd = self.random::<8>();
                    let k_ifd = self.random::<16>();
                    let keys = DocumentKeys::from_mrz_information(&input.mrz_information());
                    let auth = TerminalAuth::new(keys, rnd_ic, rnd_ifd, k_ifd);
                    let cmd = Command::new(0x00, 0x82, 0x00, 0x00)
                        .with_data(auth.command_data())
                        .with_le(40);
                    self.state = State::Authenticating(auth);
                    self.send(cmd.encode(false).expect("a fixed short command"))
                }
                Ok(r) => self.fail(ReadError::CardError {
                    file: "GET CHALLENGE",
                    sw: r.sw,
                }),
                Err(_) => self.fail(ReadError::CardError {
                    file: "GET CHALLENGE",
                    sw: 0,
                }),
            },
            State::Authenticating(auth) => {
                let opened = Response::parse(bytes)
                    .ok()
                    .filter(|r| r.sw == sw::OK)
                    .and_then(|r| auth.finish(&r.data).ok());
                match opened {
                    Some(channel) => self.read_next(channel),
                    None => {
                        // Wrong key: try the next input with a fresh challenge.
                        self.next_input += 1;
                        if self.next_input >= self.inputs.len() {
                            return self.fail(ReadError::AccessDenied {
                                tried: self.inputs.len(),
                            });
                        }
                        self.get_challenge()
                    }
                }
            }
            State::Reading(reader) => self.on_read(reader, bytes),
            State::ChipAuth {
                mut channel,
                commands,
                proof,
            } => match channel.unprotect(bytes) {
                Ok(r) if r.sw == sw::OK => self.next_chip_auth(channel, commands, proof),
                Ok(r) => {
                    self.state = State::Ready(channel);
                    Step::ChipAuthRefused { sw: r.sw }
                }
                Err(e) => self.fail(ReadError::SecureMessaging(e)),
            },
            State::ChipAuthProof => {
                self.state = State::Done;
                Step::ChipAuthenticated(bytes.to_vec())
            }
            State::ActiveAuth(mut channel) => match channel.unprotect(bytes) {
                Ok(r) if r.sw == sw::OK && !r.data.is_empty() => {
                    self.state = State::Done;
                    Step::Authenticated(r.data)
                }
                Ok(r) => self.fail(ReadError::CardError {
                    file: "INTERNAL AUTHENTICATE",
                    sw: r.sw,
                }),
                Err(e) => self.fail(ReadError::SecureMessaging(e)),
            },
            State::Idle | State::Ready(_) | State::Done => {
                self.fail(ReadError::OutOfOrder("a response nobody asked for"))
            }
        }
    }

    /// Asks the card to sign the relay's challenge (after [`Step::Read`]).
    /// A chip without an AA key (EF.COM lists no DG15) has nothing to sign:
    /// the answer is empty at once, sent without asking the card, so the
    /// relay can say the card is unsupported rather than "try again".
    pub fn authenticate(&mut self, challenge: &[u8; 8]) -> Step {
        let State::Ready(mut channel) = std::mem::replace(&mut self.state, State::Done) else {
            return self.fail(ReadError::OutOfOrder(
                "authenticate before the files are read",
            ));
        };
        if !self.active_authentication {
            return Step::Authenticated(Vec::new());
        }
        // RSA-2048 answers 256 bytes; a protected answer that long needs an
        // extended APDU, so a short-only link asks for what fits.
        let le = if self.extended {
            256
        } else {
            super::sm::SHORT_MAX_PLAIN_LE
        };
        let cmd = Command::new(0x00, 0x88, 0x00, 0x00)
            .with_data(challenge.to_vec())
            .with_le(le);
        match channel.protect(&cmd) {
            Ok(apdu) => {
                self.state = State::ActiveAuth(channel);
                self.send(apdu)
            }
            Err(e) => self.fail(ReadError::SecureMessaging(e)),
        }
    }

    /// The first read of each file asks for as much as the link carries:
    /// with extended length a whole file comes in one APDU, over short APDUs
    /// the small ones do (EF.COM, DG1, DG14, an EC DG15). ISO 7816-4 lets a
    /// chip answer fewer bytes with `6282` (end of file).
    fn read_next(&mut self, channel: SecureChannel) -> Step {
        let first = if self.extended {
            self.options.max_read
        } else {
            SHORT_READ
        };
        self.read_first(channel, first)
    }

    /// The first READ BINARY of the current file, selecting it by short
    /// file identifier, asking for `le` bytes.
    fn read_first(&mut self, channel: SecureChannel, le: usize) -> Step {
        let Some(file) = self.plan.get(self.current).copied() else {
            return self.finish(channel);
        };
        let reader = Reader {
            channel,
            buffer: Vec::new(),
            total: None,
            last_le: le,
        };
        let cmd = Command::new(0x00, 0xB0, 0x80 | file.sfi, 0x00).with_le(le);
        self.transmit_read(reader, cmd)
    }

    fn transmit_read(&mut self, mut reader: Reader, cmd: Command) -> Step {
        reader.last_le = cmd.le.unwrap_or(0);
        match reader.channel.protect(&cmd) {
            Ok(apdu) => {
                self.state = State::Reading(reader);
                self.send(apdu)
            }
            Err(e) => self.fail(ReadError::SecureMessaging(e)),
        }
    }

    fn on_read(&mut self, mut reader: Reader, bytes: &[u8]) -> Step {
        let file = self.plan[self.current];
        let was_extended_read = reader.last_le > SHORT_READ;
        let response = match reader.channel.unprotect(bytes) {
            Ok(r) => r,
            Err(_) if was_extended_read => return self.fall_back_to_short(),
            Err(e) => return self.fail(ReadError::SecureMessaging(e)),
        };
        if !response.is_success() {
            if reader.buffer.is_empty() && response.sw == sw::FILE_NOT_FOUND {
                if file.optional {
                    return self.file_done(reader.channel, None);
                }
                return self.fail(ReadError::FileMissing(file.name));
            }
            if was_extended_read {
                return self.fall_back_to_short();
            }
            let refused_length = matches!(response.sw, sw::WRONG_LENGTH | sw::WRONG_P1P2)
                || response.sw & 0xFF00 == 0x6C00;
            if reader.buffer.is_empty() && reader.last_le > HEADER_READ && refused_length {
                // A chip that will not read past the end: learn the length
                // first, as the short header read does.
                return self.read_first(reader.channel, HEADER_READ);
            }
            return self.fail(ReadError::CardError {
                file: file.name,
                sw: response.sw,
            });
        }
        if response.data.is_empty() {
            return self.fail(ReadError::Malformed {
                file: file.name,
                detail: "empty read".into(),
            });
        }
        self.progress.bytes_read += response.data.len();
        reader.buffer.extend_from_slice(&response.data);
        if reader.total.is_none() {
            match tlv::header(&reader.buffer) {
                Ok((tag, value_at, len)) if tag == u32::from(file.tag) => {
                    reader.total = Some(value_at + len)
                }
                Ok((tag, ..)) => {
                    return self.fail(ReadError::Malformed {
                        file: file.name,
                        detail: format!("starts with tag {tag:X}"),
                    });
                }
                Err(e) => {
                    return self.fail(ReadError::Malformed {
                        file: file.name,
                        detail: e.to_string(),
                    });
                }
            }
        }
        let total = reader.total.expect("set above");
        if reader.buffer.len() >= total {
            reader.buffer.truncate(total);
            let data = std::mem::take(&mut reader.buffer);
            return self.file_done(reader.channel, Some(data));
        }
        let offset = reader.buffer.len();
        if offset > MAX_OFFSET {
            return self.fail(ReadError::FileTooLarge(file.name));
        }
        let chunk = if self.extended {
            self.options.max_read
        } else {
            SHORT_READ
        };
        let le = (total - offset).min(chunk);
        let [p1, p2] = (offset as u16).to_be_bytes();
        self.transmit_read(reader, Command::new(0x00, 0xB0, p1, p2).with_le(le))
    }

    /// The card did not take an extended read: open a new session (PACE
    /// or BAC, as before) and go on with short reads from the start of the
    /// current file.
    fn fall_back_to_short(&mut self) -> Step {
        self.extended = false;
        self.begin()
    }

    fn file_done(&mut self, channel: SecureChannel, data: Option<Vec<u8>>) -> Step {
        let file = self.plan[self.current];
        self.progress.files_done += 1;
        if let Some(data) = data {
            if file.tag == EF_COM.tag {
                match present_groups(&data) {
                    Ok(present) => {
                        self.plan
                            .extend(GROUPS.iter().filter(|g| present.contains(&g.tag)));
                        self.plan.push(EF_SOD);
                        self.progress.files_planned = self.plan.len();
                    }
                    Err(detail) => {
                        return self.fail(ReadError::Malformed {
                            file: file.name,
                            detail,
                        });
                    }
                }
            }
            self.files.insert(file.name, data);
        }
        self.current += 1;
        self.read_next(channel)
    }

    fn finish(&mut self, channel: SecureChannel) -> Step {
        for needed in [EF_COM, GROUPS[0], GROUPS[1], EF_SOD] {
            if !self.files.contains_key(needed.name) {
                return self.fail(ReadError::FileMissing(needed.name));
            }
        }
        self.active_authentication = self.files.contains_key(GROUPS[4].name);
        let mut groups = BTreeMap::new();
        for spec in GROUPS {
            if let Some(data) = self.files.remove(spec.name) {
                groups.insert(spec.group.expect("groups have numbers"), data);
            }
        }
        let read = CardRead {
            com: self.files.remove(EF_COM.name).expect("checked"),
            sod: self.files.remove(EF_SOD.name).expect("checked"),
            groups,
            bac_input: self.inputs[self.next_input].clone(),
            extended_length: self.extended,
            access: self.access,
            active_authentication: self.active_authentication,
        };
        self.state = State::Ready(channel);
        Step::Read(Box::new(read))
    }
}

/// The LDS tags EF.COM lists (its `5C` object).
pub fn present_groups(com: &[u8]) -> Result<Vec<u8>, String> {
    let com = tlv::read_only(com, 0x60).map_err(|e| e.to_string())?;
    let list = com
        .children()
        .find(0x5C)
        .map_err(|e| e.to_string())?
        .ok_or("no tag list (5C)")?;
    Ok(list.value.to_vec())
}
