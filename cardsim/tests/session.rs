//! The reader's session (shared) against the emulated chip (cardsim): every
//! byte of every file arrives, in the number of APDUs the design promises,
//! over extended or short APDUs, and failures end with their own reason.

use std::collections::BTreeMap;

use examgate_cardsim::card::{Card, CardFiles, EmulatedCard};
use examgate_shared::chip::mrz::{BacInput, MrzDate};
use examgate_shared::chip::pace::{Cipher, PaceInfo, StandardCurve};
use examgate_shared::chip::session::{Access, ReadError, ReadOptions, ReadSession, Step};
use examgate_shared::chip::tlv;

fn bac() -> BacInput {
    BacInput::new(
        "203012345",
        MrzDate::new(2003, 5, 14),
        MrzDate::new(2028, 5, 14),
    )
    .unwrap()
}

fn wrong_bac() -> BacInput {
    BacInput::new(
        "203012345",
        MrzDate::new(2003, 5, 14),
        MrzDate::new(2043, 5, 14),
    )
    .unwrap()
}

fn pattern(len: usize, salt: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(salt))
        .collect()
}

/// Files of realistic sizes; contents are patterns (this test is about
/// transport, not parsing).
fn files(with_dg14: bool) -> CardFiles {
    let mut groups = BTreeMap::new();
    groups.insert(1, tlv::encode(0x61, &pattern(93, 1)));
    groups.insert(2, tlv::encode(0x75, &pattern(18_000, 2)));
    groups.insert(13, tlv::encode(0x6D, &pattern(700, 13)));
    if with_dg14 {
        groups.insert(14, tlv::encode(0x6E, &pattern(300, 14)));
    }
    groups.insert(15, tlv::encode(0x6F, &pattern(162, 15)));
    let tags: Vec<u8> = groups.values().map(|g| g[0]).collect();
    let com = tlv::encode(
        0x60,
        &[tlv::encode(0x5F01, b"0107"), tlv::encode(0x5C, &tags)].concat(),
    );
    CardFiles {
        com,
        groups,
        sod: tlv::encode(0x77, &pattern(1_900, 0x77)),
    }
}

struct Run {
    step: Step,
    apdus: u32,
}

/// Drives the session until it stops transmitting; `pull_after` removes the
/// card after that many APDUs.
fn drive(
    session: &mut ReadSession,
    card: &mut dyn Card,
    first: Step,
    pull_after: Option<u32>,
) -> Run {
    let mut step = first;
    let mut apdus = 0;
    while let Step::Transmit(apdu) = &step {
        if pull_after == Some(apdus) {
            step = session.card_removed();
            break;
        }
        apdus += 1;
        let response = card.transmit(apdu);
        step = session.on_response(&response);
    }
    Run { step, apdus }
}

fn signer() -> examgate_cardsim::card::AaSigner {
    Box::new(|challenge: &[u8]| [b"signed:".as_slice(), challenge].concat())
}

#[test]
fn an_extended_bac_read_takes_twelve_apdus_and_every_byte_arrives() {
    let files = files(true);
    let mut card = EmulatedCard::new(&bac(), &files, 7).with_active_auth(signer());
    let mut session = ReadSession::new(vec![bac()], [1; 32], ReadOptions::extended(65_536));
    let first = session.start();
    let run = drive(&mut session, &mut card, first, None);
    let Step::Read(read) = run.step else {
        panic!("{:?}", run.step)
    };
    assert_eq!(read.com, files.com);
    assert_eq!(read.groups, files.groups);
    assert_eq!(read.sod, files.sod);
    assert!(read.extended_length);
    assert_eq!(read.access, Access::Bac);
    // READ EF.CardAccess (none: no PACE) + SELECT + GET CHALLENGE +
    // EXTERNAL AUTHENTICATE + one extended read per file (7).
    assert_eq!(run.apdus, 11);
    let aa = session.authenticate(&[9; 8]);
    let run = drive(&mut session, &mut card, aa, None);
    assert_eq!(
        run.step,
        Step::Authenticated([b"signed:".as_slice(), &[9; 8]].concat())
    );
    assert_eq!(session.progress().apdus, 12);

    // Told to skip PACE, the session goes straight to BAC.
    let mut card = EmulatedCard::new(&bac(), &files, 7);
    let options = ReadOptions::extended(65_536).bac_only();
    let mut session = ReadSession::new(vec![bac()], [1; 32], options);
    let first = session.start();
    assert_eq!(drive(&mut session, &mut card, first, None).apdus, 10);
}

/// The CCCD profile: PACE-ECDH-GM-AES-128 on brainpoolP256r1 with the CAN.
fn cccd_pace() -> PaceInfo {
    PaceInfo {
        cipher: Cipher::Aes128,
        curve: StandardCurve::BrainpoolP256r1,
    }
}

