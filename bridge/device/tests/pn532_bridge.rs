//! The firmware's logic ([`Pn532Bridge`]) on a virtual clock, between the
//! page's own code (the shared [`HostLink`] and card-reading session) and a
//! simulated PN532 with an emulated CCCD chip in its field.
//!
//! Everything but the USB and UART hardware is the firmware's: the same
//! object runs on the RP2040 (`bridge/rp2040`).

mod sim_pn532;

use std::sync::OnceLock;
use std::time::Duration;

use examgate_bridge_device::pn532::Pn532Bridge;
use examgate_bridge_device::pn532::bridge::{LOOK_INTERVAL, PN532_BRIDGE_INFO};
use examgate_cardsim::aa::AaKind;
use examgate_cardsim::card::Card;
use examgate_cardsim::issue::IssuedCard;
use examgate_cardsim::person::Student;
use examgate_cardsim::pki::TestPki;
use examgate_shared::chip::bridge::{
    BridgeMessage, CommandStatus, ErrorCode, HostLink, HostMessage, IccState, LinkEvent,
};
use examgate_shared::chip::session::{Access, ReadError, ReadOptions, ReadSession, Step};
use proptest::prelude::*;
use sim_pn532::SimPn532;

/// The PN532's serial link.
const BAUD: u32 = 115_200;

/// The firmware, the PN532 and the page, on one clock.
struct Rig {
    bridge: Pn532Bridge,
    pn532: SimPn532,
    page: HostLink,
    now: Duration,
    /// Events the page saw that were not replies.
    events: Vec<LinkEvent>,
    /// Corrupts the serial line both ways: (state, one byte in `n` hit).
    noise: Option<(u64, u64)>,
}

impl Rig {
    fn new() -> Rig {
        Rig {
            bridge: Pn532Bridge::new(PN532_BRIDGE_INFO, BAUD),
            pn532: SimPn532::new(),
            page: HostLink::new(),
            now: Duration::ZERO,
            events: Vec::new(),
            noise: None,
        }
    }

    /// Flips bits in about one byte in `one_in` on the serial line.
    fn garble(&mut self, bytes: &mut [u8]) {
        let Some((state, one_in)) = &mut self.noise else {
            return;
        };
        for byte in bytes {
            // A small LCG: the test is repeatable from its seed.
            *state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            if (*state >> 33) % *one_in == 0 {
                *byte ^= (*state >> 20) as u8 | 1;
            }
        }
    }

    /// Moves bytes until nobody has anything more to say right now.
    fn settle(&mut self) {
        loop {
            let mut moved = false;
            while let Some(mut bytes) = self.bridge.poll_uart_write() {
                self.garble(&mut bytes);
                self.pn532.write(&bytes, self.now);
                moved = true;
            }
            let mut answer = self.pn532.take_output(self.now);
            if !answer.is_empty() {
                self.garble(&mut answer);
                self.bridge.uart_received(&answer, self.now);
                moved = true;
            }
            while let Some(transfer) = self.bridge.poll_usb_transmit() {
                self.page.push(&transfer);
                moved = true;
            }
            if !moved {
                return;
            }
        }
    }

    /// Lets `time` pass, handling every timer on the way.
    fn run_for(&mut self, time: Duration) {
        let end = self.now + time;
        loop {
            self.settle();
            assert_eq!(self.page_events(), None, "no request is pending");
            let next = self.next_event().unwrap_or(end);
            if next > end {
                self.now = end;
                self.bridge.handle_timeout(self.now);
                self.settle();
                assert_eq!(self.page_events(), None, "no request is pending");
                return;
            }
            self.now = next;
            self.bridge.handle_timeout(self.now);
        }
    }

    /// The next moment something is due: a bridge timer, or the PN532's
    /// answer.
    fn next_event(&self) -> Option<Duration> {
        [
            Some(self.bridge.poll_timeout()),
            self.pn532.next_output_at(),
        ]
        .into_iter()
        .flatten()
        .filter(|at| *at > self.now)
        .min()
    }

