//! A simulated PN532 on its serial link, with an emulated chip (cardsim)
//! in its field: what the firmware's logic talks to in the host tests.
//!
//! It speaks the PN532's frames as the data sheet gives them: it sleeps
//! until woken by the HSU preamble, acknowledges every command, runs
//! ISO 14443-4 for the card (APDUs chained in with the MI bit of the target
//! byte, responses chained out with the MI bit of the status), answers
//! presence checks, and powers the card down when its field goes off. A
//! card can leave the field at any moment, and the PN532 can fall silent.

use std::collections::VecDeque;
use std::time::Duration;

use examgate_bridge_device::pn532::frame::{
    ACK, FrameReader, HOST_TO_PN532, PN532_TO_HOST, Pn532Frame, command, encode,
};
use examgate_cardsim::card::Card;

/// The PN532's error status for "the target has not answered".
const TIMEOUT: u8 = 0x01;
const MORE: u8 = 0x40;

pub struct SimPn532 {
    reader: FrameReader,
    card: Option<Box<dyn Card>>,
    awake: bool,
    /// Deaf and dumb (a PN532 that browned out), until `recover`.
    silent: bool,
    field_on: bool,
    /// The card is in its ISO 14443-4 state (RATS done).
    activated: bool,
    /// Command APDU pieces chained in so far.
    command: Vec<u8>,
    /// Response bytes not yet handed out.
    response: VecDeque<u8>,
    /// Response bytes per InDataExchange answer.
    pub chunk: usize,
    /// APDUs the card answers before it leaves the field mid-exchange.
    leave_after: Option<u32>,
    /// The card misses its next APDU (no answer) but stays in the field,
    /// still activated.
    pub stall_next: bool,
    /// How long the card takes over each APDU; answers wait for the clock.
    pub card_time: Duration,
    /// Bytes for the host and the time from which it may have them.
    output: VecDeque<(Duration, Vec<u8>)>,
    pub apdus: u32,
}

impl SimPn532 {
    pub fn new() -> SimPn532 {
        SimPn532 {
            reader: FrameReader::new(),
            card: None,
            awake: false,
            silent: false,
            field_on: false,
            activated: false,
            command: Vec::new(),
            response: VecDeque::new(),
            chunk: 200,
            leave_after: None,
            stall_next: false,
            card_time: Duration::ZERO,
            output: VecDeque::new(),
            apdus: 0,
        }
    }

    pub fn put_card(&mut self, card: Box<dyn Card>) {
        self.card = Some(card);
        self.activated = false;
    }

    pub fn take_card(&mut self) {
        self.card = None;
        self.activated = false;
    }

    pub fn leave_after(&mut self, apdus: u32) {
        self.leave_after = Some(apdus);
    }

    /// The PN532 loses power: it forgets everything and stops answering.
    pub fn brown_out(&mut self) {
        self.silent = true;
        self.awake = false;
        self.field_on = false;
        self.activated = false;
    }

    /// Power is back: it answers again, once woken.
    pub fn recover(&mut self) {
        self.silent = false;
    }

    pub fn is_awake(&self) -> bool {
        self.awake
    }

    /// When the next output becomes available.
    pub fn next_output_at(&self) -> Option<Duration> {
        self.output.front().map(|(at, _)| *at)
    }

    /// Bytes ready for the host at `now`.
    pub fn take_output(&mut self, now: Duration) -> Vec<u8> {
        let mut bytes = Vec::new();
        while let Some((at, _)) = self.output.front() {
            if *at > now {
                break;
            }
            bytes.extend(self.output.pop_front().unwrap().1);
        }
        bytes
    }