#[test]
fn a_pace_chip_is_read_with_the_can_from_the_id() {
    let files = files(true);
    // The CAN is the last six digits of the ID, i.e. of the document number.
    let mut card = EmulatedCard::new(&bac(), &files, 7)
        .with_active_auth(signer())
        .with_pace(vec![cccd_pace()], "012345");
    let mut session = ReadSession::new(vec![bac()], [8; 32], ReadOptions::extended(65_536));
    let first = session.start();
    let run = drive(&mut session, &mut card, first, None);
    let Step::Read(read) = run.step else {
        panic!("{:?}", run.step)
    };
    assert_eq!(
        read.access,
        Access::Pace {
            info: cccd_pace(),
            by_can: true
        }
    );
    assert_eq!(read.groups, files.groups);
    assert_eq!(read.sod, files.sod);
    // READ EF.CardAccess + MSE:Set AT + 4 × GENERAL AUTHENTICATE +
    // protected SELECT + the same 7 reads.
    assert_eq!(run.apdus, 14);
    let aa = session.authenticate(&[9; 8]);
    let run = drive(&mut session, &mut card, aa, None);
    assert_eq!(
        run.step,
        Step::Authenticated([b"signed:".as_slice(), &[9; 8]].concat())
    );

    // Every curve and cipher the chip may offer, over short APDUs too.
    for curve in StandardCurve::ALL {
        for cipher in [Cipher::Tdes, Cipher::Aes128, Cipher::Aes256] {
            let info = PaceInfo { cipher, curve };
            let mut card = EmulatedCard::new(&bac(), &files, 9).with_pace(vec![info], "012345");
            let mut session = ReadSession::new(vec![bac()], [9; 32], ReadOptions::short_only());
            let first = session.start();
            let run = drive(&mut session, &mut card, first, None);
            let Step::Read(read) = run.step else {
                panic!("{} {cipher:?}: {:?}", curve.name(), run.step)
            };
            assert_eq!(read.access, Access::Pace { info, by_can: true });
            assert_eq!(read.groups, files.groups, "{} {cipher:?}", curve.name());
        }
    }
}

#[test]
fn a_chip_that_will_not_read_past_a_file_end_is_still_read_whole() {
    let files = files(true);
    let mut card = EmulatedCard::new(&bac(), &files, 7)
        .with_pace(vec![cccd_pace()], "012345")
        .strict_file_ends();
    let mut session = ReadSession::new(vec![bac()], [11; 32], ReadOptions::extended(65_536));
    let first = session.start();
    let run = drive(&mut session, &mut card, first, None);
    let Step::Read(read) = run.step else {
        panic!("{:?}", run.step)
    };
    assert_eq!(read.com, files.com);
    assert_eq!(read.groups, files.groups);
    assert_eq!(read.sod, files.sod);
}

#[test]
fn a_passport_is_opened_with_pace_and_its_mrz() {
    // ICAO 9303's specimen document number: not nine digits, so no CAN.
    let passport = BacInput::new(
        "L898902C3",
        MrzDate::new(1974, 8, 12),
        MrzDate::new(2032, 4, 15),
    )
    .unwrap();
    let files = files(false);
    let mut card = EmulatedCard::new(&passport, &files, 7).with_pace(vec![cccd_pace()], "999999");
    let mut session = ReadSession::new(vec![passport], [12; 32], ReadOptions::extended(65_536));
    let first = session.start();
    let run = drive(&mut session, &mut card, first, None);
    let Step::Read(read) = run.step else {
        panic!("{:?}", run.step)
    };
    assert_eq!(
        read.access,
        Access::Pace {
            info: cccd_pace(),
            by_can: false
        }
    );
    assert_eq!(read.access.describe(), "PACE-MRZ AES-128 brainpoolP256r1");
    assert_eq!(read.groups, files.groups);
}

#[test]
fn a_chip_that_refuses_the_can_is_read_with_bac() {
    let files = files(false);
    let mut card = EmulatedCard::new(&bac(), &files, 7).with_pace(vec![cccd_pace()], "999999");
    let mut session = ReadSession::new(vec![bac()], [10; 32], ReadOptions::extended(65_536));
    let first = session.start();
    let run = drive(&mut session, &mut card, first, None);
    let Step::Read(read) = run.step else {
        panic!("{:?}", run.step)
    };
    assert_eq!(read.access, Access::Bac);
    assert_eq!(read.groups, files.groups);
}

#[test]
fn short_reads_take_many_more_apdus_for_the_same_bytes() {
    let files = files(false);
    let mut card = EmulatedCard::new(&bac(), &files, 7);
    let mut session = ReadSession::new(vec![bac()], [2; 32], ReadOptions::short_only());
    let first = session.start();
    let run = drive(&mut session, &mut card, first, None);
    let Step::Read(read) = run.step else {
        panic!("{:?}", run.step)
    };
    assert_eq!(read.groups, files.groups);
    assert!(
        !read.groups.contains_key(&14),
        "DG14 is not listed in EF.COM"
    );
    assert!(!read.extended_length);
    // DG2 alone is 18,004 bytes: 1 + ⌈17,996 / 224⌉ = 82 reads.
    assert!(run.apdus > 100, "{} APDUs", run.apdus);
}

