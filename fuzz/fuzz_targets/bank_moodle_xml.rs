//! Moodle XML files as teachers upload them: XML with HTML inside, and
//! pictures in base64.
//! No input may panic or hang, and what imports must keep the promises
//! checked in `bank_invariants.rs`.

#![no_main]

mod bank_invariants;

use examgate_bank_formats::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| bank_invariants::check(Format::MoodleXml, data));
