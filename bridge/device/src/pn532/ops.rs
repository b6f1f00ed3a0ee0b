//! What the bridge asks of the PN532, each as a short sequence of
//! commands (UM0701-02 §7).
//!
//! An operation is a state machine: [`Operation::advance`] takes the reply
//! to the command it last asked for and says what to do next — send a
//! command, wait, or done with a result. The link ([`super::link`]) carries
//! the commands; [`super::bridge`] decides which operation runs when.
//!
//! - [`Setup`]: wakes the PN532, checks it is one, limits how long target
//!   detection retries.
//! - [`Activation`]: optionally cycles the RF field (a contactless card's
//!   reset), then looks for an ISO 14443-4 card, type A then type B, and
//!   builds its PC/SC ATR.
//! - [`Exchange`]: one APDU of any length, chained both ways in pieces the
//!   PN532 takes (its MI bit).
//! - [`Presence`]: is the activated card still in the field?

use alloc::vec::Vec;
use core::time::Duration;

use super::frame::command;
use crate::CardFault;
use crate::atr;

/// A command for the link to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub code: u8,
    pub params: Vec<u8>,
    /// How long the PN532 may take to answer once it has acknowledged.
    pub timeout: Duration,
    /// Send the HSU wake-up preamble first (the first command after the
    /// PN532 powers up, or after it stopped answering).
    pub wake: bool,
}

impl Command {
    fn new(code: u8, params: &[u8], timeout: Duration) -> Command {
        Command {
            code,
            params: params.to_vec(),
            timeout,
            wake: false,
        }
    }
}

/// Why the link to the PN532 failed a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkFault {
    /// No ACK: the PN532 did not take the frame.
    NoAck,
    /// Acknowledged, but no response in time (the link sends ACK to abort).
    NoResponse,
    /// The PN532 asked for the frame again, or said it could not parse it.
    Refused,
    /// A response frame with a bad checksum.
    Damaged,
}

/// The response data to the last command (after its response code), or
/// why there is none.
pub type Reply = Result<Vec<u8>, LinkFault>;

/// What an operation wants next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpStep<T> {
    Send(Command),
    Wait(Duration),
    Done(T),
}

/// A PN532 operation.
pub trait Operation {
    type Output;
    /// The next step, given the reply to the previous [`OpStep::Send`]
    /// (`None` at the start and after an [`OpStep::Wait`]).
    fn advance(&mut self, reply: Option<Reply>) -> OpStep<Self::Output>;
}

/// Commands that answer at once.
const QUICK: Duration = Duration::from_millis(500);
/// A card may ask for waiting-time extensions for a long while (RSA
/// signatures on old chips); the protocol allows 30 s per APDU.
const CARD_TIMEOUT: Duration = Duration::from_secs(30);
/// Data bytes per InDataExchange: a normal frame holds 255 bytes of TFI,
/// code, target number and data.
pub const CHUNK: usize = 252;
/// The MI ("more information") bit: in the target byte of a command, more
/// data follows; in a response's status, more data waits.
const MORE: u8 = 0x40;

/// The PN532's identity, from GetFirmwareVersion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Firmware {
    pub version: u8,
    pub revision: u8,
}

/// Wakes and configures the PN532.
#[derive(Debug, Default)]
pub struct Setup {
    stage: u8,
    firmware: Option<Firmware>,
}

impl Operation for Setup {
    type Output = Result<Firmware, LinkFault>;

    fn advance(&mut self, reply: Option<Reply>) -> OpStep<Self::Output> {
        let data = match reply {
            Some(Err(fault)) => return OpStep::Done(Err(fault)),
            Some(Ok(data)) => data,
            None => Vec::new(),
        };
        self.stage += 1;
        match self.stage {
            // Normal mode (no secure access module), virtual-card timeout 1 s,
            // IRQ pin used.
            1 => OpStep::Send(Command {
                wake: true,
                ..Command::new(command::SAM_CONFIGURATION, &[0x01, 0x14, 0x01], QUICK)
            }),
            2 => OpStep::Send(Command::new(command::GET_FIRMWARE_VERSION, &[], QUICK)),
            3 => {
                // IC 0x32 is the PN532.
                if data.len() < 4 || data[0] != 0x32 {
                    return OpStep::Done(Err(LinkFault::Refused));
                }
                self.firmware = Some(Firmware {
                    version: data[1],
                    revision: data[2],
                });
                // MaxRetries: ATR_REQ 0xFF (default), PSL 1, passive
                // activation 2 (three tries), so looking for a card that is
                // not there returns in milliseconds instead of forever.
                OpStep::Send(Command::new(
                    command::RF_CONFIGURATION,
                    &[0x05, 0xFF, 0x01, 0x02],
                    QUICK,
                ))
            }
            _ => OpStep::Done(self.firmware.ok_or(LinkFault::Refused)),
        }
    }
}

