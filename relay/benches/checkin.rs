//! One whole chip check-in, as a student's computer and the relay do it:
//! read the CCCD through the card-reader bridge, have the chip sign the
//! relay's challenge (active authentication), and let the relay judge the
//! result (passive authentication against the CSCA, then the AA signature).
//!
//! `cargo bench -p examgate-relay --bench checkin` issues a synthetic
//! student's card (`Student::synthetic(2026, 0)`, `TestPki::generate(9303)`)
//! twice, with an ECDSA P-256 and with an RSA-2048 AA key (both also with a
//! Chip Authentication key, as CCCD chips have), and checks each in four
//! times: PACE with the CAN (AES-128 on brainpoolP256r1, as CCCD chips offer
//! it) then Chip Authentication with the relay as the terminal, and
//! yesterday's BAC then Active Authentication, each with extended-length reads
//! (`ReadOptions::extended(65536)`) and with 224-byte short reads
//! (`ReadOptions::short_only()`); and PACE + CA once more through the
//! profile of the RP2040 + PN532 bridge of `bridge/` (106 kbit/s, APDUs up
//! to 8,192 bytes, so reads of 8,128; plus the PN532's 115,200-baud serial
//! link, counted as its bytes and frames would take). The host
//! side drives the bridge's USB framing exactly as the browser does
//! ([`HostLink`] around [`SoftBridge`]), so the APDUs and their sizes are
//! the real ones. The card link is not waited for but counted by the
//! bridge's [`LinkModel`] at 424,000 bit/s with 5 ms turnaround per APDU
//! (activation included); the terminal's own work (the session: PACE's
//! elliptic-curve arithmetic, secure messaging) and the relay's verification
//! ([`examgate_relay::checkin::judge::judge`]) are real wall time (this
//! machine's, native code; a browser runs the session as WebAssembly,
//! slower). The chip's own computing time is not modelled: a real chip
//! spends some of its time on PACE's point multiplications.
//!
//! Per row it reports APDUs, bytes on the card link (command + response
//! APDUs) and on USB (frames both ways), emulated link time, terminal time,
//! verification time, their sum, and whether the target (< 1.5 s and ≤ 20
//! APDUs) is met.
//! It prints a table and writes `target/bench/checkin.json`.
//!
//! Without `--bench` (as `cargo test --benches` runs it) it times the
//! verification once per row and writes nothing.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use examgate_cardsim::aa::AaKind;
use examgate_cardsim::bridge::SoftBridge;
use examgate_cardsim::card::Card;
use examgate_cardsim::issue::{CCCD_PACE, IssuedCard};
use examgate_cardsim::latency::LinkModel;
use examgate_cardsim::person::Student;
use examgate_cardsim::pki::{TestPki, unix_secs_of_year};
use examgate_relay::checkin::anti_clone::PendingChipAuth;
use examgate_relay::checkin::judge::{Submitted, judge};
use examgate_shared::chip::bridge::{BridgeInfo, BridgeMessage, HostLink, HostMessage, LinkEvent};
use examgate_shared::chip::chip_auth::terminal_exchange;
use examgate_shared::chip::session::{Access, ReadOptions, ReadSession, Step};
use examgate_shared::chip::verify::{LdsFiles, TrustList, chip_authentication_key};
use serde_json::json;

/// The target a check-in must meet at the desk.
const TARGET_TOTAL: Duration = Duration::from_millis(1_500);
const TARGET_APDUS: u64 = 20;

/// A CCCD with a common reader (see `cardsim::latency`); spelled out rather
/// than taken from `LinkModel::TYPICAL` so the benchmark's figures do not
/// move if the default is recalibrated.
const LINK: LinkModel = LinkModel {
    bit_rate: 424_000,
    turnaround: Duration::from_millis(5),
};

/// The relay's challenge. Fixed: the chip's signature differs per challenge
/// but not its size or the cost of checking it.
const CHALLENGE: [u8; 8] = [0x93, 0x03, 0x20, 0x26, 0xC0, 0xDE, 0x00, 0x01];

/// The host end of the USB link, counting what crosses it.
struct Host {
    bridge: SoftBridge,
    link: HostLink,
    usb_bytes: usize,
    time_extensions: usize,
}

impl Host {
    /// A bridge with `chip` inserted and powered, as after the student puts
    /// the card on the reader and the client sees it.
    fn with_card(info: BridgeInfo, link: LinkModel, chip: Box<dyn Card>) -> Host {
        let mut host = Host {
            bridge: SoftBridge::with_link_model(info, link),
            link: HostLink::new(),
            usb_bytes: 0,
            time_extensions: 0,
        };
        // A fresh chip per check-in: no state carried over from the last.
        host.bridge.insert(chip);
        let events = host.bridge.take_events();
        host.usb_bytes += events.len();
        host.link.push(&events);
        assert_eq!(host.link.poll(), Some(LinkEvent::CardInserted));
        match host.exchange(HostMessage::PowerOn) {
            BridgeMessage::DataBlock { status, .. } if status.is_ok() => host,
            other => panic!("power on failed: {other:?}"),
        }
    }