    /// Drains the page's events into `events`; the reply, if one came.
    fn page_events(&mut self) -> Option<BridgeMessage> {
        while let Some(event) = self.page.poll() {
            match event {
                LinkEvent::Reply(reply) => return Some(reply),
                LinkEvent::Garbled(error) => panic!("garbled: {error}"),
                other => self.events.push(other),
            }
        }
        None
    }

    /// One request from the page, answered (the clock runs meanwhile).
    fn exchange(&mut self, message: HostMessage) -> BridgeMessage {
        let bytes = self.page.request(message).unwrap();
        self.bridge.usb_received(&bytes, self.now);
        self.bridge.usb_transfer_ended(self.now);
        for _ in 0..100_000 {
            self.settle();
            if let Some(reply) = self.page_events() {
                return reply;
            }
            self.now = self.next_event().expect("something is always scheduled");
            self.bridge.handle_timeout(self.now);
        }
        panic!("no reply");
    }

    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, BridgeMessage> {
        match self.exchange(HostMessage::Transmit(apdu.to_vec())) {
            BridgeMessage::DataBlock { status, data } if status.is_ok() => Ok(data),
            other => Err(other),
        }
    }

    /// The page's card read (PACE or BAC, every file), through the bridge.
    fn read(&mut self, card: &IssuedCard) -> (Step, ReadSession) {
        let max_read = PN532_BRIDGE_INFO.max_apdu_len as usize - 64;
        let mut session = ReadSession::new(
            vec![card.student.bac_input()],
            [5; 32],
            ReadOptions::extended(max_read),
        );
        let mut step = session.start();
        while let Step::Transmit(apdu) = &step {
            step = match self.transmit(apdu) {
                Ok(response) => session.on_response(&response),
                Err(_) => session.card_removed(),
            };
        }
        (step, session)
    }
}

fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| TestPki::generate(14))
}

fn issued(seed: u64) -> IssuedCard {
    let student = Student::synthetic(seed, seed as u32);
    IssuedCard::issue(&student, pki(), Some(AaKind::EcdsaP256), seed)
}

/// A rig whose reader holds card `seed`, found and powered on.
fn rig_with_powered_card(seed: u64) -> (Rig, IssuedCard) {
    let mut rig = Rig::new();
    let card = issued(seed);
    rig.pn532.put_card(Box::new(card.chip(seed)));
    rig.run_for(Duration::from_millis(300));
    rig.exchange(HostMessage::PowerOn);
    (rig, card)
}

#[test]
fn a_card_on_the_reader_is_announced_powered_and_read_with_pace() {
    let mut rig = Rig::new();
    rig.run_for(Duration::from_millis(10));
    assert!(rig.pn532.is_awake(), "the first command wakes the PN532");
    assert!(rig.bridge.pn532().is_some(), "set up");
    assert_eq!(
        rig.exchange(HostMessage::GetInfo),
        BridgeMessage::Info(PN532_BRIDGE_INFO)
    );

    let card = issued(3);
    let chip = card.chip(3);
    let atr = chip.atr();
    rig.pn532.put_card(Box::new(chip));
    rig.run_for(Duration::from_millis(300));
    assert_eq!(
        rig.events,
        [LinkEvent::CardInserted],
        "announced within 300 ms"
    );
    let BridgeMessage::DataBlock { status, data } = rig.exchange(HostMessage::PowerOn) else {
        panic!("PowerOn answers a DataBlock")
    };
    assert!(status.is_ok());
    assert_eq!(data, atr, "the ATR the card's ATS gives, in PC/SC form");

    let (step, mut session) = rig.read(&card);
    let Step::Read(read) = step else {
        panic!("{step:?}")
    };
    assert!(matches!(read.access, Access::Pace { by_can: true, .. }));
    assert_eq!(read.com, card.files.com);
    assert_eq!(read.groups, card.files.groups);
    assert_eq!(read.sod, card.files.sod);
    assert!(read.extended_length);
    assert!(
        card.files.groups[&2].len() > 252,
        "the photo is chained through the PN532 in pieces"
    );

    // Active authentication under the PACE session, still through the bridge.
    let mut step = session.authenticate(&[0x42; 8]);
    while let Step::Transmit(apdu) = &step {
        step = session.on_response(&rig.transmit(apdu).unwrap());
    }
    assert!(matches!(step, Step::Authenticated(ref signature) if !signature.is_empty()));
    assert!(
        rig.events.len() == 1,
        "no spurious slot changes: {:?}",
        rig.events
    );
}

