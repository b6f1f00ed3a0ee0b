//! QTI 2.1, 2.2 and 3.0 as other tools export it: a lone XML item, or a zip
//! with a manifest, items and pictures.
//! No input may panic or hang, and what imports must keep the promises
//! checked in `bank_invariants.rs`.

#![no_main]

mod bank_invariants;

use examgate_bank_formats::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| bank_invariants::check(Format::Qti, data));
