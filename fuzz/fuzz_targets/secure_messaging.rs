//! BAC secure messaging on both sides: the client opens what the card (or
//! anything between) answers, the emulated card opens what the client
//! sends. Arbitrary bytes must be refused, never panic; and what one side
//! protects the other must open to the same thing, whatever the content.
//!
//! The first byte picks the case: 0 terminal `unprotect`, 1 card
//! `card_unprotect` on arbitrary bytes (a MAC the fuzzer cannot forge
//! stops most of these early, hence the round trips); 2 a response with
//! the rest as data and a status word, `card_protect` → `unprotect`; 3 a
//! command from the rest, `protect` → `card_unprotect`.

#![no_main]

use examgate_shared::chip::apdu::{Command, Response};
use examgate_shared::chip::sm::SecureChannel;
use libfuzzer_sys::fuzz_target;

/// Fixed session keys and counter (the ICAO 9303 worked example's shape;
/// the values do not matter, only that both sides share them).
fn channel() -> SecureChannel {
    SecureChannel::new(
        [
            0x97, 0x9E, 0xC1, 0x3B, 0x1C, 0xBF, 0xE9, 0xDC, 0xD0, 0x1A, 0xB0, 0xFE, 0xD3, 0x07,
            0xEA, 0xE5,
        ],
        [
            0xF1, 0xCB, 0x1F, 0x1F, 0xB5, 0xAD, 0xF2, 0x08, 0x80, 0x6B, 0x89, 0xDC, 0x57, 0x9D,
            0xC1, 0xF8,
        ],
        0x887022120C06C226,
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&case, rest)) = data.split_first() else {
        return;
    };
    match case % 4 {
        0 => {
            let _ = channel().unprotect(rest);
        }
        1 => {
            let _ = channel().card_unprotect(rest);
        }
        2 => {
            let Some((body, sw)) = rest.split_last_chunk::<2>() else {
                return;
            };
            let response = Response::new(body.to_vec(), u16::from_be_bytes(*sw));
            let protected = channel().card_protect(&response);
            let opened = channel().unprotect(&protected);
            // A plain-looking error status without data passes through.
            assert_eq!(opened, Ok(response), "protected {protected:02X?}");
        }
        _ => {
            let Some((&[cla, ins, p1, p2, le_hi, le_lo], body)) = rest.split_first_chunk::<6>()
            else {
                return;
            };
            // Secure messaging sets the CLA bits itself; a CLA already
            // marked is not a plain command.
            let mut command = Command::new(cla & !0x0C, ins, p1, p2);
            if !body.is_empty() {
                command = command.with_data(body.to_vec());
            }
            let le = usize::from(u16::from_be_bytes([le_hi, le_lo]));
            if le > 0 {
                command = command.with_le(le);
            }
            let Ok(protected) = channel().protect(&command) else {
                return;
            };
            let (opened, _extended) = channel()
                .card_unprotect(&protected)
                .expect("the card opens what the terminal protected");
            assert_eq!(opened, command);
        }
    }
});
