//! The whole bridge with a PN532 front end, sans-IO: the firmware's logic.
//!
//! [`Pn532Bridge`] joins the protocol state machine ([`BridgeDevice`]), the
//! PN532 link and its operations. It decides what the PN532 does next:
//!
//! 1. the host's job, when there is one (activate, deactivate, an APDU);
//! 2. otherwise, every [`LOOK_INTERVAL`], look at the field: detect a card
//!    when the slot is empty, check the card is still there when not, and
//!    tell the host of any change (within 300 ms, as the protocol asks);
//! 3. (re)configure the PN532 first whenever it has not answered properly.
//!
//! The firmware shell feeds it USB and UART bytes and its clock, and sends
//! what it returns; `tests/pn532_bridge.rs` runs the same object against a
//! simulated PN532 with an emulated chip in its field.

use alloc::vec::Vec;
use core::time::Duration;

use examgate_bridge_proto::{BridgeInfo, FirmwareVersion, PROTOCOL_VERSION};

use super::link::Link;
use super::ops::{
    Activation, Exchange, ExchangeFault, Firmware, LinkFault, OpStep, Operation, Presence, Reply,
    Setup, Target,
};
use crate::device::{BridgeDevice, CardFault, CardJob};

/// What a PN532 bridge says of itself. Extended-length APDUs pass end to
/// end (the PN532 chains them); the limit is the firmware's memory, not the
/// protocol's. The PN532 talks to ISO 14443-4 cards at 106 kbit/s.
pub const PN532_BRIDGE_INFO: BridgeInfo = BridgeInfo {
    protocol: PROTOCOL_VERSION,
    firmware: FirmwareVersion {
        major: 0,
        minor: 1,
        patch: 0,
    },
    max_apdu_len: 8_192,
    extended_length: true,
    bit_rate: 106_000,
};

/// How often an idle bridge looks at the field.
pub const LOOK_INTERVAL: Duration = Duration::from_millis(250);
/// How long after a failed set-up the bridge tries again.
pub const SETUP_RETRY: Duration = Duration::from_secs(1);

/// What the PN532 is doing.
#[derive(Debug)]
enum Work {
    Idle,
    Setup(Setup),
    Detect(Activation),
    Presence(Presence),
    /// PowerOn: reset and activate.
    PowerOn(Activation),
    /// PowerOff: reset, and activate again silently so that presence
    /// checks still see the card.
    PowerOff(Activation),
    Transmit(Exchange),
}

impl Work {
    fn is_host_job(&self) -> bool {
        matches!(
            self,
            Work::PowerOn(_) | Work::PowerOff(_) | Work::Transmit(_)
        )
    }
}

/// What the running operation asked for, with its outcome once done.
enum Next {
    Send(super::ops::Command),
    Wait(Duration),
    Finished,
}

/// The bridge firmware's state.
#[derive(Debug)]
pub struct Pn532Bridge {
    device: BridgeDevice,
    link: Link,
    work: Work,
    target: Option<Target>,
    pn532: Option<Firmware>,
    /// When the idle bridge next looks at the field (or retries set-up).
    next_look: Duration,
    /// The end of an operation's wait step.
    waiting_until: Option<Duration>,
    /// The first look after a set-up cycles the field: a card left
    /// activated by a command the bridge lost track of answers no request
    /// until it is reset.
    reset_before_detect: bool,
}

impl Pn532Bridge {
    /// A bridge describing itself with `info`, its PN532 on a UART at `baud`.
    pub fn new(info: BridgeInfo, baud: u32) -> Pn532Bridge {
        Pn532Bridge {
            device: BridgeDevice::new(info),
            link: Link::new(baud),
            work: Work::Idle,
            target: None,
            pn532: None,
            next_look: Duration::ZERO,
            waiting_until: None,
            reset_before_detect: true,
        }
    }

    pub fn device(&self) -> &BridgeDevice {
        &self.device
    }

    /// The PN532's firmware, once it has been set up.
    pub fn pn532(&self) -> Option<Firmware> {
        self.pn532
    }