    /// Bytes from the host at `now`.
    pub fn write(&mut self, bytes: &[u8], now: Duration) {
        if self.silent {
            return;
        }
        if !self.awake {
            // Asleep: only the HSU wake-up preamble (55 55 …) wakes it; the
            // command behind it is then read.
            let Some(at) = bytes.windows(2).position(|w| w == [0x55, 0x55]) else {
                return;
            };
            self.awake = true;
            self.reader.clear();
            self.reader.push(&bytes[at + 2..]);
        } else {
            self.reader.push(bytes);
        }
        while let Some(frame) = self.reader.next_frame() {
            let Ok(Pn532Frame::Information {
                tfi: HOST_TO_PN532,
                code,
                data,
            }) = frame
            else {
                // The host's ACK (abort) and anything unreadable.
                continue;
            };
            self.output.push_back((now, ACK.to_vec()));
            let (delay, response) = self.answer(code, &data);
            self.output
                .push_back((now + delay, encode(PN532_TO_HOST, code + 1, &response)));
        }
    }

    fn answer(&mut self, code: u8, data: &[u8]) -> (Duration, Vec<u8>) {
        let now = Duration::ZERO;
        let response = match code {
            command::SAM_CONFIGURATION | command::IN_RELEASE => vec![],
            command::GET_FIRMWARE_VERSION => vec![0x32, 0x01, 0x06, 0x07],
            command::RF_CONFIGURATION => {
                if data.first() == Some(&0x01) {
                    // Bit 0: the field on (bit 1 is auto-RFCA).
                    let on = data.get(1).is_some_and(|item| item & 0x01 != 0);
                    if !on {
                        // The card loses power: it forgets its sessions.
                        self.activated = false;
                        if let Some(card) = &mut self.card {
                            card.reset();
                        }
                    }
                    self.field_on = on;
                }
                vec![]
            }
            command::IN_LIST_PASSIVE_TARGET => self.list_target(data),
            command::DIAGNOSE => {
                let present = self.card.is_some() && self.activated;
                vec![if present { 0x00 } else { TIMEOUT }]
            }
            command::IN_DATA_EXCHANGE => return self.exchange(data),
            _ => return (now, vec![0x27]),
        };
        (now, response)
    }

    /// Type A only, as CCCD chips are; the ATS carries the historical
    /// bytes of the card's ATR, so the bridge's ATR is the card's own.
    fn list_target(&mut self, data: &[u8]) -> Vec<u8> {
        let type_a = data.get(1) == Some(&0x00);
        // Looking for targets switches the field on.
        self.field_on = true;
        let Some(card) = &self.card else {
            return vec![0];
        };
        if !type_a || self.activated {
            return vec![0];
        }
        self.activated = true;
        let atr = card.atr();
        let historical = &atr[4..atr.len() - 1];
        let mut answer = vec![1, 1, 0x00, 0x04, 0x20, 4, 0x08, 0x1F, 0x2E, 0x3D];
        answer.push(5 + historical.len() as u8);
        answer.extend_from_slice(&[0x78, 0x80, 0x70, 0x02]);
        answer.extend_from_slice(historical);
        answer
    }

    fn exchange(&mut self, data: &[u8]) -> (Duration, Vec<u8>) {
        let Some((&tg, piece)) = data.split_first() else {
            return (Duration::ZERO, vec![0x27]);
        };
        if self.card.is_none() || !self.activated || tg & 0x3F != 1 {
            return (Duration::ZERO, vec![TIMEOUT]);
        }
        if tg & MORE != 0 {
            self.command.extend_from_slice(piece);
            return (Duration::ZERO, vec![0x00]);
        }
        if piece.is_empty() && !self.response.is_empty() {
            return (Duration::ZERO, self.next_response_piece());
        }
        self.command.extend_from_slice(piece);
        let apdu = std::mem::take(&mut self.command);
        if std::mem::take(&mut self.stall_next) {
            return (Duration::ZERO, vec![TIMEOUT]);
        }
        if self.leave_after == Some(self.apdus) {
            self.take_card();
            self.leave_after = None;
            return (self.card_time, vec![TIMEOUT]);
        }
        self.apdus += 1;
        let response = self.card.as_mut().unwrap().transmit(&apdu);
        self.response = response.into();
        (self.card_time, self.next_response_piece())
    }

    fn next_response_piece(&mut self) -> Vec<u8> {
        let take = self.chunk.min(self.response.len());
        let more = take < self.response.len();
        let mut answer = vec![if more { MORE } else { 0x00 }];
        answer.extend(self.response.drain(..take));
        answer
    }
}