impl Setup {
    pub fn new() -> Setup {
        Setup::default()
    }
}

/// An activated card: its logical number at the PN532 and its ATR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub tg: u8,
    pub atr: Vec<u8>,
}

/// Looks for a card and activates it.
#[derive(Debug)]
pub struct Activation {
    stage: ActivationStage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActivationStage {
    FieldOff,
    Unpowered,
    FieldOn,
    Powering,
    /// Type A is to be asked for next.
    TypeA,
    /// Asked for type A; its answer is next.
    TypeASent,
    /// Asked for type B; its answer is next.
    TypeB,
}

/// How long the field stays off for a reset, and the guard time after it
/// comes back before the first command (ISO 14443-3 asks for 5 ms).
const FIELD_OFF: Duration = Duration::from_millis(10);
const FIELD_GUARD: Duration = Duration::from_millis(5);

impl Activation {
    /// Cycles the field first: a contactless card's power-on reset (it
    /// forgets its secure messaging session, as PowerOn promises).
    pub fn with_reset() -> Activation {
        Activation {
            stage: ActivationStage::FieldOff,
        }
    }

    /// Looks for a card with the field as it is (idle detection).
    pub fn detect() -> Activation {
        Activation {
            stage: ActivationStage::TypeA,
        }
    }
}

impl Operation for Activation {
    type Output = Result<Option<Target>, LinkFault>;

    fn advance(&mut self, reply: Option<Reply>) -> OpStep<Self::Output> {
        use ActivationStage::*;
        let data = match reply {
            Some(Err(fault)) => return OpStep::Done(Err(fault)),
            Some(Ok(data)) => data,
            None => Vec::new(),
        };
        match self.stage {
            FieldOff => {
                self.stage = Unpowered;
                // RF field item: off, no auto-RFCA.
                OpStep::Send(Command::new(
                    command::RF_CONFIGURATION,
                    &[0x01, 0x00],
                    QUICK,
                ))
            }
            Unpowered => {
                self.stage = FieldOn;
                OpStep::Wait(FIELD_OFF)
            }
            FieldOn => {
                self.stage = Powering;
                // RF field item: bit 0 switches the field on (bit 1 would
                // be auto-RFCA).
                OpStep::Send(Command::new(
                    command::RF_CONFIGURATION,
                    &[0x01, 0x01],
                    QUICK,
                ))
            }
            Powering => {
                self.stage = TypeA;
                OpStep::Wait(FIELD_GUARD)
            }
            TypeA => {
                self.stage = TypeASent;
                // One target, 106 kbit/s type A.
                OpStep::Send(Command::new(
                    command::IN_LIST_PASSIVE_TARGET,
                    &[0x01, 0x00],
                    QUICK,
                ))
            }
            TypeASent => match parse_type_a(&data) {
                Some(target) => OpStep::Done(Ok(Some(target))),
                None => {
                    self.stage = TypeB;
                    // One target, 106 kbit/s type B, any application family.
                    OpStep::Send(Command::new(
                        command::IN_LIST_PASSIVE_TARGET,
                        &[0x01, 0x03, 0x00],
                        QUICK,
                    ))
                }
            },
            TypeB => OpStep::Done(Ok(parse_type_b(&data))),
        }
    }
}

/// `NbTg Tg SENS_RES(2) SEL_RES NFCIDLength NFCID… ATS…`: an ISO 14443-4
/// card (SEL_RES bit 6) with a readable ATS, else none.
fn parse_type_a(data: &[u8]) -> Option<Target> {
    let [1, tg, _, _, sel_res, uid_len, rest @ ..] = data else {
        return None;
    };
    if sel_res & 0x20 == 0 {
        return None;
    }
    let ats = rest.get(*uid_len as usize..)?;
    let atr = atr::type_a(ats).ok()?;
    Some(Target { tg: *tg, atr })
}

/// `NbTg Tg ATQB(12) ATTRIB_RES-length ATTRIB_RES…`.
fn parse_type_b(data: &[u8]) -> Option<Target> {
    let [1, tg, rest @ ..] = data else {
        return None;
    };
    let atqb = rest.get(..12)?;
    // The first byte of ATTRIB_RES (after its length): MBLI in the high
    // nibble.
    let mbli = match rest.get(12..14) {
        Some(&[length, first]) if length > 0 => first >> 4,
        _ => 0,
    };
    let atr = atr::type_b(atqb, mbli).ok()?;
    Some(Target { tg: *tg, atr })
}

/// One APDU exchanged with the activated card.
#[derive(Debug)]
pub struct Exchange {
    tg: u8,
    apdu: Vec<u8>,
    /// Bytes of the APDU sent so far.
    sent: usize,
    response: Vec<u8>,
    max_response: usize,
}

impl Exchange {
    /// `max_response` bounds what the bridge will buffer.
    pub fn new(tg: u8, apdu: Vec<u8>, max_response: usize) -> Exchange {
        Exchange {
            tg,
            apdu,
            sent: 0,
            response: Vec::new(),
            max_response,
        }
    }