#[test]
fn power_on_resets_the_card_as_a_power_cycle_does() {
    let (mut rig, card) = rig_with_powered_card(4);
    let (step, _) = rig.read(&card);
    assert!(matches!(step, Step::Read(_)));
    // The PACE session is gone after a PowerOn: a protected READ is refused.
    rig.exchange(HostMessage::PowerOn);
    let select = [0x0C, 0xB0, 0x9E, 0x00, 0x00];
    let response = rig.transmit(&select).unwrap();
    assert_ne!(response[response.len() - 2..], [0x90, 0x00]);
}

#[test]
fn a_card_pulled_out_mid_read_is_announced_before_the_failed_reply() {
    let (mut rig, card) = rig_with_powered_card(5);
    rig.pn532.leave_after(6);
    let (step, _) = rig.read(&card);
    assert_eq!(step, Step::Failed(ReadError::CardRemoved));
    assert_eq!(
        rig.events,
        [
            LinkEvent::CardInserted,
            LinkEvent::CardRemoved {
                during_exchange: true
            }
        ]
    );
    // The bridge knows the slot is empty.
    let BridgeMessage::SlotStatus(status) = rig.exchange(HostMessage::GetSlotStatus) else {
        panic!()
    };
    assert_eq!(status.icc, IccState::Absent);
    // Put back, it is found again.
    rig.pn532.put_card(Box::new(card.chip(5)));
    rig.run_for(Duration::from_millis(300));
    assert_eq!(rig.events.last(), Some(&LinkEvent::CardInserted));
}

/// A card that stops answering but stays on the reader is still in its
/// activated state, deaf to a plain search: the bridge reports it gone,
/// then finds it again by cycling the field. A PowerOff in between that
/// finds it announces it too.
#[test]
fn a_card_that_stopped_answering_is_found_again_without_being_lifted() {
    let (mut rig, card) = rig_with_powered_card(10);
    rig.pn532.stall_next = true;
    let select_emrtd = [
        0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01,
    ];
    assert!(rig.transmit(&select_emrtd).is_err());
    assert_eq!(
        rig.events.last(),
        Some(&LinkEvent::CardRemoved {
            during_exchange: true
        })
    );
    rig.run_for(Duration::from_millis(300));
    assert_eq!(rig.events.last(), Some(&LinkEvent::CardInserted));
    let (step, _) = {
        rig.exchange(HostMessage::PowerOn);
        rig.read(&card)
    };
    assert!(matches!(step, Step::Read(_)), "{step:?}");

    // Forgotten again, and this time the host's PowerOff finds it first.
    rig.pn532.stall_next = true;
    assert!(rig.transmit(&select_emrtd).is_err());
    let BridgeMessage::SlotStatus(status) = rig.exchange(HostMessage::PowerOff) else {
        panic!("PowerOff answers a SlotStatus")
    };
    assert!(status.is_ok());
    // The slot change follows the reply.
    rig.run_for(Duration::from_millis(1));
    assert_eq!(rig.events.last(), Some(&LinkEvent::CardInserted));
    let BridgeMessage::DataBlock { status, .. } = rig.exchange(HostMessage::PowerOn) else {
        panic!()
    };
    assert!(status.is_ok());
}

#[test]
fn a_card_taken_away_while_idle_is_noticed_within_300_ms() {
    let mut rig = Rig::new();
    rig.pn532.put_card(Box::new(issued(6).chip(6)));
    rig.run_for(Duration::from_millis(300));
    rig.exchange(HostMessage::PowerOn);
    rig.run_for(Duration::from_secs(2));
    assert_eq!(
        rig.events,
        [LinkEvent::CardInserted],
        "presence checks pass"
    );
    rig.pn532.take_card();
    rig.run_for(LOOK_INTERVAL + Duration::from_millis(50));
    assert_eq!(
        rig.events.last(),
        Some(&LinkEvent::CardRemoved {
            during_exchange: false
        })
    );
}

