//! Aiken text files as teachers upload them: a question line, lettered
//! options and an `ANSWER:` line.
//! No input may panic or hang, and what imports must keep the promises
//! checked in `bank_invariants.rs`.

#![no_main]

mod bank_invariants;

use examgate_bank_formats::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| bank_invariants::check(Format::Aiken, data));