    /// One request and its reply, each bulk IN transfer pushed as it comes.
    fn exchange(&mut self, message: HostMessage) -> BridgeMessage {
        let request = self.link.request(message).expect("a request that fits");
        self.usb_bytes += request.len();
        for transfer in self.bridge.handle_transfers(&request) {
            self.usb_bytes += transfer.len();
            self.link.push(&transfer);
        }
        while let Some(event) = self.link.poll() {
            match event {
                LinkEvent::Reply(reply) => return reply,
                LinkEvent::TimeExtension => self.time_extensions += 1,
                other => panic!("unexpected link event: {other:?}"),
            }
        }
        panic!("the bridge did not answer");
    }

    /// One APDU through the bridge; the card's response bytes.
    fn transmit(&mut self, apdu: Vec<u8>) -> Vec<u8> {
        match self.exchange(HostMessage::Transmit(apdu)) {
            BridgeMessage::DataBlock { status, data } if status.is_ok() => data,
            other => panic!("transmit failed: {other:?}"),
        }
    }
}

/// What one check-in cost.
struct Row {
    access: &'static str,
    aa: &'static str,
    mode: &'static str,
    apdus: u64,
    link_bytes: usize,
    usb_bytes: usize,
    time_extensions: usize,
    /// Card link (and, for the PN532, serial link) time.
    emulated: Duration,
    /// Of which the PN532's serial link.
    serial: Duration,
    terminal: Duration,
    verify_best: Duration,
    verify_median: Duration,
    extended_used: bool,
    person_id: String,
}

impl Row {
    fn total(&self) -> Duration {
        self.emulated + self.terminal + self.verify_best
    }

    fn meets_target(&self) -> bool {
        self.total() < TARGET_TOTAL && self.apdus <= TARGET_APDUS
    }
}

/// The reader a row checks in through.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// A common reader: extended length end to end, 424 kbit/s.
    Extended,
    /// A short-only bridge (and reader): at most a short command APDU,
    /// 4 + 1 + 255 + 1 bytes.
    Short,
    /// The repository's RP2040 + PN532 bridge (`bridge/`).
    Pn532,
}

/// The PN532 bridge's card link: 106 kbit/s, the same turnaround.
const PN532_LINK: LinkModel = LinkModel {
    bit_rate: 106_000,
    turnaround: Duration::from_millis(5),
};

/// The PN532's serial link (8N1) and what its framing adds per
/// InDataExchange: command frame and ACK (6 + 6 bytes around the data and
/// target byte), response frame with its status (8 bytes).
const PN532_BAUD: u32 = 115_200;
const PN532_FRAME_BYTES: usize = 20;
const PN532_CHUNK: usize = examgate_bridge_device::pn532::ops::CHUNK;

impl Reader {
    fn info(self) -> BridgeInfo {
        let mut info = SoftBridge::typical_info();
        info.bit_rate = LINK.bit_rate;
        match self {
            Reader::Extended => info,
            Reader::Short => {
                info.max_apdu_len = 261;
                info.extended_length = false;
                info
            }
            Reader::Pn532 => examgate_bridge_device::pn532::bridge::PN532_BRIDGE_INFO,
        }
    }

    fn link(self) -> LinkModel {
        match self {
            Reader::Pn532 => PN532_LINK,
            Reader::Extended | Reader::Short => LINK,
        }
    }

    /// The reads the client asks for: as long as the bridge allows, less
    /// a margin for secure messaging (`client/src/card_read.rs`).
    fn max_read(self) -> usize {
        match self {
            Reader::Short => ReadOptions::short_only().max_read,
            Reader::Extended => 65_536,
            Reader::Pn532 => self.info().max_apdu_len as usize - 64,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Reader::Extended => "extended 65536",
            Reader::Short => "short 224",
            Reader::Pn532 => "PN532 8128",
        }
    }

    /// Time on the PN532's serial link for `apdus` exchanges moving
    /// `link_bytes`: every byte crosses it too, in pieces of at most
    /// [`PN532_CHUNK`] bytes, each piece framed.
    fn serial_time(self, apdus: u64, link_bytes: usize) -> Duration {
        if self != Reader::Pn532 {
            return Duration::ZERO;
        }
        let pieces = apdus as usize + link_bytes / PN532_CHUNK;
        let bytes = link_bytes + pieces * PN532_FRAME_BYTES;
        Duration::from_secs_f64(bytes as f64 * 10.0 / f64::from(PN532_BAUD))
    }
}