    fn next_piece(&mut self) -> Command {
        let end = (self.sent + CHUNK).min(self.apdu.len());
        let more = if end < self.apdu.len() { MORE } else { 0 };
        let mut params = Vec::with_capacity(1 + end - self.sent);
        params.push(self.tg | more);
        params.extend_from_slice(&self.apdu[self.sent..end]);
        self.sent = end;
        Command::new(command::IN_DATA_EXCHANGE, &params, CARD_TIMEOUT)
    }
}

/// What went wrong with the card (rather than the PN532).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExchangeFault {
    Card(CardFault),
    Link(LinkFault),
}

impl Operation for Exchange {
    type Output = Result<Vec<u8>, ExchangeFault>;

    fn advance(&mut self, reply: Option<Reply>) -> OpStep<Self::Output> {
        let data = match reply {
            None => return OpStep::Send(self.next_piece()),
            Some(Err(fault)) => return OpStep::Done(Err(ExchangeFault::Link(fault))),
            Some(Ok(data)) => data,
        };
        let Some((&status, piece)) = data.split_first() else {
            return OpStep::Done(Err(ExchangeFault::Link(LinkFault::Damaged)));
        };
        if status & 0x3F != 0 {
            return OpStep::Done(Err(ExchangeFault::Card(card_fault(status & 0x3F))));
        }
        if self.sent < self.apdu.len() {
            return OpStep::Send(self.next_piece());
        }
        if self.response.len() + piece.len() > self.max_response {
            return OpStep::Done(Err(ExchangeFault::Card(CardFault::Hardware)));
        }
        self.response.extend_from_slice(piece);
        if status & MORE != 0 {
            // Ask for the rest: the target number alone.
            return OpStep::Send(Command::new(
                command::IN_DATA_EXCHANGE,
                &[self.tg],
                CARD_TIMEOUT,
            ));
        }
        OpStep::Done(Ok(core::mem::take(&mut self.response)))
    }
}

/// The PN532's error codes (UM0701-02 §7.1) as the bridge reports them: a
/// card that stopped answering or was replaced has left the field.
fn card_fault(error: u8) -> CardFault {
    match error {
        // Time out; target released; card ID mismatch; card disappeared.
        0x01 | 0x29 | 0x2A | 0x2B => CardFault::Removed,
        _ => CardFault::Mute,
    }
}

/// Checks that the activated card is still there.
#[derive(Debug, Default)]
pub struct Presence {
    asked: bool,
}

impl Presence {
    pub fn new() -> Presence {
        Presence::default()
    }
}

impl Operation for Presence {
    type Output = Result<bool, LinkFault>;

