//! PACE and Chip Authentication, fed bytes an attacker controls:
//! EF.CardAccess as a chip serves it, the chip's answers to each step of
//! the PACE terminal, the terminal's commands to the emulated chip, DG14 as
//! the relay reads it to start Chip Authentication, and commands to the
//! chip's side of Chip Authentication. Nothing may panic: a malformed
//! point, nonce, key or token ends the run with an error.
//!
//! The first byte picks the case: 0 EF.CardAccess parsing; 1 the terminal
//! given the rest as the chip's answers, split at each `FF` (the first
//! step's MSE answer is a plain `9000` so the rest reaches the nonce);
//! 2 the PACE chip given the rest as terminal commands, split likewise;
//! 3 DG14 (`chip_authentication_key`), then the relay's exchange on any key
//! it yields; 4 the Chip Authentication chip given commands.

#![no_main]

use examgate_shared::chip::apdu::{Command, Response};
use examgate_shared::chip::chip_auth::{ChipAuthChip, KeyAgreement, terminal_exchange};
use examgate_shared::chip::dh::DhGroup;
use examgate_shared::chip::pace::chip::PaceChip;
use examgate_shared::chip::pace::{
    Cipher, PaceInfo, PaceStep, PaceTerminal, Password, StandardCurve, supported_pace_infos,
};
use examgate_shared::chip::verify::chip_authentication_key;
use libfuzzer_sys::fuzz_target;

fn info() -> PaceInfo {
    PaceInfo {
        cipher: Cipher::Aes128,
        curve: StandardCurve::BrainpoolP256r1,
    }
}

fn random(out: &mut [u8]) {
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = (i as u8).wrapping_mul(37).wrapping_add(11);
    }
}

fn pieces(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split(|&b| b == 0xFF).filter(|piece| !piece.is_empty())
}

fuzz_target!(|data: &[u8]| {
    let Some((&case, rest)) = data.split_first() else {
        return;
    };
    match case % 5 {
        0 => {
            let _ = supported_pace_infos(rest);
        }
        1 => {
            let mut terminal = PaceTerminal::new(info(), Password::Can("123456".into()));
            let _ = terminal.start();
            let mut answers = std::iter::once(&[0x90u8, 0x00][..]).chain(pieces(rest));
            for _ in 0..5 {
                let Some(bytes) = answers.next() else {
                    return;
                };
                let Ok(response) = Response::parse(bytes) else {
                    return;
                };
                match terminal.on_response(&response, &mut random) {
                    Ok(PaceStep::Send(_)) => {}
                    Ok(PaceStep::Established(_)) | Err(_) => return,
                }
            }
        }
        3 => {
            if let Ok(Some(key)) = chip_authentication_key(rest) {
                let _ = terminal_exchange(&key, &mut random);
            }
        }
        4 => {
            // The chip's side with an ECDH or a DH key, as the selector says.
            let agreement = if rest.first().is_some_and(|b| b & 1 == 1) {
                KeyAgreement::Dh(DhGroup::standardized(0).expect("a standard group"))
            } else {
                KeyAgreement::Ecdh(StandardCurve::BrainpoolP256r1)
            };
            let secret = agreement.random_secret(&mut random);
            let mut chip = ChipAuthChip::new(Cipher::Aes128, agreement, secret, Some(1));
            for bytes in pieces(rest).take(4) {
                let Ok((command, _)) = Command::parse(bytes) else {
                    return;
                };
                if chip.handles(&command) {
                    let _ = chip.on_command(&command);
                }
            }
        }
        _ => {
            let mut chip = PaceChip::new(vec![info()], vec![Password::Can("123456".into())]);
            for bytes in pieces(rest).take(8) {
                let Ok((command, _)) = Command::parse(bytes) else {
                    return;
                };
                let answer = chip.on_command(&command, &mut random);
                assert!(
                    answer.established.is_none() || answer.response.sw == 0x9000,
                    "a channel only with success"
                );
            }
        }
    }
});