#[test]
fn a_card_without_extended_length_falls_back_and_still_reads_everything() {
    let files = files(true);
    let mut card = EmulatedCard::new(&bac(), &files, 7).short_apdus_only();
    let mut session = ReadSession::new(vec![bac()], [3; 32], ReadOptions::extended(65_536));
    let first = session.start();
    let run = drive(&mut session, &mut card, first, None);
    let Step::Read(read) = run.step else {
        panic!("{:?}", run.step)
    };
    assert_eq!(read.groups, files.groups);
    assert_eq!(read.sod, files.sod);
    assert!(!read.extended_length);
}

#[test]
fn bac_tries_each_expiry_until_the_card_accepts_one() {
    let files = files(false);
    let mut card = EmulatedCard::new(&bac(), &files, 7);
    let mut session = ReadSession::new(
        vec![wrong_bac(), bac()],
        [4; 32],
        ReadOptions::extended(65_536),
    );
    let first = session.start();
    let run = drive(&mut session, &mut card, first, None);
    let Step::Read(read) = run.step else {
        panic!("{:?}", run.step)
    };
    assert_eq!(read.bac_input, bac());

    let mut session = ReadSession::new(vec![wrong_bac()], [5; 32], ReadOptions::extended(65_536));
    let first = session.start();
    let run = drive(&mut session, &mut card, first, None);
    assert_eq!(run.step, Step::Failed(ReadError::AccessDenied { tried: 1 }));
}

#[test]
fn a_card_pulled_out_mid_read_ends_the_session_with_that_reason() {
    let files = files(false);
    let mut card = EmulatedCard::new(&bac(), &files, 7);
    let mut session = ReadSession::new(vec![bac()], [6; 32], ReadOptions::short_only());
    let first = session.start();
    let run = drive(&mut session, &mut card, first, Some(20));
    assert_eq!(run.step, Step::Failed(ReadError::CardRemoved));
    // Nothing more can be asked of a dead session.
    assert!(matches!(
        session.authenticate(&[0; 8]),
        Step::Failed(ReadError::OutOfOrder(_))
    ));
}

#[test]
fn a_chip_without_aa_and_a_tampered_response_fail_cleanly() {
    let files = files(false);
    let mut card = EmulatedCard::new(&bac(), &files, 7);
    let mut session = ReadSession::new(vec![bac()], [7; 32], ReadOptions::extended(65_536));
    let first = session.start();
    let run = drive(&mut session, &mut card, first, None);
    assert!(matches!(run.step, Step::Read(_)));
    let aa = session.authenticate(&[1; 8]);
    let run = drive(&mut session, &mut card, aa, None);
    assert!(
        matches!(
            run.step,
            Step::Failed(ReadError::CardError { sw: 0x6D00, .. })
        ),
        "{:?}",
        run.step
    );

    // A response altered on the way fails the MAC. (Short reads: an
    // extended read that fails is retried short, as for a card that cannot
    // take extended APDUs.)
    let mut session = ReadSession::new(vec![bac()], [8; 32], ReadOptions::short_only());
    let mut step = session.start();
    let mut n = 0;
    while let Step::Transmit(apdu) = &step {
        let mut response = card.transmit(apdu);
        n += 1;
        if n == 5 {
            response[3] ^= 0x40;
        }
        step = session.on_response(&response);
    }
    assert!(
        matches!(step, Step::Failed(ReadError::SecureMessaging(_))),
        "{step:?}"
    );
}

#[test]
fn something_that_is_not_an_id_card() {
    struct Blank;
    impl Card for Blank {
        fn atr(&self) -> Vec<u8> {
            vec![0x3B, 0x00]
        }
        fn transmit(&mut self, _: &[u8]) -> Vec<u8> {
            vec![0x6A, 0x82]
        }
    }
    let mut session = ReadSession::new(vec![bac()], [9; 32], ReadOptions::short_only());
    let first = session.start();
    let run = drive(&mut session, &mut Blank, first, None);
    assert_eq!(
        run.step,
        Step::Failed(ReadError::NotAnIdCard { sw: 0x6A82 })
    );
}

#[test]
fn a_power_cycle_forgets_the_secure_session() {
    let files = files(false);
    let mut card = EmulatedCard::new(&bac(), &files, 7);
    let mut session = ReadSession::new(vec![bac()], [10; 32], ReadOptions::extended(65_536));
    let first = session.start();
    let run = drive(&mut session, &mut card, first, None);
    assert!(matches!(run.step, Step::Read(_)));
    card.reset();
    // The old session's next protected command finds no secure channel.
    let Step::Transmit(apdu) = session.authenticate(&[1; 8]) else {
        panic!("authenticate sends a command")
    };
    assert_eq!(card.transmit(&apdu), vec![0x69, 0x82]);
}