    /// Bytes from bulk OUT.
    pub fn usb_received(&mut self, bytes: &[u8], now: Duration) {
        self.device.receive(bytes);
        self.drive(now);
    }

    /// The host's OUT transfer ended (a short packet, or 50 ms idle).
    pub fn usb_transfer_ended(&mut self, now: Duration) {
        self.device.transfer_ended();
        self.drive(now);
    }

    /// Bytes from the PN532's UART.
    pub fn uart_received(&mut self, bytes: &[u8], now: Duration) {
        self.link.received(bytes, now);
        self.drive(now);
    }

    /// When [`Pn532Bridge::handle_timeout`] is next due.
    pub fn poll_timeout(&self) -> Duration {
        [
            self.link.deadline(),
            self.device.poll_timeout(),
            self.waiting_until,
            matches!(self.work, Work::Idle).then_some(self.next_look),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(self.next_look)
    }

    pub fn handle_timeout(&mut self, now: Duration) {
        self.link.handle_timeout(now);
        self.device.handle_timeout(now);
        self.drive(now);
    }

    /// Bytes for the PN532's UART.
    pub fn poll_uart_write(&mut self) -> Option<Vec<u8>> {
        self.link.poll_write()
    }

    /// A frame for bulk IN (one transfer).
    pub fn poll_usb_transmit(&mut self) -> Option<Vec<u8>> {
        self.device.poll_transmit()
    }

    /// Runs operations as far as they go without waiting.
    fn drive(&mut self, now: Duration) {
        loop {
            match &self.work {
                // Answers status requests, refuses others as busy.
                work if work.is_host_job() => {
                    let _ = self.device.poll(now);
                }
                Work::Idle => {}
                // The PN532 is busy looking: status requests are answered,
                // one card request waits for it.
                _ => self.device.hold(),
            }
            let reply = if self.link.is_busy() {
                match self.link.take_reply() {
                    Some(reply) => Some(reply),
                    None => return,
                }
            } else {
                None
            };
            if reply.is_none() {
                match self.waiting_until {
                    Some(until) if now < until => return,
                    Some(_) => self.waiting_until = None,
                    None => {}
                }
            }
            if matches!(self.work, Work::Idle) && !self.start_work(now) {
                return;
            }
            match self.advance(reply, now) {
                Next::Send(command) => self.link.send(&command, now),
                Next::Wait(time) => self.waiting_until = Some(now + time),
                Next::Finished => {}
            }
        }
    }

    /// Chooses the next operation; `false` when there is nothing to do yet.
    fn start_work(&mut self, now: Duration) -> bool {
        if let Some(job) = self.device.poll(now) {
            self.work = match (job, &self.target) {
                _ if self.pn532.is_none() => {
                    self.device.job_done(Err(CardFault::Hardware));
                    return true;
                }
                (CardJob::Activate, _) => Work::PowerOn(Activation::with_reset()),
                (CardJob::Deactivate, _) => Work::PowerOff(Activation::with_reset()),
                (CardJob::Transmit(apdu), Some(target)) => Work::Transmit(Exchange::new(
                    target.tg,
                    apdu,
                    self.device.info().max_apdu_len as usize,
                )),
                (CardJob::Transmit(_), None) => {
                    self.device.job_done(Err(CardFault::Removed));
                    return true;
                }
            };
            return true;
        }
        if now < self.next_look {
            return false;
        }
        self.work = if self.pn532.is_none() {
            Work::Setup(Setup::new())
        } else if self.target.is_some() {
            Work::Presence(Presence::new())
        } else if core::mem::take(&mut self.reset_before_detect) {
            Work::Detect(Activation::with_reset())
        } else {
            Work::Detect(Activation::detect())
        };
        true
    }

    /// Advances the running operation with `reply`; handles its outcome.
    fn advance(&mut self, reply: Option<Reply>, now: Duration) -> Next {
        macro_rules! step {
            ($op:expr, $done:ident) => {
                match $op.advance(reply) {
                    OpStep::Send(command) => Next::Send(command),
                    OpStep::Wait(time) => Next::Wait(time),
                    OpStep::Done(outcome) => {
                        self.work = Work::Idle;
                        self.$done(outcome, now);
                        Next::Finished
                    }
                }
            };
        }
        match &mut self.work {
            Work::Idle => Next::Finished,
            Work::Setup(op) => step!(op, set_up),
            Work::Detect(op) => step!(op, detected),
            Work::Presence(op) => step!(op, checked),
            Work::PowerOn(op) => step!(op, powered_on),
            Work::PowerOff(op) => step!(op, powered_off),
            Work::Transmit(op) => step!(op, transmitted),
        }
    }

    fn set_up(&mut self, outcome: Result<Firmware, LinkFault>, now: Duration) {
        match outcome {
            Ok(firmware) => {
                self.pn532 = Some(firmware);
                self.reset_before_detect = true;
                self.next_look = now;
            }
            Err(_) => self.next_look = now + SETUP_RETRY,
        }
    }

    /// The PN532 stopped answering properly: whatever card there was is
    /// out of reach, and it is set up again at the next look.
    fn lost_pn532(&mut self, now: Duration) {
        self.pn532 = None;
        self.target = None;
        self.device.card_left();
        self.next_look = now;
    }

    /// Drops the target without a field cycle: a card that merely stopped
    /// answering stays in its activated state and answers no request for
    /// targets until it is reset, so the next look cycles the field.
    fn forget_target(&mut self) {
        self.target = None;
        self.reset_before_detect = true;
    }

    fn detected(&mut self, outcome: Result<Option<Target>, LinkFault>, now: Duration) {
        self.next_look = now + LOOK_INTERVAL;
        match outcome {
            Ok(Some(target)) => {
                self.target = Some(target);
                self.device.card_arrived();
            }
            Ok(None) => {}
            Err(_) => self.lost_pn532(now),
        }
    }

    fn checked(&mut self, outcome: Result<bool, LinkFault>, now: Duration) {
        self.next_look = now + LOOK_INTERVAL;
        match outcome {
            Ok(true) => {}
            Ok(false) => {
                self.forget_target();
                self.device.card_left();
            }
            Err(_) => self.lost_pn532(now),
        }
    }

    fn powered_on(&mut self, outcome: Result<Option<Target>, LinkFault>, now: Duration) {
        self.next_look = now + LOOK_INTERVAL;
        match outcome {
            Ok(Some(target)) => {
                let atr = target.atr.clone();
                self.target = Some(target);
                self.device.job_done(Ok(atr));
            }
            Ok(None) => {
                self.target = None;
                self.device.job_done(Err(CardFault::Removed));
            }
            Err(_) => {
                // The slot change goes first, so the failed reply says
                // the card is out of reach.
                self.lost_pn532(now);
                self.device.job_done(Err(CardFault::Hardware));
            }
        }
    }

    fn powered_off(&mut self, outcome: Result<Option<Target>, LinkFault>, now: Duration) {
        self.next_look = now + LOOK_INTERVAL;
        match outcome {
            Ok(target) => {
                // The reply and the slot agree: a card found again is
                // announced after the reply, one gone before it.
                let found = target.is_some();
                self.target = target;
                if found {
                    self.device.job_done(Ok(Vec::new()));
                    self.device.card_arrived();
                } else {
                    self.device.card_left();
                    self.device.job_done(Ok(Vec::new()));
                }
            }
            Err(_) => {
                // The slot change goes first, so the failed reply says
                // the card is out of reach.
                self.lost_pn532(now);
                self.device.job_done(Err(CardFault::Hardware));
            }
        }
    }

    fn transmitted(&mut self, outcome: Result<Vec<u8>, ExchangeFault>, now: Duration) {
        self.next_look = now + LOOK_INTERVAL;
        match outcome {
            Ok(response) => self.device.job_done(Ok(response)),
            Err(ExchangeFault::Card(CardFault::Removed)) => {
                self.forget_target();
                self.device.job_done(Err(CardFault::Removed));
            }
            Err(ExchangeFault::Card(fault)) => self.device.job_done(Err(fault)),
            Err(ExchangeFault::Link(_)) => {
                self.lost_pn532(now);
                self.device.job_done(Err(CardFault::Hardware));
            }
        }
    }
}