    fn advance(&mut self, reply: Option<Reply>) -> OpStep<Self::Output> {
        match reply {
            _ if !self.asked => {
                self.asked = true;
                // Diagnose test 6: ISO/IEC 14443-4 card presence detection.
                OpStep::Send(Command::new(command::DIAGNOSE, &[0x06], QUICK))
            }
            Some(Ok(data)) => OpStep::Done(Ok(data.first() == Some(&0x00))),
            Some(Err(fault)) => OpStep::Done(Err(fault)),
            None => OpStep::Done(Err(LinkFault::NoResponse)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `op` against canned replies, returning the commands it sent.
    fn run<O: Operation>(mut op: O, replies: &[Reply]) -> (Vec<Command>, Option<O::Output>) {
        let mut sent = Vec::new();
        let mut replies = replies.iter().cloned();
        let mut reply = None;
        loop {
            match op.advance(reply.take()) {
                OpStep::Send(command) => {
                    sent.push(command);
                    match replies.next() {
                        Some(next) => reply = Some(next),
                        None => return (sent, None),
                    }
                }
                OpStep::Wait(_) => {}
                OpStep::Done(output) => return (sent, Some(output)),
            }
        }
    }

    #[test]
    fn setup_wakes_checks_and_limits_retries() {
        let (sent, done) = run(
            Setup::new(),
            &[Ok(vec![]), Ok(vec![0x32, 0x01, 0x06, 0x07]), Ok(vec![])],
        );
        assert!(sent[0].wake);
        assert_eq!(
            sent.iter().map(|c| c.code).collect::<Vec<_>>(),
            [0x14, 0x02, 0x32]
        );
        assert_eq!(
            done,
            Some(Ok(Firmware {
                version: 1,
                revision: 6
            }))
        );
        let (_, done) = run(Setup::new(), &[Ok(vec![]), Ok(vec![0x31, 1, 1, 1])]);
        assert_eq!(done, Some(Err(LinkFault::Refused)), "not a PN532");
    }

    #[test]
    fn a_type_a_card_is_activated_with_its_atr() {
        let found = vec![
            1, 1, 0x00, 0x04, 0x20, 4, 8, 1, 2, 3, 0x05, 0x78, 0x80, 0x70, 0x02,
        ];
        let (sent, done) = run(
            Activation::with_reset(),
            &[Ok(vec![]), Ok(vec![]), Ok(found)],
        );
        assert_eq!(sent[0].params, [0x01, 0x00], "field off");
        assert_eq!(sent[1].params, [0x01, 0x01], "field on");
        assert_eq!(sent[2].params, [0x01, 0x00], "type A");
        assert_eq!(
            done,
            Some(Ok(Some(Target {
                tg: 1,
                atr: vec![0x3B, 0x80, 0x80, 0x01, 0x01]
            })))
        );
    }

    #[test]
    fn without_a_type_a_card_type_b_is_tried() {
        let atqb = [0x50, 1, 2, 3, 4, 0, 0, 0, 0, 0x80, 0x81, 0x71];
        let mut found = vec![1, 1];
        found.extend_from_slice(&atqb);
        found.extend_from_slice(&[1, 0x10]);
        let (sent, done) = run(Activation::detect(), &[Ok(vec![0]), Ok(found)]);
        assert_eq!(sent[1].params, [0x01, 0x03, 0x00]);
        let Some(Ok(Some(target))) = done else {
            panic!("{done:?}")
        };
        assert_eq!(target.atr[1], 0x88);
        assert_eq!(target.atr[11], 0x10, "MBLI 1");
        // A MIFARE Classic (no ISO 14443-4) is not a card for this bridge.
        let mifare = vec![1, 1, 0x00, 0x04, 0x08, 4, 1, 2, 3, 4];
        let (_, done) = run(Activation::detect(), &[Ok(mifare), Ok(vec![0])]);
        assert_eq!(done, Some(Ok(None)));
        // Empty answers (a confused PN532) end the search, never loop it.
        let (sent, done) = run(Activation::detect(), &[Ok(vec![]), Ok(vec![])]);
        assert_eq!((sent.len(), done), (2, Some(Ok(None))));
    }

    #[test]
    fn a_long_apdu_goes_in_pieces_and_a_long_response_is_collected() {
        let apdu: Vec<u8> = (0..600u32).map(|i| i as u8).collect();
        let (sent, done) = run(
            Exchange::new(1, apdu.clone(), 4_096),
            &[
                Ok(vec![0x00]),
                Ok(vec![0x00]),
                Ok([&[0x40][..], &[0xAA; 200]].concat()),
                Ok([&[0x00][..], &[0xBB; 10], &[0x90, 0x00]].concat()),
            ],
        );
        assert_eq!(sent.len(), 4);
        assert_eq!(sent[0].params[0], 0x41, "MI: more follows");
        assert_eq!(sent[1].params[0], 0x41);
        assert_eq!(sent[2].params[0], 0x01, "the last piece");
        let pieces: Vec<u8> = sent[..3]
            .iter()
            .flat_map(|c| c.params[1..].to_vec())
            .collect();
        assert_eq!(pieces, apdu);
        assert_eq!(sent[3].params, [0x01], "asks for the rest");
        let response = done.unwrap().unwrap();
        assert_eq!(response.len(), 212);
        assert_eq!(&response[210..], [0x90, 0x00]);
    }

    #[test]
    fn a_card_that_stops_answering_has_left() {
        let (_, done) = run(
            Exchange::new(1, vec![0, 0xB0, 0, 0, 0], 4_096),
            &[Ok(vec![0x01])],
        );
        assert_eq!(done, Some(Err(ExchangeFault::Card(CardFault::Removed))));
        let (_, done) = run(
            Exchange::new(1, vec![0, 0xB0, 0, 0, 0], 4_096),
            &[Ok(vec![0x02])],
        );
        assert_eq!(
            done,
            Some(Err(ExchangeFault::Card(CardFault::Mute))),
            "CRC error"
        );
        let (_, done) = run(
            Exchange::new(1, vec![0, 0xB0, 0, 0, 0], 100),
            &[Ok([&[0x00][..], &[0; 101]].concat())],
        );
        assert_eq!(
            done,
            Some(Err(ExchangeFault::Card(CardFault::Hardware))),
            "more than the bridge buffers"
        );
    }

    #[test]
    fn presence_is_diagnose_test_six() {
        let (sent, done) = run(Presence::new(), &[Ok(vec![0x00])]);
        assert_eq!(
            (sent[0].code, sent[0].params.as_slice()),
            (0x00, &[0x06][..])
        );
        assert_eq!(done, Some(Ok(true)));
        assert_eq!(run(Presence::new(), &[Ok(vec![0x01])]).1, Some(Ok(false)));
    }
}