#[test]
fn a_slow_card_keeps_the_page_waiting_with_time_extensions() {
    let (mut rig, _) = rig_with_powered_card(7);
    rig.pn532.card_time = Duration::from_millis(2_500);
    let select_emrtd = [
        0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01,
    ];
    let started = rig.now;
    let response = rig.transmit(&select_emrtd).unwrap();
    assert_eq!(response, [0x90, 0x00]);
    assert!(rig.now - started >= Duration::from_millis(2_500));
    let extensions = rig
        .events
        .iter()
        .filter(|e| **e == LinkEvent::TimeExtension)
        .count();
    assert_eq!(extensions, 2, "one per second of waiting");
}

#[test]
fn a_pn532_that_browns_out_is_set_up_again_and_the_card_found_again() {
    let mut rig = Rig::new();
    rig.pn532.put_card(Box::new(issued(8).chip(8)));
    rig.run_for(Duration::from_millis(300));
    rig.exchange(HostMessage::PowerOn);
    rig.pn532.brown_out();
    let reply = rig.exchange(HostMessage::Transmit(vec![0x00, 0xB0, 0x9E, 0x00, 0x04]));
    let BridgeMessage::DataBlock { status, .. } = reply else {
        panic!("{reply:?}")
    };
    assert_eq!(
        status.command,
        CommandStatus::Failed(ErrorCode::HardwareError)
    );
    assert!(rig.bridge.pn532().is_none());
    assert_eq!(
        rig.events.last(),
        Some(&LinkEvent::CardRemoved {
            during_exchange: true
        }),
        "the card is out of reach"
    );
    // While it stays silent, set-up is retried and nothing else happens.
    rig.run_for(Duration::from_secs(3));
    assert!(rig.bridge.pn532().is_none());
    rig.pn532.recover();
    rig.run_for(Duration::from_secs(2));
    assert!(rig.pn532.is_awake(), "woken again");
    assert!(rig.bridge.pn532().is_some());
    assert_eq!(rig.events.last(), Some(&LinkEvent::CardInserted));
    let BridgeMessage::DataBlock { status, .. } = rig.exchange(HostMessage::PowerOn) else {
        panic!()
    };
    assert!(status.is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A noisy serial line between the RP2040 and the PN532: frames are
    /// damaged both ways. The bridge must answer every request (a failure
    /// is an answer), send only well-formed frames, and read the card whole
    /// once the line is clean again.
    #[test]
    fn a_noisy_serial_line_never_hangs_the_bridge(seed in any::<u64>(), one_in in 40u64..400) {
        let mut rig = Rig::new();
        let card = issued(9);
        rig.pn532.put_card(Box::new(card.chip(9)));
        rig.noise = Some((seed, one_in));
        rig.run_for(Duration::from_secs(2));
        let mut failed_reads = 0;
        for _ in 0..3 {
            // Every request gets its reply (`exchange` panics otherwise).
            rig.exchange(HostMessage::PowerOn);
            let (step, _) = rig.read(&card);
            failed_reads += usize::from(!matches!(step, Step::Read(_)));
        }
        // About 20 KB cross the line per read: the noise does hit.
        prop_assert!(failed_reads > 0);
        rig.noise = None;
        rig.run_for(Duration::from_secs(3));
        prop_assert!(rig.bridge.pn532().is_some(), "set up again");
        let BridgeMessage::DataBlock { status, .. } = rig.exchange(HostMessage::PowerOn) else {
            panic!("PowerOn answers a DataBlock")
        };
        prop_assert!(status.is_ok(), "{status:?}");
        let (step, _) = rig.read(&card);
        prop_assert!(matches!(step, Step::Read(_)), "{step:?}");
    }
}