/// How the chip is opened.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Opening {
    Pace,
    Bac,
}

impl Opening {
    fn name(self) -> &'static str {
        match self {
            Opening::Pace => "PACE+CA",
            Opening::Bac => "BAC+AA",
        }
    }
}

fn check_in(
    card: &IssuedCard,
    aa: &'static str,
    opening: Opening,
    reader: Reader,
    trust: &TrustList,
    now: i64,
    runs: usize,
) -> Row {
    let bac = card.student.bac_input();
    let (chip, options): (Box<dyn Card>, _) = match opening {
        Opening::Pace => (Box::new(card.chip(7)), ReadOptions::extended(65_536)),
        Opening::Bac => (
            Box::new(card.chip_bac_only(7)),
            ReadOptions::extended(65_536).bac_only(),
        ),
    };
    let options = ReadOptions {
        max_read: reader.max_read(),
        ..options
    };
    let mut host = Host::with_card(reader.info(), reader.link(), chip);
    let mut session = ReadSession::new(vec![bac], [42; 32], options);

    let mut link_bytes = 0;
    let started = Instant::now();
    let mut step = session.start();
    let mut terminal = started.elapsed();
    let mut carry = |host: &mut Host, session: &mut ReadSession, apdu: Vec<u8>| {
        let command_len = apdu.len();
        let response = host.transmit(apdu);
        link_bytes += command_len + response.len();
        let started = Instant::now();
        let step = session.on_response(&response);
        terminal += started.elapsed();
        step
    };
    let read = loop {
        step = match step {
            Step::Transmit(apdu) => carry(&mut host, &mut session, apdu),
            Step::Read(read) => break read,
            other => panic!("the card did not read: {other:?}"),
        };
    };
    let expected_access = match opening {
        Opening::Pace => Access::Pace {
            info: CCCD_PACE,
            by_can: true,
        },
        Opening::Bac => Access::Bac,
    };
    assert_eq!(read.access, expected_access, "opened as intended");
    // The relay's challenge arrives here; fetching it overlaps the read in
    // the client, so it adds no link time. PACE rows run Chip
    // Authentication with the relay as the terminal (the CCCD offers it);
    // BAC rows answer the challenge with Active Authentication, as before.
    let mut relay_time = Duration::ZERO;
    let (signature, ca_answer, pending) = match opening {
        Opening::Pace => {
            let started = Instant::now();
            let dg14 = read.groups[&14].clone();
            let key = chip_authentication_key(&dg14)
                .expect("DG14 parses")
                .expect("the card offers chip authentication");
            let mut random = |out: &mut [u8]| {
                for (i, byte) in out.iter_mut().enumerate() {
                    *byte = (i as u8).wrapping_mul(29).wrapping_add(3);
                }
            };
            let exchange = terminal_exchange(&key, &mut random).expect("the key is on its curve");
            relay_time += started.elapsed();
            let commands: Vec<Vec<u8>> = exchange
                .commands
                .iter()
                .map(|c| c.encode(false).expect("short"))
                .collect();
            let mut step = session.chip_authenticate(&commands, exchange.proof.clone());
            let answer = loop {
                step = match step {
                    Step::Transmit(apdu) => carry(&mut host, &mut session, apdu),
                    Step::ChipAuthenticated(answer) => break answer,
                    other => panic!("chip authentication failed: {other:?}"),
                };
            };
            let pending = PendingChipAuth::new(exchange.channel, &dg14);
            (Vec::new(), answer, Some(pending))
        }
        Opening::Bac => {
            let mut step = session.authenticate(&CHALLENGE);
            let signature = loop {
                step = match step {
                    Step::Transmit(apdu) => carry(&mut host, &mut session, apdu),
                    Step::Authenticated(signature) => break signature,
                    other => panic!("active authentication failed: {other:?}"),
                };
            };
            (signature, Vec::new(), None)
        }
    };
    assert_eq!(
        u64::from(session.progress().apdus),
        host.bridge.apdu_count(),
        "every APDU the session sent reached the card"
    );

    let submitted = Submitted {
        files: LdsFiles {
            com: read.com.clone(),
            groups: read.groups.clone(),
            sod: read.sod.clone(),
        },
        aa_signature: signature,
        ca_answer,
    };
    let mut times = Vec::with_capacity(runs);
    let mut person_id = String::new();
    for _ in 0..runs {
        let started = Instant::now();
        let verdict = judge(&submitted, &CHALLENGE, pending.as_ref(), trust, now);
        times.push(started.elapsed() + relay_time);
        match verdict {
            Ok(genuine) => person_id = genuine.person_id,
            Err(refusal) => panic!("the relay refused a genuine card: {refusal:?}"),
        }
    }
    times.sort();

    Row {
        access: opening.name(),
        aa,
        mode: reader.name(),
        apdus: host.bridge.apdu_count(),
        link_bytes,
        usb_bytes: host.usb_bytes,
        time_extensions: host.time_extensions,
        emulated: host.bridge.emulated_time()
            + reader.serial_time(host.bridge.apdu_count(), link_bytes),
        serial: reader.serial_time(host.bridge.apdu_count(), link_bytes),
        terminal,
        verify_best: times[0],
        verify_median: times[times.len() / 2],
        extended_used: read.extended_length,
        person_id,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn bench_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("bench")
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let runs = if benching { 30 } else { 1 };

    let started = Instant::now();
    let pki = TestPki::generate(9303);
    let student = Student::synthetic(2026, 0);
    let mut trust = TrustList::new();
    trust
        .add_der(&pki.csca_der())
        .expect("the test CSCA parses");
    // Mid-2026: inside the test PKI's validity years.
    let now = unix_secs_of_year(2026) + 180 * 86_400;
    let kinds = [
        (AaKind::EcdsaP256, "ECDSA P-256"),
        (AaKind::Rsa2048, "RSA-2048"),
    ];

    let mut rows = Vec::new();
    for (i, (kind, name)) in kinds.into_iter().enumerate() {
        let card = IssuedCard::issue(&student, &pki, Some(kind), 9_303 + i as u64);
        eprintln!(
            "issued the {name} card at {:.2} s",
            started.elapsed().as_secs_f64()
        );
        for opening in [Opening::Pace, Opening::Bac] {
            for reader in [Reader::Extended, Reader::Short] {
                rows.push(check_in(&card, name, opening, reader, &trust, now, runs));
            }
        }
        rows.push(check_in(
            &card,
            name,
            Opening::Pace,
            Reader::Pn532,
            &trust,
            now,
            runs,
        ));
    }

    println!(
        "{:<9} {:<12} {:<15} {:>5} {:>10} {:>10} {:>12} {:>11} {:>10} {:>10} {:>6}",
        "opening",
        "AA key",
        "reads",
        "APDUs",
        "link B",
        "USB B",
        "emulated ms",
        "terminal ms",
        "verify ms",
        "total ms",
        "target"
    );
    for row in &rows {
        println!(
            "{:<9} {:<12} {:<15} {:>5} {:>10} {:>10} {:>12.1} {:>11.2} {:>10.2} {:>10.1} {:>6}",
            row.access,
            row.aa,
            row.mode,
            row.apdus,
            row.link_bytes,
            row.usb_bytes,
            ms(row.emulated),
            ms(row.terminal),
            ms(row.verify_best),
            ms(row.total()),
            if row.meets_target() { "met" } else { "MISSED" }
        );
    }
    println!(
        "link model: {} bit/s, {} ms turnaround per APDU; verify: best of {runs} (median in JSON); target: < {} ms and <= {TARGET_APDUS} APDUs",
        LINK.bit_rate,
        LINK.turnaround.as_millis(),
        TARGET_TOTAL.as_millis()
    );

    if !benching {
        return;
    }
    let report = json!({
        "student": { "seed": 2026, "index": 0, "person_id": rows[0].person_id },
        "pki_seed": 9303,
        "link_model": {
            "bit_rate": LINK.bit_rate,
            "turnaround_ms": ms(LINK.turnaround),
        },
        "pn532_profile": {
            "bit_rate": PN532_LINK.bit_rate,
            "turnaround_ms": ms(PN532_LINK.turnaround),
            "serial_baud": PN532_BAUD,
            "serial_bytes_per_piece": PN532_FRAME_BYTES,
            "piece_bytes": PN532_CHUNK,
        },
        "verify_runs": runs,
        "target": { "total_ms": ms(TARGET_TOTAL), "max_apdus": TARGET_APDUS },
        "rows": rows.iter().map(|r| json!({
            "opening": r.access,
            "aa": r.aa,
            "mode": r.mode,
            "extended_length_used": r.extended_used,
            "apdus": r.apdus,
            "link_bytes": r.link_bytes,
            "usb_bytes": r.usb_bytes,
            "time_extensions": r.time_extensions,
            "emulated_ms": ms(r.emulated),
            "serial_link_ms": ms(r.serial),
            "terminal_ms": ms(r.terminal),
            "verify_best_ms": ms(r.verify_best),
            "verify_median_ms": ms(r.verify_median),
            "total_ms": ms(r.total()),
            "target_met": r.meets_target(),
        })).collect::<Vec<_>>(),
    });
    let dir = bench_dir();
    std::fs::create_dir_all(&dir).expect("create target/bench");
    let path = dir.join("checkin.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&report).expect("serialisable"),
    )
    .expect("write checkin.json");
    eprintln!("wrote {}", path.display());
}
